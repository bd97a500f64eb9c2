"""Model → MyST Markdown for the sector overview, glossary and downloads pages.

Uses the escaping helpers of :mod:`kurswerk.render.markdown`; all user text stays literal.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kurswerk.glossary import GlossaryWord, glossary_words
from kurswerk.labels import language_name
from kurswerk.model import SectorCurriculum, Source
from kurswerk.programme import LAND_FIGURES, OFFICE_KINDS, Network, Programme, contacts
from kurswerk.render.markdown import bullets, cell, escape, one_line, slug, table, term_label
from kurswerk.render.markdown_blocks import unreviewed_note
from kurswerk.render.markdown_text import quoted_option, translations_html

if TYPE_CHECKING:
    from kurswerk.render.figures import ChartInfo


AUDIENCES = {"learners": "Für Lernende", "companies": "Für Unternehmen", "trainers": "Für Lehrkräfte"}
"""Who each part of the downloads page is for, in page order, with its heading."""
AUDIENCE_LABELS = {"learners": "lernende", "companies": "unternehmen", "trainers": "lehrkraefte"}
"""The last part of each section's label: ``<sector>-downloads-<…>``."""
AUDIENCE_OF_KIND = {"input": "learners", "practice": "learners", "glossary": "learners", "company": "companies",
                    "participants": "companies", "cards": "trainers", "trainer": "trainers", "leader": "trainers",
                    "training-material": "trainers", "wordlist": "learners", "flashcards": "learners",
                    "quiz": "trainers"}
PRINT_BUTTON = '<button type="button" class="kurswerk-print" hidden>Drucken / PDF</button>'
"""Shown by ``kurswerk.js`` (it needs the script); prints the page with the book's print stylesheet."""


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
    kind: str = ""
    """The packet part's kind (``input``, ``company``, …): decides the audience."""
    item: str = ""
    """The module or training id (the sector id for the company handout and the glossary)."""

    @property
    def audience(self) -> str:
        return AUDIENCE_OF_KIND.get(self.kind, "trainers" if self.edition == "trainer" else "learners")

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
    # Title and summary are one cell, the overview another: the book puts the company handout between them.
    sections = [f"({sector.id})=\n# {escape(sector.title)}\n\n{escape(sector.summary)}", overview]
    if sector.facts:
        rows = [[cell(f.label), cell(_value(f.value, f.unit)), cell(f.source), cell(str(f.year))] for f in sector.facts]
        sections.append("## Zahlen und Fakten\n\n" + table(["Angabe", "Wert", "Quelle", "Jahr"], rows))
    for path, info in figures:
        sections.append(
            f"```{{figure}} {path}\n:alt: {quoted_option(info.alt)}\n:figclass: kurswerk-chart\n\n"
            f"{escape(info.title)}. {escape(info.caption)}\n```"
        )
    sections.append("## Typische Situationen am Arbeitsplatz\n\n" + bullets(sector.situations))
    sections.append("## Typische Textsorten\n\n" + bullets(sector.text_types))
    sections.append(_course(curriculum))
    sections.append(company_section(curriculum))
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
    """Return the „Kursaufbau“ section: the trainings for companies, then one table per track (module, level,
    UE) with the sum of its UE under its own heading."""
    sector = curriculum.sector
    parts = ["## Kursaufbau",
             "Jeder Kurs ist für eine Gruppe auf einem Niveau gedacht: Er beginnt auf dem Niveau der Gruppe und "
             "führt zum selben oder zum nächsthöheren Niveau. Die Module stehen in der Reihenfolge des Unterrichts; "
             "ein Modul kann in mehreren Kursen vorkommen. Eine Unterrichtseinheit (UE) dauert 45 Minuten."]
    for training in curriculum.trainings:
        title = one_line(training.title).replace("<", "").replace(">", "")
        parts.append(f"Für Unternehmen: {{ref}}`{title} <{sector.id}-{training.id}>`")
    for track in sector.course.tracks:
        modules = curriculum.track_modules(track)
        if not modules:
            continue
        rows = [[f"{{ref}}`{one_line(m.title).replace('<', '').replace('>', '')} <{sector.id}-{m.id}>`", m.level,
                 str(m.duration_ue)] for m in modules]
        rows.append(["**Summe**", "", f"**{curriculum.track_units(track)}**"])
        parts.append(f"### {escape(one_line(track.heading))}\n\n" + table(["Modul", "Niveau", "UE"], rows))
    return "\n\n".join(parts)





def key_points_box(curriculum: SectorCurriculum) -> str:
    """Return the sector's key points for companies as a box, as the company handout opens with them."""
    return "```{admonition} Das Wichtigste auf einen Blick\n:class: tip\n" + bullets(
        curriculum.sector.company.key_points) + "\n```"


def company_section(curriculum: SectorCurriculum) -> str:
    """Return the sector page's section for companies: the key points and the next steps of the company handout."""
    steps = "\n".join(f"{number}. {escape(step)}"
                      for number, step in enumerate(curriculum.sector.company.next_steps, start=1))
    return (f"## Für Unternehmen\n\nFür Personalabteilung und Teamleitung. Mehr dazu steht im Handout für "
            f"Unternehmen.\n\n{key_points_box(curriculum)}\n\n### Nächste Schritte\n\n{steps}")


def glossary_page(curriculum: SectorCurriculum) -> str:
    """Return the glossary page of a sector: every term with a label the module pages link to."""
    sector = curriculum.sector
    parts = [f"# Glossar {escape(sector.name)}",
             "Alle Fachwörter des Sektors mit Artikel, Plural und einem Beispiel. "
             "Die Wörter aus den Modulen sind verlinkt."]
    languages = [code for code in sector.languages if code in curriculum.translation_files]
    if languages:
        parts.append("Übersetzungen: " + escape(", ".join(language_name(code) for code in languages)) + ".")
    if curriculum.unreviewed():
        parts.append(unreviewed_note(curriculum.unreviewed()))
    letter = ""
    for entry in glossary_words(curriculum):
        initial = slug(entry.lemma)[0].upper()
        if initial != letter:
            letter = initial
            parts.append(f"## {letter}")
        parts.append(_glossary_entry(sector.id, entry, languages))
    return "\n\n".join(parts) + "\n"


def _glossary_entry(sector_id: str, entry: GlossaryWord, order: Sequence[str] = ()) -> str:
    grammar = entry.plural if entry.pos == "noun" else entry.forms
    head = f"**{escape(entry.headword)}**" + (f" ({escape(grammar)})" if grammar and grammar != "–" else "")
    lines = [f"({term_label(sector_id, entry.lemma)})=", f"{head}: {escape(entry.definition or '')}".rstrip(": ")]
    if entry.example:
        lines[-1] += f"  \n*Beispiel:* {escape(entry.example)}"
    if entry.translations:
        lines[-1] += f"  \n*Übersetzungen:* {translations_html(entry.translations, order)}"
    return "\n".join(lines)


def downloads_page(curriculum: SectorCurriculum, downloads: list[Download]) -> str:
    """Return the downloads page: one section per audience (learners, companies, trainers), one entry per
    handout with its PDF (pages, size) and DOCX (size) links."""
    sector = curriculum.sector
    parts = [f"# Downloads {escape(sector.name)}",
             "Jedes Handout gibt es als PDF zum Drucken und als Word-Datei (DOCX) zum Anpassen in Word oder "
             "LibreOffice. Lizenz: CC BY-SA 4.0."]
    present = [audience for audience in AUDIENCES if any(d.audience == audience for d in downloads)]
    if len(present) > 1:
        parts.append("Springen Sie zu: " + " · ".join(
            f"{{ref}}`{AUDIENCES[audience]} <{audience_label(sector.id, audience)}>`" for audience in present))
    introductions = {
        "learners": "Ein Modul besteht aus einem Inputblatt und einem Übungsblatt (mit oder ohne Hilfen). "
                    "Das Glossar erklärt alle Fachwörter der Branche.",
        "companies": key_points_box(curriculum) + "\n\nDas Handout für Unternehmen beginnt mit dem Wichtigsten auf "
                     "einen Blick und bringt Zahlen, wichtige Fachwörter, Sätze aus dem Arbeitsalltag, eine "
                     "Checkliste zur Einarbeitung, Tipps für einfache Sprache und die nächsten Schritte. Dazu kommen "
                     "die Handouts für die Teilnehmenden des Trainings zur Interkulturellen Öffnung.",
        "trainers": "Karten zum Ausschneiden, Unterrichtspläne mit Lösungsschlüssel und das Material für die "
                    "Leitung der Trainings.",
    }
    for audience in present:
        chosen = [download for download in downloads if download.audience == audience]
        parts.append(f"({audience_label(sector.id, audience)})=\n## {AUDIENCES[audience]}")
        parts.append(introductions[audience])
        parts.append("\n".join(_download_line(download) for download in chosen))
    return "\n\n".join(parts) + "\n"


def audience_label(sector_id: str, audience: str) -> str:
    """The label of one audience's section on a sector's downloads page."""
    return f"{sector_id}-downloads-{AUDIENCE_LABELS[audience]}"


def _clean(label: str) -> str:
    """A handout label as the text of a ``{download}`` role (no angle brackets or backticks)."""
    return one_line(label).replace("<", "").replace(">", "").replace("`", "")


def _links(download: Download) -> list[str]:
    """The PDF link (pages, size) and the DOCX link (size), each naming the handout, so a screen reader's
    list of links says which is which."""
    label = _clean(download.label)
    pages = f"{download.pdf_pages} {'Seite' if download.pdf_pages == 1 else 'Seiten'}, " if download.pdf_pages else ""
    links = [f"{{download}}`{label} als PDF ({pages}{download.pdf_size}) <{download.pdf_path}>`"] \
        if download.pdf_size else []
    return [*links, f"{{download}}`{label} als Word-Datei ({download.docx_size}) <{download.path}>`"]


def _download_line(download: Download) -> str:
    """Return one list entry: the PDF and DOCX links, then the description."""
    return "- " + "  \n  ".join(_links(download)) + f"  \n  {escape(download.description)}"


def handouts_box(downloads: list[Download], heading: str, print_button: bool = False) -> str:
    """Return the box a module, training or sector page shows under its title: its own handouts with PDF
    (pages, size) and DOCX (size) links, and optionally the "Drucken / PDF" button."""
    lines = [f"- {' · '.join(_links(download))}" for download in downloads]
    body = [f"**{escape(heading)}**", "\n".join(lines)] if lines else [f"**{escape(heading)}**"]
    if print_button:
        body.append(PRINT_BUTTON)
    return "````{container} kurswerk-handouts\n" + "\n\n".join(body) + "\n````"


# --- programme and network ----------------------------------------------------------------------


def link(text: str, url: str) -> str:
    """A Markdown link with literal text; an address with spaces or brackets is shown as text only."""
    if not url.startswith(("https://", "http://")) or any(char in url for char in " ()<>[]\"'`"):
        return escape(text)
    return f"[{escape(text)}]({url})"


def programme_section(programme: Programme | None) -> str:
    """The start page's section on the programme: what it does, funding line and phase, web address."""
    if programme is None:
        return ""
    lines = [f"## Das Förderprogramm {escape(programme.short_name)}", "", escape(programme.description), "",
             f"{escape(programme.footer)}. Mehr im Internet: {link(programme.url, programme.url)}"]
    return "\n".join(lines)


def regional_note(network: Network) -> str:
    """The line that names a regional edition's network (start page, under the title)."""
    coordination = f", koordiniert von {escape(network.coordination)}" if network.coordination else ""
    return (f"**Regionale Ausgabe für {escape(network.land)}:** {link(network.name, network.url)}{coordination}. "
            "Die Seiten für Unternehmen nennen die Beratungsstellen in Ihrer Region.")


def with_regional_note(page: str, network: Network | None) -> str:
    """``page`` (Markdown) with the regional note after its title; unchanged for the national edition."""
    if network is None:
        return page
    lines = page.split("\n")
    title = next((index for index, line in enumerate(lines) if line.startswith("# ")), -1)
    return "\n".join([*lines[:title + 1], "", regional_note(network), *lines[title + 1:]])


def contacts_section(programme: Programme | None, network: Network | None = None) -> str:
    """The book's "Wen Sie ansprechen können" for companies: the network's offices or the national offers."""
    offices = contacts(programme, network)
    if not offices:
        return ""
    where = (f"In {escape(network.land)} berät Sie das regionale Netzwerk {link(network.name, network.url)}."
             if network is not None else "Diese bundesweiten Angebote nennen Ihnen Beratungsstellen in Ihrer Region.")
    # A list, not a table: on a phone three columns of names, addresses and offers became narrow,
    # tall cells that scrolled sideways.
    items = [f"- **{escape(OFFICE_KINDS[office.kind])}:** {link(' '.join(office.name.split()), office.url)}"
             + (f" – {cell(office.offer)}" if office.offer else "") for office in offices]
    return "**Wen Sie ansprechen können**\n\n" + where + "\n\n" + "\n".join(items)


MIKROZENSUS_SOURCE = "Statistisches Bundesamt (Destatis), Mikrozensus 2018"


def land_figure(data: Path, land: str) -> str:
    """The share of people with a migration background in ``land`` beside Germany's, with source and year;
    empty when the table is missing or does not name the Land."""
    path = data / LAND_FIGURES
    if not path.is_file():
        return ""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["land"]: row for row in csv.DictReader(handle)}
    if land not in rows or "Deutschland" not in rows:
        return ""

    def share(row: dict[str, str]) -> str:
        return f"{float(row['anteil_prozent']):.1f} %".replace(".", ",")

    return table(["Menschen mit Migrationshintergrund", cell(land), "Deutschland"], [
        ["Anteil an der Bevölkerung", share(rows[land]), share(rows["Deutschland"])],
    ]) + f"\n\nQuelle: {escape(MIKROZENSUS_SOURCE)}."
