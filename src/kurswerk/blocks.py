"""The blocks a packet part is made of, and what each module part holds, in reading order.

Blocks are plain data (headings, texts, tables, a workplace document, an exercise, cut-out cards);
the DOCX renderer (:mod:`kurswerk.render.docx_packet`) and the book renderer
(:mod:`kurswerk.render.markdown`) each draw every kind. Nothing here knows Word or Sphinx.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kurswerk.exercises import plural_form, role_names
from kurswerk.labels import field_of_action
from kurswerk.model import (
    Exercise,
    Module,
    Phrase,
    SectorCurriculum,
    Source,
    Step,
    TimingPhase,
    Training,
    VocabularyItem,
    WorkplaceDocument,
)

if TYPE_CHECKING:
    from kurswerk.packets import PracticeExercise


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    new_page: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Literal["normal", "box", "note"] = "normal"


@dataclass(frozen=True)
class Labelled:
    label: str
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class NameLine:
    pass


@dataclass(frozen=True)
class StepBlock:
    """A scenario step: heading, mode and register, task, and its dialogue as a transcript."""

    number: int
    step: Step


@dataclass(frozen=True)
class PhraseTable:
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class VocabularyTable:
    items: tuple[VocabularyItem, ...]
    languages: tuple[str, ...] = ()
    """The sector's languages the items carry translations in, in the sector's order."""
    unreviewed: tuple[str, ...] = ()
    """Of those, the languages nobody has checked yet („ungeprüfte Übersetzung“)."""


@dataclass(frozen=True)
class DocumentBlock:
    """A workplace document drawn as its kind; ``blank`` draws an empty copy to fill in."""

    document: WorkplaceDocument
    blank: bool = False


@dataclass(frozen=True)
class ExerciseBlock:
    practice: PracticeExercise
    document: WorkplaceDocument | None = None
    """The module's document, for a task that fills in a blank copy of it."""


@dataclass(frozen=True)
class SelfAssessment:
    can_do: tuple[str, ...]


@dataclass(frozen=True)
class WritingLines:
    count: int


@dataclass(frozen=True)
class Card:
    """A cut-out card: a small label (the exercise or kind), a heading and the text."""

    tag: str
    heading: str
    text: str


@dataclass(frozen=True)
class Cards:
    """Cards to cut out, ``per_page`` on an A4 page, each with a cut line around it."""

    cards: tuple[Card, ...]
    per_page: int = 4
    columns: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    checkboxes: tuple[int, ...] = ()
    """Columns whose cells are empty check boxes to tick."""
    tall: bool = False
    """Rows high enough to write in."""


@dataclass(frozen=True)
class KeyEntry:
    """The answer key of one exercise: compact (``1 die · 2 das``), as a list, or a model text."""

    number: int
    title: str
    compact: str = ""
    answers: tuple[str, ...] = ()
    model: str = ""


@dataclass(frozen=True)
class AnswerKey:
    entries: tuple[KeyEntry, ...]


Block = (Heading | Paragraph | Labelled | Bullets | NameLine | StepBlock | PhraseTable | VocabularyTable
         | DocumentBlock | ExerciseBlock | SelfAssessment | WritingLines | Cards | Table | AnswerKey)

COMPACT_ANSWER = 32
"""Answers up to this length go into the one-line key (``1 die · 2 das``)."""
DOCUMENT_KIND_NAMES = {"form": "Formular", "letter": "Brief", "list": "Liste", "notice": "Aushang", "plan": "Plan"}


# --- input sheet --------------------------------------------------------------------------------


def input_blocks(module: Module, curriculum: SectorCurriculum | None = None) -> list[Block]:
    """Return the input sheet: can-do, scenario with transcripts, Redemittel, Wortschatz, document, strategies.

    With ``curriculum``, the vocabulary carries the sector's languages and which are unreviewed.
    """
    blocks: list[Block] = [Paragraph(module.summary), Heading("Das lerne ich", 1), Bullets(tuple(module.can_do))]
    scenario = module.scenario
    blocks += [Heading("Szenario", 1), Paragraph(scenario.setting),
               Labelled("Hauptperson", f"{scenario.protagonist.name}, {scenario.protagonist.role}")]
    if scenario.protagonist.background:
        blocks.append(Paragraph(scenario.protagonist.background))
    blocks += [StepBlock(number, step) for number, step in enumerate(scenario.steps, start=1)]
    blocks += [Heading("Redemittel", 1),
               Paragraph("Diese Sätze helfen in den Situationen des Szenarios. Sätze ohne Sie oder du passen in "
                         "beiden Registern."), PhraseTable(tuple(module.phrases))]
    shown = tuple(code for code in curriculum.sector.languages if code in curriculum.translation_files) if curriculum else ()
    unreviewed = tuple(curriculum.unreviewed()) if curriculum else ()
    blocks += [Heading("Wortschatz", 1), VocabularyTable(tuple(module.vocabulary), shown, unreviewed)]
    blocks += [Heading(f"Dokument aus dem Arbeitsalltag: {module.document.type}", 1), DocumentBlock(module.document)]
    blocks.append(Heading("Strategien", 1))
    for strategy in module.strategies:
        blocks += [Heading(strategy.title, 2), Paragraph(strategy.text)]
    return blocks + sources_blocks(module.sources)


def sources_blocks(sources: Sequence[Source]) -> list[Block]:
    """Return a "Quellen" section, or nothing when there are no sources."""
    return [Heading("Quellen", 1), Bullets(tuple(source_line(source) for source in sources))] if sources else []


def source_line(source: Source) -> str:
    """Return ``Titel. Herausgeber, Jahr. URL`` with the parts a source has (never a doubled full stop)."""
    details = ", ".join(str(part) for part in (source.publisher, source.year) if part)
    line = ". ".join(part.rstrip(".") for part in (source.title, details) if part) + "."
    return f"{line} {source.url}" if source.url else line


# --- practice sheet -------------------------------------------------------------------------------


def practice_blocks(module: Module, exercises: Sequence[PracticeExercise]) -> list[Block]:
    """Return the practice sheet: the exercises, the self-assessment and the workplace task."""
    blocks: list[Block] = [NameLine(), Heading("Übungen", 1)]
    blocks += [ExerciseBlock(practice, module.document if practice.blank_document else None)
               for practice in exercises]
    blocks += [Heading("Selbsteinschätzung", 1), Paragraph("Wie gut können Sie das jetzt? Kreuzen Sie an."),
               SelfAssessment(tuple(module.can_do))]
    blocks += [Heading("Transfer: Aufgabe für den Arbeitsplatz", 1), Paragraph(module.transfer.task)]
    if module.transfer.support:
        blocks.append(Labelled("Unterstützung", module.transfer.support))
    return [*blocks, Paragraph("Meine Notizen:", "note"), WritingLines(5)]


# --- cards to cut out -----------------------------------------------------------------------------


def card_blocks(module: Module) -> list[Block]:
    """Return the cut-out material: role cards and an observation sheet per role play, phrase and word cards."""
    return _card_sheets(module, role_card_blocks(module))


def role_card_blocks(module: Module) -> list[Block]:
    """Return per role play its instruction, one card per role (never two roles on a card) and an observation sheet."""
    blocks: list[Block] = []
    for exercise in (exercise for exercise in module.exercises if exercise.roles):
        blocks += [Heading(f"Rollenkarten: {exercise.title}", 1), Paragraph(exercise.instruction),
                   Paragraph("✂ Schneiden Sie die Karten entlang der gestrichelten Linien aus. Jede Person "
                             "bekommt nur ihre eigene Karte.", "note"),
                   Cards(tuple(Card(exercise.title, f"Rollenkarte {name}", role.text)
                               for name, role in zip(role_names(exercise), exercise.roles, strict=True)), per_page=3)]
        blocks += observation_blocks(exercise)
    return blocks


def _card_sheets(module: Module, blocks: list[Block]) -> list[Block]:
    """Return ``blocks`` followed by the phrase cards and the word cards."""
    blocks = list(blocks)
    blocks += [Heading("Redemittelkarten", 1, new_page=bool(blocks)),
               Paragraph("✂ Zum Ausschneiden entlang der gestrichelten Linien: eine Karte pro Redemittel, zum "
                         "Beispiel zum Sortieren nach Sprachhandlung oder für das Rollenspiel.", "note"),
               Cards(tuple(Card(f"{phrase.function} · {_register_label(phrase)}", phrase.text, "")
                           for phrase in module.phrases), per_page=12, columns=2)]
    blocks += [Heading("Wortkarten", 1, new_page=True),
               Paragraph("✂ Zum Ausschneiden entlang der gestrichelten Linien: Wort mit Artikel und Plural oder "
                         "Formen, darunter ein Beispiel.", "note"),
               Cards(tuple(Card("", item.headword, f"{grammar_text(item)}\n{item.example}")
                           for item in module.vocabulary), per_page=12, columns=2)]
    return blocks


def _register_label(phrase: Phrase) -> str:
    return {"formal": "per Sie", "informal": "per Du", "neutral": "Sie und du"}[phrase.speech_register]


def observation_blocks(exercise: Exercise) -> list[Block]:
    """Return an observation sheet (Beobachtungsbogen) for a role play: criteria to tick, room for notes.

    The criteria are those of any workplace conversation plus one per role: did the person do what
    their card asks?
    """
    criteria = ("Am Anfang ist klar, wer spricht und worum es geht.",
                *(f"{name}: erledigt die Aufgabe der Rollenkarte." for name in role_names(exercise)),
                "Wer etwas nicht versteht, fragt nach oder wiederholt.",
                "Die Anrede (Sie oder du) passt zu den Personen.",
                "Am Ende wissen alle, was als Nächstes passiert.")
    return [Heading(f"Beobachtungsbogen: {exercise.title}", 2),
            Paragraph("Beobachten Sie das Rollenspiel. Kreuzen Sie an und notieren Sie ein Beispiel.", "note"),
            Table(("Was beobachte ich?", "gut", "teilweise", "fehlt", "Beispiel / Notiz"),
                  tuple((criterion, "", "", "", "") for criterion in criteria),
                  (0.4, 0.08, 0.1, 0.08, 0.34), checkboxes=(1, 2, 3), tall=True)]


def grammar_text(item: VocabularyItem) -> str:
    """Return what the grammar column shows: the plural with article, the principal parts, or "–"."""
    if item.pos == "noun":
        return plural_form(item) or "– (kein Plural)"
    return item.forms or "–"


# --- trainer file ---------------------------------------------------------------------------------


def trainer_blocks(module: Module, exercises: Sequence[PracticeExercise], files: dict[str, str], *,
                   transcripts: bool = True) -> list[Block]:
    """Return the trainer file: lesson plan first, then the compact key, model texts and (``transcripts``) transcripts."""
    notes = module.trainer_notes
    blocks: list[Block] = [Heading("Unterrichtsplan", 1), Paragraph(module.needs),
                           Labelled("Handlungsfelder (Lernzielkatalog)",
                                    "; ".join(field_of_action(code) for code in module.field_of_action)),
                           lesson_plan(notes.timing)]
    blocks += [Heading("Material", 2), Bullets(tuple(material_list(module, files)))]
    if notes.variations:
        blocks += [Heading("Varianten für andere Niveaus", 2),
                   Table(("Niveau", "Variante"), tuple((level, text) for level, text in notes.variations.items()),
                         (0.12, 0.88))]
    if notes.notes:
        blocks += [Heading("Weitere Hinweise", 2), Bullets(tuple(notes.notes))]
    blocks += [Heading("Lösungen", 1),
               Paragraph("Die Nummern folgen dem Übungsblatt ohne Hilfen; im Übungsblatt mit Hilfen fehlen bei "
                         "einigen Übungen die letzten Aufgaben.", "note"),
               AnswerKey(tuple(key_entry(practice) for practice in exercises if practice.exercise.items))]
    models = [practice for practice in exercises if practice.exercise.answer]
    if models:
        blocks.append(Heading("Mustertexte und Erwartungshorizont", 1))
        for practice in models:
            blocks += [Heading(f"Übung {practice.number}: {practice.exercise.title}", 2),
                       Paragraph(str(practice.exercise.answer), "box")]
    if transcripts:
        blocks.append(Heading("Transkripte", 1))
        blocks += [StepBlock(number, step) for number, step in enumerate(module.scenario.steps, start=1)
                   if step.dialogue]
    return blocks


def lesson_plan(timing: Sequence[TimingPhase]) -> Table:
    """Return the lesson plan table with a total row in minutes and teaching units."""
    total = sum(phase.minutes for phase in timing)
    rows = tuple((phase.phase, str(phase.minutes), phase.social_form, phase.material) for phase in timing)
    units = f"{total / 45:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return Table(("Phase", "Min.", "Sozialform", "Material"),
                 (*rows, ("Gesamt", str(total), f"{units} UE à 45 Minuten", "")), (0.42, 0.08, 0.22, 0.28))


def material_list(module: Module, files: dict[str, str]) -> list[str]:
    """Return the module's material with the file that provides each."""
    items = [f"Inputblatt (Szenario, Dialoge, Redemittel, Wortschatz, {module.document.type}): {files['input']}",
             f"Übungsblatt mit Hilfen: {files['practice-mit-hilfe']}",
             f"Übungsblatt ohne Hilfen: {files['practice-ohne-hilfe']}"]
    cards = "Redemittelkarten und Wortkarten"
    if any(exercise.roles for exercise in module.exercises):
        cards = "Rollenkarten, Beobachtungsbogen, " + cards
    items.append(f"{cards}: {files['cards']}")
    return items + list(module.trainer_notes.material)


def _leading_number(answer: str, default: int) -> int:
    """Return the position an ordering answer gives (``3 (Fotos …)`` → 3), or ``default`` if none."""
    digits = re.match(r"\s*(\d+)", answer)
    return int(digits.group(1)) if digits else default


def key_entry(practice: PracticeExercise) -> KeyEntry:
    """Return the key of one exercise: one line when every answer is short, else a numbered list."""
    exercise = practice.exercise
    answers = tuple(item.answer for item in exercise.items)
    title = exercise.title
    if exercise.kind == "ordering":
        positions = [_leading_number(answer, index) for index, answer in enumerate(answers)]
        order = sorted(range(len(answers)), key=lambda index: positions[index])
        notes = tuple(f"Zeile {index + 1}: {item.explanation or item.answer}"
                      for index, item in enumerate(exercise.items)
                      if item.explanation or item.answer.strip() != str(positions[index]))
        compact = " · ".join(f"{index + 1} → {positions[index]}" for index in range(len(answers)))
        reading = " – ".join(str(index + 1) for index in order)
        return KeyEntry(practice.number, title, f"{compact} (Zeilen in dieser Folge: {reading})", answers=notes)
    explained = any(item.explanation for item in exercise.items)
    letters = practice.letters
    if letters:
        answers = tuple(f"{letters[answer]} ({answer})" if answer in letters else answer for answer in answers)
    if all(len(answer) <= COMPACT_ANSWER for answer in answers) and not explained and not letters:
        compact = " · ".join(f"{index} {answer}" for index, answer in enumerate(answers, start=1))
        return KeyEntry(practice.number, title, compact)
    return KeyEntry(practice.number, title, answers=tuple(
        f"{answer} – {item.explanation}" if item.explanation else answer
        for answer, item in zip(answers, exercise.items, strict=True)))


# --- training material ------------------------------------------------------------------------------


def training_material_blocks(training: Training) -> list[Block]:
    """Return the training's cut-out situation cards (with their questions) and the feedback sheet."""
    blocks: list[Block] = []
    situations = [exercise for exercise in training.exercises if exercise.situation]
    if situations:
        blocks += [Heading("Situationskarten", 1),
                   Paragraph("✂ Schneiden Sie die Karten entlang der gestrichelten Linien aus. Jede Kleingruppe "
                             "bekommt eine Karte.", "note"),
                   Cards(tuple(Card(exercise.title, f"Situation {number}",
                                    "\n".join([str(exercise.situation), *(f"• {q}" for q in exercise.questions)]))
                               for number, exercise in enumerate(situations, start=1)), per_page=3)]
    blocks += [Heading("Feedbackbogen", 1, new_page=bool(blocks)),
               Paragraph(f"Training: {training.title}. Ihre Rückmeldung hilft uns, das Training zu verbessern.",
                         "note"),
               Table(("Frage", "Ihre Antwort"), tuple((question, "") for question in training.evaluation),
                     (0.45, 0.55), tall=True)]
    return blocks
