"""Blocks of a packet part → MyST Markdown for the book: one drawing function per block kind.

The book's module page draws the same blocks as the handouts (input sheet, practice sheet, and in
the trainer edition the role cards and the trainer file), so book and handouts show the same
exercises and the same answers. Writing lines and name lines are paper-only and draw nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from kurswerk import blocks as b
from kurswerk.labels import MODES, REGISTERS
from kurswerk.model import Phrase, VocabularyItem, WorkplaceDocument
from kurswerk.render.markdown_text import bullets, cell, escape, table, term_link, translations_html


def draw_markdown(blocks: Sequence[b.Block], sector_id: str, depth: int = 1) -> str:
    """Return the blocks as Markdown; a block heading of level n becomes a heading of level n + ``depth``."""
    parts = [DRAWERS[type(block)](block, sector_id, depth) for block in blocks]
    return "\n\n".join(part for part in parts if part)


def _heading(block: b.Heading, sector_id: str, depth: int) -> str:
    return f"{'#' * min(block.level + depth, 6)} {escape(block.text)}"


def _paragraph(block: b.Paragraph, sector_id: str, depth: int) -> str:
    text = "\n\n".join(escape(part) for part in block.text.split("\n\n"))
    if block.style == "box":
        return f"```{{note}}\n{text}\n```"
    return f"*{text}*" if block.style == "note" and "\n\n" not in text else text


def _labelled(block: b.Labelled, sector_id: str, depth: int) -> str:
    return f"**{escape(block.label)}:** {escape(block.text)}"


def _bullets(block: b.Bullets, sector_id: str, depth: int) -> str:
    return bullets(block.items)


def _nothing(block: Any, sector_id: str, depth: int) -> str:
    return ""


def _step(block: b.StepBlock, sector_id: str, depth: int) -> str:
    step = block.step
    lines = [f"{'#' * (depth + 2)} Schritt {block.number}: {escape(step.title)}",
             f"*{MODES[step.mode]}, {REGISTERS[step.speech_register]}, mit: {escape(step.partner)}*",
             f"**Aufgabe:** {escape(step.task)}"]
    if step.dialogue:
        lines.append("\n".join(f"> **{escape(line.speaker)}:** {escape(line.text)}  " for line in step.dialogue))
    return "\n\n".join(lines)


def _phrases(block: b.PhraseTable, sector_id: str, depth: int) -> str:
    groups: dict[str, list[Phrase]] = {}
    for phrase in block.phrases:
        groups.setdefault(phrase.function, []).append(phrase)
    rows = [[cell(function), escape(REGISTERS[phrase.speech_register]), cell(phrase.text),
             escape(phrase.counterpart) if phrase.counterpart else ""]
            for function, members in groups.items() for phrase in members]
    return table(["Funktion", "Register", "Redemittel", "im anderen Register"], rows)


def _vocabulary(block: b.VocabularyTable, sector_id: str, depth: int) -> str:
    nouns = [item for item in block.items if item.pos == "noun"]
    others = [item for item in block.items if item.pos != "noun"]
    parts = []
    if block.unreviewed and any(item.translations for item in block.items):
        parts.append(unreviewed_note(block.unreviewed))
    if nouns:
        rows = [[term_link(sector_id, item.headword, item.lemma), cell(item.plural or ""), cell(item.example)]
                for item in nouns]
        parts += [f"{'#' * (depth + 2)} Nomen",
                  _with_translations(["Nomen", "Plural", "Beispiel"], rows, nouns, block.languages)]
    if others:
        rows = [[term_link(sector_id, item.lemma, item.lemma), cell(item.forms or ""), cell(item.example)]
                for item in others]
        parts += [f"{'#' * (depth + 2)} Verben und weitere Wörter",
                  _with_translations(["Wort", "Formen", "Beispiel"], rows, others, block.languages)]
    return "\n\n".join(parts)


def unreviewed_note(languages: Iterable[str]) -> str:
    """The note that marks translations nobody with that first language has checked yet."""
    from kurswerk.labels import LANGUAGES

    names = ", ".join(LANGUAGES[code][0] for code in languages)  # the kit's own names: no user text
    # An HTML block: Markdown is not read inside it, so the text is escaped as HTML.
    return (f'<p class="ungeprueft"><strong>Ungeprüfte Übersetzung:</strong> {html.escape(names)}. Diese '
            "Übersetzungen hat noch keine Person mit dieser Erstsprache geprüft.</p>")


def _with_translations(header: list[str], rows: list[list[str]], items: list[VocabularyItem],
                       languages: Iterable[str]) -> str:
    """Return the table with an "Übersetzung" column, unless no item has a translation (no empty column)."""
    if not any(item.translations for item in items):
        return table(header, rows)
    order = list(languages) or sorted({code for item in items for code in item.translations})
    return table([*header, "Übersetzung"],
                 [[*row, translations_html(item.translations, order)] for row, item in zip(rows, items, strict=True)])


def document_markdown(document: WorkplaceDocument) -> str:
    """Return a workplace document as its kind looks on a page: form, letter, list, notice or plan."""
    parts = [f"*{escape(document.note)}*"]
    if document.kind == "letter":
        letter = [escape(part) for part in (document.sender, document.recipient, document.date) if part]
        letter += [f"**{escape(str(document.subject))}**", escape(str(document.salutation)),
                   *(escape(paragraph) for paragraph in str(document.text).split("\n\n")),
                   escape(str(document.closing))]
        parts.append("\n>\n".join("> " + line.replace("\n", "  \n> ") for line in letter))
        return "\n\n".join(parts)
    parts.append(f"**{escape(document.title)}**")
    if document.fields:
        parts.append(table(["Feld", "Eintrag"], [[cell(f.label), cell(f.value)] for f in document.fields]))
    if document.rows:
        header = document.columns or [f"Spalte {number}" for number in range(1, len(document.rows[0]) + 1)]
        parts.append(table([cell(h) for h in header], [[cell(value) for value in row] for row in document.rows]))
    if document.text:
        text = "\n\n".join(escape(paragraph) for paragraph in document.text.split("\n\n"))
        parts.append(f"```{{admonition}} Aushang\n:class: important\n{text}\n```" if document.kind == "notice"
                     else text)
    return "\n\n".join(parts)


def _document(block: b.DocumentBlock, sector_id: str, depth: int) -> str:
    return "" if block.blank else document_markdown(block.document)


def _exercise(block: b.ExerciseBlock, sector_id: str, depth: int) -> str:
    practice = block.practice
    exercise = practice.exercise
    parts = [f"{'#' * (depth + 2)} Übung {practice.number}: {escape(exercise.title)}", escape(exercise.instruction)]
    if practice.role_cards:
        parts.append(f"**Rollen:** {escape(' · '.join(practice.role_cards))}. Ihre Lehrkraft gibt jeder Person "
                     "ihre Rollenkarte.")
    if practice.word_box:
        parts.append("**Wörter:** " + " · ".join(escape(option) for option in practice.word_box))
    if exercise.items:
        parts.append("\n".join(f"{index}. {escape(item.prompt)}" for index, item in enumerate(exercise.items, 1)))
    if block.document is not None:
        parts.append("*Auf dem Übungsblatt steht dafür ein leeres Dokument zum Ausfüllen.*")
    return "\n\n".join(parts)


def _self_assessment(block: b.SelfAssessment, sector_id: str, depth: int) -> str:
    rows = [[escape(statement), "☐", "☐", "☐"] for statement in block.can_do]
    return table(["Ich kann …", "gut", "mit Hilfe", "noch nicht"], rows)


def _cards(block: b.Cards, sector_id: str, depth: int) -> str:
    """Each card its own box, so partner A's card and partner B's card never share one."""
    boxes = []
    for card in block.cards:
        text = "\n\n".join(escape(line) for line in card.text.split("\n"))
        boxes.append(f"````{{admonition}} {escape(card.heading)}\n:class: tip\n{text}\n````")
    return "\n\n".join(boxes)


def _table(block: b.Table, sector_id: str, depth: int) -> str:
    rows = [["☐" if column in block.checkboxes else cell(value) for column, value in enumerate(row)]
            for row in block.rows]
    return table([escape(header) for header in block.header], rows)


def _answer_key(block: b.AnswerKey, sector_id: str, depth: int) -> str:
    parts = []
    for entry in block.entries:
        parts.append(f"**Übung {entry.number}: {escape(entry.title)}**")
        if entry.compact:
            parts.append(escape(entry.compact))
        if entry.answers:
            parts.append("\n".join(f"{index}. {escape(answer)}" for index, answer in enumerate(entry.answers, 1)))
        if entry.model:
            parts.append(escape(entry.model))
    return "\n\n".join(parts)


DRAWERS: dict[type, Callable[[Any, str, int], str]] = {
    b.Heading: _heading, b.Paragraph: _paragraph, b.Labelled: _labelled, b.Bullets: _bullets,
    b.NameLine: _nothing, b.StepBlock: _step, b.PhraseTable: _phrases, b.VocabularyTable: _vocabulary,
    b.DocumentBlock: _document, b.ExerciseBlock: _exercise, b.SelfAssessment: _self_assessment,
    b.WritingLines: _nothing, b.Cards: _cards, b.Table: _table, b.AnswerKey: _answer_key,
}
"""Block kind → the function that writes it as Markdown."""
