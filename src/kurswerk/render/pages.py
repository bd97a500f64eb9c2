"""Model → MyST Markdown for the sector overview, glossary and downloads pages.

Uses the escaping helpers of :mod:`kurswerk.render.markdown`; all user text stays literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kurswerk.glossary import GlossaryWord, glossary_words
from kurswerk.model import SectorCurriculum, Source
from kurswerk.render.markdown import bullets, cell, escape, one_line, slug, table, term_label, translations_text

if TYPE_CHECKING:
    from kurswerk.render.figures import ChartInfo


@dataclass(frozen=True)
class Download:
    """One handout on a downloads page: label, path relative to the page, short description."""

    label: str
    path: str
    description: str
    edition: str
    docx_size: str = ""
    pdf_pages: int = 0
    pdf_size: str = ""

    @property
    def pdf_path(self) -> str:
        return self.path.removesuffix(".docx") + ".pdf"


def source_text(source: Source) -> str:
    """Format a source as ``Titel, Herausgeber, Jahr``."""
    return ", ".join(str(part) for part in (source.title, source.publisher, source.year) if part)


def profile_sections(curriculum: SectorCurriculum, figures: list[tuple[str, ChartInfo]]) -> list[str]:
    """Return the sections of the sector overview; ``figures`` are (image path, chart info) pairs."""
    sector = curriculum.sector
    overview = table(["Überblick", "Angabe"], [
        ["Berufe", cell(", ".join(sector.occupations))],
        ["Reglementierter Beruf", "ja" if sector.regulated else "nein"],
        ["Sprachanforderung", cell(sector.language_requirement)],
        ["Sie oder du?", cell(sector.register_note)],
    ])
    sections = [f"({sector.id})=\n# {escape(sector.title)}\n\n{escape(sector.summary)}\n\n{overview}"]
    if sector.facts:
        rows = [[cell(f.label), cell(_value(f.value, f.unit)), cell(f.source), cell(str(f.year))] for f in sector.facts]
        sections.append("## Zahlen und Fakten\n\n" + table(["Angabe", "Wert", "Quelle", "Jahr"], rows))
    for path, info in figures:
        sections.append(
            f"```{{figure}} {path}\n:alt: {one_line(info.alt)}\n:width: 100%\n\n"
            f"{escape(info.title)}. {escape(info.caption)}\n```"
        )
    sections.append("## Typische Situationen am Arbeitsplatz\n\n" + bullets(sector.situations))
    sections.append("## Typische Textsorten\n\n" + bullets(sector.text_types))
    sections.append(_course(curriculum))
    if sector.sources:
        sections.append("## Quellen\n\n" + bullets(source_text(s) for s in sector.sources))
    return sections


def _value(value: float | int | str, unit: str) -> str:
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    elif isinstance(value, int):
        text = f"{value:,}".replace(",", ".")
    else:
        text = value
    return f"{text} {unit}".strip()


def _course(curriculum: SectorCurriculum) -> str:
    sector = curriculum.sector
    rows = [[f"{{ref}}`{one_line(m.title).replace('<', '').replace('>', '')} <{sector.id}-{m.id}>`", m.level,
             str(m.duration_ue)] for m in curriculum.ordered_modules]
    text = (f"## Kursaufbau\n\nZielniveau des Kurses: **{sector.course.level}**, "
            f"{sector.course.teaching_units} Unterrichtseinheiten (UE zu 45 Minuten).\n\n")
    text += table(["Modul", "Niveau", "UE"], rows)
    for training in curriculum.trainings:
        title = one_line(training.title).replace("<", "").replace(">", "")
        text += f"\n\nFür Unternehmen: {{ref}}`{title} <{sector.id}-{training.id}>`"
    return text





def glossary_page(curriculum: SectorCurriculum) -> str:
    """Return the glossary page of a sector: every term with a label the module pages link to."""
    sector = curriculum.sector
    parts = [f"# Glossar {escape(sector.name)}",
             "Alle Fachwörter des Sektors mit Artikel, Plural und einem Beispiel. "
             "Die Wörter aus den Modulen sind verlinkt."]
    letter = ""
    for entry in glossary_words(curriculum):
        initial = slug(entry.lemma)[0].upper()
        if initial != letter:
            letter = initial
            parts.append(f"## {letter}")
        parts.append(_glossary_entry(sector.id, entry))
    return "\n\n".join(parts) + "\n"


def _glossary_entry(sector_id: str, entry: GlossaryWord) -> str:
    grammar = entry.plural if entry.pos == "noun" else entry.forms
    head = f"**{escape(entry.headword)}**" + (f" ({escape(grammar)})" if grammar and grammar != "–" else "")
    lines = [f"({term_label(sector_id, entry.lemma)})=", f"{head}: {escape(entry.definition or '')}".rstrip(": ")]
    if entry.example:
        lines[-1] += f"  \n*Beispiel:* {escape(entry.example)}"
    if entry.translations:
        lines[-1] += f"  \n*Übersetzungen:* {escape(translations_text(entry.translations))}"
    return "\n".join(lines)


def downloads_page(curriculum: SectorCurriculum, downloads: list[Download]) -> str:
    """Return the downloads page: one ``{download}`` link per handout."""
    sector = curriculum.sector
    parts = [f"# Downloads {escape(sector.name)}",
             "Jedes Handout gibt es als PDF zum Drucken und als Word-Datei (DOCX) zum Anpassen in Word oder "
             "LibreOffice. Ein Modul besteht aus einem Inputblatt und einem Übungsblatt (mit oder ohne Hilfen); "
             "Lehrkräfte bekommen dazu Karten zum Ausschneiden und den Lösungsschlüssel. Lizenz: CC BY-SA 4.0."]
    for edition, heading in (("public", "Für Lernende und Unternehmen"), ("trainer", "Für Lehrkräfte")):
        chosen = [download for download in downloads if download.edition == edition]
        if chosen:
            parts.append(f"## {heading}")
            parts.append("\n".join(_download_line(download) for download in chosen))
    return "\n\n".join(parts) + "\n"


def _download_line(download: Download) -> str:
    """Return one list entry: a PDF link with pages and size, a DOCX link with size (each naming the handout,
    so a screen reader's list of links says which is which), then the description."""
    label = one_line(download.label).replace("<", "").replace(">", "").replace("`", "")
    pages = f"{download.pdf_pages} {'Seite' if download.pdf_pages == 1 else 'Seiten'}, " if download.pdf_pages else ""
    pdf = (f"{{download}}`{label} als PDF ({pages}{download.pdf_size}) <{download.pdf_path}>`  \n  "
           if download.pdf_size else "")
    return (f"- {pdf}{{download}}`{label} als Word-Datei ({download.docx_size}) <{download.path}>`  \n"
            f"  {escape(download.description)}")
