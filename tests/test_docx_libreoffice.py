"""A real word processor opens every shipped handout: LibreOffice converts each to PDF.

One ``soffice`` call converts all handouts (starting LibreOffice once per file would take minutes).
Page counts must lie within bounds per kind, the footer's "Seite 1 von N" must match the real
page count (so the PAGE and NUMPAGES fields work), and the first page of one handout per kind is
kept as a PNG in ``tests/artifacts/handouts/`` for a human to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kurswerk.load import load_sector
from kurswerk.model import Edition
from kurswerk.render.docx import TEMPLATE, write_sector_handouts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CURRICULA = ROOT / "curricula"
ARTIFACTS = ROOT / "tests" / "artifacts" / "handouts"
EDITIONS: tuple[Edition, ...] = ("public", "trainer")
PAGE_BOUNDS = {
    "arbeitsblatt": (3, 20),
    "lehrkraft": (5, 30),
    "teilnehmende": (2, 14),
    "leitung": (3, 20),
    "unternehmen": (2, 12),
    "glossar": (2, 24),
}
"""Expected page counts per handout kind (A4): fewer means content is missing, more a layout fault."""

TOOLS = ("soffice", "pdfinfo", "pdftoppm", "pdftotext")


def kind_of(path: Path) -> str:
    """Return the handout kind from the naming scheme: ``dienstuebergabe-lehrkraft`` → ``lehrkraft``."""
    return path.stem if path.stem in PAGE_BOUNDS else path.stem.rsplit("-", 1)[-1]


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def _pages(pdf: Path) -> int:
    info = _run(["pdfinfo", str(pdf)], 60)
    match = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    assert info.returncode == 0 and match, f"pdfinfo failed on {pdf.name}: {info.stderr}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Every handout of every shipped sector (both editions) and its PDF, converted in one call."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs LibreOffice and poppler-utils; missing: {', '.join(missing)}")
    base = tmp_path_factory.mktemp("libreoffice")
    folders = sorted(path.parent for path in CURRICULA.glob("*/sector.yml"))
    if not folders:
        pytest.skip("no sector in curricula/ yet")
    handouts: list[Path] = []
    for folder in folders:
        curriculum = load_sector(folder)
        for edition in EDITIONS:
            handouts += write_sector_handouts(curriculum, base / "docx" / folder.name / edition, edition, TEMPLATE)
    pdf_dir = base / "pdf"
    pdf_dir.mkdir()
    pdfs = _convert(handouts, pdf_dir, base / "profile")
    return dict(zip(handouts, pdfs, strict=True))


def _convert(handouts: list[Path], pdf_dir: Path, profile: Path) -> list[Path]:
    """Convert with one soffice call; PDFs are named by a running number (names repeat across sectors)."""
    staged = pdf_dir.parent / "staged"
    staged.mkdir()
    names = []
    for number, path in enumerate(handouts):
        name = f"{number:04d}-{path.parent.parent.name}-{path.name}"
        shutil.copyfile(path, staged / name)
        names.append(name)
    began = time.perf_counter()
    result = _run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(pdf_dir), *(str(staged / name) for name in names)], 900)
    print(f"LibreOffice converted {len(names)} handouts in {time.perf_counter() - began:.1f} s")
    assert result.returncode == 0, f"soffice failed: {result.stderr}"
    return [pdf_dir / Path(name).with_suffix(".pdf").name for name in names]


def test_every_handout_converts_to_pdf(converted: dict[Path, Path]) -> None:
    failed = [docx.name for docx, pdf in converted.items() if not pdf.exists() or pdf.stat().st_size < 1000]
    assert not failed, f"LibreOffice could not convert: {failed}"


def test_page_counts_lie_within_bounds_per_kind(converted: dict[Path, Path]) -> None:
    problems = []
    for docx, pdf in converted.items():
        low, high = PAGE_BOUNDS[kind_of(docx)]
        pages = _pages(pdf)
        if not low <= pages <= high:
            problems.append(f"{docx.parent.parent.name}/{docx.name}: {pages} pages, expected {low}–{high}")
    assert not problems, "\n".join(problems)


def test_footer_page_fields_show_the_real_page_count(converted: dict[Path, Path]) -> None:
    for docx, pdf in converted.items():
        first_page = _run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], 60).stdout
        assert f"Seite 1 von {_pages(pdf)}" in first_page, docx.name
        assert "CC BY-SA 4.0" in first_page and "Integration durch Qualifizierung" in first_page, docx.name


def test_first_page_of_each_kind_is_kept_as_png(converted: dict[Path, Path]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chosen: dict[str, Path] = {}
    for docx, pdf in sorted(converted.items(), key=lambda pair: (pair[0].parent.parent.name != "pflege", str(pair[0]))):
        chosen.setdefault(kind_of(docx), pdf)
    assert set(chosen) == set(PAGE_BOUNDS), f"kinds without a handout: {set(PAGE_BOUNDS) - set(chosen)}"
    for kind, pdf in chosen.items():
        target = ARTIFACTS / kind
        result = _run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)], 120)
        assert result.returncode == 0, result.stderr
        assert target.with_suffix(".png").stat().st_size > 10_000
