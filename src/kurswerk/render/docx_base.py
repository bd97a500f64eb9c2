"""The handout builder: a python-docx document on the Word template, its blocks and a deterministic save.

Everything that looks like something comes from ``templates/handout.docx`` (styles, page set-up,
header, footer); this module only chooses style names. User text is always set as literal run text
(python-docx escapes it), line breaks inside a text become ``w:br``, blank lines new paragraphs.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from kurswerk.errors import BuildError
from kurswerk.render.docx_xml import (
    RIGHT_TO_LEFT,
    Metadata,
    fill_fields,
    fill_funding_line,
    frame_like,
    keep_row_together,
    mark_header_row,
    mark_language,
    restarted_numbering,
    set_language,
    set_metadata,
    set_numbering,
    write_stable_zip,
)

CHECKBOX = "☐"
BOX_LIST_INDENT = (Twips(567), Twips(-227), Twips(113))
"""Left, first-line and right indent of a list in a box: the template's list indent inside the box's margins."""
TABLE_STYLE = "Kurswerk Tabelle"
LINES_STYLE = "Kurswerk Schreiblinien"
TRANSLATION_STYLE = "Übersetzung"
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Fit:
    """How tightly a handout is set, so that its last page is not nearly empty.

    ``scale`` shrinks the elastic space (lines for notes, row heights of tables to write in, cards;
    never the lines a writing task is sized to);
    ``break_section`` starts the n-th last section (heading of level 1 or 2) on a new page, so that
    the last page holds whole sections rather than the last lines of one.
    """

    scale: float = 1.0
    break_section: int = 0
    break_before: frozenset[str] = frozenset()
    """Headings (their text) that start a new page: ones the word processor left alone at a page foot."""


FITS: tuple[Fit, ...] = (Fit(), Fit(0.8), Fit(1.0, 1), Fit(0.65), Fit(1.0, 2), Fit(0.8, 1), Fit(1.0, 3),
                         Fit(0.5), Fit(0.65, 2), Fit(0.5, 3))
"""The settings tried in turn until a handout's last page holds at least a quarter page of text."""


@dataclass(frozen=True)
class Span:
    """A piece of text in one character style (``Strong``, ``Emphasis``, ``Kästchen``) and language."""

    text: str
    style: str | None = None
    language: str | None = None


Cell = str | Sequence[Sequence[Span]]
"""A table cell: plain text, or paragraphs of spans."""


def paragraphs_of(text: str) -> list[str]:
    """Split a text at blank lines into paragraphs (single line breaks stay inside a paragraph)."""
    return [part for part in _PARAGRAPH_BREAK.split(text) if part.strip()] or [text]


def translation_spans(translations: dict[str, str]) -> list[Span]:
    """Return translations as one line (``en: handover · tr: devir teslim``), each marked with its language.

    Right-to-left languages come last so the line reads cleanly in a left-to-right paragraph.
    """
    order = sorted(translations, key=lambda code: (code in RIGHT_TO_LEFT, code))
    spans: list[Span] = []
    for code in order:
        if spans:
            spans.append(Span("  ·  ", TRANSLATION_STYLE))
        spans += [Span(f"{code}: ", TRANSLATION_STYLE), Span(translations[code], TRANSLATION_STYLE, code)]
    return spans


class StyleIds:
    """Style names → style ids of one document, looked up once (python-docx searches on every use)."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._ids: dict[str, str] = {}

    def id_of(self, name: str) -> str:
        """Return the id of the style named ``name``; raises :class:`BuildError` if the template lacks it."""
        if name not in self._ids:
            try:
                self._ids[name] = str(self._document.styles[name].style_id)
            except KeyError:
                raise BuildError(f"der Word-Vorlage fehlt die Formatvorlage „{name}“") from None
        return self._ids[name]


class HandoutDocument:
    """A handout being written: the template's styles, header and footer, and an emptied body."""

    def __init__(self, template: Path, metadata: Metadata, fit: Fit | None = None) -> None:
        """Open ``template``; raises :class:`BuildError` if it is missing or not a Word document."""
        self.fit = fit or Fit()
        self.template = template
        """The Word template; the project's chart style sits next to it (``kurswerk.mplstyle``)."""
        try:
            self.document: Document = docx.Document(str(template))
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError) as error:
            raise BuildError(f"{template}: die Word-Vorlage lässt sich nicht öffnen ({error})") from None
        self._heading_level = -1
        self.styles = StyleIds(self.document)
        self._clear_body()
        set_language(self.document)
        set_metadata(self.document, metadata)
        fill_fields(self.document, {"TITLE": metadata.title, "SUBJECT": metadata.subject})
        fill_funding_line(self.document, metadata.footer)

    def add_paragraph(self, text: str, style: str | None = None) -> Paragraph:
        """Add a paragraph of literal text in a paragraph style (by its name in Word); returns it.

        Right after a table the paragraph gets some space above (headings bring their own). No
        empty paragraph is used as a spacer: LibreOffice then breaks "keep with next" chains.
        """
        after_table = self._last_block_is(qn("w:tbl"))
        paragraph = self.document.add_paragraph(text)
        if style:
            paragraph._p.style = self.styles.id_of(style)
        if after_table and not (style or "").startswith("Heading"):
            paragraph.paragraph_format.space_before = Pt(9)
        return paragraph

    def _last_block_is(self, tag: str) -> bool:
        body = self.document.element.body
        blocks = [child for child in body if child.tag != qn("w:sectPr")]
        return bool(blocks) and blocks[-1].tag == tag

    def _start_table(self) -> None:
        """Separate a table from one just before it (Word would merge them) and keep its introduction."""
        if self._last_block_is(qn("w:tbl")):
            self.add_paragraph("")
        elif self._last_block_is(qn("w:p")):
            last = [child for child in self.document.element.body if child.tag == qn("w:p")][-1]
            Paragraph(last, self.document._body).paragraph_format.keep_with_next = True

    @property
    def text_width(self) -> int:
        """The width between the margins of the first section, in EMU."""
        section = self.document.sections[0]
        return int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)

    def _clear_body(self) -> None:
        body = self.document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)

    # --- headings and text ----------------------------------------------------------------------

    def title(self, text: str, subtitle: str) -> None:
        """Add the title and the subtitle line; must come first."""
        self.add_paragraph(text, "Title")
        self.add_paragraph(subtitle, "Subtitle")
        self._heading_level = 0

    def heading(self, text: str, level: int, *, new_page: bool = False) -> Paragraph:
        """Add a heading; raises :class:`BuildError` if it would skip a level (accessibility)."""
        if self._heading_level < 0 or level > self._heading_level + 1:
            raise BuildError(f"Überschrift der Ebene {level} nach Ebene {self._heading_level} (eine Ebene übersprungen): "
                             f"„{text}“")
        self._heading_level = level
        paragraph = self.add_paragraph(text, f"Heading {level}")
        paragraph.paragraph_format.page_break_before = new_page or None
        return paragraph

    def text(self, text: str, style: str | None = None) -> list[Paragraph]:
        """Add a text as one paragraph per blank-line-separated part; returns the paragraphs."""
        return [self.add_paragraph(part, style) for part in paragraphs_of(text)]

    def spans(self, spans: Iterable[Span], style: str | None = None) -> Paragraph:
        """Add one paragraph made of spans; returns it."""
        paragraph = self.add_paragraph("", style)
        add_spans(paragraph, spans, self.styles)
        return paragraph

    def labelled(self, label: str, text: str, style: str | None = None) -> Paragraph:
        """Add ``Label: text`` with the label in bold; returns the paragraph."""
        return self.spans([Span(f"{label}: ", "Strong"), Span(text)], style)

    def bullets(self, items: Iterable[str]) -> None:
        """Add a bulleted list."""
        for item in items:
            self.add_paragraph(item, "List Bullet")

    def numbered(self, items: Iterable[str]) -> list[Paragraph]:
        """Add a numbered list that starts again at 1; returns its paragraphs."""
        number = restarted_numbering(self.document)
        paragraphs = []
        for item in items:
            paragraph = self.add_paragraph(item, "List Number")
            set_numbering(paragraph, number)
            paragraphs.append(paragraph)
        return paragraphs

    def boxed_list(self, heading: str, items: Iterable[str], box_style: str = "Kasten") -> list[Paragraph]:
        """Add a heading of level 1 and a bulleted list in one box framed like ``box_style``; returns the
        list's paragraphs. The box is kept on one page."""
        paragraphs = [self.heading(heading, 1), *(self.add_paragraph(item, "List Bullet") for item in items)]
        for paragraph in paragraphs:
            frame_like(paragraph, self.document, box_style)
            layout = paragraph.paragraph_format
            layout.left_indent, layout.first_line_indent, layout.right_indent = BOX_LIST_INDENT
            layout.keep_with_next = paragraph is not paragraphs[-1]
        return paragraphs[1:]

    def checklist(self, items: Iterable[str]) -> None:
        """Add one paragraph per item, each starting with an empty check box."""
        for item in items:
            self.spans([Span(CHECKBOX, "Kästchen"), Span("\t" + item)], "Checkliste")

    def name_line(self) -> None:
        """Add a "Name: ____ Datum: ____" line for a printed worksheet."""
        paragraph = self.spans([Span("Name:\t"), Span("   Datum:\t")])
        stops = paragraph.paragraph_format.tab_stops
        width = Emu(self.text_width)
        stops.add_tab_stop(Emu(int(width * 0.62)), WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.LINES)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES)

    # --- tables -----------------------------------------------------------------------------------

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float], *,
              centred: Iterable[int] = (), middle: Iterable[int] = (), min_height_cm: float | None = None,
              keep_together: bool = False) -> Table:
        """Add a table in the template's table style with a repeating header row; returns it.

        ``widths`` are fractions of the text width; ``centred`` lists columns to centre horizontally,
        ``middle`` those to centre vertically; ``keep_together`` asks the word processor not to
        break the (short) table across pages.
        """
        self._start_table()
        table = self.document.add_table(rows=1 + len(rows), cols=len(header), style=TABLE_STYLE)
        self._shape_table(table, widths)
        mark_header_row(table)
        centre, vertical = set(centred), set(middle)
        for column, (cell, text) in enumerate(zip(table.rows[0].cells, header, strict=True)):
            fill_cell(cell, text, "Tabellenkopf", self.styles, centred=column in centre)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
        for row, values in zip(table.rows[1:], rows, strict=True):
            keep_row_together(row)
            if min_height_cm:
                row.height, row.height_rule = Cm(self.elastic(min_height_cm, 0.7)), WD_ROW_HEIGHT_RULE.AT_LEAST
            for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                fill_cell(cell, value, "Tabellentext", self.styles, centred=column in centre)
                if column in vertical:
                    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if keep_together:
            for row in table.rows[:-1]:
                for paragraph in (p for cell in row.cells for p in cell.paragraphs):
                    paragraph.paragraph_format.keep_with_next = True
        return table

    def _shape_table(self, table: Table, widths: Sequence[float]) -> None:
        table.autofit = False
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        if look is not None:
            look.set(qn("w:firstColumn"), "0")
            look.set(qn("w:noHBand"), "1")
        total = self.text_width
        for column, fraction in zip(table.columns, widths, strict=True):
            column.width = Emu(int(total * fraction))
            for cell in column.cells:
                cell.width = Emu(int(total * fraction))

    def write_in_lines(self, count: int, *, elastic: bool = False) -> Table:
        """Add ``count`` ruled lines to write on; returns the table.

        Lines for a task keep their number (sized to what the task asks); ``elastic`` lines (notes)
        become fewer when the fit is tighter.
        """
        self._start_table()
        count = max(1, round(count * self.fit.scale)) if elastic else count
        table = self.document.add_table(rows=count, cols=1, style=LINES_STYLE)
        self._shape_table(table, [1.0])
        for row in table.rows:
            row.height, row.height_rule = Cm(0.85), WD_ROW_HEIGHT_RULE.EXACTLY
            keep_row_together(row)
        return table

    # --- pictures and saving ----------------------------------------------------------------------

    def picture(self, png: bytes, alt: str, caption: str, width_fraction: float = 1.0) -> None:
        """Add a picture with alt text (``docPr/@descr``) and a caption paragraph below it."""
        paragraph = self.add_paragraph("")
        shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(int(self.text_width * width_fraction)))
        shape._inline.docPr.set("descr", alt)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        self.add_paragraph(caption, "Caption")

    def logo_bar(self, logos: Sequence[tuple[Path, str]], height_mm: float = 9.0) -> None:
        """Add a footer line with the logos (file, alt text), each as high as ``height_mm``."""
        if not logos:
            return
        footer = self.document.sections[0].footer
        paragraph = footer.add_paragraph()
        paragraph._p.style = self.styles.id_of("Footer")
        for number, (path, alt) in enumerate(logos):
            run = paragraph.add_run("  " if number else "")
            shape = run.add_picture(str(path), height=Mm(height_mm))
            shape._inline.docPr.set("descr", alt)

    def elastic(self, value: float, floor: float = 0.0) -> float:
        """Return a length scaled by the fit (writing space), never below ``floor``."""
        return max(floor, value * self.fit.scale)

    def save(self, out: Path) -> Path:
        """Write the handout to ``out`` byte-identically for identical input; returns ``out``.

        A table must not end a Word document, so a paragraph follows it: one point high, so it never
        spills onto a page of its own.
        """
        if self._last_block_is(qn("w:tbl")):
            closing = self.add_paragraph("")
            closing.paragraph_format.space_before = closing.paragraph_format.space_after = Pt(0)
            closing.paragraph_format.line_spacing = Pt(1)
            closing.add_run("").font.size = Pt(1)
        if self.fit.break_section:
            self._break_before_section(self.fit.break_section)
        if self.fit.break_before:
            self._break_before_headings(self.fit.break_before)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return write_stable_zip(buffer.getvalue(), out)

    def _break_before_headings(self, texts: frozenset[str]) -> None:
        heading_ids = {self.styles.id_of(f"Heading {level}") for level in (1, 2, 3)}
        for paragraph in self.document.paragraphs:
            if paragraph._p.style in heading_ids and " ".join(paragraph.text.split()) in texts:
                paragraph.paragraph_format.page_break_before = True

    def _break_before_section(self, from_end: int) -> None:
        """Start the ``from_end``-th last section on a new page (never the first: it follows the title)."""
        heading_ids = {self.styles.id_of("Heading 1"), self.styles.id_of("Heading 2")}
        headings = [p for p in self.document.paragraphs if p._p.style in heading_ids][1:]
        if len(headings) >= from_end:
            headings[-from_end].paragraph_format.page_break_before = True


# --- helpers on python-docx objects ---------------------------------------------------------------


def add_spans(paragraph: Paragraph, spans: Iterable[Span], styles: StyleIds) -> None:
    """Append spans as runs; a span with a language is marked with it (and right-to-left if needed)."""
    for span in spans:
        run = paragraph.add_run(span.text)
        if span.style:
            run._r.get_or_add_rPr().style = styles.id_of(span.style)
        if span.language:
            mark_language(run._r, span.language)


def fill_cell(cell: _Cell, value: Cell, style: str, styles: StyleIds, *, centred: bool = False) -> None:
    """Write a cell's text (plain or paragraphs of spans) in a paragraph style."""
    paragraphs: Sequence[Sequence[Span]] = (
        [[Span(part)] for part in paragraphs_of(value)] if isinstance(value, str) else value
    ) or [[]]
    first = cell.paragraphs[0]
    for number, spans in enumerate(paragraphs):
        paragraph = first if number == 0 else cell.add_paragraph()
        paragraph._p.style = styles.id_of(style)
        add_spans(paragraph, spans, styles)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


