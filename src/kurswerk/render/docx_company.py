"""Handouts for companies: the sector handout (phrases, checklists, plain language) and the glossary.

The sector handout is read by HR staff and team leads, not by trainers: it opens with the sector's
key points in a box ("Das Wichtigste auf einen Blick"), ends with its next steps, and leaves out what
only the course needs (teaching units, levels of the modules, module ids, trainer instructions).

The glossary holds the same words as the book's glossary page: the sector glossary joined with
every module's vocabulary (one entry per lemma, alphabetical). A glossary term keeps its own text;
what it lacks (example, translations) comes from the module vocabulary. Words only in a module
have no definition here rather than a made-up one.
"""

from __future__ import annotations

from kurswerk.exercises import NO_PLURAL
from kurswerk.glossary import GlossaryWord, glossary_words, initial, slug
from kurswerk.labels import language_name
from kurswerk.model import Module, Phrase, SectorCurriculum, Source
from kurswerk.programme import OFFICE_KINDS, Network, Programme, contacts
from kurswerk.render.docx_base import Cell, HandoutDocument, Span, translation_spans
from kurswerk.render.docx_packet import sources_section
from kurswerk.render.docx_training import checklists_section, rewrites_table

SAFETY_NOTE = (
    "Dieses Handout ersetzt nicht die Unterweisung zu Sicherheit und Gesundheitsschutz nach § 12 "
    "Arbeitsschutzgesetz (ArbSchG). Die Unterweisung ist Pflicht und muss in einer Sprache erfolgen, "
    "die die Beschäftigten verstehen."
)
SUBTITLE = "Für Personalabteilung und Teamleitung: Einarbeitung, Fachwörter und einfache Sprache"
PURPOSE = (
    "Dieses Handout hilft Ihnen, neue Kolleginnen und Kollegen einzuarbeiten, die Deutsch als zweite Sprache "
    "sprechen: mit Fachwörtern und Sätzen aus dem Arbeitsalltag, mit Checklisten und mit Tipps für einfache Sprache."
)
"""What the handout is for, in place of the sector summary (which describes the course)."""
KEY_POINTS = "Das Wichtigste auf einen Blick"
NEXT_STEPS = "Nächste Schritte"
GLOSSARY_EXTRACT = 20
"""How many terms the company handout shows from the glossary."""

PHRASES_PER_MODULE = 6


def build_company_handout(handout: HandoutDocument, curriculum: SectorCurriculum, programme: Programme | None = None,
                          network: Network | None = None) -> None:
    """Write the company handout: key points, sector and programme, figures, glossary extract, phrases,
    checklists, tips, whom to contact (the network's offices, or the programme's national offers), next steps."""
    sector = curriculum.sector
    handout.title(f"Handout für Unternehmen: {sector.name}", SUBTITLE)
    handout.boxed_list(KEY_POINTS, sector.company.key_points)
    _introduction(handout, curriculum, programme)
    _figures(handout, curriculum)
    _glossary_extract(handout, curriculum)
    _key_phrases(handout, curriculum)
    _onboarding(handout, curriculum)
    _contacts(handout, programme, network)
    _next_steps(handout, curriculum)
    sources_section(handout, _all_sources(curriculum))


def _introduction(handout: HandoutDocument, curriculum: SectorCurriculum, programme: Programme | None) -> None:
    sector = curriculum.sector
    handout.heading("Worum es geht", 1)
    handout.text(PURPOSE)
    handout.text(SAFETY_NOTE, "Hinweis")
    if programme is not None:
        handout.heading(f"Das Förderprogramm {programme.short_name}", 2)
        handout.text(programme.company_note)
        handout.text(programme.emblem_text)
    handout.heading("Sprachanforderungen", 2)
    handout.text(sector.language_requirement)
    handout.heading("Sie oder du?", 2)
    handout.text(sector.register_note)


def fact_value(value: float | int | str, unit: str) -> str:
    """Return a figure in German notation with its unit: ``27.300 Bescheide``, ``4,5 %``."""
    if isinstance(value, bool | str):
        text = str(value)
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}".replace(",", ".")
    else:
        text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text} {unit}".strip()


def _figures(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    sector = curriculum.sector
    if not (sector.facts or sector.charts):
        return
    handout.heading(f"{sector.name} in Zahlen", 1)
    if sector.facts:
        rows: list[list[Cell]] = [[fact.label, [[Span(fact_value(fact.value, fact.unit), "Strong")]],
                                   f"{fact.source}, {fact.year}"] for fact in sector.facts]
        handout.table(["Kennzahl", "Wert", "Quelle, Jahr"], rows, [0.44, 0.24, 0.32])
    if sector.charts:
        _chart(handout, curriculum)


def _chart(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    """Add the sector's first chart, drawn by :mod:`kurswerk.render.figures` (imported late: matplotlib)."""
    from kurswerk.render import figures

    chart = curriculum.sector.charts[0]
    info = figures.chart_info(chart, figures.data_folder(curriculum))
    style = handout.template.parent / "kurswerk.mplstyle"  # the project's own, beside its Word template
    png = figures.sector_chart_png(curriculum, chart, style if style.is_file() else figures.STYLE)
    handout.picture(png, info.alt, f"Abbildung 1: {info.title}. {info.caption}", width_fraction=0.9)


def _glossary_extract(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    words = glossary_words(curriculum)
    defined = [word for word in words if word.definition]
    central = [word for word in defined if word.in_modules and word.pos == "noun"]
    others = [word for word in defined if word not in central]
    chosen = sorted([*central, *others][:GLOSSARY_EXTRACT], key=lambda word: slug(word.lemma))
    if not chosen:
        return
    handout.heading("Wichtige Fachwörter", 1)
    handout.text(f"Eine Auswahl aus dem Glossar ({len(words)} Wörter). Das vollständige Glossar mit Beispielen "
                 "und Übersetzungen steht als eigenes Handout bereit.")
    rows: list[list[Cell]] = [[word.article or "", [[Span(word.lemma, "Strong")]], word.definition or ""]
                              for word in chosen]
    handout.table(["Artikel", "Wort", "Erklärung"], rows, [0.09, 0.26, 0.65])


def key_phrases(module: Module) -> list[Phrase]:
    """Return up to six phrases of a module, the first of each communicative function first."""
    first: dict[str, Phrase] = {}
    for phrase in module.phrases:
        first.setdefault(phrase.function, phrase)
    rest = [phrase for phrase in module.phrases if phrase not in first.values()]
    return [*first.values(), *rest][:PHRASES_PER_MODULE]


def _key_phrases(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    handout.heading("Sätze aus dem Arbeitsalltag", 1)
    handout.text("Diese Sätze üben Ihre neuen Kolleginnen und Kollegen im Deutschkurs. Greifen Sie sie im "
                 "Arbeitsalltag auf: Das hilft beim Lernen.")
    for module in curriculum.ordered_modules:
        handout.heading(module.title, 2)
        rows: list[list[Cell]] = [[phrase.function, phrase.text] for phrase in key_phrases(module)]
        handout.table(["Wofür", "Beispielsatz"], rows, [0.28, 0.72], keep_together=True)


def _onboarding(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    if not curriculum.trainings:
        return
    for training in curriculum.trainings:
        checklists_section(handout, training, level=1)
    rewrites = [exercise for training in curriculum.trainings for exercise in training.exercises if exercise.rewrites]
    if rewrites:
        handout.heading("Einfache Sprache am Arbeitsplatz", 1)
        handout.text("Kurze, klare Anweisungen helfen allen im Team. So lassen sich typische Anweisungen einfacher "
                     "schreiben:")
        for exercise in rewrites:
            rewrites_table(handout, exercise)


def _next_steps(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    """Add the next steps as a numbered list that stays on one page with its heading."""
    handout.heading(NEXT_STEPS, 1)
    steps = handout.numbered(curriculum.sector.company.next_steps)
    for step in steps[:-1]:
        step.paragraph_format.keep_with_next = True


def _contacts(handout: HandoutDocument, programme: Programme | None, network: Network | None) -> None:
    """"Wen Sie ansprechen können": the network's counselling offices by kind, or the national offers."""
    offices = contacts(programme, network)
    if not offices:
        return
    handout.heading("Wen Sie ansprechen können", 1)
    if network is not None:
        coordination = f" (Koordination: {network.coordination})" if network.coordination else ""
        handout.text(f"In {network.land} berät Sie das regionale Netzwerk {network.name}{coordination}: "
                     f"{network.url}. Diese Stellen helfen Ihnen und Ihren Beschäftigten weiter:")
    else:
        handout.text("Diese bundesweiten Angebote helfen Ihnen und Ihren Beschäftigten weiter und nennen "
                     "Beratungsstellen in Ihrer Region:")
    rows: list[list[Cell]] = [[OFFICE_KINDS[office.kind],
                               [[Span(office.name, "Strong")], *([[Span(office.offer)]] if office.offer else [])],
                               office.url] for office in offices]
    handout.table(["Beratung", "Stelle", "Internet"], rows, [0.24, 0.46, 0.30])


def _all_sources(curriculum: SectorCurriculum) -> list[Source]:
    sources: dict[str, Source] = {}
    for source in [*curriculum.sector.sources, *(s for t in curriculum.trainings for s in t.sources)]:
        sources.setdefault(source.title, source)
    return list(sources.values())


# --- glossary -----------------------------------------------------------------------------------


def build_glossary_handout(handout: HandoutDocument, curriculum: SectorCurriculum) -> None:
    """Write the glossary: one section per initial letter, each a table of its words."""
    sector = curriculum.sector
    words = glossary_words(curriculum)
    handout.title(f"Glossar {sector.name}", f"{sector.title} · {len(words)} Fachwörter")
    handout.text("Nomen stehen mit Artikel und Pluralform, Verben mit ihren Stammformen "
                 "(er/sie/es – Präteritum – Perfekt). Die Beispiele zeigen das Wort im Arbeitsalltag.")
    with_translations = any(word.translations for word in words)
    if with_translations:
        shown = [code for code in sector.languages if code in curriculum.translation_files]
        handout.text("Übersetzungen: " + ", ".join(language_name(code) for code in shown) + ".")
        unreviewed = curriculum.unreviewed()
        if unreviewed:
            handout.text("Ungeprüfte Übersetzung: " + ", ".join(language_name(code) for code in unreviewed)
                         + ". Diese Übersetzungen hat noch keine Person mit dieser Erstsprache geprüft; fragen Sie "
                         "im Zweifel nach.")
    groups: dict[str, list[GlossaryWord]] = {}
    for word in words:
        groups.setdefault(initial(word), []).append(word)
    for letter, group in groups.items():
        handout.heading(letter, 1)
        _glossary_table(handout, group, with_translations)


def _glossary_table(handout: HandoutDocument, words: list[GlossaryWord], with_translations: bool) -> None:
    header = ["Artikel", "Wort", "Plural / Formen",
              "Erklärung, Beispiel, Übersetzungen" if with_translations else "Erklärung und Beispiel"]
    rows: list[list[Cell]] = []
    for word in words:
        meaning: list[list[Span]] = []
        if word.definition:
            meaning.append([Span(word.definition)])
        if word.example:
            meaning.append([Span(word.example, "Emphasis")])
        if word.translations:
            meaning.append(translation_spans(word.translations))
        rows.append([word.article or "", [[Span(word.lemma, "Strong")]], _grammar(word), meaning])
    handout.table(header, rows, [0.09, 0.25, 0.23, 0.43])


def _grammar(word: GlossaryWord) -> str:
    if word.pos == "noun":
        plural = (word.plural or "").strip()
        if plural in NO_PLURAL:
            return "– (kein Plural)"
        return plural if plural.startswith("die ") else f"die {plural}"
    return word.forms or ""
