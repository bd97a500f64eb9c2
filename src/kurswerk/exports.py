"""A module's vocabulary and exercises for learners' own tools: an Anki deck and a Moodle quiz.

- :func:`anki_package`: one note per word of the vocabulary (article, plural or forms, example and
  the translations of the sector's languages, right to left where needed), as an ``.apkg`` file
  made with genanki. The file is the same for the same content (fixed ids, time and zip dates).
- :func:`moodle_quiz`: the module's practice exercises with their keys as Moodle XML: multiple
  choice for articles, short answer for plurals, gap select for the gap fill,
  matching, ordering, and an essay with the model answer for open tasks; German feedback; one
  category per sector and module.
"""

from __future__ import annotations

import hashlib
import html
import io
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from kurswerk.exercises import WorkedExercise
from kurswerk.labels import RIGHT_TO_LEFT_LANGUAGES
from kurswerk.model import Module, SectorCurriculum
from kurswerk.render.docx_xml import timestamp

ZIP_DATE = (2024, 1, 1, 0, 0, 0)
"""The date every entry of an ``.apkg`` zip carries (the file depends on its content only)."""


def _stable_id(*parts: str) -> int:
    """A positive 31-bit id derived from ``parts`` (Anki wants ids that stay the same across builds)."""
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:8], 16) & 0x7FFFFFFF or 1


def _translation_html(code: str, text: str) -> str:
    direction = "rtl" if code in RIGHT_TO_LEFT_LANGUAGES else "ltr"
    return f'<div class="uebersetzung" lang="{code}" dir="{direction}">{html.escape(text)}</div>'


def anki_package(curriculum: SectorCurriculum, module: Module, path: Path) -> Path:
    """Write the module's vocabulary as an Anki deck to ``path`` (``.apkg``); returns it."""
    import genanki

    languages = [code for code in curriculum.sector.languages if code in curriculum.translation_files]
    unreviewed = set(curriculum.unreviewed())
    fields = ["Deutsch", "Artikel", "Grammatik", "Beispiel", "Übersetzungen", "Hinweis"]
    note_model = genanki.Model(
        _stable_id("kurswerk-modell", "wortschatz-1"), "kurswerk Wortschatz",
        fields=[{"name": name} for name in fields],
        templates=[{
            "name": "Deutsch → Bedeutung",
            "qfmt": '<div class="wort">{{Artikel}} {{Deutsch}}</div>',
            "afmt": '{{FrontSide}}<hr id="answer"><div class="grammatik">{{Grammatik}}</div>'
                    '<div class="beispiel">{{Beispiel}}</div>{{Übersetzungen}}<div class="hinweis">{{Hinweis}}</div>',
        }],
        css=".card{font-family:sans-serif;font-size:22px;text-align:center}.wort{font-size:30px;font-weight:bold}"
            ".beispiel{font-style:italic;margin:.5em 0}.uebersetzung{margin:.2em 0}.uebersetzung[dir=rtl]"
            "{font-size:26px}.hinweis{font-size:14px;color:#666}",
    )
    deck = genanki.Deck(_stable_id("kurswerk-deck", curriculum.sector.id, module.id),
                        f"kurswerk::{curriculum.sector.name}::{module.title}")
    for item in module.vocabulary:
        grammar = (f"Plural: {item.plural}" if item.pos == "noun" else item.forms or "") or ""
        translations = "".join(_translation_html(code, item.translations[code]) for code in languages
                               if code in item.translations)
        note_text = ("ungeprüfte Übersetzung: " + ", ".join(sorted(unreviewed & set(item.translations)))
                     if unreviewed & set(item.translations) else "")
        deck.add_note(genanki.Note(
            model=note_model,
            fields=[html.escape(item.lemma), html.escape(item.article or ""), html.escape(grammar),
                    html.escape(item.example), translations, html.escape(note_text)],
            guid=genanki.guid_for("kurswerk", curriculum.sector.id, module.id, item.lemma),
            tags=[f"kurswerk::{curriculum.sector.id}", f"modul::{module.id}"]))
    with tempfile.TemporaryDirectory() as scratch:
        loose = Path(scratch) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(loose), timestamp=timestamp().timestamp())
        _fixed_zip(loose, path)
    return path


def _fixed_zip(source: Path, target: Path) -> None:
    """Copy a zip with every entry dated :data:`ZIP_DATE` (byte-identical for identical content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            copy.writestr(entry, original.read(info.filename))
    scratch = target.with_name(f".{target.name}.tmp")
    scratch.write_bytes(buffer.getvalue())
    scratch.replace(target)


# --- Moodle XML -----------------------------------------------------------------------------------

FEEDBACK = {"correct": "Richtig!", "partial": "Teilweise richtig.", "incorrect": "Leider nicht richtig."}


def _text(parent: ET.Element, tag: str, text: str, html_format: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html_format else {})
    ET.SubElement(element, "text").text = text
    return element


def _question(quiz: ET.Element, kind: str, name: str, text: str, grade: float = 1.0) -> ET.Element:
    question = ET.SubElement(quiz, "question", {"type": kind})
    name_element = ET.SubElement(question, "name")
    ET.SubElement(name_element, "text").text = name
    _text(question, "questiontext", text)
    _text(question, "generalfeedback", "")
    ET.SubElement(question, "defaultgrade").text = f"{grade:g}"
    ET.SubElement(question, "penalty").text = "0.3333333"
    ET.SubElement(question, "hidden").text = "0"
    return question


def _combined_feedback(question: ET.Element) -> None:
    _text(question, "correctfeedback", FEEDBACK["correct"])
    _text(question, "partiallycorrectfeedback", FEEDBACK["partial"])
    _text(question, "incorrectfeedback", FEEDBACK["incorrect"])


def _answer(question: ET.Element, fraction: str, text: str, feedback: str = "") -> None:
    answer = ET.SubElement(question, "answer", {"fraction": fraction, "format": "html"})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback)


def _gap(prompt: str) -> str:
    return html.escape(prompt).replace("___", "[[1]]", 1)


def moodle_quiz(curriculum: SectorCurriculum, module: Module, path: Path) -> Path:
    """Write the module's practice exercises with their keys as Moodle XML to ``path``; returns it."""
    from kurswerk.packets import practice_exercises

    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _text(category, "category", f"$course$/top/kurswerk/{curriculum.sector.name}/{module.title}", False)
    _text(category, "info", f"Übungen zum Modul „{module.title}“ (Niveau {module.level}), aus kurswerk.")
    for practice in practice_exercises(module, "ohne-hilfe"):
        _exercise_questions(quiz, practice.number, practice.exercise)
    ET.indent(quiz)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="utf-8") + b"\n")
    scratch.replace(path)
    return path


def _exercise_questions(quiz: ET.Element, number: int, exercise: WorkedExercise) -> None:
    """Add the questions of one exercise (most kinds: one question per item)."""
    title = f"{number:02d} {exercise.title}"
    instruction = html.escape(exercise.instruction)
    items = exercise.items
    if exercise.kind == "article":
        for index, item in enumerate(items, 1):
            question = _question(quiz, "multichoice", f"{title} · {index}",
                                 f"<p>{instruction}</p><p>{_gap(item.prompt).replace('[[1]]', '___')}</p>")
            ET.SubElement(question, "single").text = "true"
            ET.SubElement(question, "shuffleanswers").text = "false"
            ET.SubElement(question, "answernumbering").text = "none"
            _combined_feedback(question)
            for article in ("der", "die", "das"):
                noun = item.prompt.replace("___", "").strip()
                _answer(question, "100" if article == item.answer else "0", article,
                        f"Richtig: {item.answer} {noun}." if article == item.answer else f"Es heißt: {item.answer} {noun}.")
    elif exercise.kind == "plural":
        for index, item in enumerate(items, 1):
            question = _question(quiz, "shortanswer", f"{title} · {index}",
                                 f"<p>{instruction}</p><p>{html.escape(item.prompt)}</p>")
            ET.SubElement(question, "usecase").text = "1"
            _answer(question, "100", item.answer, f"Richtig: die {item.answer}.")
    elif exercise.kind == "gap_fill":
        words = sorted({item.answer for item in items})
        for index, item in enumerate(items, 1):
            question = _question(quiz, "gapselect", f"{title} · {index}", f"<p>{_gap(item.prompt)}</p>")
            ET.SubElement(question, "shuffleanswers").text = "1"
            _combined_feedback(question)
            for word in [item.answer, *(word for word in words if word != item.answer)]:
                option = ET.SubElement(question, "selectoption")
                ET.SubElement(option, "text").text = word
                ET.SubElement(option, "group").text = "1"
    elif exercise.kind == "matching" and len(items) >= 2:
        question = _question(quiz, "matching", title, f"<p>{instruction}</p>", grade=len(items))
        ET.SubElement(question, "shuffleanswers").text = "true"
        _combined_feedback(question)
        for item in items:
            sub = ET.SubElement(question, "subquestion", {"format": "html"})
            ET.SubElement(sub, "text").text = html.escape(item.prompt)
            answer = ET.SubElement(sub, "answer")
            ET.SubElement(answer, "text").text = item.answer
    elif exercise.kind == "ordering" and all(item.answer.isdigit() for item in items):
        question = _question(quiz, "ordering", title, f"<p>{instruction}</p>", grade=len(items))
        for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                           ("gradingtype", "ABSOLUTE_POSITION"), ("showgrading", "SHOW"), ("numberingstyle", "none")):
            ET.SubElement(question, tag).text = value
        _combined_feedback(question)
        for position, item in enumerate(sorted(items, key=lambda each: int(each.answer)), 1):
            _answer(question, str(position), html.escape(item.prompt))
    else:
        _essay(quiz, title, instruction, exercise)


def _essay(quiz: ET.Element, title: str, instruction: str, exercise: WorkedExercise) -> None:
    """An open task: the learners write; the key or model answer goes to the grader."""
    prompts = "".join(f"<li>{html.escape(item.prompt)}</li>" for item in exercise.items)
    key = "".join(f"<li>{html.escape(item.answer)}</li>" for item in exercise.items)
    question = _question(quiz, "essay", title, f"<p>{instruction}</p>" + (f"<ol>{prompts}</ol>" if prompts else ""))
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"),
                       ("responsefieldlines", str(max(5, 2 * len(exercise.items)))), ("attachments", "0"),
                       ("attachmentsrequired", "0")):
        ET.SubElement(question, tag).text = value
    model = (f"<ol>{key}</ol>" if key else "") + (f"<p>{html.escape(exercise.answer)}</p>" if exercise.answer else "")
    _text(question, "graderinfo", model or "<p>Offene Aufgabe: bewerten Sie nach dem Unterrichtsplan.</p>")
    _text(question, "responsetemplate", "")
