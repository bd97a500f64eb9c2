"""Model → MyST Markdown for module, training, profile and book pages.

All user text passes through :func:`escape`, so markup, HTML and MyST roles or directives in a
curriculum appear as literal text. Only this module writes Markdown syntax.
"""

from __future__ import annotations

from kurswerk import blocks
from kurswerk.labels import IKOE_LEVELS
from kurswerk.model import Edition, Module, SectorCurriculum, Training
from kurswerk.packets import HelpLevel, file_names_of, practice_exercises, shows
from kurswerk.render.markdown_blocks import draw_markdown
from kurswerk.render.markdown_text import (
    bullets,
    cell,
    escape,
    one_line,
    slug,
    table,
    term_label,
    term_link,
    translations_text,
)

__all__ = ["bullets", "cell", "escape", "module_sections", "one_line", "slug", "table", "term_label", "term_link",
           "training_sections", "translations_text"]

BOOK_HELP_LEVEL: HelpLevel = "mit-hilfe"
"""The practice sheet the book shows: with word box and first letters, for learners working alone."""
TRAINER_ONLY = (
    "```{admonition} Nur für Lehrkräfte\n:class: note\nDieser Abschnitt steht nur in der Ausgabe für Lehrkräfte.\n```"
)


# --- module pages -------------------------------------------------------------------------------


def module_sections(curriculum: SectorCurriculum, module: Module, edition: Edition) -> list[str]:
    """Return the Markdown sections of a DaA module page: the input sheet, the practice sheet and, for
    trainers, the role cards and the trainer file, drawn from the same packet plan as the handouts."""
    sector_id = curriculum.sector.id
    practice = practice_exercises(module, BOOK_HELP_LEVEL)
    sections = [_module_head(curriculum, module),
                draw_markdown(blocks.input_blocks(module, curriculum), sector_id),
                draw_markdown(blocks.practice_blocks(module, practice), sector_id)]
    if shows(edition, "role-cards"):
        sections.append(draw_markdown(blocks.role_card_blocks(module), sector_id))
    if shows(edition, "exercise-key"):
        trainer = blocks.trainer_blocks(module, practice, file_names_of(curriculum, module), transcripts=False)
        sections += ["## Für Lehrkräfte\n\n" + TRAINER_ONLY, draw_markdown(trainer, sector_id, depth=2)]
    return [section for section in sections if section]


def _module_head(curriculum: SectorCurriculum, module: Module) -> str:
    facts = table(["Niveau", "Dauer"], [[module.level, f"{module.duration_ue} UE ({module.duration_ue * 45} Minuten)"]])
    return (f"({curriculum.sector.id}-{module.id})=\n# {escape(module.title)}\n\n{facts}\n\n"
            f"**Bedarf am Arbeitsplatz:** {escape(module.needs)}")


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
    if shows(edition, "trainer-notes") and training.trainer_notes:
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
            parts.append(table(["Vorher", "Ihre Fassung in einfacher Sprache"], [[cell(r.before), ""]
                                                                               for r in exercise.rewrites]))
        if exercise.rewrites and shows(edition, "rewrite-after"):
            rows = [[cell(r.before), cell(r.after)] for r in exercise.rewrites]
            parts.append("```{admonition} Vorschläge zum Vergleich\n:class: dropdown tip\n"
                         + table(["Vorher", "Nachher: in einfacher Sprache"], rows) + "\n```")
        if shows(edition, "training-answer") and exercise.answer:
            parts.append(f"```{{admonition}} Lösungshinweise\n:class: tip\n{escape(exercise.answer)}\n```")
    return "\n\n".join(parts)


def _source_text(title: str, publisher: str | None, year: int | None) -> str:
    return ", ".join(str(part) for part in (title, publisher, year) if part)
