"""OOXML details of a handout: language, core properties, header fields, numbering, a stable zip.

Kept apart from the builder (:mod:`kurswerk.render.docx_base`) because this is where python-docx
has no API and the kit edits the XML itself, always in the schema's element order.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from kurswerk.errors import BuildError

AUTHOR = "IQ-Netzwerk"
"""Author and last editor in every handout's core properties."""

LANGUAGE = "de-DE"
DEFAULT_TIMESTAMP = datetime(2000, 1, 1, tzinfo=UTC)
"""Creation date of every handout unless ``SOURCE_DATE_EPOCH`` is set (reproducible builds)."""

ZIP_DATE = (2000, 1, 1, 0, 0, 0)
TRANSLATION_LANGUAGES = {"en": "en-GB", "tr": "tr-TR", "ar": "ar-SA", "uk": "uk-UA", "ru": "ru-RU", "pl": "pl-PL",
                         "ro": "ro-RO", "fa": "fa-IR", "es": "es-ES", "fr": "fr-FR", "it": "it-IT", "vi": "vi-VN"}
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur", "ps"}
_RPR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


@dataclass(frozen=True)
class Metadata:
    """Core properties of a handout; ``subject`` also fills the header's SUBJECT field."""

    title: str
    subject: str
    keywords: tuple[str, ...]
    category: str
    description: str
    footer: str = ""
    """The programme's funding line (``programm.yml``); empty: the template's placeholder line goes."""


def timestamp() -> datetime:
    """Return the fixed creation time: ``SOURCE_DATE_EPOCH`` if set, else :data:`DEFAULT_TIMESTAMP`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else DEFAULT_TIMESTAMP


def mark_language(run: Any, code: str) -> None:
    """Set a run's language (``w:lang``), and ``w:rtl`` for right-to-left scripts."""
    rpr = run.get_or_add_rPr()
    tag = TRANSLATION_LANGUAGES.get(code, code)
    lang = _get_or_add_lang(rpr)
    if code in RIGHT_TO_LEFT:
        lang.set(qn("w:bidi"), tag)
        rpr.get_or_add_rtl()
    else:
        lang.set(qn("w:val"), tag)


def _get_or_add_lang(rpr: Any) -> Any:
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        return lang
    lang = OxmlElement("w:lang")
    successor = next((rpr.find(qn(tag)) for tag in _RPR_AFTER_LANG if rpr.find(qn(tag)) is not None), None)
    if successor is None:
        rpr.append(lang)
    else:
        successor.addprevious(lang)
    return lang


def mark_header_row(table: Table) -> None:
    """Mark the first row as a header row that Word and LibreOffice repeat on every page."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    trpr.append(OxmlElement("w:tblHeader"))


def keep_row_together(row: Any) -> None:
    """Forbid a page break inside a table row."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def restarted_numbering(document: Document) -> int:
    """Return a new ``numId`` that restarts the List Number style's numbering at 1."""
    style = document.styles["List Number"].element
    num_id = style.xpath("./w:pPr/w:numPr/w:numId/@w:val")
    numbering = document.part.numbering_part.element
    if not num_id:
        raise BuildError("die Formatvorlage „List Number“ der Word-Vorlage hat keine Nummerierung (w:numPr)")
    abstract = numbering.num_having_numId(int(num_id[0])).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def set_numbering(paragraph: Paragraph, num_id: int) -> None:
    """Attach a paragraph to the numbering ``num_id`` at level 0."""
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


_PPR_AFTER_SHADING = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                      "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                      "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                      "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                      "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def frame_like(paragraph: Paragraph, document: Document, style: str) -> None:
    """Give a paragraph the border and shading of the paragraph style ``style`` (a box such as ``Kasten``).

    Word and LibreOffice draw consecutive paragraphs with the same border and indents as one box, so a
    heading and a list framed alike make one box. Raises :class:`BuildError` if the style has no border.
    """
    ppr = document.styles[style].element.find(qn("w:pPr"))
    border = ppr.find(qn("w:pBdr")) if ppr is not None else None
    if border is None:
        raise BuildError(f"die Formatvorlage „{style}“ der Word-Vorlage hat keinen Rahmen (w:pBdr)")
    shading = ppr.find(qn("w:shd"))
    target = paragraph._p.get_or_add_pPr()
    target.insert_element_before(deepcopy(border), "w:shd", *_PPR_AFTER_SHADING)
    if shading is not None:
        target.insert_element_before(deepcopy(shading), *_PPR_AFTER_SHADING)


def set_language(document: Document) -> None:
    """Make de-DE the language of the document defaults and of the Normal style."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr = _child(_child(defaults, "w:rPrDefault", first=True), "w:rPr")
    _get_or_add_lang(rpr).set(qn("w:val"), LANGUAGE)
    normal = document.styles["Normal"].element.get_or_add_rPr()
    _get_or_add_lang(normal).set(qn("w:val"), LANGUAGE)


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


CORE_PROPERTY_LIMIT = 255
"""Word stores title, subject, keywords and category in at most 255 characters each."""


def fitting(text: str, limit: int = CORE_PROPERTY_LIMIT) -> str:
    """Return ``text`` cut to ``limit`` characters at a word boundary, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut + "…"


def set_metadata(document: Document, metadata: Metadata) -> None:
    """Set the core properties: title, subject, author, keywords, language, fixed dates and revision."""
    properties = document.core_properties
    properties.title = fitting(metadata.title)
    properties.subject = fitting(metadata.subject)
    properties.author = AUTHOR
    properties.last_modified_by = AUTHOR
    properties.keywords = fitting("; ".join(metadata.keywords))
    properties.category = fitting(metadata.category)
    properties.comments = fitting(metadata.description)
    properties.language = LANGUAGE
    properties.created = properties.modified = timestamp()
    properties.revision = 1


FOOTER_PLACEHOLDER = "Förderhinweis aus curricula/programm.yml"
"""The text of the template's funding line, replaced by the programme's on every handout."""


def fill_funding_line(document: Document, text: str) -> None:
    """Replace the template's funding placeholder in headers and footers with ``text``; with no text the
    paragraph that holds it goes."""
    for part in document.part.package.iter_parts():
        if part.content_type not in (CT.WML_HEADER, CT.WML_FOOTER):
            continue
        for paragraph in list(part.element.iter(qn("w:p"))):
            texts = list(paragraph.iter(qn("w:t")))
            if "".join(t.text or "" for t in texts).strip() != FOOTER_PLACEHOLDER:
                continue
            if text:
                _set_result(texts, text)
            else:
                paragraph.getparent().remove(paragraph)


def fill_fields(document: Document, values: dict[str, str]) -> None:
    """Write the current text of TITLE/SUBJECT fields in every header and footer of the document.

    Handles simple fields (``w:fldSimple``) and complex ones (``w:fldChar`` … ``w:instrText``), so a
    template re-saved by Word keeps working. Word and LibreOffice also recompute them from the
    core properties, which carry the same text.
    """
    for part in document.part.package.iter_parts():
        if part.content_type in (CT.WML_HEADER, CT.WML_FOOTER):
            element = part.element
            for simple in element.iter(qn("w:fldSimple")):
                name = _field_name(simple.get(qn("w:instr"), ""))
                if name in values:
                    _set_result(simple.iter(qn("w:t")), values[name])
            for paragraph in element.iter(qn("w:p")):
                _fill_complex_fields(paragraph, values)


def _field_name(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


def _set_result(texts: Iterable[Any], value: str) -> None:
    for number, text in enumerate(texts):
        text.text = value if number == 0 else ""
        if number == 0:
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _fill_complex_fields(paragraph: Any, values: dict[str, str]) -> None:
    instruction, state = "", ""
    result: list[Any] = []
    for element in paragraph.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        kind = element.get(qn("w:fldCharType"))
        if kind == "begin":
            instruction, state, result = "", "instruction", []
        elif kind == "separate":
            state = "result"
        elif kind == "end":
            if _field_name(instruction) in values and result:
                _set_result(result, values[_field_name(instruction)])
            state = ""
        elif element.tag == qn("w:instrText") and state == "instruction":
            instruction += element.text or ""
        elif element.tag == qn("w:t") and state == "result":
            result.append(element)


def write_stable_zip(data: bytes, out: Path) -> Path:
    """Re-pack a saved package with fixed entry dates and a stable order; returns ``out``.

    python-docx stamps zip entries with the current time; this makes identical input give
    byte-identical files. Written to a scratch file first, then moved into place.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(scratch, "w") as target:
        names = source.namelist()
        ordered = [name for name in names if name == "[Content_Types].xml"]
        ordered += sorted(name for name in names if name != "[Content_Types].xml")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=6)
    scratch.replace(out)
    return out
