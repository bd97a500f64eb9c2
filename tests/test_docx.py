"""DOCX handouts: every kind, for every shipped sector, read back with python-docx.

Compared by extracted structure (headings, tables, properties, text), never by bytes — except the
determinism check, which asserts that a second write gives byte-identical files.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from kurswerk.errors import BuildError
from kurswerk.load import load_sector
from kurswerk.model import Edition, SectorCurriculum
from kurswerk.render.docx import (
    TEMPLATE,
    HandoutInfo,
    plan_handouts,
    write_glossary_handout,
    write_module_worksheet,
    write_sector_handouts,
)
from kurswerk.render.docx_base import HandoutDocument
from kurswerk.render.docx_company import glossary_words
from kurswerk.render.docx_xml import AUTHOR, Metadata

ROOT = Path(__file__).resolve().parents[1]
CURRICULA = ROOT / "curricula"
SECTORS = sorted(path.parent.name for path in CURRICULA.glob("*/sector.yml"))
EDITIONS: tuple[Edition, ...] = ("public", "trainer")
FUNDING = "Förderprogramm „Integration durch Qualifizierung (IQ)“ – gefördert durch BMAS und ESF Plus"
W_LANG = f"{qn('w:rPr')}/{qn('w:lang')}"

Built = dict[Edition, dict[str, tuple[HandoutInfo, Path]]]


def _load(sector: str) -> SectorCurriculum:
    folder = CURRICULA / sector
    if not (folder / "sector.yml").exists():
        pytest.skip(f"curricula/{sector}/ is not written yet")
    return load_sector(folder)


@pytest.fixture(scope="module")
def pflege() -> SectorCurriculum:
    return _load("pflege")


def _build(curriculum: SectorCurriculum, out: Path) -> Built:
    built: Built = {}
    for edition in EDITIONS:
        paths = write_sector_handouts(curriculum, out / edition, edition, TEMPLATE)
        infos = plan_handouts(curriculum, edition)
        assert [path.name for path in paths] == [info.file_name for info in infos]
        built[edition] = {info.file_name: (info, path) for info, path in zip(infos, paths, strict=True)}
    return built


@pytest.fixture(scope="module", params=SECTORS or ["pflege"])
def sector_handouts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                    ) -> tuple[SectorCurriculum, Built]:
    curriculum = _load(request.param)
    return curriculum, _build(curriculum, tmp_path_factory.mktemp(f"handouts-{request.param}"))


def _all(built: Built) -> list[tuple[HandoutInfo, Path]]:
    return [entry for edition in EDITIONS for entry in built[edition].values()]


# --- reading a handout back ------------------------------------------------------------------------


def _heading_levels(document: Document) -> list[tuple[int, str]]:
    levels = []
    for paragraph in document.paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Title":
            levels.append((0, paragraph.text))
        elif name.startswith("Heading "):
            levels.append((int(name.split()[1]), paragraph.text))
    return levels


def _all_text(document: Document) -> str:
    """Every paragraph of body and tables, whitespace normalised to single spaces."""
    body = document.element.body
    texts = ["".join(node.text or "" for node in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    return " ".join(" ".join(texts).split())


def _normalised(text: str) -> str:
    return " ".join(text.split())


# --- structure of every handout ---------------------------------------------------------------------


def test_every_kind_is_written(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    public = set(built["public"])
    assert {"unternehmen.docx", "glossar.docx"} <= public
    assert {f"{module.id}-arbeitsblatt.docx" for module in curriculum.modules} <= public
    assert {f"{training.id}-teilnehmende.docx" for training in curriculum.trainings} <= public
    assert set(built["trainer"]) == ({f"{module.id}-lehrkraft.docx" for module in curriculum.modules}
                                     | {f"{training.id}-leitung.docx" for training in curriculum.trainings})
    for _, path in _all(built):
        assert zipfile.is_zipfile(path), path


def test_headings_start_with_the_title_and_never_skip_a_level(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    for info, path in _all(sector_handouts[1]):
        levels = _heading_levels(docx.Document(str(path)))
        assert levels[0] == (0, info.title), path.name
        assert [level for level, _ in levels].count(0) == 1, path.name
        previous = 0
        for level, text in levels[1:]:
            assert 1 <= level <= previous + 1, f"{path.name}: '{text}' jumps from level {previous} to {level}"
            assert text.strip(), f"{path.name}: empty heading"
            previous = level


def test_document_language_and_core_properties(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for info, path in _all(built):
        document = docx.Document(str(path))
        styles = document.styles.element
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_LANG}")
        assert defaults is not None and defaults.get(qn("w:val")) == "de-DE", path.name
        normal = document.styles["Normal"].element.find(W_LANG)
        assert normal is not None and normal.get(qn("w:val")) == "de-DE", path.name
        properties = document.core_properties
        assert properties.language == "de-DE"
        assert properties.title == info.title
        assert properties.author == AUTHOR and properties.last_modified_by == AUTHOR
        assert properties.subject and curriculum.sector.name in properties.subject
        assert curriculum.sector.name in properties.keywords
        assert properties.created == properties.modified == datetime(2000, 1, 1, tzinfo=UTC)
        assert properties.revision == 1


def test_every_picture_has_alt_text_and_the_company_handout_has_a_chart(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for _, path in _all(built):
        body = docx.Document(str(path)).element.body
        for properties in body.iter(qn("wp:docPr")):
            assert (properties.get("descr") or "").strip(), f"{path.name}: picture without alt text"
    company = docx.Document(str(built["public"]["unternehmen.docx"][1]))
    pictures = list(company.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == (1 if curriculum.sector.charts else 0)
    if curriculum.sector.charts and curriculum.sector.charts[0].alt:
        assert pictures[0].get("descr") == curriculum.sector.charts[0].alt


def test_tables_have_repeating_header_rows(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    for _, path in _all(sector_handouts[1]):
        document = docx.Document(str(path))
        assert document.tables, path.name
        for table in document.tables:
            style = table.style.name if table.style is not None else ""
            assert style in {"Kurswerk Tabelle", "Kurswerk Schreiblinien"}, f"{path.name}: table style {style!r}"
            if style == "Kurswerk Tabelle":
                header = table.rows[0]._tr.trPr
                assert header is not None and header.find(qn("w:tblHeader")) is not None, path.name


def test_header_and_footer_carry_title_funding_licence_and_page_numbers(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    for info, path in _all(sector_handouts[1]):
        section = docx.Document(str(path)).sections[0]
        header, footer = section.header._element, section.footer._element
        fields = {field.get(qn("w:instr")).split()[0]: "".join(t.text or "" for t in field.iter(qn("w:t")))
                  for part in (header, footer) for field in part.iter(qn("w:fldSimple"))}
        assert fields["TITLE"] == info.title
        assert {"SUBJECT", "PAGE", "NUMPAGES"} <= set(fields)
        footer_text = " ".join(p.text for p in section.footer.paragraphs)
        assert FUNDING in footer_text and "CC BY-SA 4.0" in footer_text
        assert section.page_width is not None and abs(section.page_width.mm - 210) < 1
        assert section.page_height is not None and abs(section.page_height.mm - 297) < 1


def _longest_answer(answers: list[str]) -> str:
    answers = sorted((answer for answer in answers if len(answer) >= 12), key=len, reverse=True)
    if not answers:
        pytest.skip("no hand-written answer long enough to search for")
    return _normalised(answers[0])


def test_answer_keys_only_in_the_trainer_edition(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        answer = _longest_answer([text for exercise in module.exercises
                                  for text in [exercise.answer or "", *(item.answer for item in exercise.items)]])
        public_document = docx.Document(str(built["public"][f"{module.id}-arbeitsblatt.docx"][1]))
        trainer_document = docx.Document(str(built["trainer"][f"{module.id}-lehrkraft.docx"][1]))
        public, trainer = _all_text(public_document), _all_text(trainer_document)
        assert answer not in public, f"{module.id}: answer key text in the public worksheet"
        assert answer in trainer, f"{module.id}: answer key text missing in the trainer worksheet"
        trainer_only = {"Lösungen", "Hinweise für Lehrkräfte"}
        assert not trainer_only & {text for _, text in _heading_levels(public_document)}
        assert trainer_only <= {text for _, text in _heading_levels(trainer_document)}
        assert _normalised(module.trainer_notes.timing[0].phase) in trainer
    for training in curriculum.trainings:
        answer = _longest_answer([exercise.answer or "" for exercise in training.exercises])
        public = _all_text(docx.Document(str(built["public"][f"{training.id}-teilnehmende.docx"][1])))
        trainer = _all_text(docx.Document(str(built["trainer"][f"{training.id}-leitung.docx"][1])))
        assert answer not in public and answer in trainer, training.id


def test_worksheet_has_every_section_of_the_content_guide(pflege: SectorCurriculum, tmp_path: Path) -> None:
    module = pflege.ordered_modules[0]
    path = write_module_worksheet(pflege, module, "trainer", tmp_path / "w.docx", TEMPLATE)
    document = docx.Document(str(path))
    top = [text for level, text in _heading_levels(document) if level == 1]
    assert top[:3] == ["Das lerne ich", "Szenario", "Redemittel"]
    assert top[3] == "Wortschatz" and top[4].startswith("Dokument aus dem Arbeitsalltag")
    assert top[5:9] == ["Übungen", "Strategien", "Selbsteinschätzung", "Transfer: Aufgabe für den Arbeitsplatz"]
    assert top[-2:] == ["Lösungen", "Hinweise für Lehrkräfte"]
    text = _all_text(document)
    for needle in [module.can_do[0], module.scenario.steps[0].task, module.phrases[0].text,
                   module.vocabulary[0].example, "Das kann ich gut", "mit Hilfe", "noch nicht", "☐"]:
        assert _normalised(needle) in text


def test_company_handout_has_safety_note_checklists_and_rewrites(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    text = _all_text(docx.Document(str(built["public"]["unternehmen.docx"][1])))
    assert "§ 12" in text and "ArbSchG" in text
    for training in curriculum.trainings:
        for checklist in training.checklists:
            assert _normalised(checklist.items[0]) in text
        for exercise in training.exercises:
            for rewrite in exercise.rewrites:
                assert _normalised(rewrite.after) in text


def test_glossary_lists_every_word(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    document = docx.Document(str(built["public"]["glossar.docx"][1]))
    lemmas = {table.cell(row, 1).text for table in document.tables for row in range(1, len(table.rows))}
    assert {word.lemma for word in glossary_words(curriculum)} == lemmas


# --- determinism, literal text, guards ----------------------------------------------------------------


def test_second_write_is_byte_identical(pflege: SectorCurriculum, tmp_path: Path) -> None:
    first = _build(pflege, tmp_path / "first")
    second = _build(pflege, tmp_path / "second")
    for edition in EDITIONS:
        for name, (_, path) in first[edition].items():
            assert path.read_bytes() == second[edition][name][1].read_bytes(), name


def test_source_date_epoch_sets_the_creation_date(pflege: SectorCurriculum, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_glossary_handout(pflege, tmp_path / "g.docx", TEMPLATE)
    created = docx.Document(str(path)).core_properties.created
    assert created is not None and created.replace(tzinfo=UTC) == datetime.fromtimestamp(1700000000, UTC)


def test_user_text_stays_literal(pflege: SectorCurriculum, tmp_path: Path) -> None:
    tricky = 'Übergabe <b>fett</b> & "Zitat" {{ var }} <!-- x --> ]]>'
    module = pflege.ordered_modules[0]
    changed = module.model_copy(update={"title": tricky, "summary": "Zeile 1\nZeile 2\n\nAbsatz 2"})
    path = write_module_worksheet(pflege, changed, "public", tmp_path / "t.docx", TEMPLATE)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == tricky
    assert document.core_properties.title == tricky
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Zeile 1\nZeile 2" in texts and "Absatz 2" in texts


def test_heading_levels_cannot_jump(tmp_path: Path) -> None:
    handout = HandoutDocument(TEMPLATE, Metadata("T", "S", ("k",), "c", "d"))
    handout.title("T", "S")
    handout.heading("Eins", 1)
    with pytest.raises(BuildError, match="heading level 3"):
        handout.heading("Drei", 3)


def test_missing_template_is_a_build_error(pflege: SectorCurriculum, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="cannot open the Word template"):
        write_glossary_handout(pflege, tmp_path / "g.docx", tmp_path / "missing.docx")


def test_file_names_are_unique_across_editions(pflege: SectorCurriculum) -> None:
    names = [info.file_name for edition in EDITIONS for info in plan_handouts(pflege, edition)]
    assert len(names) == len(set(names))
    assert all(info.label and info.description for edition in EDITIONS for info in plan_handouts(pflege, edition))


# --- the template ----------------------------------------------------------------------------------


def test_template_carries_the_styles_a_designer_edits() -> None:
    document = docx.Document(str(TEMPLATE))
    names = {style.name for style in document.styles}
    assert {"Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number",
            "Caption", "Kurswerk Tabelle", "Kurswerk Schreiblinien", "Tabellentext", "Tabellenkopf", "Kasten",
            "Hinweis", "Dialog", "Checkliste", "Kästchen"} <= names
    table_style = document.styles["Kurswerk Tabelle"].element
    first_row = table_style.find(f"{qn('w:tblStylePr')}[@{qn('w:type')}='firstRow']")
    assert first_row is not None and first_row.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None
    section = document.sections[0]
    assert section.page_width is not None and abs(section.page_width.mm - 210) < 1


def test_template_script_writes_a_template_python_docx_can_use(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_handout_template", ROOT / "tools" / "make_handout_template.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    first = script.write_template(tmp_path / "a.docx")
    second = script.write_template(tmp_path / "b.docx")
    assert first.read_bytes() == second.read_bytes()
    handout = HandoutDocument(first, Metadata("T", "S", ("k",), "c", "d"))
    handout.title("T", "S")
    handout.heading("Eins", 1)
    handout.table(["A", "B"], [["1", "2"]], [0.5, 0.5])
    handout.save(tmp_path / "out.docx")
    assert docx.Document(str(tmp_path / "out.docx")).tables[0].style.name == "Kurswerk Tabelle"
