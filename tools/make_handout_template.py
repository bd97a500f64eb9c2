"""Re-make ``templates/handout.docx``, the Word template every handout is rendered on.

The .docx in ``templates/`` is the source of truth: a designer restyles every handout by editing
it in Word (styles, page set-up, header, footer). This script only re-creates the original from
scratch — a small, clean package without Word's hundreds of unused styles — for when the file is
lost or the defaults are to be reset. Run: ``.venv/bin/python tools/make_handout_template.py``.

What the renderer (``kurswerk.render.docx``) relies on, so keep it when restyling:

* the style names used below (paragraph: Title, Subtitle, Heading 1–3, Normal, List Bullet,
  List Number, Caption, Tabellentext, Tabellenkopf, Kasten, Hinweis, Dialog, Checkliste;
  character: Kästchen, Übersetzung, Strong, Emphasis; table: Kurswerk Tabelle, Kurswerk Schreiblinien);
* the TITLE and SUBJECT fields in the header (the renderer writes their current text);
* the body is a specimen of every style and is replaced when a handout is rendered.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

FONT = "Liberation Sans"
SYMBOL_FONT = "DejaVu Sans"
ACCENT = "1A5A72"
ACCENT_DARK = "123F50"
TINT = "E3EDF1"
BOX = "F2F6F8"
TEXT = "222222"
MUTED = "5F6B70"
RULE = "C9D3D7"
SIGNAL = "A86A00"

A4_WIDTH, A4_HEIGHT = 11906, 16838
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = 1247, 1531, 1474
TEXT_WIDTH = A4_WIDTH - 2 * MARGIN_SIDE
BUILT_IN_STYLES = {"Title", "Subtitle", "heading 1", "heading 2", "heading 3", "List Bullet", "List Number",
                   "caption", "header", "footer"}

FUNDING_LINE = "Förderhinweis aus curricula/programm.yml"
"""A placeholder: kurswerk writes the programme's funding line (``curricula/programm.yml``) in its place."""
LICENCE_LINE = "Lizenz: CC BY-SA 4.0 (creativecommons.org/licenses/by-sa/4.0/deed.de)"


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def _paragraph_style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "<w:qFormat/>",
) -> str:
    """Return one ``w:style`` of type paragraph."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    following = f'<w:next w:val="{next_style}"/>' if next_style else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="{int(name not in BUILT_IN_STYLES)}" '
        f'w:styleId="{style_id}"><w:name w:val="{name}"/>{based}{following}{extra}'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _heading(level: int, size: int, color: str, before: int, after: int) -> str:
    return _paragraph_style(
        f"Heading{level}",
        f"heading {level}",
        next_style="Normal",
        extra='<w:uiPriority w:val="9"/><w:qFormat/>',
        ppr=(
            f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}" '
            f'w:line="240" w:lineRule="auto"/><w:outlineLvl w:val="{level - 1}"/>'
        ),
        rpr=f'<w:b/><w:bCs/><w:color w:val="{color}"/>{_size(size)}',
    )


def _box(style_id: str, name: str, border: str, fill: str) -> str:
    return _paragraph_style(
        style_id,
        name,
        ppr=(
            f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="3" w:color="{fill}"/>'
            f'<w:left w:val="single" w:sz="24" w:space="8" w:color="{border}"/>'
            f'<w:bottom w:val="single" w:sz="4" w:space="3" w:color="{fill}"/>'
            f'<w:right w:val="single" w:sz="4" w:space="4" w:color="{fill}"/></w:pBdr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
            '<w:spacing w:before="60" w:after="60"/><w:ind w:left="227" w:right="113"/>'
        ),
    )


def _text_styles() -> list[str]:
    """Return the styles of running text: Normal, title, headings, lists and caption."""
    return [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:spacing w:after="120" w:line="269" w:lineRule="auto"/></w:pPr>'
        f'<w:rPr><w:color w:val="{TEXT}"/><w:lang w:val="de-DE" w:eastAsia="de-DE" w:bidi="ar-SA"/></w:rPr></w:style>',
        _paragraph_style(
            "Title", "Title", next_style="Subtitle", extra='<w:uiPriority w:val="10"/><w:qFormat/>',
            ppr='<w:keepNext/><w:spacing w:before="0" w:after="80" w:line="240" w:lineRule="auto"/>',
            rpr=f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:kern w:val="28"/>{_size(46)}',
        ),
        _paragraph_style(
            "Subtitle", "Subtitle", next_style="Normal", extra='<w:uiPriority w:val="11"/><w:qFormat/>',
            ppr=(
                f'<w:pBdr><w:bottom w:val="single" w:sz="8" w:space="8" w:color="{ACCENT}"/></w:pBdr>'
                '<w:spacing w:before="0" w:after="280"/>'
            ),
            rpr=f'<w:color w:val="{MUTED}"/>{_size(22)}',
        ),
        _heading(1, 30, ACCENT, 400, 120),
        _heading(2, 23, ACCENT_DARK, 260, 80),
        _heading(3, 21, TEXT, 200, 60),
        _paragraph_style(
            "ListBullet", "List Bullet", extra='<w:uiPriority w:val="36"/><w:qFormat/>',
            ppr='<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="340" w:hanging="227"/>',
        ),
        _paragraph_style(
            "ListNumber", "List Number", extra='<w:uiPriority w:val="36"/><w:qFormat/>',
            ppr='<w:numPr><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/><w:ind w:left="340" w:hanging="340"/>',
        ),
        _paragraph_style(
            "Caption", "caption", next_style="Normal", extra='<w:uiPriority w:val="35"/><w:qFormat/>',
            ppr='<w:spacing w:before="60" w:after="240"/>',
            rpr=f'<w:i/><w:iCs/><w:color w:val="{MUTED}"/>{_size(17)}',
        ),
    ]


def _block_styles() -> list[str]:
    """Return the styles of table text, boxes, dialogue, checklists, header and footer."""
    return [
        _paragraph_style(
            "Tabellentext", "Tabellentext",
            ppr='<w:spacing w:before="0" w:after="0" w:line="245" w:lineRule="auto"/>', rpr=_size(19),
        ),
        _paragraph_style(
            "Tabellenkopf", "Tabellenkopf", based_on="Tabellentext",
            ppr="<w:keepNext/>", rpr=f'<w:b/><w:bCs/><w:color w:val="{ACCENT_DARK}"/>',
        ),
        _box("Kasten", "Kasten", ACCENT, BOX),
        _box("Hinweis", "Hinweis", SIGNAL, "FBF5EA"),
        _paragraph_style(
            "Dialog", "Dialog",
            ppr=(
                '<w:tabs><w:tab w:val="left" w:pos="1928"/></w:tabs><w:spacing w:after="60"/>'
                '<w:ind w:left="1928" w:hanging="1928"/>'
            ),
        ),
        _paragraph_style(
            "Checkliste", "Checkliste",
            ppr=(
                '<w:tabs><w:tab w:val="left" w:pos="397"/></w:tabs><w:spacing w:after="80"/>'
                '<w:ind w:left="397" w:hanging="397"/>'
            ),
        ),
        _paragraph_style(
            "Header", "header", extra='<w:uiPriority w:val="99"/>',
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="0"/>',
            rpr=f'<w:color w:val="{MUTED}"/>{_size(16)}',
        ),
        _paragraph_style(
            "Footer", "footer", extra='<w:uiPriority w:val="99"/>',
            ppr=(
                f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
            ),
            rpr=f'<w:color w:val="{MUTED}"/>{_size(15)}',
        ),
    ]


def _character_styles() -> list[str]:
    def style(style_id: str, name: str, rpr: str) -> str:
        return (
            f'<w:style w:type="character" w:styleId="{style_id}"><w:name w:val="{name}"/>'
            f'<w:qFormat/><w:rPr>{rpr}</w:rPr></w:style>'
        )

    return [
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        style("Strong", "Strong", "<w:b/><w:bCs/>"),
        style("Emphasis", "Emphasis", "<w:i/><w:iCs/>"),
        style("Kaestchen", "Kästchen", f'{_fonts(SYMBOL_FONT)}<w:color w:val="{ACCENT}"/>'),
        style("Uebersetzung", "Übersetzung", f'<w:color w:val="{MUTED}"/>{_size(17)}'),
    ]


def _table_styles() -> list[str]:
    margins = (
        '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="68" w:type="dxa"/>'
        '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="68" w:type="dxa"/></w:tblCellMar>'
    )
    return [
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        f"{margins}</w:tblPr></w:style>",
        '<w:style w:type="table" w:customStyle="1" w:styleId="KurswerkTabelle"><w:name w:val="Kurswerk Tabelle"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:tblPr><w:tblBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/></w:tblBorders>{margins}</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="{ACCENT}"/></w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{TINT}"/></w:tcPr></w:tblStylePr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="KurswerkSchreiblinien">'
        '<w:name w:val="Kurswerk Schreiblinien"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="41"/>'
        '<w:tblPr><w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C979C"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C979C"/></w:tblBorders>'
        '<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]


def styles_xml() -> str:
    """Return ``word/styles.xml``: defaults in German, the kit's paragraph, character and table styles."""
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(FONT)}{_size(20)}"
        '<w:lang w:val="de-DE" w:eastAsia="de-DE" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "</w:pPrDefault>"
        "</w:docDefaults>"
    )
    numbering_none = (
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    )
    body = "".join([*_text_styles(), *_block_styles(), *_character_styles(), *_table_styles(), numbering_none])
    return f'{DECLARATION}<w:styles xmlns:w="{W}">{defaults}{body}</w:styles>'


def numbering_xml() -> str:
    """Return ``word/numbering.xml``: one bullet list (num 1) and one decimal list (num 2)."""

    def abstract(number: int, style: str, fmt: str, text: str, rpr: str) -> str:
        return (
            f'<w:abstractNum w:abstractNumId="{number}"><w:nsid w:val="4B57{number:04X}"/>'
            '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            f'<w:numFmt w:val="{fmt}"/><w:pStyle w:val="{style}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="340" w:hanging="{227 if fmt == "bullet" else 340}"/></w:pPr>'
            f"<w:rPr>{rpr}</w:rPr></w:lvl></w:abstractNum>"
        )

    return (
        f'{DECLARATION}<w:numbering xmlns:w="{W}">'
        + abstract(10, "ListBullet", "bullet", "•", f'<w:color w:val="{ACCENT}"/>')
        + abstract(20, "ListNumber", "decimal", "%1.", f'<w:b/><w:color w:val="{ACCENT}"/>')
        + '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num></w:numbering>'
    )


def settings_xml() -> str:
    """Return ``word/settings.xml``: German locale, hyphenation, the default table style."""
    return (
        f'{DECLARATION}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="709"/><w:autoHyphenation/><w:consecutiveHyphenLimit w:val="2"/>'
        '<w:hyphenationZone w:val="357"/><w:doNotHyphenateCaps/>'
        '<w:defaultTableStyle w:val="KurswerkTabelle"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="de-DE"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>'
    )


def font_table_xml() -> str:
    """Return ``word/fontTable.xml``; Word falls back to the ``altName`` where a font is missing."""
    return (
        f'{DECLARATION}<w:fonts xmlns:w="{W}">'
        f'<w:font w:name="{FONT}"><w:altName w:val="Arial"/><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
        f'<w:font w:name="{SYMBOL_FONT}"><w:altName w:val="Segoe UI Symbol"/><w:panose1 w:val="020B0603030804020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>'
    )


def _field(instruction: str, result: str) -> str:
    return (
        f'<w:fldSimple w:instr=" {instruction} \\* MERGEFORMAT ">'
        f'<w:r><w:t xml:space="preserve">{result}</w:t></w:r></w:fldSimple>'
    )


def header_xml() -> str:
    """Return the header: a borderless two-cell table with the handout's title (TITLE field) on the
    left and its subject (SUBJECT field) on the right, so a long title wraps in its own cell."""
    left, right = TEXT_WIDTH * 3 // 5, TEXT_WIDTH - TEXT_WIDTH * 3 // 5

    def cell(width: int, align: str, field: str) -> str:
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="bottom"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="{align}"/></w:pPr>{field}</w:p></w:tc>'
        )

    return (
        f'{DECLARATION}<w:hdr xmlns:w="{W}" xmlns:r="{R}"><w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>'
        f'<w:tblBorders><w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/></w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid><w:gridCol w:w="{left}"/><w:gridCol w:w="{right}"/></w:tblGrid><w:tr>'
        + cell(left, "left", _field("TITLE", "Titel des Handouts"))
        + cell(right, "right", _field("SUBJECT", "Bereich"))
        + '</w:tr></w:tbl><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>'
    )


def footer_xml() -> str:
    """Return the footer: funding line, licence and "Seite X von Y" (PAGE, NUMPAGES fields)."""
    rule = f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>'
    return (
        f'{DECLARATION}<w:ftr xmlns:w="{W}" xmlns:r="{R}">'
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/>{rule}</w:pPr><w:r><w:t>{FUNDING_LINE}</w:t></w:r></w:p>'
        f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t>{LICENCE_LINE}</w:t></w:r>'
        '<w:r><w:tab/><w:t xml:space="preserve">Seite </w:t></w:r>'
        + _field("PAGE", "1")
        + '<w:r><w:t xml:space="preserve"> von </w:t></w:r>'
        + _field("NUMPAGES", "1")
        + "</w:p></w:ftr>"
    )


def _p(style: str, text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _specimen_table() -> str:
    def row(style: str, cells: list[str], header: bool = False) -> str:
        props = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
        width = f'<w:tcPr><w:tcW w:w="{TEXT_WIDTH // 3}" w:type="dxa"/></w:tcPr>'
        return f"<w:tr>{props}" + "".join(f"<w:tc>{width}{_p(style, text)}</w:tc>" for text in cells) + "</w:tr>"

    grid = f'<w:gridCol w:w="{TEXT_WIDTH // 3}"/>' * 3
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="KurswerkTabelle"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        + row("Tabellenkopf", ["Artikel", "Wort", "Plural"], header=True)
        + row("Tabellentext", ["die", "Übergabe", "die Übergaben"])
        + "</w:tbl>"
    )


def document_xml() -> str:
    """Return the body: a specimen of every style (the renderer replaces it) and the A4 section."""
    specimen = "".join(
        [
            _p("Title", "Titel des Handouts"),
            _p("Subtitle", "Arbeitsblatt · Bereich · Niveau B1"),
            _p("Heading1", "Überschrift 1"),
            _p("Normal", "Fließtext in der Formatvorlage „Standard“ (Normal). Diese Seite zeigt alle "
               "Formatvorlagen; sie wird beim Erzeugen eines Handouts ersetzt."),
            _p("ListBullet", "Aufzählung (List Bullet)"),
            _p("ListNumber", "Nummerierung (List Number)"),
            _p("Heading2", "Überschrift 2"),
            _specimen_table(),
            _p("Caption", "Tabelle 1: Beschriftung (Caption)"),
            _p("Heading3", "Überschrift 3"),
            _p("Dialog", "Sprecherin:\tDialogzeile (Dialog)"),
            '<w:p><w:pPr><w:pStyle w:val="Checkliste"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Kaestchen"/></w:rPr>'
            "<w:t>☐</w:t></w:r><w:r><w:tab/><w:t>Punkt einer Checkliste (Checkliste, Kästchen)</w:t></w:r></w:p>",
            _p("Kasten", "Kasten für Fallbeschreibungen und Dokumenttexte"),
            _p("Hinweis", "Hinweis, z. B. zur Unterweisung nach § 12 ArbSchG"),
        ]
    )
    section = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/>'
        f'<w:pgSz w:w="{A4_WIDTH}" w:h="{A4_HEIGHT}"/><w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_SIDE}" '
        f'w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_SIDE}" w:header="680" w:footer="567" w:gutter="0"/>'
        '<w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    return f'{DECLARATION}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{specimen}{section}</w:body></w:document>'


def _relationships(entries: list[tuple[str, str, str]]) -> str:
    rels = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/>' for rid, kind, target in entries)
    return f'{DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{rels}</Relationships>'


def _content_types() -> str:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = {
        "/word/document.xml": f"{main}.document.main+xml",
        "/word/styles.xml": f"{main}.styles+xml",
        "/word/numbering.xml": f"{main}.numbering+xml",
        "/word/settings.xml": f"{main}.settings+xml",
        "/word/fontTable.xml": f"{main}.fontTable+xml",
        "/word/header1.xml": f"{main}.header+xml",
        "/word/footer1.xml": f"{main}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    body = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items())
    return (
        f'{DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{body}</Types>'
    )


def _core_xml() -> str:
    return (
        f"{DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Kurswerk-Handoutvorlage</dc:title><dc:creator>IQ-Netzwerk</dc:creator>"
        "<dc:language>de-DE</dc:language><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def parts() -> dict[str, str]:
    """Return every part of the template package, by its name in the zip."""
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            [
                ("rId1", f"{office}/officeDocument", "word/document.xml"),
                ("rId2", f"{PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml"),
                ("rId3", f"{office}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/core.xml": _core_xml(),
        "docProps/app.xml": (
            f'{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>kurswerk</Application></Properties>"
        ),
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": _relationships(
            [
                ("rId1", f"{office}/header", "header1.xml"),
                ("rId2", f"{office}/footer", "footer1.xml"),
                ("rId3", f"{office}/styles", "styles.xml"),
                ("rId4", f"{office}/numbering", "numbering.xml"),
                ("rId5", f"{office}/settings", "settings.xml"),
                ("rId6", f"{office}/fontTable", "fontTable.xml"),
            ]
        ),
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/header1.xml": header_xml(),
        "word/footer1.xml": footer_xml(),
    }


def write_template(path: Path) -> Path:
    """Write the template package to ``path`` (byte-identical on every run); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts().items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return path


def main() -> int:
    """Write ``templates/handout.docx`` next to this script's project; returns the exit code."""
    target = Path(__file__).resolve().parent.parent / "templates" / "handout.docx"
    write_template(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
