"""The word list of one sector in one learners' language: German on the left, the translation on
the right, a dashed fold line between them, sorted by module, then the other glossary words.

Right-to-left translations (Arabic, Persian) get a right-to-left paragraph (``w:bidi``), right
alignment, the language as ``w:lang/@w:bidi`` and a complex-script font, so Word and LibreOffice
set them in reading order with a font that has the glyphs.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

from kurswerk.blocks import grammar_text
from kurswerk.glossary import glossary_words
from kurswerk.labels import LANGUAGES, RIGHT_TO_LEFT_LANGUAGES, language_name
from kurswerk.model import SectorCurriculum, VocabularyItem
from kurswerk.render.docx_base import Cell, HandoutDocument, Span

COMPLEX_SCRIPT_FONT = {"ar": "Noto Naskh Arabic", "fa": "Noto Naskh Arabic"}
"""The font for right-to-left translations (Debian's fonts-noto-core; Word falls back if it is missing)."""


def word_list_title(curriculum: SectorCurriculum, language: str) -> str:
    return f"Wortliste Deutsch – {LANGUAGES[language][0]}"


def build_word_list(handout: HandoutDocument, curriculum: SectorCurriculum, language: str) -> None:
    """Write the word list of ``curriculum`` in ``language`` into ``handout``."""
    translations = curriculum.translation_files[language].words
    seen: set[str] = set()
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for module in curriculum.ordered_modules:
        rows = []
        for item in module.vocabulary:
            if item.lemma in translations and item.lemma not in seen:
                seen.add(item.lemma)
                rows.append((*_row(item), translations[item.lemma]))
        if rows:
            sections.append((module.title, rows))
    rest = [(word.headword, _glossary_grammar(word.pos, word.plural, word.forms), word.example or "",
             translations[word.lemma]) for word in glossary_words(curriculum)
            if word.lemma in translations and word.lemma not in seen]
    if rest:
        sections.append(("Weitere Fachwörter der Branche", rest))
    count = sum(len(rows) for _, rows in sections)
    handout.title(word_list_title(curriculum, language), f"{curriculum.sector.title} · {count} Wörter")
    handout.text("Falten Sie das Blatt an der gestrichelten Linie. Decken Sie eine Seite ab und üben Sie: "
                 "Wie heißt das Wort auf Deutsch, mit Artikel und Plural? Was bedeutet es?")
    if not curriculum.translation_files[language].reviewed:
        handout.text(f"Ungeprüfte Übersetzung: Die Übersetzungen ins {language_name(language)} hat noch keine "
                     "Person mit dieser Erstsprache geprüft. Fragen Sie im Zweifel Ihre Lehrkraft.")
    for title, rows in sections:
        handout.heading(title, 1)
        cells: list[list[Cell]] = [
            [[[Span(headword, "Strong")], [Span(grammar)]] if grammar else [[Span(headword, "Strong")]],
             [[Span(example, "Emphasis")]] if example else "",
             [[Span(translation, None, language)]]]
            for headword, grammar, example, translation in rows]
        table = handout.table(["Deutsch", "Beispiel", language_name(language)], cells, [0.27, 0.4, 0.33])
        _fold_line(table)
        if language in RIGHT_TO_LEFT_LANGUAGES:
            _right_to_left_column(table, 2, language)


def _row(item: VocabularyItem) -> tuple[str, str, str]:
    return item.headword, grammar_text(item), item.example


def _glossary_grammar(pos: str, plural: str | None, forms: str | None) -> str:
    if pos == "noun" and plural and plural.strip() not in ("–", "-"):
        return plural if plural.startswith("die ") else f"die {plural}"
    return forms or ""


def _fold_line(table: Table) -> None:
    """A dashed line between the German side and the translation, to fold along."""
    for row in table.rows:
        cell = row.cells[1]._tc
        borders = cell.get_or_add_tcPr().find(qn("w:tcBorders"))
        if borders is None:
            borders = OxmlElement("w:tcBorders")
            cell.get_or_add_tcPr().append(borders)
        right = OxmlElement("w:right")
        for key, value in (("w:val", "dashed"), ("w:sz", "12"), ("w:space", "0"), ("w:color", "000000")):
            right.set(qn(key), value)
        borders.append(right)


def _right_to_left_column(table: Table, column: int, language: str) -> None:
    """Set the cells of ``column`` (except the header) as right-to-left paragraphs in a complex-script font."""
    font = COMPLEX_SCRIPT_FONT.get(language)
    for row in table.rows[1:]:
        for paragraph in row.cells[column].paragraphs:
            # A right-to-left paragraph starts at the right edge by itself ("jc=right" would mean its end).
            _paragraph_right_to_left(paragraph._p.get_or_add_pPr())
            for run in paragraph.runs:
                properties = run._r.get_or_add_rPr()
                if font:
                    properties.get_or_add_rFonts().set(qn("w:cs"), font)
                _complex_script_size(properties, COMPLEX_SCRIPT_HALF_POINTS)


COMPLEX_SCRIPT_HALF_POINTS = 26
"""Arabic script reads small beside Latin at the same size: 13 pt for the translations."""

RPR_AFTER_SZCS = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                  "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def _complex_script_size(properties: Any, half_points: int) -> None:
    """Set ``w:szCs`` (the size of right-to-left and other complex scripts) at its place in ``w:rPr``."""
    size = properties.find(qn("w:szCs"))
    if size is None:
        size = _insert_in_order(properties, OxmlElement("w:szCs"), RPR_AFTER_SZCS)
    size.set(qn("w:val"), str(half_points))


def _insert_in_order(parent: Any, element: Any, followers: tuple[str, ...]) -> Any:
    """Insert ``element`` into ``parent`` before the first of ``followers`` (the schema's order); returns it."""
    tags = {qn(tag) for tag in followers}
    successor = next((child for child in parent if child.tag in tags), None)
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element


BIDI_SUCCESSORS = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                   "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                   "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                   "w:pPrChange")
"""Elements that follow ``w:bidi`` in a paragraph's properties (the schema fixes their order)."""


def _paragraph_right_to_left(properties: Any) -> None:
    """Add ``w:bidi`` to a paragraph's properties (``CT_PPr``) at its place in the schema's order."""
    if properties.find(qn("w:bidi")) is None:
        _insert_in_order(properties, OxmlElement("w:bidi"), BIDI_SUCCESSORS)
