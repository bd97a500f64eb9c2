"""Blocks of a packet part → DOCX on the Word template: one drawing function per block kind.

The part's content and order come from :mod:`kurswerk.packets` and :mod:`kurswerk.blocks`; this
module only decides how each block looks on paper: documents as forms, letters, lists, notices or
plans (and their blank copies), exercises with writing space sized to the task, cards with cut lines.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from kurswerk import blocks as b
from kurswerk.model import Phrase, Source, Step, VocabularyItem, WorkplaceDocument
from kurswerk.packets import PracticeExercise
from kurswerk.render.docx_base import CHECKBOX, Cell, HandoutDocument, Span

UNBROKEN = 14
"""Document cells up to this length (codes, dates, amounts) should not wrap."""
BLANK_ROWS = 5
REGISTER_LABELS = {("oral", "formal"): "mündlich · per Sie", ("oral", "informal"): "mündlich · per Du",
                   ("written", "formal"): "schriftlich · formell", ("written", "informal"): "schriftlich · informell"}
STYLES = {"normal": None, "box": "Kasten", "note": "Hinweis"}
CARD_HEIGHT_CM = {1: 7.2, 2: 3.4}
"""Minimum card height by number of columns: three role cards or twelve small cards fit an A4 page."""


def draw(handout: HandoutDocument, blocks: Sequence[b.Block]) -> None:
    """Draw every block into ``handout`` in order."""
    for block in blocks:
        DRAWERS[type(block)](handout, block)


def sources_section(handout: HandoutDocument, sources: Sequence[Source]) -> None:
    """Add a "Quellen" section listing the sources."""
    draw(handout, b.sources_blocks(sources))


def _heading(handout: HandoutDocument, block: b.Heading) -> None:
    handout.heading(block.text, block.level, new_page=block.new_page)


def _paragraph(handout: HandoutDocument, block: b.Paragraph) -> None:
    paragraphs = handout.text(block.text, STYLES[block.style])
    if block.style == "note":
        for paragraph in paragraphs:
            paragraph.paragraph_format.keep_with_next = True


def _labelled(handout: HandoutDocument, block: b.Labelled) -> None:
    handout.labelled(block.label, block.text)


def _bullets(handout: HandoutDocument, block: b.Bullets) -> None:
    handout.bullets(block.items)


def _name_line(handout: HandoutDocument, block: b.NameLine) -> None:
    handout.name_line()


# --- input sheet ------------------------------------------------------------------------------------


def _step(handout: HandoutDocument, block: b.StepBlock) -> None:
    step: Step = block.step
    handout.heading(f"Schritt {block.number}: {step.title}", 2)
    partner = "Gesprächspartner/in" if step.mode == "oral" else "Für"
    meta = handout.spans([Span(f"{REGISTER_LABELS[(step.mode, step.speech_register)]} · {partner}: {step.partner}",
                               "Emphasis")])
    task = handout.labelled("Aufgabe", step.task)
    for paragraph in (meta, task) if step.dialogue else (meta,):
        paragraph.paragraph_format.keep_with_next = True
    for line in step.dialogue:
        handout.spans([Span(f"{line.speaker}:", "Strong"), Span("\t" + line.text)], "Dialog")


def phrase_rows(phrases: Sequence[Phrase]) -> list[tuple[str, str, str, bool]]:
    """Return (function, Sie-form, du-form, neutral) rows grouped by function in first-seen order."""
    functions: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        functions.setdefault(phrase.function, []).append(phrase)
    rows = []
    for function, group in functions.items():
        for phrase in group:
            counterpart = phrase.counterpart or ""
            if phrase.speech_register == "formal":
                rows.append((function, phrase.text, counterpart, False))
            elif phrase.speech_register == "informal":
                rows.append((function, counterpart, phrase.text, False))
            else:
                rows.append((function, phrase.text, "", True))
    return rows


def _phrases(handout: HandoutDocument, block: b.PhraseTable) -> None:
    rows = phrase_rows(block.phrases)
    table = handout.table(["Sprachhandlung", "per Sie (formell)", "per Du (informell)"],
                          [[function, sie, du] for function, sie, du, _ in rows], [0.22, 0.39, 0.39])
    start = 0
    for number, (function, _, _, neutral) in enumerate(rows, start=1):
        if neutral:
            table.cell(number, 1).merge(table.cell(number, 2))
        if number == len(rows) or rows[number][0] != function:
            if number > start + 1:
                merged = table.cell(start + 1, 0).merge(table.cell(number, 0))
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = number


def _vocabulary(handout: HandoutDocument, block: b.VocabularyTable) -> None:
    # The sheet is for the whole class: translations go into the word list of each language (glossary).
    items: Sequence[VocabularyItem] = block.items
    header = ["Artikel", "Wort", "Plural / Formen", "Beispiel"]
    rows: list[list[Cell]] = []
    for item in items:
        example: list[list[Span]] = [[Span(item.example, "Emphasis")]]
        rows.append([item.article or "", [[Span(item.lemma, "Strong")]], b.grammar_text(item), example])
    handout.table(header, rows, [0.09, 0.24, 0.23, 0.44])


# --- documents by kind --------------------------------------------------------------------------------


def _document(handout: HandoutDocument, block: b.DocumentBlock) -> None:
    document = block.document
    if not block.blank:
        handout.spans([Span(document.note, "Emphasis")])
    DOCUMENT_DRAWERS[document.kind](handout, document, block.blank)


def _document_title(handout: HandoutDocument, document: WorkplaceDocument) -> None:
    paragraph = handout.spans([Span(document.title, "Strong")])
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(6)


def _fields(handout: HandoutDocument, document: WorkplaceDocument, blank: bool) -> None:
    """Draw the fields as a form: label and value on a ruled line (blank: the line stays empty)."""
    if not document.fields:
        return
    rows: list[list[Cell]] = [[[[Span(field.label, "Strong")]], "" if blank else field.value]
                              for field in document.fields]
    table = handout.table(["Feld", "Eintrag"], rows, [0.32, 0.68], min_height_cm=0.9 if blank else None,
                          keep_together=len(rows) <= 12)
    _hide_header(table)


def _rows(handout: HandoutDocument, document: WorkplaceDocument, blank: bool, *, keep_first_column: bool) -> None:
    if not document.rows:
        return
    columns = list(document.columns) or [f"Spalte {number}" for number in range(1, len(document.rows[0]) + 1)]
    if blank and keep_first_column:
        rows: list[list[str]] = [[row[0], *([""] * (len(row) - 1))] for row in document.rows]
    elif blank:
        rows = [[""] * len(columns) for _ in range(max(BLANK_ROWS, len(document.rows)))]
    else:
        rows = [list(row) for row in document.rows]
    widths = column_widths([columns, *[list(row) for row in document.rows]])
    handout.table(columns, [list(row) for row in rows], widths, min_height_cm=1.0 if blank else None)


def _form(handout: HandoutDocument, document: WorkplaceDocument, blank: bool) -> None:
    _document_title(handout, document)
    _fields(handout, document, blank)
    _rows(handout, document, blank, keep_first_column=False)
    if document.text and not blank:
        handout.labelled("Bemerkungen", document.text)
    elif document.text:
        handout.spans([Span("Bemerkungen:", "Strong")])
        handout.write_in_lines(3)


def _list(handout: HandoutDocument, document: WorkplaceDocument, blank: bool) -> None:
    """Draw a list (delivery note, pick list) or a plan: header fields, then the table.

    A blank plan keeps its first column (the times or areas the grid is about); a blank list is empty.
    """
    _document_title(handout, document)
    _fields(handout, document, blank)
    _rows(handout, document, blank, keep_first_column=document.kind == "plan")
    if document.text and not blank:
        handout.text(document.text, "Hinweis")


def _notice(handout: HandoutDocument, document: WorkplaceDocument, blank: bool) -> None:
    """Draw an Aushang: a framed box with a large title, the text and its details."""
    table = handout.document.add_table(rows=1, cols=1)
    handout._shape_table(table, [1.0])
    _borders(table, "single", 18)
    cell = table.cell(0, 0)
    title = cell.paragraphs[0]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title._p.style = handout.styles.id_of("Heading 3")
    title.add_run(document.title)
    if blank:
        for _ in range(10):
            cell.add_paragraph("_" * 70)._p.style = handout.styles.id_of("Tabellentext")
    else:
        for part in str(document.text).split("\n\n"):
            paragraph = cell.add_paragraph(part.strip())
            paragraph._p.style = handout.styles.id_of("Tabellentext")
        for field in document.fields:
            paragraph = cell.add_paragraph()
            paragraph._p.style = handout.styles.id_of("Tabellentext")
            paragraph.add_run(f"{field.label}: ").bold = True
            paragraph.add_run(field.value)
    handout.add_paragraph("")
    _rows(handout, document, blank, keep_first_column=False)


def _letter(handout: HandoutDocument, document: WorkplaceDocument, blank: bool) -> None:
    """Draw a letter or e-mail: letterhead, recipient, date, Betreff, Anrede, text, Gruß."""
    if document.sender:
        head = handout.add_paragraph("", "Tabellentext")
        head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _lines_into(head, document.sender, bold_first=True)
    if document.recipient and not blank:
        _lines_into(handout.add_paragraph("", "Tabellentext"), document.recipient)
    date = handout.add_paragraph(("Datum: ____________" if blank else document.date or ""), "Tabellentext")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if blank:
        handout.labelled("Betreff", "_" * 50)
        handout.write_in_lines(12)
        return
    handout.spans([Span(str(document.subject), "Strong")])
    handout.add_paragraph(str(document.salutation))
    handout.text(str(document.text))
    _lines_into(handout.add_paragraph(""), str(document.closing))


def _lines_into(paragraph: Any, text: str, *, bold_first: bool = False) -> None:
    for number, line in enumerate(text.splitlines()):
        run = paragraph.add_run(line)
        run.bold = bold_first and number == 0
        if number < len(text.splitlines()) - 1:
            run.add_break(WD_BREAK.LINE)


DOCUMENT_DRAWERS: dict[str, Callable[[HandoutDocument, WorkplaceDocument, bool], None]] = {
    "form": _form, "letter": _letter, "list": _list, "notice": _notice, "plan": _list,
}


def column_widths(rows: list[list[str]]) -> list[float]:
    """Return column widths (fractions) that follow the content: its longest word and its typical length."""
    weights = []
    for column in zip(*rows, strict=True):
        longest_word = max(len(text) if len(text) <= UNBROKEN else max(map(len, text.split())) for text in column)
        typical = sum(len(text) for text in column) / len(column)
        weights.append(max(4.0, longest_word + 1.0, min(typical, 40.0) * 0.8))
    total = sum(weights)
    return [weight / total for weight in weights]


# --- exercises --------------------------------------------------------------------------------------


def _exercise(handout: HandoutDocument, block: b.ExerciseBlock) -> None:
    practice: PracticeExercise = block.practice
    exercise = practice.exercise
    handout.heading(f"Übung {practice.number}: {exercise.title}", 2)
    for paragraph in handout.text(exercise.instruction):
        paragraph.paragraph_format.keep_with_next = True
    if practice.role_cards:
        handout.spans([Span("Rollen: ", "Strong"), Span(" · ".join(practice.role_cards)),
                       Span(". Ihre Lehrkraft gibt jeder Person ihre Rollenkarte.")], "Hinweis")
    letters = practice.letters
    _options(handout, practice.word_box, letters)
    if practice.layout == "table":
        rows: list[list[Cell]] = [[f"{index}.", item.prompt, ""] for index, item in enumerate(exercise.items, 1)]
        # Not kept together as a whole: heading, instruction, options and the whole table could be
        # longer than the rest of the page, and LibreOffice then drops the whole chain and leaves the
        # heading alone at the foot. The header row keeps with the first item, which is enough.
        handout.table(["Nr.", "Aufgabe", "Ihre Antwort"], rows, [0.07, 0.7, 0.23] if exercise.kind in
                      {"article", "ordering"} or letters else [0.07, 0.55, 0.38], min_height_cm=0.8)
    elif practice.layout == "lines":
        for index, item in enumerate(exercise.items, 1):
            paragraph = handout.spans([Span(f"{index}.\t", "Strong"), Span(item.prompt)])
            paragraph.paragraph_format.keep_with_next = True
            handout.write_in_lines(practice.lines)
    if block.document is not None:
        handout.spans([Span("Ihr Dokument zum Ausfüllen:", "Strong")]).paragraph_format.keep_with_next = True
        _document(handout, b.DocumentBlock(block.document, blank=True))
    if practice.layout == "open" and practice.lines:
        if practice.role_cards:
            handout.spans([Span("Notizen zur Vorbereitung:", "Strong")]).paragraph_format.keep_with_next = True
        handout.write_in_lines(practice.lines)


def _options(handout: HandoutDocument, options: Sequence[str], letters: dict[str, str]) -> None:
    if not options:
        return
    if not letters:
        handout.spans([Span("Wörter im Kasten: ", "Strong"), Span("   ·   ".join(options))], "Kasten")
        return
    spans = [Span("Zur Auswahl (schreiben Sie den Buchstaben):", "Strong")]
    for option in options:
        spans += [Span("\n"), Span(f"{letters[option]}\t", "Strong"), Span(option)]
    box = handout.spans(spans, "Kasten")
    box.paragraph_format.keep_with_next = box.paragraph_format.keep_together = True


def _self_assessment(handout: HandoutDocument, block: b.SelfAssessment) -> None:
    box: Cell = [[Span(CHECKBOX, "Kästchen")]]
    rows: list[list[Cell]] = [[statement, box, box, box] for statement in block.can_do]
    handout.table(["Kann-Beschreibung", "Das kann ich gut", "mit Hilfe", "noch nicht"], rows,
                  [0.58, 0.14, 0.14, 0.14], centred=(1, 2, 3), middle=(1, 2, 3), keep_together=True)


def _writing_lines(handout: HandoutDocument, block: b.WritingLines) -> None:
    handout.write_in_lines(block.count, elastic=True)


def _table(handout: HandoutDocument, block: b.Table) -> None:
    box: Cell = [[Span(CHECKBOX, "Kästchen")]]
    rows: list[list[Cell]] = [[box if column in block.checkboxes else value for column, value in enumerate(row)]
                              for row in block.rows]
    handout.table(list(block.header), rows, list(block.widths), centred=block.checkboxes, middle=block.checkboxes,
                  min_height_cm=1.3 if block.tall else None, keep_together=len(rows) <= 10)


# --- cards ----------------------------------------------------------------------------------------------


def _cards(handout: HandoutDocument, block: b.Cards) -> None:
    """Draw cards as a table with dashed cut lines; a card never breaks across pages."""
    columns = block.columns
    rows = -(-len(block.cards) // columns)
    handout._start_table()
    table = handout.document.add_table(rows=rows, cols=columns)
    handout._shape_table(table, [1.0 / columns] * columns)
    _borders(table, "dashed", 8)
    for index, card in enumerate(block.cards):
        cell = table.cell(index // columns, index % columns)
        _card_into(handout, cell, card, large=columns == 1)
    for row in table.rows:
        height = handout.elastic(CARD_HEIGHT_CM.get(columns, 3.4), floor=2.4)
        row.height, row.height_rule = Cm(height), WD_ROW_HEIGHT_RULE.AT_LEAST
        trPr = row._tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))


def _card_into(handout: HandoutDocument, cell: Any, card: b.Card, large: bool) -> None:
    """Write a card: its small label (if any), its heading, its text; role and situation cards in large type."""
    paragraphs = []
    if card.tag:
        paragraphs.append((card.tag, False, Pt(9), True))
    paragraphs.append((card.heading, True, Pt(13 if large else 11), False))
    paragraphs += [(line, False, Pt(11.5 if large else 9.5), False) for line in card.text.split("\n") if line]
    for number, (text, bold, size, italic) in enumerate(paragraphs):
        paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
        paragraph._p.style = handout.styles.id_of("Tabellentext")
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, size


def _borders(table: Any, style: str, size: int) -> None:
    """Give every edge of the table the border ``style`` (``dashed`` for cut lines)."""
    properties = table._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), style)
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "555555")
        borders.append(element)
    properties.append(borders)


def _hide_header(table: Any) -> None:
    """Remove a table's header row (a form shows labels in its rows, not a header), and its header shading."""
    table._tbl.remove(table.rows[0]._tr)
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.set(qn("w:firstRow"), "0")


# --- answer key -------------------------------------------------------------------------------------


def _answer_key(handout: HandoutDocument, block: b.AnswerKey) -> None:
    for entry in block.entries:
        paragraph = handout.spans([Span(f"Übung {entry.number}: {entry.title}", "Strong")])
        paragraph.paragraph_format.keep_with_next = True
        if entry.compact:
            handout.text(entry.compact)
        if entry.answers:
            handout.numbered(entry.answers)
        if entry.model:
            handout.text(entry.model, "Kasten")


DRAWERS: dict[type, Callable[[HandoutDocument, Any], None]] = {
    b.Heading: _heading, b.Paragraph: _paragraph, b.Labelled: _labelled, b.Bullets: _bullets,
    b.NameLine: _name_line, b.StepBlock: _step, b.PhraseTable: _phrases, b.VocabularyTable: _vocabulary,
    b.DocumentBlock: _document, b.ExerciseBlock: _exercise, b.SelfAssessment: _self_assessment,
    b.WritingLines: _writing_lines, b.Cards: _cards, b.Table: _table, b.AnswerKey: _answer_key,
}
"""Block kind → the function that draws it."""
