"""The company handout as HR staff and team leads read it: key points first, next steps last, no course detail.

Each shipped sector's handout is written with the real template and read back with python-docx; one is
converted with LibreOffice to see that the key points are on page 1. The check tests edit a copy of the
fixture curriculum and run ``kurswerk check``'s checks on it.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from conftest import copy_fixture_curricula
from kurswerk.build import BuildReport
from kurswerk.check import run_checks
from kurswerk.check.findings import format_line
from kurswerk.load import load_sector
from kurswerk.model import SectorCurriculum
from kurswerk.packets import plan_parts
from kurswerk.plan import Project
from kurswerk.render.docx import write_part
from kurswerk.render.markdown_text import escape
from kurswerk.render.pages import Download, downloads_page, profile_sections
from kurswerk.render.pdf import convert_to_pdf
from test_pdf import require_tools

ROOT = Path(__file__).resolve().parents[1]
SECTORS = sorted(path.parent.name for path in (ROOT / "curricula").glob("*/sector.yml"))
COURSE_DETAIL = re.compile(r"\bUE\b|Unterrichtseinheit|\(Niveau [ABC][12]\)|Redemittel|Curricul|Szenario-Ansatz|"
                           r"Lehrkr(?:aft|äfte)|Sprachhandlung")


def company_handout(curriculum: SectorCurriculum, folder: Path) -> Path:
    [part] = [part for part in plan_parts(curriculum, "public") if part.kind == "company"]
    return write_part(curriculum, part, folder)


def blocks(document: Document) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of the body in order; a table counts as one block ``("table", text)``."""
    result = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document._body)
            if paragraph.text.strip():
                result.append((paragraph.style.name if paragraph.style else "", paragraph.text))
        elif child.tag == qn("w:tbl"):
            result.append(("table", " ".join(node.text or "" for node in child.iter(qn("w:t")))))
    return result


def sections(document: Document) -> list[str]:
    return [text for style, text in blocks(document) if style == "Heading 1"]


@pytest.fixture(scope="module", params=SECTORS)
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[SectorCurriculum, Path]:
    curriculum = load_sector(ROOT / "curricula" / request.param)
    return curriculum, company_handout(curriculum, tmp_path_factory.mktemp(request.param))


def test_handout_opens_with_the_key_points_in_a_box(written: tuple[SectorCurriculum, Path]) -> None:
    curriculum, path = written
    document = docx.Document(str(path))
    body = blocks(document)
    assert [style for style, _ in body[:2]] == ["Title", "Subtitle"]
    assert body[2] == ("Heading 1", "Das Wichtigste auf einen Blick")
    points = curriculum.sector.company.key_points
    assert 1 <= len(points) <= 5
    assert body[3:3 + len(points)] == [("List Bullet", point) for point in points]
    assert body[3 + len(points)][0] != "List Bullet"
    framed = [paragraph for paragraph in document.paragraphs[:8]
              if paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
    assert [paragraph.text for paragraph in framed] == ["Das Wichtigste auf einen Blick", *points]


def test_handout_ends_with_the_next_steps(written: tuple[SectorCurriculum, Path]) -> None:
    curriculum, path = written
    document = docx.Document(str(path))
    assert sections(document)[-2:] == ["Nächste Schritte", "Quellen"]
    body = blocks(document)
    start = body.index(("Heading 1", "Nächste Schritte")) + 1
    steps = curriculum.sector.company.next_steps
    assert body[start:start + len(steps)] == [("List Number", step) for step in steps]
    assert body[start + len(steps)] == ("Heading 1", "Quellen")


def test_handout_leaves_out_what_only_the_course_needs(written: tuple[SectorCurriculum, Path]) -> None:
    curriculum, path = written
    text = "\n".join(text for _, text in blocks(docx.Document(str(path))))
    assert not COURSE_DETAIL.findall(text), COURSE_DETAIL.findall(text)
    ids = [module.id for module in curriculum.modules if re.search(rf"\b{re.escape(module.id)}\b", text)]
    assert not ids, f"module ids in the company handout: {ids}"
    assert curriculum.sector.summary not in text
    assert all(phrase.text in text for module in curriculum.modules for phrase in module.phrases[:1])


def test_book_shows_the_same_key_points_for_companies() -> None:
    curriculum = load_sector(ROOT / "curricula" / "pflege")
    company = curriculum.sector.company
    page = "\n\n".join(profile_sections(curriculum, []))
    section = page[page.index("## Für Unternehmen"):]
    box = section[section.index("```{admonition} Das Wichtigste auf einen Blick"):]
    box = box[:box.index("\n```", 3)]
    assert [line.removeprefix("- ") for line in box.splitlines()[2:]] == [escape(point) for point in company.key_points]
    steps = section[section.index("### Nächste Schritte"):]
    assert all(f"{number}. {escape(step)}" in steps for number, step in enumerate(company.next_steps, 1))
    handout = Download("Handout für Unternehmen: Pflege", "handouts/public/unternehmen.docx", "…", "public",
                       "20 KB", kind="company", item="pflege")
    downloads = downloads_page(curriculum, [handout])
    companies = downloads[downloads.index("## Für Unternehmen"):]
    assert companies.index("Das Wichtigste auf einen Blick") < companies.index("unternehmen.docx")
    assert all(escape(point) in companies for point in company.key_points)


# --- kurswerk check ----------------------------------------------------------------------------------------


FIXTURE_COMPANY = """company:
  key_points:
    - Für das Deutschniveau gibt es keine gesetzliche Vorgabe.
    - Sicherheitsunterweisungen müssen in einer Sprache erfolgen, die die Beschäftigten verstehen.
    - Eine feste Ansprechperson im Team erleichtert den Start.
  next_steps:
    - Planen Sie die ersten Wochen mit der Checkliste zur Einarbeitung.
    - Weisen Sie auf die Anerkennungsberatung des Netzwerks IQ hin.
"""
STEPS = FIXTURE_COMPANY[FIXTURE_COMPANY.index("  next_steps:"):]


def company_block(points: list[str], steps: str = STEPS) -> str:
    return "company:\n  key_points:" + "".join(f"\n    - {point}" for point in points) + (" []" if not points else "") \
        + "\n" + steps


SIX = [f"Punkt {number} steht hier in einem kurzen Satz." for number in range(1, 7)]
CASES = {
    "six key points": (company_block(SIX), "E-KEY-POINTS", "company.key_points", "  key_points:", "hat 6 Punkte"),
    "no key points": (company_block([]), "E-KEY-POINTS", "company.key_points", "  key_points:", "ist leer"),
    "no next steps": (company_block(["Ein Satz."], "  next_steps: []\n"), "E-NEXT-STEPS", "company.next_steps",
                      "  next_steps:", "ist leer"),
    "no company": ("", "E-MISSING", "company", "id:", "Pflichtangabe fehlt"),
    "two sentences": (company_block(["Das ist eins. Das ist zwei."]), "E-COMPANY-SENTENCE", "company.key_points[0]",
                      "    - Das ist eins", "mehr als einen Satz"),
    "course word": (company_block(["Der Kurs hat 30 UE."]), "E-COMPANY-SENTENCE", "company.key_points[0]",
                    "    - Der Kurs", "„UE“ ist ein Wort aus dem Kurs"),
    "too long": (company_block(["Sehr " * 40 + "lang."]), "E-COMPANY-SENTENCE", "company.key_points[0]",
                 "    - Sehr", "zu lang"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_check_reports_wrong_key_points_with_file_line_and_key(tmp_path: Path, case: str) -> None:
    block, code, key_path, line_start, message = CASES[case]
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    sector = curricula / "lager" / "sector.yml"
    text = sector.read_text(encoding="utf-8")
    assert FIXTURE_COMPANY in text
    sector.write_text(text.replace(FIXTURE_COMPANY, block), encoding="utf-8")
    findings = [finding for finding in run_checks(curricula) if finding.code == code]
    assert len(findings) == 1, [str(finding) for finding in run_checks(curricula)]
    [finding] = findings
    line = next(number for number, row in enumerate(sector.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith(line_start))
    assert (finding.file, finding.line, finding.key_path) == (str(sector), line, key_path)
    assert finding.severity == "error" and message in finding.message
    assert format_line(finding).startswith(f"{sector}:{line}:1: {code} {key_path}: ")


# --- a real word processor ----------------------------------------------------------------------------------


def squeezed(text: str) -> str:
    """Text without white space, hyphens and soft hyphens: a line break or hyphenation in the PDF does not count."""
    return re.sub(r"[\s\-\u00ad]", "", text)


@pytest.mark.slow
def test_key_points_are_on_page_one_of_the_pdf(tmp_path: Path) -> None:
    require_tools()
    curriculum = load_sector(ROOT / "curricula" / "kfz-werkstatt")
    [pdf] = convert_to_pdf([company_handout(curriculum, tmp_path)], tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True,
                           timeout=120).stdout.split("\f")
    first = squeezed(pages[0])
    assert squeezed("Das Wichtigste auf einen Blick") in first
    for point in curriculum.sector.company.key_points:
        assert squeezed(point) in first, point
    assert squeezed("Nächste Schritte") not in first
    rest = squeezed("".join(pages[1:]))
    assert all(squeezed(step) in rest for step in curriculum.sector.company.next_steps)
    assert rest.index(squeezed("Nächste Schritte")) < rest.index(squeezed("Quellen"))


@pytest.mark.slow
def test_built_book_shows_the_key_points_on_the_sector_and_downloads_pages(
        built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    company = load_sector(project.curricula / "lager").sector.company
    for edition in ("public", "trainer"):
        for page in ("index.html", "downloads.html"):
            text = (project.html_dir(edition) / "lager" / page).read_text(encoding="utf-8")
            box = text[text.index('<p class="admonition-title">Das Wichtigste auf einen Blick</p>'):]
            box = box[:box.index("</div>")]
            assert re.findall(r"<li><p>(.*?)</p>", box) == [html.escape(point, quote=False) for point in company.key_points]
        text = (project.html_dir(edition) / "lager" / "index.html").read_text(encoding="utf-8")
        steps = text[text.index('<section id="nachste-schritte">'):]
        assert re.findall(r"<li><p>(.*?)</p>", steps)[:len(company.next_steps)] == list(company.next_steps)
