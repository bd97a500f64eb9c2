"""End to end: a fixture curriculum → executed notebooks (real kernel) → Sphinx book → DOCX handouts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document

from kurswerk.build import BuildReport, build
from kurswerk.exercises import exercises_for
from kurswerk.load import load_sector
from kurswerk.plan import Project

pytestmark = pytest.mark.slow


def text_of(html: Path) -> str:
    """The visible text of a built page (tags removed, whitespace folded)."""
    raw = html.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", raw).split())


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_book_pages_exist(built_fixture: tuple[Project, BuildReport]) -> None:
    project, report = built_fixture
    html = project.html_dir("public")
    assert report.sphinx_runs == ["public", "trainer"]
    for page in ["intro", "lager/index", "lager/kommissionieren", "lager/wareneingang", "lager/schichtwechsel",
                 "lager/vielfalt-im-lager", "lager/glossar", "lager/downloads"]:
        assert (html / f"{page}.html").is_file(), page
    assert '<html lang="de"' in (html / "intro.html").read_text(encoding="utf-8")


def test_module_page_shows_content_not_code(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    page = text_of(project.html_dir("public") / "lager" / "kommissionieren.html")
    for heading in ["Kann-Beschreibungen", "Szenario", "Redemittel", "Wortschatz", "Übungen", "Strategien",
                    "Selbsteinschätzung", "Transfer an den Arbeitsplatz"]:
        assert heading in page
    assert "Weißt du, wo die Handschuhe liegen?" in page
    assert "show_module" not in page and "import" not in page


def test_public_edition_has_no_answer_keys_trainer_edition_has(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    module = load_sector(project.curricula / "lager").module("kommissionieren")
    answers = [item.answer for exercise in exercises_for(module) if not exercise.generated for item in exercise.items]
    assert answers
    public = text_of(project.html_dir("public") / "lager" / "kommissionieren.html")
    trainer = text_of(project.html_dir("trainer") / "lager" / "kommissionieren.html")
    assert "Lösungen" not in public and "Hinweise für Lehrkräfte" not in public
    assert "Lösungen" in trainer and "Hinweise für Lehrkräfte" in trainer
    for answer in answers:
        assert " ".join(answer.split()) in trainer


def test_profile_has_chart_with_alt_text_and_source(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    raw = (project.html_dir("public") / "lager" / "index.html").read_text(encoding="utf-8")
    images = re.findall(r"<img [^>]*>", raw)
    assert images and all('alt="' in image and 'alt=""' not in image for image in images)
    assert "Quelle:" in text_of(project.html_dir("public") / "lager" / "index.html")


def test_downloads_page_links_every_handout(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    html = project.html_dir("public")
    raw = (html / "lager" / "downloads.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.docx)"', raw)
    handouts = sorted(path.name for path in (project.build / "handouts" / "public" / "lager").glob("*.docx"))
    assert handouts
    assert sorted(Path(link).name for link in links) == handouts
    for link in links:
        assert (html / "lager" / link).resolve().is_file()


def test_handouts_contain_the_content(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    public = project.build / "handouts" / "public" / "lager"
    trainer = project.build / "handouts" / "trainer" / "lager"
    worksheet = docx_text(public / "kommissionieren-arbeitsblatt.docx")
    assert "Weißt du, wo die Handschuhe liegen?" in worksheet
    assert "Ich kann einen Auftrag mit dem Scanner bearbeiten." in worksheet
    assert "Lösungen" not in worksheet
    assert "Lösungen" in docx_text(trainer / "kommissionieren-lehrkraft.docx")
    company = docx_text(public / "unternehmen.docx")
    assert "Onboarding" in company


def test_executed_notebooks_hold_no_volatile_metadata(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    notebook = json.loads((project.book_dir("public") / "lager" / "kommissionieren.ipynb").read_text(encoding="utf-8"))
    assert "papermill" not in notebook["metadata"]
    markdown = [cell for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    assert any("## Szenario" in "".join(cell["source"]) for cell in markdown)


def test_noop_rebuild_runs_nothing_and_edit_rebuilds_one_module(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    again = build(project, ["public", "trainer"], jobs=2)
    assert again.rebuilt == 0 and again.sphinx_runs == []
    path = project.curricula / "lager" / "modules" / "schichtwechsel.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Spätschicht", "Nachtschicht", 1), encoding="utf-8")
    seen: list[str] = []
    edited = build(project, ["public"], jobs=2, progress=lambda event, target, result: seen.append(
        f"{event}:{target.id}") if target and event == "start" else None)
    assert sorted(seen) == ["start:public:lager:glossar.docx", "start:public:lager:schichtwechsel",
                            "start:public:lager:schichtwechsel-arbeitsblatt.docx", "start:public:lager:unternehmen.docx"]
    assert edited.sphinx_runs == ["public"]
    assert "Nachtschicht" in text_of(project.html_dir("public") / "lager" / "schichtwechsel.html")
