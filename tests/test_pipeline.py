"""End to end: a fixture curriculum → executed notebooks (real kernel) → Sphinx book → DOCX handouts."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from kurswerk.book import downloads
from kurswerk.build import BuildReport, build
from kurswerk.check.practice import learner_texts
from kurswerk.exercises import exercises_for
from kurswerk.load import load_sector
from kurswerk.plan import Project
from kurswerk.render.pdf import pdf_info

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


def parts_of(path: Path) -> dict[str, bytes]:
    """Every part of a Word package by name (the dates inside the zip left out)."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


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
    order = ["Das lerne ich", "Szenario", "Redemittel", "Wortschatz", "Dokument aus dem Arbeitsalltag", "Strategien",
             "Übungen", "Selbsteinschätzung", "Transfer: Aufgabe für den Arbeitsplatz"]
    positions = [page.find(heading) for heading in order]
    assert -1 not in positions and positions == sorted(positions), "the book keeps the reading order"
    assert "Weißt du, wo die Handschuhe liegen?" in page
    assert "show_module" not in page and "import" not in page


def test_public_edition_has_no_answer_keys_trainer_edition_has(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    module = load_sector(project.curricula / "lager").module("kommissionieren")
    answers = [item.answer for exercise in exercises_for(module) if not exercise.generated for item in exercise.items]
    assert answers
    public = text_of(project.html_dir("public") / "lager" / "kommissionieren.html")
    trainer = text_of(project.html_dir("trainer") / "lager" / "kommissionieren.html")
    assert "Lösungen" not in public and "Unterrichtsplan" not in public
    assert "Lösungen" in trainer and "Unterrichtsplan" in trainer
    for answer in answers:
        assert " ".join(answer.split()) in trainer


def _trainer_only_texts(project: Project) -> list[str]:
    """Every answer-bearing field the plan keeps for trainers: keys, model texts, role cards, leader notes.

    An answer that quotes the module's own public text (a dialogue line the reading task asks for) is
    public by nature and not counted, nor are the answers of matching and gap-fill tasks, which the
    sheet offers as options (the pairing is the task).
    """
    curriculum = load_sector(project.curricula / "lager")
    texts = []
    for module in curriculum.modules:
        public = " ".join(" ".join(learner_texts(module)).split())
        own = [item.answer for exercise in module.exercises if exercise.type not in {"matching", "gap_fill"}
               for item in exercise.items]
        own += [exercise.answer or "" for exercise in module.exercises]
        own += [role.text for exercise in module.exercises for role in exercise.roles]
        own += [phase.phase for phase in module.trainer_notes.timing]
        texts += [text for text in own if " ".join(text.split()).rstrip(".") not in public]
    for training in curriculum.trainings:
        texts += [exercise.answer or "" for exercise in training.exercises] + list(training.trainer_notes)
    return [" ".join(text.split())[:80] for text in texts if len(text.split()) >= 3]


def test_editions_agree_no_trainer_only_field_in_any_public_page_or_handout(
        built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    secrets = _trainer_only_texts(project)
    assert len(secrets) > 20
    public = {page.name: text_of(page) for page in project.html_dir("public").rglob("*.html")}
    public |= {path.name: " ".join(docx_text(path).split())
               for path in (project.build / "handouts" / "public").rglob("*.docx")}
    leaks = [f"{name}: {secret}" for name, text in public.items() for secret in secrets if secret in text]
    assert not leaks, leaks[:5]
    trainer = " ".join(text_of(page) for page in (project.html_dir("trainer") / "lager").glob("*.html"))
    trainer += " ".join(" ".join(docx_text(path).split())
                        for path in (project.build / "handouts" / "trainer").rglob("*.docx"))
    assert all(secret in trainer for secret in secrets), [s for s in secrets if s not in trainer][:5]


def test_role_cards_are_separate_boxes_in_the_trainer_book(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    module = load_sector(project.curricula / "lager").module("kommissionieren")
    role_play = next(exercise for exercise in module.exercises if exercise.roles)
    raw = (project.html_dir("trainer") / "lager" / "kommissionieren.html").read_text(encoding="utf-8")
    boxes = [" ".join(re.sub(r"<[^>]+>", " ", box).split())
             for box in re.findall(r'<div class="[^"]*admonition[^"]*">(.*?)</div>', raw, flags=re.S)]
    cards = [box for box in boxes if box.startswith("Rollenkarte")]
    assert len(cards) >= len(role_play.roles)
    for role in role_play.roles:
        holding = [card for card in cards if " ".join(role.text.split()) in card]
        assert len(holding) == 1, role.role
        others = [other.text for other in role_play.roles if other is not role]
        assert not any(" ".join(other.split()) in holding[0] for other in others)
    public = text_of(project.html_dir("public") / "lager" / "kommissionieren.html")
    assert not any(" ".join(role.text.split()) in public for role in role_play.roles)


def test_profile_without_a_sector_figure_has_no_chart(built_fixture: tuple[Project, BuildReport]) -> None:
    """curricula/data has no figure about the fixture's sector (Lager): its overview draws no chart, no
    figure is written for it, and its facts still show with source and year."""
    project, _ = built_fixture
    page = project.html_dir("public") / "lager" / "index.html"
    raw = page.read_text(encoding="utf-8")
    assert "kurswerk-chart" not in raw and "<img " not in raw.split('<article', 1)[-1].split("</article>", 1)[0]
    text = text_of(page)
    assert "Zahlen und Fakten" in text and "Destatis" in text and "Typische Situationen am Arbeitsplatz" in text


def test_downloads_page_links_every_handout(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    html = project.html_dir("public")
    raw = (html / "lager" / "downloads.html").read_text(encoding="utf-8")
    for suffix in ("docx", "pdf"):
        links = re.findall(rf'href="([^"]+\.{suffix})"', raw)
        handouts = sorted(path.name for path in (project.build / "handouts" / "public" / "lager").glob(f"*.{suffix}"))
        assert handouts
        assert sorted(Path(link).name for link in links) == handouts
        for link in links:
            assert (html / "lager" / link).resolve().is_file()
    text = text_of(html / "lager" / "downloads.html")
    assert re.search(r"als PDF \(\d+ Seiten?, [\d,]+ (KB|MB)\)", text), "PDF links give page count and size"


def test_page_counts_are_read_once_and_again_when_a_pdf_changes(built_fixture: tuple[Project, BuildReport],
                                                                 tmp_path: Path) -> None:
    project, _ = built_fixture
    handouts = tmp_path / "handouts"
    shutil.copytree(project.work / "handouts", handouts)
    curriculum = load_sector(project.curricula / "lager")
    known: dict[str, list[int]] = {}
    entries = downloads(curriculum, "trainer", handouts, known)
    pdfs = sorted(handouts.rglob("*.pdf"))
    assert pdfs and sorted(known) == [str(pdf) for pdf in pdfs]
    real = {Path(entry.path).name: entry.pdf_pages for entry in entries}
    assert all(real[pdf.with_suffix(".docx").name] == pdf_info(pdf).pages > 0 for pdf in pdfs)

    one = pdfs[0]
    known[str(one)][2] = 99  # a recorded count is taken as it is while the file is unchanged
    assert {Path(e.path).name: e.pdf_pages for e in downloads(curriculum, "trainer", handouts, known)}[
        one.with_suffix(".docx").name] == 99
    os.utime(one, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns + 1_000_000_000))
    again = {Path(e.path).name: e.pdf_pages for e in downloads(curriculum, "trainer", handouts, known)}
    assert again[one.with_suffix(".docx").name] == pdf_info(one).pages, "a changed PDF is read again"


def test_handouts_contain_the_content(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    public = project.build / "handouts" / "public" / "lager"
    trainer = project.build / "handouts" / "trainer" / "lager"
    assert "Weißt du, wo die Handschuhe liegen?" in docx_text(public / "kommissionieren-1-input.docx")
    practice = docx_text(public / "kommissionieren-2-uebungen-ohne-hilfe.docx")
    assert "Ich kann einen Auftrag mit dem Scanner bearbeiten." in practice
    assert "Lösungen" not in practice
    assert "Lösungen" in docx_text(trainer / "kommissionieren-4-lehrkraft.docx")
    for name in ("kommissionieren-1-input", "kommissionieren-2-uebungen-mit-hilfe", "unternehmen", "glossar"):
        assert (public / f"{name}.pdf").is_file(), name
    assert (trainer / "kommissionieren-3-karten.pdf").is_file()
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
    handouts = project.build / "handouts" / "public" / "lager"
    parts_before = {docx.name: parts_of(docx) for docx in handouts.glob("schichtwechsel-*.docx")}
    pdfs_before = {pdf.name: pdf.read_bytes() for pdf in handouts.glob("schichtwechsel-*.pdf")}
    path = project.curricula / "lager" / "modules" / "schichtwechsel.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Spätschicht", "Nachtschicht", 1), encoding="utf-8")
    seen: list[str] = []
    edited = build(project, ["public"], jobs=2, progress=lambda event, target, result: seen.append(
        f"{event}:{target.id}") if target and event == "start" else None)
    # The summary is in no sector-wide handout: glossary, word lists and company handout stay.
    assert sorted(seen) == sorted([
        "start:public:lager:schichtwechsel",
        "start:public:lager:schichtwechsel-1-input.docx", "start:public:lager:schichtwechsel-2-uebungen-mit-hilfe.docx",
        "start:public:lager:schichtwechsel-2-uebungen-ohne-hilfe.docx",
        "start:public:lager:schichtwechsel-5-karteikarten.apkg"])
    assert edited.sphinx_runs == ["public"]
    assert "Nachtschicht" in text_of(project.html_dir("public") / "lager" / "schichtwechsel.html")
    # Every handout of the module was written again; only those whose Word file changed went to
    # LibreOffice (a new conversion has a new creation date), the others kept their PDF byte for byte.
    unchanged = {name for name, parts in parts_before.items() if parts_of(handouts / name) == parts}
    assert unchanged and unchanged != set(parts_before), "the edit changes some handouts and not others"
    for name in parts_before:
        pdf = name.replace(".docx", ".pdf")
        assert ((handouts / pdf).read_bytes() == pdfs_before[pdf]) == (name in unchanged), name


def test_a_build_without_pdf_drops_them_and_the_next_brings_them_back(built_fixture: tuple[Project, BuildReport]
                                                                      ) -> None:
    project, _ = built_fixture
    handouts = project.build / "handouts" / "public" / "lager"
    build(project, ["public"], jobs=2, pdf=False)
    assert list(handouts.glob("*.docx")) and not list(handouts.glob("*.pdf")), "no stale PDF beside a new DOCX"
    assert ".pdf" not in (project.html_dir("public") / "lager" / "downloads.html").read_text(encoding="utf-8")
    build(project, ["public"], jobs=2)
    assert {path.stem for path in handouts.glob("*.pdf")} == {path.stem for path in handouts.glob("*.docx")}
    assert "als PDF" in text_of(project.html_dir("public") / "lager" / "downloads.html")
