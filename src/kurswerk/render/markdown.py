"""Model → MyST Markdown for module, training, profile and book pages.

All user text passes through :func:`escape`, so markup, HTML and MyST roles or directives in a
curriculum appear as literal text. Only this module writes Markdown syntax.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kurswerk.exercises import WorkedExercise, exercises_for
from kurswerk.labels import IKOE_LEVELS, MODES, REGISTERS, field_of_action
from kurswerk.model import Edition, Module, Phrase, SectorCurriculum, Training, VocabularyItem

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^@%;,?/])")

TRAINER_ONLY = (
    "```{admonition} Nur für Lehrkräfte\n:class: note\nDieser Abschnitt steht nur in der Ausgabe für Lehrkräfte.\n```"
)


def escape(text: str) -> str:
    """Return ``text`` as literal Markdown: every ASCII punctuation mark backslash-escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def cell(text: str) -> str:
    """Escape text for a table cell (one line, pipes escaped)."""
    return escape(" ".join(text.split()))


def slug(text: str) -> str:
    """Return an ASCII label for anchors: ``die Übergabe`` → ``die-uebergabe``."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "eintrag"


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """Return a Markdown table; cells must already be escaped."""
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {escape(item)}" for item in items)


def term_label(sector_id: str, lemma: str) -> str:
    """The Sphinx label of a glossary entry (unique across sectors)."""
    return f"glossar-{sector_id}-{slug(lemma)}"


def term_link(sector_id: str, headword: str, lemma: str) -> str:
    """Return a link to a glossary entry; the link text keeps only characters safe in a role."""
    text = re.sub(r"[`<>\\]", "", " ".join(headword.split())) or lemma
    return f"{{ref}}`{text} <{term_label(sector_id, lemma)}>`"


def one_line(text: str) -> str:
    """Text for a directive option (alt text): one line, no backticks."""
    return " ".join(text.replace("`", "'").split())


# --- module pages -------------------------------------------------------------------------------


def module_sections(curriculum: SectorCurriculum, module: Module, edition: Edition) -> list[str]:
    """Return the Markdown sections of a DaA module page, in the order of the content guide."""
    exercises = exercises_for(module)
    sections = [
        _module_head(curriculum, module),
        "## Kann-Beschreibungen\n\n" + bullets(module.can_do),
        _scenario(module),
        _phrases(module.phrases),
        _vocabulary(curriculum.sector.id, module),
        _document(module),
        _exercises(exercises),
        "## Strategien\n\n" + "\n\n".join(f"**{escape(s.title)}:** {escape(s.text)}" for s in module.strategies),
        _self_assessment(module),
        _transfer(module),
    ]
    if edition == "trainer":
        sections += [_answer_key(exercises), _trainer_notes(module)]
    return sections


def _module_head(curriculum: SectorCurriculum, module: Module) -> str:
    fields = ", ".join(field_of_action(code) for code in module.field_of_action)
    facts = table(
        ["Niveau", "Dauer", "Handlungsfelder"],
        [[module.level, f"{module.duration_ue} UE ({module.duration_ue * 45} Minuten)", escape(fields)]],
    )
    return (
        f"({curriculum.sector.id}-{module.id})=\n# {escape(module.title)}\n\n{escape(module.summary)}\n\n{facts}\n\n"
        f"**Bedarf am Arbeitsplatz:** {escape(module.needs)}"
    )


def _scenario(module: Module) -> str:
    scenario = module.scenario
    person = scenario.protagonist
    lines = [
        "## Szenario",
        f"**{escape(person.name)}**, {escape(person.role)}. {escape(person.background or '')}".rstrip(),
        escape(scenario.setting),
    ]
    for number, step in enumerate(scenario.steps, start=1):
        mode = MODES[step.mode]
        register = REGISTERS[step.speech_register]
        lines.append(f"### Schritt {number}: {escape(step.title)}")
        lines.append(f"*{mode}, {register}, mit: {escape(step.partner)}*")
        lines.append(f"**Aufgabe:** {escape(step.task)}")
        if step.dialogue:
            lines.append("\n".join(f"> **{escape(line.speaker)}:** {escape(line.text)}  " for line in step.dialogue))
    return "\n\n".join(lines)


def _phrases(phrases: list[Phrase]) -> str:
    groups: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        groups.setdefault(phrase.function, []).append(phrase)
    rows = []
    for function, members in groups.items():
        for phrase in members:
            counterpart = escape(phrase.counterpart) if phrase.counterpart else ""
            rows.append([cell(function), escape(REGISTERS[phrase.speech_register]), cell(phrase.text), counterpart])
    return "## Redemittel\n\n" + table(["Funktion", "Register", "Redemittel", "im anderen Register"], rows)


def _vocabulary(sector_id: str, module: Module) -> str:
    nouns = [item for item in module.vocabulary if item.pos == "noun"]
    others = [item for item in module.vocabulary if item.pos != "noun"]
    parts = ["## Wortschatz"]
    if nouns:
        rows = [[term_link(sector_id, item.headword, item.lemma), cell(item.plural or ""), cell(item.example)]
                for item in nouns]
        parts += ["### Nomen", _with_translations(["Nomen", "Plural", "Beispiel"], rows, nouns)]
    if others:
        rows = [[term_link(sector_id, item.lemma, item.lemma), cell(item.forms or ""), cell(item.example)]
                for item in others]
        parts += ["### Verben und weitere Wörter", _with_translations(["Wort", "Formen", "Beispiel"], rows, others)]
    return "\n\n".join(parts)


def _with_translations(header: list[str], rows: list[list[str]], items: list[VocabularyItem]) -> str:
    """Return the table with an "Übersetzung" column, unless no item has a translation (no empty column)."""
    if not any(item.translations for item in items):
        return table(header, rows)
    return table([*header, "Übersetzung"],
                 [[*row, cell(translations_text(item.translations))] for row, item in zip(rows, items, strict=True)])


def translations_text(translations: dict[str, str]) -> str:
    return ", ".join(f"{language}: {text}" for language, text in sorted(translations.items()))


def _document(module: Module) -> str:
    document = module.document
    parts = [f"## Arbeitsdokument: {escape(document.type)}", f"**{escape(document.title)}**"]
    if document.fields:
        parts.append(table(["Feld", "Eintrag"], [[cell(f.label), cell(f.value)] for f in document.fields]))
    if document.rows:
        header = document.columns or [f"Spalte {number}" for number in range(1, len(document.rows[0]) + 1)]
        parts.append(table([cell(h) for h in header], [[cell(value) for value in row] for row in document.rows]))
    if document.text:
        parts.append("\n\n".join(escape(paragraph) for paragraph in document.text.split("\n\n")))
    parts.append(f"*{escape(document.note)}*")
    return "\n\n".join(parts)


def _exercises(exercises: list[WorkedExercise]) -> str:
    parts = ["## Übungen"]
    for number, exercise in enumerate(exercises, start=1):
        parts.append(f"### Übung {number}: {escape(exercise.title)}")
        parts.append(escape(exercise.instruction))
        if exercise.options:
            parts.append("**Wörter:** " + " · ".join(escape(option) for option in exercise.options))
        if exercise.items:
            parts.append("\n".join(f"{index}. {escape(item.prompt)}" for index, item in enumerate(exercise.items, 1)))
    return "\n\n".join(parts)


def _self_assessment(module: Module) -> str:
    rows = [[escape(statement), "☐", "☐", "☐"] for statement in module.can_do]
    return "## Selbsteinschätzung\n\n" + table(["Ich kann …", "gut", "mit Hilfe", "noch nicht"], rows)


def _transfer(module: Module) -> str:
    text = f"## Transfer an den Arbeitsplatz\n\n{escape(module.transfer.task)}"
    if module.transfer.support:
        text += f"\n\n**Unterstützung:** {escape(module.transfer.support)}"
    return text


def _answer_key(exercises: list[WorkedExercise]) -> str:
    parts = ["## Lösungen", TRAINER_ONLY]
    for number, exercise in enumerate(exercises, start=1):
        parts.append(f"### Lösung zu Übung {number}: {escape(exercise.title)}")
        if exercise.items:
            parts.append("\n".join(f"{index}. {escape(item.answer)}" for index, item in enumerate(exercise.items, 1)))
        if exercise.answer:
            parts.append(escape(exercise.answer))
    return "\n\n".join(parts)


def _trainer_notes(module: Module) -> str:
    notes = module.trainer_notes
    rows = [[cell(p.phase), str(p.minutes), cell(p.social_form), cell(p.material)] for p in notes.timing]
    parts = ["## Hinweise für Lehrkräfte", table(["Phase", "Minuten", "Sozialform", "Material"], rows)]
    if notes.material:
        parts += ["**Material:**", bullets(notes.material)]
    for level, text in sorted(notes.variations.items()):
        parts.append(f"**Variante {level}:** {escape(text)}")
    if notes.notes:
        parts.append(bullets(notes.notes))
    return "\n\n".join(parts)


# --- training pages ------------------------------------------------------------------------------


def training_sections(curriculum: SectorCurriculum, training: Training, edition: Edition) -> list[str]:
    """Return the Markdown sections of an intercultural-opening training page."""
    sections = [
        _training_head(curriculum, training),
        _goals(training),
        _agenda(training),
        _training_exercises(training, edition),
        *(f"## {escape(c.title)}\n\n" + "\n".join(f"- ☐ {escape(item)}" for item in c.items) for c in training.checklists),
        "## Auswertung\n\n" + bullets(training.evaluation),
        "```{note}\nEin Handout ersetzt nicht die gesetzlich vorgeschriebene Unterweisung (§ 12 ArbSchG). "
        "Sie muss in einer Sprache erfolgen, die die Beschäftigten verstehen.\n```",
    ]
    if training.sources:
        sections.append("## Quellen\n\n" + bullets(_source_text(s.title, s.publisher, s.year) for s in training.sources))
    if edition == "trainer" and training.trainer_notes:
        sections.append("## Hinweise für die Leitung\n\n" + bullets(training.trainer_notes))
    return sections


def _training_head(curriculum: SectorCurriculum, training: Training) -> str:
    levels = ", ".join(IKOE_LEVELS[level] for level in training.ikoe_level)
    facts = table(["Format", "Dauer", "Zielgruppe", "Ebenen der IKÖ"],
                  [[cell(training.format), f"{training.duration_min} Minuten", cell(", ".join(training.audience)),
                    escape(levels)]])
    return f"({curriculum.sector.id}-{training.id})=\n# {escape(training.title)}\n\n{escape(training.summary)}\n\n{facts}"


def _goals(training: Training) -> str:
    goals = training.goals
    return (f"## Ziele\n\n**Wissen**\n\n{bullets(goals.knowledge)}\n\n**Haltung**\n\n{bullets(goals.attitude)}"
            f"\n\n**Handeln**\n\n{bullets(goals.action)}")


def _agenda(training: Training) -> str:
    rows = [[a.time, str(a.minutes), cell(a.block), cell(a.method), cell(a.material)] for a in training.agenda]
    return "## Ablauf\n\n" + table(["Uhrzeit", "Minuten", "Baustein", "Methode", "Material"], rows)


def _training_exercises(training: Training, edition: Edition) -> str:
    parts = ["## Übungen"]
    for number, exercise in enumerate(training.exercises, start=1):
        parts += [f"### Übung {number}: {escape(exercise.title)}", escape(exercise.instruction)]
        if exercise.situation:
            parts.append("> " + escape(exercise.situation))
        if exercise.questions:
            parts.append(bullets(exercise.questions))
        if exercise.rewrites:
            rows = [[cell(r.before), cell(r.after)] for r in exercise.rewrites]
            parts.append(table(["Vorher", "Nachher: in einfacher Sprache"], rows))
        if edition == "trainer" and exercise.answer:
            parts.append(f"```{{admonition}} Lösungshinweise\n:class: tip\n{escape(exercise.answer)}\n```")
    return "\n\n".join(parts)


def _source_text(title: str, publisher: str | None, year: int | None) -> str:
    return ", ".join(str(part) for part in (title, publisher, year) if part)
