"""The learners' own formats: a word list per language (Word, right to left where needed), an Anki
deck per module (opened as the SQLite collection it is) and a Moodle quiz per module (checked
against the rules of Moodle's XML question format).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest
from docx.oxml.ns import qn

from kurswerk.exports import anki_package, moodle_quiz
from kurswerk.load import load_sector
from kurswerk.model import SectorCurriculum
from kurswerk.packets import plan_parts, practice_exercises
from kurswerk.render.docx import write_part

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "check" / "good" / "lager"
TEMPLATE = ROOT / "templates" / "handout.docx"
QUESTION_TYPES = {"category", "multichoice", "shortanswer", "gapselect", "matching", "ordering", "essay"}


@pytest.fixture(scope="module")
def lager() -> SectorCurriculum:
    return load_sector(FIXTURE)


@pytest.fixture(scope="module", params=sorted(path.parent.name for path in (ROOT / "curricula").glob("*/sector.yml")))
def shipped(request: pytest.FixtureRequest) -> SectorCurriculum:
    return load_sector(ROOT / "curricula" / request.param)


# --- word lists ------------------------------------------------------------------------------------


def test_each_shown_language_gets_a_word_list(lager: SectorCurriculum) -> None:
    lists = [part for part in plan_parts(lager, "public") if part.kind == "wordlist"]
    assert [part.file_name for part in lists] == ["wortliste-en.docx", "wortliste-ar.docx", "wortliste-uk.docx"]
    assert all(part.is_document for part in lists)
    assert not [part for part in plan_parts(lager, "trainer") if part.kind == "wordlist"]


def test_arabic_word_list_is_right_to_left_with_a_fold_line(lager: SectorCurriculum, tmp_path: Path) -> None:
    part = next(part for part in plan_parts(lager, "public") if part.language == "ar")
    document = docx.Document(str(write_part(lager, part, tmp_path, TEMPLATE)))
    tables = document.tables
    assert tables
    header = [cell.text for cell in tables[0].rows[0].cells]
    assert header == ["Deutsch", "Beispiel", "Arabisch (العربية)"]
    rows = [row for table in tables for row in table.rows[1:]]
    words = [row.cells[0].paragraphs[0].text for row in rows]
    assert "die Palette" in words and "prüfen" in words
    assert len(rows) == len({lemma for lemma in lager.translation_files["ar"].words})
    for row in rows:
        paragraph = row.cells[2].paragraphs[0]
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None
        run = paragraph.runs[0]._r
        assert run.rPr.find(qn("w:rtl")) is not None
        assert run.rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
        assert run.rPr.find(qn("w:rFonts")).get(qn("w:cs")) == "Noto Naskh Arabic"
        assert re.search("[\u0600-\u06ff]", paragraph.text)
        border = row.cells[1]._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:right"))
        assert border.get(qn("w:val")) == "dashed"
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Ungeprüfte Übersetzung" in text and "Falten Sie" in text
    english = next(part for part in plan_parts(lager, "public") if part.language == "en")
    text = "\n".join(p.text for p in docx.Document(str(write_part(lager, english, tmp_path, TEMPLATE))).paragraphs)
    assert "Ungeprüfte Übersetzung" not in text  # English is marked as reviewed in the fixture


@pytest.mark.slow
def test_word_list_pdf_keeps_arabic_in_reading_order(lager: SectorCurriculum, tmp_path: Path) -> None:
    from kurswerk.render.handouts import write_handouts

    part = next(part for part in plan_parts(lager, "public") if part.language == "ar")
    [_, pdf] = write_handouts(lager, [part], tmp_path, TEMPLATE)
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(re.sub("[\u202a-\u202e]", " ", raw).split())
    for phrase in ("إشعار التسليم", "رافعة شوكية", "موقع التخزين"):
        assert phrase in text, phrase
    assert "\ufffd" not in raw


# --- Anki ------------------------------------------------------------------------------------------


def test_anki_deck_holds_every_word_with_its_translations(lager: SectorCurriculum, tmp_path: Path) -> None:
    module = lager.modules[0]
    path = anki_package(lager, module, tmp_path / "deck.apkg")
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = [row[0].split("\x1f") for row in connection.execute("select flds from notes")]
        cards = connection.execute("select count(*) from cards").fetchone()[0]
        decks = connection.execute("select decks from col").fetchone()[0]
    finally:
        connection.close()
    assert len(notes) == cards == len(module.vocabulary)
    assert module.title in decks
    by_word = {fields[0]: fields for fields in notes}
    noun = next(item for item in module.vocabulary if item.pos == "noun" and item.translations)
    fields = by_word[noun.lemma]
    assert fields[1] == noun.article and noun.example.split()[0] in fields[3]
    assert f'lang="ar" dir="rtl">{noun.translations["ar"]}<' in fields[4]
    assert 'lang="uk" dir="ltr">' in fields[4]
    assert "ungeprüfte Übersetzung" in fields[5]


def test_anki_deck_is_the_same_file_for_the_same_content(lager: SectorCurriculum, tmp_path: Path) -> None:
    module = lager.modules[0]
    first = anki_package(lager, module, tmp_path / "a.apkg").read_bytes()
    second = anki_package(lager, module, tmp_path / "b.apkg").read_bytes()
    assert first == second


# --- Moodle ----------------------------------------------------------------------------------------


def check_moodle_file(path: Path, curriculum: SectorCurriculum) -> dict[str, int]:
    """Check a Moodle XML file against the question format's rules; returns the count per type."""
    quiz = ET.parse(path).getroot()
    assert quiz.tag == "quiz"
    questions = quiz.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].findtext("category/text", "").startswith(f"$course$/top/kurswerk/{curriculum.sector.name}/")
    counts: dict[str, int] = {}
    names = []
    for question in questions[1:]:
        kind = question.get("type", "")
        assert kind in QUESTION_TYPES - {"category"}, kind
        counts[kind] = counts.get(kind, 0) + 1
        names.append(question.findtext("name/text"))
        assert question.findtext("name/text") and question.find("questiontext").get("format") == "html"
        assert question.findtext("questiontext/text")
        answers = question.findall("answer")
        if kind == "multichoice":
            assert question.findtext("single") == "true"
            fractions = sorted(float(answer.get("fraction", "x")) for answer in answers)
            assert fractions == [0.0, 0.0, 100.0]
            assert all(answer.findtext("feedback/text") for answer in answers)  # German feedback on each
        elif kind == "shortanswer":
            assert max(float(answer.get("fraction", "0")) for answer in answers) == 100.0
        elif kind == "gapselect":
            gaps = re.findall(r"\[\[(\d+)\]\]", question.findtext("questiontext/text", ""))
            options = question.findall("selectoption")
            assert gaps == ["1"] and len(options) >= 2
            assert all(option.findtext("group") == "1" for option in options)
        elif kind == "matching":
            subquestions = question.findall("subquestion")
            assert len(subquestions) >= 2 and all(sub.findtext("answer/text") for sub in subquestions)
        elif kind == "ordering":
            assert [answer.get("fraction") for answer in answers] == [str(n) for n in range(1, len(answers) + 1)]
        elif kind == "essay":
            assert question.findtext("graderinfo/text")
        if kind in ("multichoice", "gapselect", "matching", "ordering"):
            assert question.findtext("correctfeedback/text") == "Richtig!"
    assert len(names) == len(set(names))
    return counts


def test_moodle_quiz_of_every_shipped_module_follows_the_format(shipped: SectorCurriculum, tmp_path: Path) -> None:
    for module in shipped.modules:
        path = moodle_quiz(shipped, module, tmp_path / f"{module.id}.xml")
        counts = check_moodle_file(path, shipped)
        exercises = practice_exercises(module, "ohne-hilfe")
        kinds = {practice.exercise.kind for practice in exercises}
        assert ("article" in kinds) == ("multichoice" in counts)
        assert ("plural" in kinds) == ("shortanswer" in counts)
        assert ("gap_fill" in kinds) == ("gapselect" in counts)
        expected = sum(len(p.exercise.items) if p.exercise.kind in ("article", "plural", "gap_fill") else 1
                       for p in exercises)
        assert sum(counts.values()) == expected, (module.id, counts)


def test_moodle_quiz_keys_are_the_sheet_keys(lager: SectorCurriculum, tmp_path: Path) -> None:
    module = lager.modules[0]
    quiz = ET.parse(moodle_quiz(lager, module, tmp_path / "quiz.xml")).getroot()
    articles = [question for question in quiz.findall("question") if question.get("type") == "multichoice"]
    article_exercise = next(p.exercise for p in practice_exercises(module, "ohne-hilfe") if p.exercise.kind == "article")
    right = [next(answer.findtext("text") for answer in question.findall("answer") if answer.get("fraction") == "100")
             for question in articles]
    assert right == [item.answer for item in article_exercise.items]


def test_the_deck_is_for_learners_and_the_quiz_with_its_answers_for_trainers(lager: SectorCurriculum) -> None:
    public = [part.file_name for part in plan_parts(lager, "public")]
    trainer = [part.file_name for part in plan_parts(lager, "trainer")]
    module = lager.ordered_modules[0].id
    assert f"{module}-5-karteikarten.apkg" in public and f"{module}-5-karteikarten.apkg" not in trainer
    assert f"{module}-6-moodle.xml" in trainer and f"{module}-6-moodle.xml" not in public
