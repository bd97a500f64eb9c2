"""The IKÖ training handout for participants, and the leader's edition with answers and notes.

Participants get agenda, goals, exercises with room to write, checklists and the evaluation; the
plain-language rewrites show only the original ("vorher") with an empty column for their version.
The leader's edition adds "Lösungen und Deutungsangebote" (answers, rewrites) and the notes.
"""

from __future__ import annotations

from kurswerk.labels import IKOE_LEVELS
from kurswerk.model import Edition, SectorCurriculum, Training, TrainingExercise
from kurswerk.packets import shows
from kurswerk.render.docx_base import Cell, HandoutDocument, Span
from kurswerk.render.docx_packet import sources_section

LEADER_NOTICE = (
    "Ausgabe für die Leitung: Am Ende folgen Lösungen, Deutungsangebote und Hinweise für die Leitung. "
    "Die Teilnehmenden erhalten das Handout ohne diese Teile."
)
WRITE_IN_LINES = {"critical_incident": 5, "perspective": 5, "reflection": 5, "plain_language": 0, "action_plan": 0}


def build_training_handout(handout: HandoutDocument, curriculum: SectorCurriculum, training: Training,
                           edition: Edition) -> None:
    """Write every section of the training handout into ``handout``; the trainer edition adds answers."""
    _head(handout, curriculum, training, edition)
    _goals(handout, training)
    _agenda(handout, training)
    _exercises(handout, training)
    checklists_section(handout, training, level=1)
    _evaluation(handout, training)
    if training.sources:
        sources_section(handout, training.sources)
    if shows(edition, "rewrite-after") and not shows(edition, "training-answer"):
        _suggestions(handout, training)
    if shows(edition, "training-answer"):
        _answers(handout, training)
        if training.trainer_notes:
            handout.heading("Hinweise für die Leitung", 1, new_page=not _has_answers(training))
            handout.bullets(training.trainer_notes)


def duration_text(minutes: int) -> str:
    """Return a duration as German text: ``90 Minuten``, ``4 Stunden``, ``3,5 Stunden``."""
    if minutes < 120 or minutes % 30:
        return f"{minutes} Minuten"
    hours = minutes / 60
    return f"{hours:g} Stunden".replace(".", ",")


def training_subtitle(curriculum: SectorCurriculum, training: Training, edition: Edition) -> str:
    """Return the line under the title: edition, topic, sector and duration."""
    kind = "Ausgabe für die Leitung" if edition == "trainer" else "Handout für Teilnehmende"
    return f"{kind} · Interkulturelle Öffnung · {curriculum.sector.name} · {duration_text(training.duration_min)}"


def _head(handout: HandoutDocument, curriculum: SectorCurriculum, training: Training, edition: Edition) -> None:
    handout.title(training.title, training_subtitle(curriculum, training, edition))
    if edition == "trainer":
        handout.text(LEADER_NOTICE, "Kasten")
    handout.text(training.summary)
    handout.labelled("Zielgruppe", ", ".join(training.audience))
    handout.labelled("Format", training.format)
    handout.labelled("Ebenen der interkulturellen Öffnung", ", ".join(IKOE_LEVELS[level] for level in training.ikoe_level))


def _goals(handout: HandoutDocument, training: Training) -> None:
    handout.heading("Ziele", 1)
    for title, goals in (("Wissen", training.goals.knowledge), ("Haltung", training.goals.attitude),
                         ("Handeln", training.goals.action)):
        handout.heading(title, 2)
        handout.bullets(goals)


def _agenda(handout: HandoutDocument, training: Training) -> None:
    handout.heading("Ablauf", 1)
    rows: list[list[Cell]] = [[item.time, f"{item.minutes} Min.", item.block, item.method, item.material]
                              for item in training.agenda]
    handout.table(["Uhrzeit", "Dauer", "Baustein", "Methode", "Material"], rows, [0.09, 0.09, 0.3, 0.26, 0.26])


def _exercises(handout: HandoutDocument, training: Training) -> None:
    handout.heading("Übungen", 1)
    for number, exercise in enumerate(training.exercises, start=1):
        handout.heading(f"Übung {number}: {exercise.title}", 2)
        for paragraph in handout.text(exercise.instruction):
            paragraph.paragraph_format.keep_with_next = True
        if exercise.situation:
            handout.spans([Span("Situation", "Strong")], "Kasten")
            handout.text(exercise.situation, "Kasten")
        if exercise.questions:
            handout.numbered(exercise.questions)
        _work_space(handout, exercise)


def _work_space(handout: HandoutDocument, exercise: TrainingExercise) -> None:
    if exercise.rewrites:
        rows: list[list[Cell]] = [[rewrite.before, ""] for rewrite in exercise.rewrites]
        handout.table(["Vorher: die Anweisung", "Nachher: Ihre Fassung in einfacher Sprache"], rows, [0.5, 0.5],
                      min_height_cm=2.0)
    elif exercise.type == "action_plan":
        handout.table(["Was tun wir?", "Wer?", "Bis wann?"], [["", "", ""]] * 4, [0.6, 0.2, 0.2], min_height_cm=1.2)
    else:
        handout.write_in_lines(WRITE_IN_LINES.get(exercise.type, 5))


def checklists_section(handout: HandoutDocument, training: Training, *, level: int) -> None:
    """Add the training's checklists with check boxes, under a heading of ``level``."""
    handout.heading("Checklisten", level)
    for checklist in training.checklists:
        handout.heading(checklist.title, level + 1)
        handout.checklist(checklist.items)


def _evaluation(handout: HandoutDocument, training: Training) -> None:
    handout.heading("Auswertung", 1)
    handout.text("Ihre Rückmeldung hilft uns, das Training zu verbessern.")
    rows: list[list[Cell]] = [[f"{number}.", question, ""] for number, question in enumerate(training.evaluation, 1)]
    handout.table(["Nr.", "Frage", "Ihre Antwort"], rows, [0.07, 0.43, 0.5], min_height_cm=1.6)


def _has_answers(training: Training) -> bool:
    return any(exercise.answer or exercise.rewrites for exercise in training.exercises)


def _answers(handout: HandoutDocument, training: Training) -> None:
    if not _has_answers(training):
        return
    handout.heading("Lösungen und Deutungsangebote", 1, new_page=True)
    for number, exercise in enumerate(training.exercises, start=1):
        if not (exercise.answer or exercise.rewrites):
            continue
        handout.heading(f"Übung {number}: {exercise.title}", 2)
        if exercise.rewrites:
            rewrites_table(handout, exercise)
        if exercise.answer:
            handout.text(exercise.answer, "Kasten")


def _suggestions(handout: HandoutDocument, training: Training) -> None:
    """Add the rewrites as suggestions to compare with, after the participants have written their own."""
    with_rewrites = [exercise for exercise in training.exercises if exercise.rewrites]
    if not with_rewrites:
        return
    handout.heading("Vorschläge zum Vergleich", 1, new_page=True)
    handout.text("Vergleichen Sie erst nach der Übung: So könnten die Anweisungen in einfacher Sprache lauten.")
    for exercise in with_rewrites:
        handout.heading(exercise.title, 2)
        rewrites_table(handout, exercise)


def rewrites_table(handout: HandoutDocument, exercise: TrainingExercise) -> None:
    """Add the plain-language rewrites as a two-column table: before → after."""
    rows: list[list[Cell]] = [[rewrite.before, [[Span(rewrite.after, "Strong")]]] for rewrite in exercise.rewrites]
    handout.table(["Vorher", "Nachher: in einfacher Sprache"], rows, [0.5, 0.5])
