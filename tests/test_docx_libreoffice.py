"""A real word processor lays out every shipped handout: LibreOffice converts each to PDF.

Every part of every sector, in both editions, is converted with one ``soffice`` call per sector and
edition (:func:`kurswerk.render.pdf.convert_to_pdf`; starting LibreOffice once per file would take
minutes). On the PDFs: page counts lie within bounds per part kind; the footer's "Seite 1 von N"
matches the real page count (so the PAGE and NUMPAGES fields work); no last page is nearly empty;
no page ends with a heading or with a text that leads into what follows (an exercise's
instruction, a label kept with its table or lines). The first page of one handout per kind is kept
as a PNG in ``tests/artifacts/handouts/`` (ignored by git) for a human to look at, next to a table of
the measured page counts.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import docx
import pytest

from conftest import ShippedHandouts
from kurswerk.model import Edition
from kurswerk.packets import Part, plan_parts
from kurswerk.render.pdf import RUNNING_BAND, page_fill, pdf_info

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CURRICULA = ROOT / "curricula"
ARTIFACTS = ROOT / "tests" / "artifacts" / "handouts"
EDITIONS: tuple[Edition, ...] = ("public", "trainer")
PAGE_BOUNDS = {
    "input": (3, 8),
    "practice": (4, 10),
    "cards": (3, 8),
    "trainer": (3, 7),
    "participants": (4, 10),
    "leader": (5, 12),
    "training-material": (2, 5),
    "company": (3, 8),
    "glossary": (8, 26),
    "wordlist": (4, 10),
}
"""Page counts per part kind (A4): fewer means content is missing, more a layout fault.

Measured on the shipped curricula (8 sectors, LibreOffice 7.4): input 5–6, practice 6–8, cards
5–6, trainer 4–5, participants 6–8, leader 8–9, training material 3, company 6–7, glossary 17–21
(with the translations into eight languages), word list 6–7; the bounds leave about two pages
either side (more for the glossary, which grows with the words).
``tests/artifacts/handouts/page-counts.txt`` has the latest run's figures.
"""
MIN_LAST_PAGE_FILL = 0.25
"""A last page must be filled at least this far (share of the text area, :func:`page_fill`)."""
TOOLS = ("soffice", "pdfinfo", "pdftoppm", "pdftotext")
FOOTER = re.compile(r"gefördert durch BMAS und ESF Plus|Lizenz: CC BY-SA 4\.0|Seite \d+ von \d+")
EXERCISE_HEADING = re.compile(r"Übung \d+: ")
HEADING_STYLES = {"Heading 1", "Heading 2", "Heading 3"}
INK_GAP_PT = 8.0
"""Space below a line's text box that still belongs to it (descenders, the bar of a Kasten paragraph)."""
INK = 160
"""A grey value below this (0–255) is ink: text, a ruled writing line, a table border."""


@dataclass(frozen=True)
class Handout:
    sector: str
    part: Part
    docx: Path
    pdf: Path

    @property
    def name(self) -> str:
        return f"{self.sector}/{self.part.edition}/{self.part.pdf_name}"


@dataclass
class Converted:
    handouts: list[Handout] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    """Sector (or sector/edition) → why it was not loaded or not converted."""


@pytest.fixture(scope="module")
def converted(shipped_handouts: ShippedHandouts) -> Converted:
    """Every handout of every shipped sector (both editions) and its PDF, as the build makes them."""
    result = Converted(failures=dict(shipped_handouts.failures))
    for sector, curriculum in shipped_handouts.curricula.items():
        for edition in EDITIONS:
            out = shipped_handouts.folder(sector, edition)
            for part in plan_parts(curriculum, edition):
                if (out / part.pdf_name).exists():
                    result.handouts.append(Handout(sector, part, out / part.file_name, out / part.pdf_name))
    return result


def _run(command: list[str], timeout: float = 120) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, f"{command[0]} failed: {result.stderr}"
    return result.stdout


@cache
def _pages(pdf: Path) -> int:
    return pdf_info(pdf).pages


@cache
def _page_texts(pdf: Path) -> tuple[str, ...]:
    """Each page's text as ``pdftotext -layout`` gives it (pages end with a form feed)."""
    pages = _run(["pdftotext", "-layout", str(pdf), "-"]).split("\f")
    return tuple(pages[:-1] if pages and not pages[-1].strip() else pages)


def _n(text: str) -> str:
    return " ".join(text.split())


def _last_line(page: str, subject: str) -> str | None:
    """The last line of a page's content: without the footer and the running header (title – kind, subject).

    The header is the first line; a long title wraps it, and then the subject ends the second line.
    """
    lines = [_n(line) for line in page.splitlines() if line.strip()]
    lines = [line for line in lines if not FOOTER.search(line)]
    header = lines[:2] if lines and subject not in lines[0] and len(lines) > 1 and subject in lines[1] else lines[:1]
    content = lines[len(header):]
    return content[-1] if content else None


def _lead_ins(handout: Handout) -> tuple[set[str], set[str]]:
    """The handout's headings (Heading 1–3), and the texts that lead into what follows them.

    Lead-ins are an exercise's instruction (the plain paragraphs right after an "Übung N: …"
    heading) and every paragraph the renderer keeps with the next (labels, word boxes, item prompts).
    """
    headings: set[str] = set()
    lead_ins: set[str] = set()
    after_exercise = False
    for paragraph in docx.Document(str(handout.docx)).paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        text = _n(paragraph.text)
        if style in HEADING_STYLES:
            headings.add(text)
            after_exercise = EXERCISE_HEADING.match(text) is not None
            continue
        after_exercise = after_exercise and style == "Normal"
        if text and (after_exercise or paragraph.paragraph_format.keep_with_next):
            lead_ins.add(text)
    return headings, lead_ins


def _ends(line: str, texts: set[str]) -> bool:
    """True when ``line`` is one of ``texts`` or the last line of one that wrapped."""
    return any(text == line or (len(line) >= 12 and text.endswith(line)) for text in texts)


def _lowest_line(pdf: Path, page: int) -> tuple[float, float]:
    """The page height and the bottom of its lowest content line (outside header and footer), in points."""
    layout = _run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"])
    page_box = re.search(r'<page width="[\d.]+" height="([\d.]+)"', layout)
    assert page_box, f"{pdf.name}: no page {page} in pdftotext's layout"
    height = float(page_box.group(1))
    lines = [(float(top), float(bottom)) for top, bottom in
             re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', layout)]
    content = [bottom for top, bottom in lines if height * RUNNING_BAND < (top + bottom) / 2 < height * (1 - RUNNING_BAND)]
    return height, max(content, default=height * RUNNING_BAND)


def _nothing_below(pdf: Path, page: int) -> bool:
    """True when the page shows nothing under its lowest content line (no writing lines, table, picture)."""
    height, bottom = _lowest_line(pdf, page)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "page"
        _run(["pdftoppm", "-gray", "-r", "50", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(target)])
        data = target.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    assert header, f"{pdf.name}: pdftoppm wrote no PGM"
    width, rows = int(header.group(1)), int(header.group(2))
    pixels = data[header.end():]
    scale = rows / height
    first, last = int((bottom + INK_GAP_PT) * scale) + 1, int(height * (1 - RUNNING_BAND) * scale)
    return all(min(pixels[row * width:(row + 1) * width]) >= INK for row in range(first, last))


def _by_kind(converted: Converted) -> Iterator[tuple[str, list[Handout]]]:
    kinds: dict[str, list[Handout]] = {}
    for handout in converted.handouts:
        kinds.setdefault(handout.part.kind, []).append(handout)
    yield from kinds.items()


# --- the tests ----------------------------------------------------------------------------------------


def test_every_sector_loads_and_every_handout_converts_to_a_tagged_pdf(converted: Converted) -> None:
    assert not converted.failures, "\n".join(f"{key}: {why}" for key, why in converted.failures.items())
    problems = [handout.name for handout in converted.handouts
                if handout.pdf.stat().st_size < 1000 or not pdf_info(handout.pdf).tagged]
    assert not problems, f"missing, tiny or untagged PDFs: {problems}"


def test_page_counts_lie_within_bounds_per_kind(converted: Converted) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = []
    for kind, handouts in sorted(_by_kind(converted)):
        counts = sorted((_pages(handout.pdf), handout.name) for handout in handouts)
        summary.append(f"{kind:18} {len(counts):3} files  {counts[0][0]:2}–{counts[-1][0]:2} pages  "
                       f"(fewest: {counts[0][1]}, most: {counts[-1][1]})")
    (ARTIFACTS / "page-counts.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    print("\n".join(summary))
    problems = []
    for handout in converted.handouts:
        low, high = PAGE_BOUNDS[handout.part.kind]
        pages = _pages(handout.pdf)
        if not low <= pages <= high:
            problems.append(f"{handout.name}: {pages} pages, expected {low}–{high} for {handout.part.kind}")
    assert not problems, "\n".join(problems)


def test_footer_page_fields_show_the_real_page_count(converted: Converted) -> None:
    for handout in converted.handouts:
        pages = _page_texts(handout.pdf)
        count = _pages(handout.pdf)
        assert len(pages) == count, handout.name
        assert f"Seite 1 von {count}" in pages[0], handout.name
        assert f"Seite {count} von {count}" in pages[-1], handout.name
        assert "CC BY-SA 4.0" in pages[0] and "Integration durch Qualifizierung" in pages[0], handout.name


def test_no_last_page_is_nearly_empty(converted: Converted) -> None:
    problems = []
    for handout in converted.handouts:
        fill = page_fill(handout.pdf)
        if fill[-1] < MIN_LAST_PAGE_FILL:
            problems.append(f"{handout.name}: last page {len(fill)} filled {fill[-1]:.0%} "
                            f"(pages: {' '.join(f'{value:.2f}' for value in fill)})")
    assert not problems, f"{len(problems)} handouts end on a nearly empty page:\n" + "\n".join(problems)


def test_no_page_ends_with_a_heading_or_an_instruction(converted: Converted) -> None:
    """No page's last line (above the footer) is a heading, or a lead-in with nothing below it on the page.

    The last line comes from ``pdftotext -layout``; headings and lead-ins from the DOCX. A lead-in
    followed on its page by writing lines or an empty table has no text below it, so a lead-in
    counts only when the page shows no ink at all under it.
    """
    problems = []
    for handout in converted.handouts:
        headings, lead_ins = _lead_ins(handout)
        subject = _n(docx.Document(str(handout.docx)).core_properties.subject or "")
        for number, page in enumerate(_page_texts(handout.pdf), start=1):
            line = _last_line(page, subject)
            if line is None:
                continue
            found = "heading" if _ends(line, headings) else "lead-in" if _ends(line, lead_ins) else None
            if found and _nothing_below(handout.pdf, number):
                problems.append(f"{handout.name} page {number}/{_pages(handout.pdf)} ends with the {found} '{line}'")
    assert not problems, f"{len(problems)} pages end with a heading or a lead-in:\n" + "\n".join(problems)


def test_first_page_of_each_kind_is_kept_as_png(converted: Converted) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        if old.stem not in PAGE_BOUNDS:
            old.unlink()
    chosen: dict[str, Handout] = {}
    for handout in sorted(converted.handouts, key=lambda handout: (handout.sector != "pflege", handout.name)):
        chosen.setdefault(handout.part.kind, handout)
    assert set(chosen) == set(PAGE_BOUNDS), f"kinds without a handout: {set(PAGE_BOUNDS) - set(chosen)}"
    for kind, handout in chosen.items():
        target = ARTIFACTS / kind
        _run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(handout.pdf), str(target)])
        assert target.with_suffix(".png").stat().st_size > 10_000, kind
