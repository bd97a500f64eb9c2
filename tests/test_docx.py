"""DOCX handouts: every part of the packet, for every shipped sector, read back with python-docx.

The plan (:mod:`kurswerk.packets`): per module an input sheet, two practice sheets (with and
without help), cut-out cards and a trainer file; per training a participants' handout, a leader's
edition and cut-out material; per sector a company handout and a glossary. Compared by extracted
structure (headings, tables, properties, text), never by bytes — except the determinism check,
which asserts that a second write gives byte-identical files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from conftest import WORD_LISTS_WRITTEN, ShippedHandouts, written_parts
from kurswerk.errors import BuildError
from kurswerk.exercises import role_names
from kurswerk.glossary import glossary_words
from kurswerk.load import load_sector
from kurswerk.model import DocumentField, Edition, Exercise, Module, SectorCurriculum, WorkplaceDocument
from kurswerk.packets import (
    HELP_LEVELS,
    WORDS_PER_LINE,
    HelpLevel,
    Part,
    PracticeExercise,
    module_parts,
    plan_parts,
    practice_exercises,
    writing_lines,
)
from kurswerk.render.docx import TEMPLATE, write_part, write_sector_handouts
from kurswerk.render.docx_base import HandoutDocument
from kurswerk.render.docx_xml import AUTHOR, Metadata

ROOT = Path(__file__).resolve().parents[1]
CURRICULA = ROOT / "curricula"
SECTORS = sorted(path.parent.name for path in CURRICULA.glob("*/sector.yml"))
EDITIONS: tuple[Edition, ...] = ("public", "trainer")
FUNDING = "Förderprogramm „Integration durch Qualifizierung (IQ)“ – gefördert durch BMAS und ESF Plus"
W_LANG = f"{qn('w:rPr')}/{qn('w:lang')}"
MODULE_KINDS = {"input", "practice", "cards", "trainer"}
KIND_LABELS: dict[tuple[str, HelpLevel | None], str] = {
    ("input", None): "Inputblatt",
    ("practice", "mit-hilfe"): "Übungsblatt mit Hilfen",
    ("practice", "ohne-hilfe"): "Übungsblatt ohne Hilfen",
    ("cards", None): "Karten zum Ausschneiden",
    ("trainer", None): "Für Lehrkräfte",
    ("participants", None): "Handout für Teilnehmende",
    ("leader", None): "Für die Leitung",
    ("training-material", None): "Material",
}
"""The kind label after the title in a module or training part's core title: ``<title> – <label>``."""
INPUT_SECTIONS = ["Das lerne ich", "Szenario", "Redemittel", "Wortschatz"]
PRACTICE_SECTIONS = ["Übungen", "Selbsteinschätzung", "Transfer: Aufgabe für den Arbeitsplatz"]
TRAINER_ONLY = {"Lösungen", "Mustertexte und Erwartungshorizont", "Transkripte", "Unterrichtsplan"}
UNSTYLED = {"", "Normal Table"}
"""What python-docx reports for a table drawn without a table style (cards, a notice's frame)."""
ORDER_KEY = "Zeilen in dieser Folge: "

Built = dict[Edition, dict[str, tuple[Part, Path]]]


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
        parts = plan_parts(curriculum, edition)
        assert [path.name for path in paths] == [part.file_name for part in parts]
        built[edition] = {part.file_name: (part, path) for part, path in zip(parts, paths, strict=True)
                          if part.is_document}
    return built


@pytest.fixture(scope="module", params=SECTORS or ["pflege"])
def sector_handouts(request: pytest.FixtureRequest, shipped_handouts: ShippedHandouts
                    ) -> tuple[SectorCurriculum, Built]:
    """A shipped sector and its handouts as the build writes them (written once per session, see conftest)."""
    if request.param not in shipped_handouts.curricula:
        pytest.fail(f"{request.param}: {shipped_handouts.failures.get(request.param, 'not written')}")
    curriculum = shipped_handouts.curricula[request.param]
    built: Built = {}
    for edition in EDITIONS:
        folder = shipped_handouts.folder(request.param, edition)
        built[edition] = {part.file_name: (part, folder / part.file_name)
                          for part in written_parts(curriculum, edition) if part.is_document}
    return curriculum, built


def _all(built: Built) -> list[tuple[Part, Path]]:
    return [entry for edition in EDITIONS for entry in built[edition].values()]


def _module_files(built: Built, module: Module) -> dict[str, Path]:
    """Return the files of one module by suffix: ``1-input``, ``2-uebungen-mit-hilfe``, …, ``4-lehrkraft``."""
    return {path.stem.removeprefix(f"{module.id}-"): path for edition in EDITIONS
            for part, path in built[edition].values() if part.item == module.id and part.kind in MODULE_KINDS}


def _with_module(curriculum: SectorCurriculum, module: Module) -> SectorCurriculum:
    """Return the curriculum with ``module`` in place of the module of the same id."""
    modules = [module if other.id == module.id else other for other in curriculum.modules]
    return curriculum.model_copy(update={"modules": modules})


# --- reading a handout back ------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _read(path: Path) -> Document:
    """The parsed handout (the tests only read it); one sector's files stay cached at a time."""
    return docx.Document(str(path))


def _n(text: str) -> str:
    return " ".join(text.split())


def _text_of(element: Any) -> str:
    """Every paragraph's text in an XML element, whitespace normalised to single spaces."""
    return _n(" ".join("".join(node.text or "" for node in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))))


@cache
def _all_text(path: Path) -> str:
    """Every paragraph of body and tables of a handout, whitespace normalised to single spaces."""
    return _text_of(_read(path).element.body)


def _has(text: str, phrase: str) -> bool:
    """True when ``phrase`` stands in ``text`` as whole words ("5 Milliliter" is not in "25 Milliliter")."""
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def _style(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def _table_style(table: Table) -> str:
    return table.style.name if table.style is not None else ""


def _heading_levels(document: Document) -> list[tuple[int, str]]:
    levels = []
    for paragraph in document.paragraphs:
        name = _style(paragraph)
        if name == "Title":
            levels.append((0, paragraph.text))
        elif name.startswith("Heading "):
            levels.append((int(name.split()[1]), paragraph.text))
    return levels


def _headings(path: Path, level: int | None = None) -> list[str]:
    return [text for found, text in _heading_levels(_read(path)) if level is None or found == level]


def _below(path: Path, heading: str) -> list[str]:
    """The headings one level below ``heading`` up to the next heading of its level or above."""
    levels = _heading_levels(_read(path))
    start = next(index for index, (_, text) in enumerate(levels) if text == heading)
    own = levels[start][0]
    found = []
    for level, text in levels[start + 1:]:
        if level <= own:
            break
        if level == own + 1:
            found.append(text)
    return found


def _section(path: Path, heading: str) -> list[Paragraph | Table]:
    """The paragraphs and tables after the heading ``heading`` up to the next heading of any level."""
    blocks: list[Paragraph | Table] = []
    inside = False
    for block in _read(path).iter_inner_content():
        if isinstance(block, Paragraph) and _style(block).startswith("Heading "):
            if inside:
                break
            inside = block.text == heading
        elif inside:
            blocks.append(block)
    assert inside, f"{path.name}: no heading '{heading}'"
    return blocks


def _section_text(blocks: Sequence[Paragraph | Table]) -> str:
    return _n(" ".join(_text_of(block._element) for block in blocks))


def _tables(blocks: Sequence[Paragraph | Table], style: str | None = None) -> list[Table]:
    return [block for block in blocks if isinstance(block, Table) and (style is None or _table_style(block) == style)]


def _cells(table: Table) -> Iterator[str]:
    """The normalised text of every cell of a table (row by row, merged cells once)."""
    for tr in table._tbl.tr_lst:
        for tc in tr.tc_lst:
            yield _text_of(tc)


def _column(table: Table, column: int) -> list[str]:
    return [_text_of(tr.tc_lst[column]) for tr in table._tbl.tr_lst]


def _header_rows(table: Table) -> list[int]:
    return [index for index, tr in enumerate(table._tbl.tr_lst)
            if tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None]


def _border_values(table: Table) -> set[str | None]:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return set() if borders is None else {edge.get(qn("w:val")) for edge in borders}


def _core_title(part: Part) -> str:
    if part.kind in ("company", "glossary", "wordlist"):
        return part.title
    return f"{part.title} – {KIND_LABELS[(part.kind, part.help)]}"


def _practice(module: Module, level: HelpLevel) -> dict[str, PracticeExercise]:
    """The exercises of a practice sheet by exercise id."""
    return {practice.exercise.id: practice for practice in practice_exercises(module, level)}


def _exercise_heading(practice: PracticeExercise) -> str:
    return f"Übung {practice.number}: {practice.exercise.title}"


def _writing_rows(blocks: Sequence[Paragraph | Table]) -> int:
    """Rows of the last block of writing lines in ``blocks`` (0 when there is none)."""
    lines = _tables(blocks, "Kurswerk Schreiblinien")
    return len(lines[-1].rows) if lines else 0


# --- structure of every handout ---------------------------------------------------------------------


def test_every_part_of_the_packet_is_written(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    modules, trainings = [module.id for module in curriculum.modules], [training.id for training in curriculum.trainings]
    assert set(built["public"]) == ({f"{m}-{suffix}.docx" for m in modules
                                     for suffix in ("1-input", "2-uebungen-mit-hilfe", "2-uebungen-ohne-hilfe")}
                                    | {f"{t}-teilnehmende.docx" for t in trainings} | {"unternehmen.docx", "glossar.docx"}
                                    | {f"wortliste-{code}.docx" for code in WORD_LISTS_WRITTEN})
    assert set(built["trainer"]) == ({f"{m}-{suffix}.docx" for m in modules for suffix in ("3-karten", "4-lehrkraft")}
                                     | {f"{t}-{suffix}.docx" for t in trainings for suffix in ("leitung", "material")})
    for part, path in _all(built):
        assert zipfile.is_zipfile(path), path
        assert part.label and part.description, path.name
    names = sorted(name for edition in EDITIONS for name in built[edition])
    for module in modules:
        own = [name for name in names if name.startswith(f"{module}-") and name.removeprefix(f"{module}-")[0].isdigit()]
        assert own == [f"{module}-{suffix}.docx" for suffix in ("1-input", "2-uebungen-mit-hilfe",
                                                                "2-uebungen-ohne-hilfe", "3-karten", "4-lehrkraft")]
        assert names.index(own[-1]) - names.index(own[0]) == len(own) - 1, f"{module}: parts do not sort together"


def test_title_subtitle_and_headings_never_skip_a_level(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    for part, path in _all(sector_handouts[1]):
        document = _read(path)
        first, second = document.paragraphs[0], document.paragraphs[1]
        assert (_style(first), first.text) == ("Title", part.title), path.name
        assert _style(second) == "Subtitle", path.name
        if part.kind not in ("company", "glossary", "wordlist"):
            assert second.text == part.subtitle, path.name
        levels = _heading_levels(document)
        assert [level for level, _ in levels].count(0) == 1, path.name
        previous = 0
        for level, text in levels[1:]:
            assert 1 <= level <= previous + 1, f"{path.name}: '{text}' jumps from level {previous} to {level}"
            assert text.strip(), f"{path.name}: empty heading"
            previous = level


def test_document_language_and_core_properties(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for part, path in _all(built):
        document = _read(path)
        styles = document.styles.element
        defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{W_LANG}")
        assert defaults is not None and defaults.get(qn("w:val")) == "de-DE", path.name
        normal = document.styles["Normal"].element.find(W_LANG)
        assert normal is not None and normal.get(qn("w:val")) == "de-DE", path.name
        properties = document.core_properties
        assert properties.language == "de-DE"
        assert properties.title == _core_title(part), path.name
        assert properties.category == part.label.split(":")[0], path.name
        assert properties.author == AUTHOR and properties.last_modified_by == AUTHOR
        assert properties.subject and curriculum.sector.name in properties.subject
        assert curriculum.sector.name in properties.keywords
        assert properties.created == properties.modified == datetime(2000, 1, 1, tzinfo=UTC)
        assert properties.revision == 1


def test_every_picture_has_alt_text_and_the_company_handout_has_a_chart(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for _, path in _all(built):
        for properties in _read(path).element.body.iter(qn("wp:docPr")):
            assert (properties.get("descr") or "").strip(), f"{path.name}: picture without alt text"
    company = _read(built["public"]["unternehmen.docx"][1])
    pictures = list(company.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == (1 if curriculum.sector.charts else 0)
    if curriculum.sector.charts and curriculum.sector.charts[0].alt:
        assert pictures[0].get("descr") == curriculum.sector.charts[0].alt


def test_tables_are_styled_and_header_rows_repeat(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    """Data tables repeat their header row; a form's fields, writing lines and cut-out cards have none.

    A "Kurswerk Tabelle" either starts with one repeating header row in the header style, or is a
    form's field table (labels in the first column, no header). Writing lines are one empty column.
    Only two tables go without a table style: cards (dashed cut lines, only in the cut-out files)
    and the framed Aushang of a notice document.
    """
    curriculum, built = sector_handouts
    for part, path in _all(built):
        document = _read(path)
        assert document.tables, path.name
        module = curriculum.module(part.item) if part.kind in MODULE_KINDS else None
        for table in document.tables:
            style, headers = _table_style(table), _header_rows(table)
            where = f"{path.name}: table {_n(table.rows[0].cells[0].text)[:30]!r}"
            if style == "Kurswerk Tabelle" and headers:
                assert headers == [0], f"{where}: header rows {headers}"
                header = table._tbl.tr_lst[0].trPr
                assert header is not None and header.find(qn("w:cantSplit")) is not None, where
                assert {_style(p) for cell in table.rows[0].cells for p in cell.paragraphs} == {"Tabellenkopf"}, where
            elif style == "Kurswerk Tabelle":
                assert module is not None and part.kind in ("input", "practice"), f"{where}: no header row"
                assert len(table.columns) == 2, where
                assert _column(table, 0) == [_n(field.label) for field in module.document.fields], where
            elif style == "Kurswerk Schreiblinien":
                assert len(table.columns) == 1 and not any(_cells(table)), where
            else:
                assert style in UNSTYLED, f"{where}: table style {style!r}"
                assert not headers, where
                if _border_values(table) == {"dashed"}:
                    assert part.kind in ("cards", "training-material"), f"{where}: cut-out cards in a {part.kind} file"
                else:
                    assert _border_values(table) == {"single"}, f"{where}: unstyled table without a frame"
                    assert module is not None and module.document.kind == "notice", f"{where}: frame of a non-notice"
                    assert len(table.rows) == len(table.columns) == 1, where


def test_a_form_without_header_row_does_not_look_like_one(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    """A form's field table has no header row, so the table style must not shade its first field as one."""
    problems = []
    for _, path in _all(sector_handouts[1]):
        for table in _read(path).tables:
            if _table_style(table) == "Kurswerk Tabelle" and not _header_rows(table):
                look = table._tbl.tblPr.find(qn("w:tblLook"))
                if look is None or look.get(qn("w:firstRow")) != "0":
                    problems.append(f"{path.name}: field '{_column(table, 0)[0]}' drawn in the header look "
                                    "(w:tblLook firstRow is not 0)")
    assert not problems, "\n".join(problems)


def test_header_and_footer_carry_title_funding_licence_and_page_numbers(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    for part, path in _all(sector_handouts[1]):
        section = _read(path).sections[0]
        header, footer = section.header._element, section.footer._element
        fields = {field.get(qn("w:instr")).split()[0]: "".join(t.text or "" for t in field.iter(qn("w:t")))
                  for element in (header, footer) for field in element.iter(qn("w:fldSimple"))}
        assert fields["TITLE"] == _core_title(part), path.name
        assert {"SUBJECT", "PAGE", "NUMPAGES"} <= set(fields)
        footer_text = " ".join(p.text for p in section.footer.paragraphs)
        assert FUNDING in footer_text and "CC BY-SA 4.0" in footer_text
        assert section.page_width is not None and abs(section.page_width.mm - 210) < 1
        assert section.page_height is not None and abs(section.page_height.mm - 297) < 1


# --- answers only for trainers ------------------------------------------------------------------------


def test_answer_keys_only_in_the_trainer_files(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    """Model texts and keys are in the trainer file and in no public file; open answers not on a practice sheet.

    Matching answers are the options printed on the sheet, and the input sheet is where reading
    answers are found, so those are only required in the trainer file.
    """
    curriculum, built = sector_handouts
    public = {name: _all_text(path) for name, (_, path) in built["public"].items()}
    for name, (_, path) in built["public"].items():
        assert not TRAINER_ONLY & set(_headings(path)), f"{name}: trainer section in a public file"
    for module in curriculum.modules:
        files = _module_files(built, module)
        trainer = _all_text(files["4-lehrkraft"])
        sheets = [_all_text(files[f"2-uebungen-{level}"]) for level in HELP_LEVELS]
        assert {"Lösungen", "Unterrichtsplan"} <= set(_headings(files["4-lehrkraft"]))
        assert _n(module.trainer_notes.timing[0].phase) in trainer
        for exercise in module.exercises:
            if exercise.answer:
                answer = _n(exercise.answer)
                assert answer in trainer, f"{module.id}/{exercise.id}: model text missing in the trainer file"
                leaked = [name for name, text in public.items() if answer in text]
                assert not leaked, f"{module.id}/{exercise.id}: model text in public files {leaked}"
            for item in exercise.items:
                answer = _n(item.answer)
                if len(answer) < 12 or exercise.type == "ordering":
                    continue
                assert answer in trainer, f"{module.id}/{exercise.id}: key '{answer}' missing in the trainer file"
                if exercise.type != "matching":
                    assert not any(_has(sheet, answer) for sheet in sheets), f"{module.id}/{exercise.id}: key on the sheet"
    for training in curriculum.trainings:
        participants = _all_text(built["public"][f"{training.id}-teilnehmende.docx"][1])
        leader = _all_text(built["trainer"][f"{training.id}-leitung.docx"][1])
        answers = [_n(exercise.answer) for exercise in training.exercises if exercise.answer]
        assert answers, f"{training.id}: no answer to look for"
        for answer in answers:
            assert answer in leader and answer not in participants, training.id


def test_ordering_keys_give_the_lines_in_the_right_order(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    """The key of an ordering exercise gives, for each printed line, the number a learner writes next to it
    ("1 → 3 · 2 → 1 …"), and the lines in reading order."""
    curriculum, built = sector_handouts
    problems = []
    for module in curriculum.modules:
        trainer = _all_text(_module_files(built, module)["4-lehrkraft"])
        for practice in practice_exercises(module, "ohne-hilfe"):
            if practice.exercise.kind != "ordering":
                continue
            positions = []
            for item in practice.exercise.items:
                position = re.match(r"\s*(\d+)", item.answer)
                assert position, f"{module.id}: ordering answer without a position: {item.answer!r}"
                positions.append(int(position.group(1)))
            assert positions != sorted(positions), f"{module.id}: the sheet prints the lines in the right order"
            lines = sorted(range(len(positions)), key=positions.__getitem__)
            per_line = " · ".join(f"{index + 1} → {position}" for index, position in enumerate(positions))
            expected = _n(f"{_exercise_heading(practice)} {per_line} ({ORDER_KEY}{' – '.join(str(i + 1) for i in lines)})")
            if expected not in trainer:
                problems.append(f"{module.id}-4-lehrkraft.docx: '{expected}' missing")
    assert not problems, "\n".join(problems)


def test_input_sheet_follows_the_content_guide(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        path = _module_files(built, module)["1-input"]
        top = _headings(path, 1)
        expected = [*INPUT_SECTIONS, f"Dokument aus dem Arbeitsalltag: {module.document.type}", "Strategien"]
        assert top == expected + (["Quellen"] if module.sources else []), path.name
        steps = module.scenario.steps
        assert _below(path, "Szenario") == [f"Schritt {number}: {step.title}" for number, step in enumerate(steps, 1)]
        assert _below(path, "Strategien") == [strategy.title for strategy in module.strategies]
        text = _all_text(path)
        document = module.document
        needles = [module.summary, *module.can_do, module.scenario.setting, *(step.task for step in steps),
                   *(line.text for step in steps for line in step.dialogue), *(phrase.text for phrase in module.phrases),
                   *(item.example for item in module.vocabulary),
                   document.subject or "" if document.kind == "letter" else document.title]
        missing = [needle for needle in needles if _n(needle) not in text]
        assert not missing, f"{path.name}: missing {missing[:3]}"
        headers = [_column(table, 0)[0] for table in _read(path).tables if _header_rows(table)]
        assert "Sprachhandlung" in headers and "Artikel" in headers, path.name


def test_practice_sheets_have_exercises_self_assessment_and_transfer_but_no_key(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        files = _module_files(built, module)
        numbered = {}
        for level in HELP_LEVELS:
            path = files[f"2-uebungen-{level}"]
            assert _headings(path, 1) == PRACTICE_SECTIONS, path.name
            exercises = practice_exercises(module, level)
            assert _below(path, "Übungen") == [_exercise_heading(practice) for practice in exercises], path.name
            numbered[level] = [(practice.number, practice.exercise.id) for practice in exercises]
            assert not {"Lösungen", "Wortschatz", "Redemittel"} & set(_headings(path)), path.name
            text = _all_text(path)
            for needle in [*module.can_do, module.transfer.task, "Das kann ich gut", "mit Hilfe", "noch nicht", "☐",
                           "Name:", "Datum:", "Meine Notizen:"]:
                assert _n(needle) in text, f"{path.name}: missing {needle!r}"
            for practice in exercises:
                section = _section_text(_section(path, _exercise_heading(practice)))
                assert _n(practice.exercise.instruction) in section, f"{path.name}: {practice.exercise.id}"
                if practice.role_cards:
                    assert all(_n(name) in section for name in practice.role_cards), f"{path.name}: roles not named"
        assert numbered["mit-hilfe"] == numbered["ohne-hilfe"], f"{module.id}: the levels number exercises differently"


def test_trainer_file_starts_with_the_lesson_plan_and_does_not_repeat_the_input_sheet(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        files = _module_files(built, module)
        path = files["4-lehrkraft"]
        levels = _heading_levels(_read(path))
        assert levels[1] == (1, "Unterrichtsplan"), path.name
        top = _headings(path, 1)
        assert "Lösungen" in top and "Transkripte" in top, path.name
        assert top.index("Unterrichtsplan") < top.index("Lösungen") < top.index("Transkripte"), path.name
        repeated = [text for text in top if text in {*INPUT_SECTIONS, "Strategien"}
                    or text.startswith("Dokument aus dem Arbeitsalltag")]
        assert not repeated, f"{path.name}: repeats the input sheet's {repeated}"
        text = _all_text(path)
        quoted = " ".join([*(line.text for step in module.scenario.steps for line in step.dialogue),
                           *(exercise.answer or "" for exercise in module.exercises),
                           *(item.answer for practice in practice_exercises(module, "ohne-hilfe")
                             for item in practice.exercise.items),
                           *module.trainer_notes.notes, *module.trainer_notes.material])
        examples = [item.example for item in module.vocabulary if _n(item.example) not in _n(quoted)]
        assert not [example for example in examples if _n(example) in text], f"{path.name}: vocabulary examples"
        assert _n(module.scenario.setting) not in text, f"{path.name}: repeats the scenario"
        headers = [_column(table, 0)[0] for table in _read(path).tables]
        assert "Artikel" not in headers and "Sprachhandlung" not in headers, path.name
        plan = next(table for table in _read(path).tables if _column(table, 0)[0] == "Phase")
        total = sum(phase.minutes for phase in module.trainer_notes.timing)
        assert [_n(cell.text) for cell in plan.rows[-1].cells[:2]] == ["Gesamt", str(total)], path.name
        for suffix in ("1-input", "2-uebungen-mit-hilfe", "2-uebungen-ohne-hilfe", "3-karten"):
            assert files[suffix].name in text, f"{path.name}: material list lacks {files[suffix].name}"
        transcripts = [f"Schritt {number}: {step.title}" for number, step in enumerate(module.scenario.steps, 1)
                       if step.dialogue]
        assert _below(path, "Transkripte") == transcripts, path.name
        assert all(_n(line.text) in text for step in module.scenario.steps for line in step.dialogue), path.name


# --- cut-out cards -------------------------------------------------------------------------------------


def test_every_role_has_exactly_one_card_of_its_own(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        path = _module_files(built, module)["3-karten"]
        cells = [cell for table in _read(path).tables for cell in _cells(table)]
        roles = [(exercise, name, _n(role.text)) for exercise in module.exercises
                 for name, role in zip(role_names(exercise), exercise.roles, strict=True)]
        for exercise, name, text in roles:
            cards = [cell for cell in cells if text in cell]
            assert len(cards) == 1, f"{path.name}: {len(cards)} cards for {exercise.id} {name}"
            assert f"Rollenkarte {_n(name)}" in cards[0], f"{path.name}: card of {name} not headed with its role"
            others = [other for _, other_name, other in roles if other != text and other in cards[0]]
            assert not others, f"{path.name}: the card of {exercise.id} {name} also shows another role"
        headings = _headings(path, 1)
        for exercise in (exercise for exercise in module.exercises if exercise.roles):
            assert f"Rollenkarten: {exercise.title}" in headings, path.name
            assert f"Beobachtungsbogen: {exercise.title}" in _below(path, f"Rollenkarten: {exercise.title}")
        assert headings[-2:] == ["Redemittelkarten", "Wortkarten"], path.name
        for phrase in module.phrases:
            assert any(_n(phrase.text) in cell for cell in cells), f"{path.name}: no card for {phrase.text!r}"
        for item in module.vocabulary:
            assert any(cell.startswith(_n(item.headword)) for cell in cells), \
                f"{path.name}: no word card for {item.headword!r}"


def test_cards_have_dashed_cut_lines_and_never_break(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    for part, path in _all(built):
        if part.kind not in ("cards", "training-material"):
            continue
        document = _read(path)
        cards = [table for table in document.tables if _table_style(table) in UNSTYLED]
        assert cards or part.kind == "training-material", f"{path.name}: no cards"
        for table in cards:
            assert _border_values(table) == {"dashed"}, f"{path.name}: cards without dashed cut lines"
            for tr in table._tbl.tr_lst:
                assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None, path.name
        if cards:
            assert "✂" in _all_text(path) and "gestrichelten Linien" in _all_text(path), path.name
    for training in curriculum.trainings:
        path = built["trainer"][f"{training.id}-material.docx"][1]
        text = _all_text(path)
        assert "Feedbackbogen" in _headings(path, 1)
        for exercise in training.exercises:
            if exercise.situation:
                assert _n(exercise.situation) in text, f"{path.name}: no card for {exercise.id}"
        assert all(_n(question) in text for question in training.evaluation), path.name


def test_public_files_never_show_a_role_card(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    roles = [(module.id, exercise.id, _n(role.text)) for module in curriculum.modules
             for exercise in module.exercises for role in exercise.roles]
    assert roles, "no role play to look for"
    for name, (_, path) in built["public"].items():
        text = _all_text(path)
        leaked = [f"{module}/{exercise}" for module, exercise, role in roles if role in text]
        assert not leaked, f"{name}: role card text of {leaked}"


# --- writing space -------------------------------------------------------------------------------------


def _assert_blank_copy(path: Path, blocks: Sequence[Paragraph | Table], document: WorkplaceDocument) -> None:
    """The blocks hold an empty copy of ``document``: its labels and column heads, none of its entries."""
    text = _section_text(blocks)
    assert "Ihr Dokument zum Ausfüllen:" in text, f"{path.name}: no blank copy"
    tables = _tables(blocks, "Kurswerk Tabelle")
    if document.fields and document.kind != "notice":
        fields = [table for table in tables if not _header_rows(table)]
        assert fields, f"{path.name}: no field table"
        assert _column(fields[0], 0) == [_n(field.label) for field in document.fields], path.name
        assert not any(_column(fields[0], 1)), f"{path.name}: the blank form has entries"
    if document.rows:
        columns = [_n(column) for column in document.columns]
        rows = [table for table in tables if _header_rows(table) and [_text_of(tc) for tc in
                                                                       table._tbl.tr_lst[0].tc_lst] == columns]
        assert rows, f"{path.name}: no table with the columns {columns}"
        body = [[_text_of(tc) for tc in tr.tc_lst] for tr in rows[0]._tbl.tr_lst[1:]]
        assert len(body) >= len(document.rows), path.name
        if document.kind == "plan":
            assert [row[0] for row in body] == [_n(row[0]) for row in document.rows], path.name
            body = [row[1:] for row in body]
        assert not any(cell for row in body for cell in row), f"{path.name}: the blank table has entries"
    if document.kind not in ("letter", "notice"):
        assert _n(document.title) in text, path.name
    if document.kind == "letter":
        assert "Betreff:" in text and "Datum: ____" in text, path.name
        assert _n(document.text or "") not in text and _n(document.subject or "") not in text, path.name
        assert max(len(table.rows) for table in _tables(blocks, "Kurswerk Schreiblinien")) >= 12, path.name
    if document.kind == "notice":
        frames = [table for table in _tables(blocks) if _border_values(table) == {"single"}]
        assert frames, f"{path.name}: no framed notice"
        frame = _text_of(frames[0]._tbl)
        assert frame.startswith(_n(document.title)) and _n(document.text or "") not in frame, path.name


def test_writing_tasks_that_fill_the_document_get_a_blank_copy(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    tasks = [(module, exercise) for module in curriculum.modules for exercise in module.exercises
             if exercise.fills_document]
    for module, exercise in tasks:
        for level in HELP_LEVELS:
            path = _module_files(built, module)[f"2-uebungen-{level}"]
            practice = _practice(module, level)[exercise.id]
            assert practice.blank_document, f"{module.id}/{exercise.id}"
            _assert_blank_copy(path, _section(path, _exercise_heading(practice)), module.document)
    for module in curriculum.modules:
        if not any(exercise.fills_document for exercise in module.exercises):
            path = _module_files(built, module)["2-uebungen-ohne-hilfe"]
            assert "Ihr Dokument zum Ausfüllen:" not in _all_text(path), path.name


BLANK_DOCUMENTS = {
    "form": WorkplaceDocument(kind="form", type="Formular", title="Meldebogen Testfall",
                              fields=[DocumentField(label="Name", value="Frau Zeta Beispielhaft"),
                                      DocumentField(label="Datum", value="31.12.2099")],
                              columns=["Uhrzeit", "Maßnahme"], rows=[["07:15", "Verband gewechselt"]],
                              text="Alles in Ordnung nach Rücksprache."),
    "list": WorkplaceDocument(kind="list", type="Liste", title="Packliste Testfall",
                              fields=[DocumentField(label="Lieferant", value="Musterfirma Zeta GmbH")],
                              columns=["Artikel", "Menge"], rows=[["Schrauben M8", "120 Stück"], ["Dübel", "80 Stück"]]),
    "plan": WorkplaceDocument(kind="plan", type="Plan", title="Putzplan Testfall", columns=["Bereich", "Montag", "Dienstag"],
                              rows=[["Flur", "nass wischen", "saugen"], ["Küche", "Oberflächen", "Boden wischen"]]),
    "letter": WorkplaceDocument(kind="letter", type="Brief", title="Elternbrief Testfall",
                                sender="Kita Zeta\nHauptstraße 1", recipient="Familie Beispielhaft", date="31.12.2099",
                                subject="Ausflug in den Zetawald", salutation="Liebe Eltern,",
                                text="Am Freitag gehen wir in den Zetawald.", closing="Viele Grüße\nIhr Team"),
    "notice": WorkplaceDocument(kind="notice", type="Aushang", title="Achtung Testfall",
                                text="Heute bleibt der Zetaflur gesperrt.",
                                fields=[DocumentField(label="Gültig ab", value="31.12.2099")]),
}


@pytest.mark.parametrize("kind", sorted(BLANK_DOCUMENTS))
def test_a_blank_copy_of_each_document_kind(pflege: SectorCurriculum, kind: str, tmp_path: Path) -> None:
    module = pflege.ordered_modules[0]
    task = next(exercise for exercise in module.exercises if exercise.type == "writing")
    changed = module.model_copy(update={"document": BLANK_DOCUMENTS[kind], "exercises": [
        exercise.model_copy(update={"fills_document": True}) if exercise.id == task.id else exercise
        for exercise in module.exercises]})
    curriculum = _with_module(pflege, changed)
    for part in [part for part in module_parts(curriculum, changed, "public") if part.kind == "practice"]:
        path = write_part(curriculum, part, tmp_path)
        practice = _practice(changed, part.help or "ohne-hilfe")[task.id]
        _assert_blank_copy(path, _section(path, _exercise_heading(practice)), changed.document)
        leaked = [field.value for field in changed.document.fields if field.value in _all_text(path)]
        assert not leaked, f"{kind}: entries of the document on the practice sheet: {leaked}"


def test_writing_lines_follow_the_expected_length(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    """An open task gets the lines its ``lines`` ask for, room for its ``words``, or a default by kind."""
    curriculum, built = sector_handouts
    for module in curriculum.modules:
        written = {exercise.id: exercise for exercise in module.exercises}
        for level in HELP_LEVELS:
            path = _module_files(built, module)[f"2-uebungen-{level}"]
            for practice in practice_exercises(module, level):
                if practice.layout != "open" or not practice.lines:
                    continue
                exercise = written.get(practice.exercise.id)
                rows = _writing_rows(_section(path, _exercise_heading(practice)))
                where = f"{path.name}: {practice.exercise.id}"
                assert rows == practice.lines == writing_lines(exercise, practice.exercise.kind), where
                if exercise and exercise.lines:
                    assert rows == exercise.lines, where
                if exercise and exercise.words:
                    assert rows * WORDS_PER_LINE >= exercise.words, f"{where}: {rows} lines for {exercise.words} words"


def _lines_for(curriculum: SectorCurriculum, module: Module, task: Exercise, tmp_path: Path, **length: int | None
               ) -> int:
    changed = module.model_copy(update={"exercises": [
        exercise.model_copy(update={"fills_document": False, **length}) if exercise.id == task.id else exercise
        for exercise in module.exercises]})
    updated = _with_module(curriculum, changed)
    part = module_parts(updated, changed, "public", ("ohne-hilfe",))[1]
    path = write_part(updated, part, tmp_path / "-".join(f"{key}{value}" for key, value in length.items()))
    return _writing_rows(_section(path, _exercise_heading(_practice(changed, "ohne-hilfe")[task.id])))


def test_more_words_get_more_writing_lines(pflege: SectorCurriculum, tmp_path: Path) -> None:
    module, task = next((module, exercise) for module in pflege.ordered_modules for exercise in module.exercises
                        if exercise.type == "writing")
    long = _lines_for(pflege, module, task, tmp_path, words=180, lines=None)
    short = _lines_for(pflege, module, task, tmp_path, words=None, lines=4)
    assert short == 4
    assert long > short and long * WORDS_PER_LINE >= 180, f"{long} lines for 180 words"


# --- company handout and glossary ----------------------------------------------------------------------


def test_company_handout_has_safety_note_checklists_and_rewrites(
        sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    text = _all_text(built["public"]["unternehmen.docx"][1])
    assert "§ 12" in text and "ArbSchG" in text
    for training in curriculum.trainings:
        for checklist in training.checklists:
            assert _n(checklist.items[0]) in text
        for exercise in training.exercises:
            for rewrite in exercise.rewrites:
                assert _n(rewrite.after) in text


def test_glossary_lists_every_word(sector_handouts: tuple[SectorCurriculum, Built]) -> None:
    curriculum, built = sector_handouts
    document = _read(built["public"]["glossar.docx"][1])
    lemmas = {table.cell(row, 1).text for table in document.tables for row in range(1, len(table.rows))}
    assert {word.lemma for word in glossary_words(curriculum)} == lemmas


# --- determinism, literal text, guards ----------------------------------------------------------------


def test_second_write_is_byte_identical(pflege: SectorCurriculum, tmp_path: Path) -> None:
    first = _build(pflege, tmp_path / "first")
    second = _build(pflege, tmp_path / "second")
    for edition in EDITIONS:
        assert set(first[edition]) == set(second[edition])
        for name, (_, path) in first[edition].items():
            assert path.read_bytes() == second[edition][name][1].read_bytes(), name


def _glossary_part(curriculum: SectorCurriculum) -> Part:
    return next(part for part in plan_parts(curriculum, "public") if part.kind == "glossary")


def test_source_date_epoch_sets_the_creation_date(pflege: SectorCurriculum, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_part(pflege, _glossary_part(pflege), tmp_path, TEMPLATE)
    created = docx.Document(str(path)).core_properties.created
    assert created is not None and created.replace(tzinfo=UTC) == datetime.fromtimestamp(1700000000, UTC)


def test_user_text_stays_literal(pflege: SectorCurriculum, tmp_path: Path) -> None:
    tricky = 'Übergabe <b>fett</b> & "Zitat" {{ var }} <!-- x --> ]]>'
    module = pflege.ordered_modules[0]
    changed = module.model_copy(update={"title": tricky, "summary": "Zeile 1\nZeile 2\n\nAbsatz 2"})
    curriculum = _with_module(pflege, changed)
    documents = [part for part in module_parts(curriculum, changed, "trainer") if part.is_document]
    for part in module_parts(curriculum, changed, "public")[:1] + documents:
        document = docx.Document(str(write_part(curriculum, part, tmp_path, TEMPLATE)))
        assert document.paragraphs[0].text == tricky
        assert document.core_properties.title == f"{tricky} – {KIND_LABELS[(part.kind, part.help)]}"
        if part.kind == "input":
            texts = [paragraph.text for paragraph in document.paragraphs]
            assert "Zeile 1\nZeile 2" in texts and "Absatz 2" in texts


def test_heading_levels_cannot_jump(tmp_path: Path) -> None:
    handout = HandoutDocument(TEMPLATE, Metadata("T", "S", ("k",), "c", "d"))
    handout.title("T", "S")
    handout.heading("Eins", 1)
    with pytest.raises(BuildError, match="Überschrift der Ebene 3"):
        handout.heading("Drei", 3)


def test_missing_template_is_a_build_error(pflege: SectorCurriculum, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="Word-Vorlage lässt sich nicht öffnen"):
        write_part(pflege, _glossary_part(pflege), tmp_path, tmp_path / "missing.docx")


def test_file_names_are_unique_across_editions_and_help_levels_can_be_chosen(pflege: SectorCurriculum) -> None:
    parts = [part for edition in EDITIONS for part in plan_parts(pflege, edition)]
    names = [part.file_name for part in parts]
    assert len(names) == len(set(names))
    assert all(part.label and part.description for part in parts)
    assert {part.pdf_name for part in parts if part.is_document} == {
        name.replace(".docx", ".pdf") for name in names if name.endswith(".docx")}
    assert {name.rsplit(".", 1)[1] for name in names} == {"docx", "apkg", "xml"}
    only = plan_parts(pflege, "public", ("ohne-hilfe",))
    assert not [part for part in only if part.help == "mit-hilfe"]
    assert len([part for part in only if part.kind == "practice"]) == len(pflege.modules)


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
    style = docx.Document(str(tmp_path / "out.docx")).tables[0].style
    assert style is not None and style.name == "Kurswerk Tabelle"
