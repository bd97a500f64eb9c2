"""Completeness and duplicate rules for a loaded sector: modules, trainings, sector and glossary.

The rules follow the content guide and ``docs/CONTENT_BRIEF.md``; requirements that the schema
already enforces (a key for every exercise, source and year on every fact, transfer and trainer
notes present) surface as schema findings from the loader (``E-SCHEMA``, ``E-MISSING`` …).

Codes: modules ``E-SCENARIO-STEPS``, ``E-SCENARIO-MODES``, ``E-SCENARIO-REGISTER``,
``E-DIALOGUE-MISSING``, ``W-DIALOGUE-LENGTH``, ``E-PHRASES-FEW``, ``E-PHRASE-FUNCTIONS``,
``W-COUNTERPARTS-FEW``, ``E-VOCABULARY-FEW``, ``E-EXERCISES-FEW``, ``W-STRATEGIES-FEW``,
``W-CAN-DO-COUNT``, ``W-TIMING-SUM``, ``E-DUPLICATE-ID``, ``W-DUPLICATE-VOCABULARY``; trainings
``E-CRITICAL-INCIDENTS``, ``E-REWRITES-FEW``, ``E-ONBOARDING-MISSING``, ``W-AGENDA-MINUTES``; sector
``E-FACTS-FEW``, ``E-MODULES-FEW``, ``E-LEVEL-B1``, ``E-TRAINING-MISSING``, ``E-GLOSSARY-FEW``,
``E-DUPLICATE-LEMMA``; the course tracks (:mod:`kurswerk.check.tracks`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

from kurswerk.check.content import answer_reason_problems, definition_problems, glossary_example_problems
from kurswerk.check.findings import Finding, Problem
from kurswerk.check.lines import Documents
from kurswerk.check.practice import material_problems, practice_problems
from kurswerk.check.tracks import track_problems, untracked_problems
from kurswerk.errors import counted
from kurswerk.model import Module, SectorCurriculum, Training

MIN_PHRASES, MIN_FUNCTIONS, MIN_COUNTERPARTS = 8, 3, 3
MIN_VOCABULARY, MIN_EXERCISES, MIN_STRATEGIES = 15, 4, 2
MIN_FACTS, MIN_MODULES, MIN_CRITICAL_INCIDENTS, MIN_REWRITES, MIN_GLOSSARY = 2, 3, 2, 3, 60
MINUTES_PER_UE = 45
ONBOARDING = re.compile(r"onboarding|einarbeitung|ankommen|ankunft", re.IGNORECASE)


# --- completeness: modules -------------------------------------------------------------------


def _scenario_problems(module: Module) -> Iterator[Problem]:
    """Yield problems of the scenario: number of steps, mix of modes and registers, dialogue lines."""
    steps = module.scenario.steps
    if len(steps) < 3:
        yield Problem("E-SCENARIO-STEPS", ("scenario", "steps"),
                      f"hat {counted(len(steps), 'Schritt', 'Schritte')}; ein Szenario braucht 3 bis 5")
    if {step.mode for step in steps} != {"oral", "written"}:
        yield Problem("E-SCENARIO-MODES", ("scenario", "steps"),
                      "braucht mündliche und schriftliche Schritte (mode: oral und written)")
    if len({step.speech_register for step in steps}) < 2:
        yield Problem("E-SCENARIO-REGISTER", ("scenario", "steps"),
                      "braucht einen Wechsel des Registers zwischen den Schritten (formal ↔ informal)")
    for number, step in enumerate(steps):
        lines = len(step.dialogue)
        if step.mode == "oral" and not lines:
            yield Problem("E-DIALOGUE-MISSING", ("scenario", "steps", number),
                          "ein mündlicher Schritt braucht Dialogzeilen (dialogue)")
        elif step.mode == "oral" and not 3 <= lines <= 8:
            yield Problem("W-DIALOGUE-LENGTH", ("scenario", "steps", number, "dialogue"),
                          f"hat {counted(lines, 'Dialogzeile', 'Dialogzeilen')}; gut sind 3 bis 8")


def _phrase_problems(module: Module) -> Iterator[Problem]:
    """Yield problems of the phrases (Redemittel): how many, how many functions, how many counterparts."""
    phrases = module.phrases
    functions = {phrase.function for phrase in phrases}
    counterparts = sum(1 for phrase in phrases if phrase.counterpart)
    if len(phrases) < MIN_PHRASES:
        yield Problem("E-PHRASES-FEW", ("phrases",), f"hat {len(phrases)} Redemittel; nötig sind mindestens {MIN_PHRASES}")
    if len(functions) < MIN_FUNCTIONS:
        yield Problem("E-PHRASE-FUNCTIONS", ("phrases",),
                      f"deckt {counted(len(functions), 'Sprachfunktion', 'Sprachfunktionen')} ab (function); "
                      f"nötig sind mindestens {MIN_FUNCTIONS}")
    if counterparts < MIN_COUNTERPARTS:
        yield Problem("W-COUNTERPARTS-FEW", ("phrases",),
                      f"{counterparts} Redemittel {'hat' if counterparts == 1 else 'haben'} ein Gegenstück (du ↔ Sie, "
                      f"counterpart); geben Sie es bei mindestens {MIN_COUNTERPARTS} an")


def _content_problems(module: Module) -> Iterator[Problem]:
    """Yield problems of vocabulary, exercises, strategies and can-do statements by their counts."""
    with_example = sum(1 for item in module.vocabulary if item.example.strip())
    with_key = sum(1 for exercise in module.exercises if exercise.answer or exercise.items)
    if with_example < MIN_VOCABULARY:
        yield Problem("E-VOCABULARY-FEW", ("vocabulary",),
                      f"hat {counted(with_example, 'Wort', 'Wörter')} mit Beispielsatz; "
                      f"nötig sind mindestens {MIN_VOCABULARY}")
    if with_key < MIN_EXERCISES:
        yield Problem("E-EXERCISES-FEW", ("exercises",) if module.exercises else (),
                      f"hat {counted(with_key, 'eigene Übung', 'eigene Übungen')} mit Lösung; "
                      f"nötig sind mindestens {MIN_EXERCISES}")
    if len(module.strategies) < MIN_STRATEGIES:
        yield Problem("W-STRATEGIES-FEW", ("strategies",),
                      f"hat {counted(len(module.strategies), 'Strategie', 'Strategien')}; "
                      f"geben Sie {MIN_STRATEGIES} bis 3 an")
    if not 3 <= len(module.can_do) <= 5:
        yield Problem("W-CAN-DO-COUNT", ("can_do",),
                      f"hat {counted(len(module.can_do), 'Kann-Beschreibung', 'Kann-Beschreibungen')}; "
                      "geben Sie 3 bis 5 an")


def _timing_problems(module: Module) -> Iterator[Problem]:
    """Yield a problem if the trainer notes' phases do not add up to the module's duration."""
    total = sum(phase.minutes for phase in module.trainer_notes.timing)
    expected = module.duration_ue * MINUTES_PER_UE
    if total != expected:
        yield Problem("W-TIMING-SUM", ("trainer_notes", "timing"),
                      f"die Phasen ergeben {total} Minuten, aber duration_ue {module.duration_ue} × 45 = {expected} Minuten")


def _module_duplicate_problems(module: Module) -> Iterator[Problem]:
    """Yield a problem for every repeated exercise id and vocabulary item of a module."""
    yield from _duplicates([exercise.id for exercise in module.exercises], "exercises", "id",
                           "E-DUPLICATE-ID", "Kennung")
    keys = [f"{item.headword} ({item.pos})" for item in module.vocabulary]
    yield from _duplicates(keys, "vocabulary", "lemma", "W-DUPLICATE-VOCABULARY", "Wortschatzeintrag")


def _duplicates(values: list[str], list_key: str, item_key: str, code: str, what: str) -> Iterator[Problem]:
    """Yield a problem for every repetition of a value after its first occurrence."""
    seen: dict[str, int] = {}
    for number, value in enumerate(values):
        if value in seen:
            yield Problem(code, (list_key, number, item_key),
                          f"{what} „{value}“ doppelt: steht schon bei {list_key}[{seen[value]}]")
        else:
            seen[value] = number


MODULE_RULES: list[Callable[[Module], Iterator[Problem]]] = [
    _scenario_problems, _phrase_problems, _content_problems, _timing_problems, _module_duplicate_problems,
    practice_problems, material_problems, answer_reason_problems,
]


# --- completeness: trainings, sector, glossary --------------------------------------------------


def _training_problems(training: Training) -> Iterator[Problem]:
    """Yield the problems of a training: exercise counts, onboarding checklist, agenda, duplicate ids."""
    incidents = sum(1 for exercise in training.exercises if exercise.type == "critical_incident")
    rewrites = sum(len(exercise.rewrites) for exercise in training.exercises if exercise.type == "plain_language")
    if incidents < MIN_CRITICAL_INCIDENTS:
        yield Problem("E-CRITICAL-INCIDENTS", ("exercises",),
                      f"hat {counted(incidents, 'kritische Situation', 'kritische Situationen')} "
                      f"(type: critical_incident); nötig sind mindestens {MIN_CRITICAL_INCIDENTS}")
    if rewrites < MIN_REWRITES:
        yield Problem("E-REWRITES-FEW", ("exercises",),
                      f"hat {counted(rewrites, 'Umformulierung', 'Umformulierungen')} in einfache Sprache (rewrites); "
                      f"nötig sind mindestens {MIN_REWRITES}")
    if not any(ONBOARDING.search(f"{checklist.id} {checklist.title}") for checklist in training.checklists):
        yield Problem("E-ONBOARDING-MISSING", ("checklists",),
                      "braucht eine Checkliste zur Einarbeitung (Kennung oder Titel mit „Onboarding“ oder „Einarbeitung“)")
    total = sum(item.minutes for item in training.agenda)
    if total != training.duration_min:
        yield Problem("W-AGENDA-MINUTES", ("agenda",),
                      f"der Ablauf ergibt {total} Minuten, aber duration_min ist {training.duration_min}")
    ids = [exercise.id for exercise in training.exercises]
    yield from _duplicates(ids, "exercises", "id", "E-DUPLICATE-ID", "Kennung")
    ids = [checklist.id for checklist in training.checklists]
    yield from _duplicates(ids, "checklists", "id", "E-DUPLICATE-ID", "Kennung")


def _sector_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    """Yield the problems of ``sector.yml``: facts, number and levels of modules, training, course tracks."""
    sector, modules = curriculum.sector, curriculum.modules
    if len(sector.facts) < MIN_FACTS:
        yield Problem("E-FACTS-FEW", ("facts",) if sector.facts else (),
                      f"hat {counted(len(sector.facts), 'Kennzahl', 'Kennzahlen')} mit Quelle und Jahr; "
                      f"nötig sind mindestens {MIN_FACTS}")
    if len(modules) < MIN_MODULES:
        yield Problem("E-MODULES-FEW", ("course", "tracks"),
                      f"die Branche hat {counted(len(modules), 'Modul', 'Module')}; nötig sind mindestens {MIN_MODULES}")
    if modules and not any(module.level == "B1" for module in modules):
        yield Problem("E-LEVEL-B1", ("course", "tracks"), "mindestens ein Modul muss auf Niveau B1 sein")
    if not curriculum.trainings:
        yield Problem("E-TRAINING-MISSING", ("id",), "die Branche braucht ein IKÖ-Training in trainings/")
    yield from track_problems(curriculum)


def _glossary_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    """Yield a problem if glossary and vocabulary hold too few terms, and one per repeated glossary term."""
    terms = curriculum.glossary.terms
    lemmas = {term.lemma for term in terms} | {item.lemma for module in curriculum.modules for item in module.vocabulary}
    if len(lemmas) < MIN_GLOSSARY:
        yield Problem("E-GLOSSARY-FEW", ("terms",),
                      f"Glossar und Wortschatz der Module enthalten {counted(len(lemmas), 'Begriff', 'Begriffe')}; "
                      f"nötig sind mindestens {MIN_GLOSSARY}")
    keys = [f"{term.headword} ({term.pos})" for term in terms]
    yield from _duplicates(keys, "terms", "lemma", "E-DUPLICATE-LEMMA", "Glossareintrag")


def completeness_findings(curriculum: SectorCurriculum, documents: Documents | None = None) -> list[Finding]:
    """Return the findings of the completeness and duplicate rules for a loaded sector."""
    documents = documents or Documents()
    files = {key: Path(value) for key, value in curriculum.files.items()}
    sector_file = files["sector"]
    findings = documents.findings(sector_file, _sector_problems(curriculum))
    glossary_file = files.get("glossary", sector_file)
    findings += documents.findings(glossary_file, _glossary_problems(curriculum))
    if "glossary" in files:
        findings += documents.findings(glossary_file, glossary_example_problems(curriculum))
    for module in curriculum.modules:
        path = files[f"module:{module.id}"]
        findings += [documents.finding(path, problem) for rule in MODULE_RULES for problem in rule(module)]
        findings += documents.findings(path, definition_problems(curriculum, module))
        findings += documents.findings(path, untracked_problems(curriculum, module))
    for training in curriculum.trainings:
        findings += documents.findings(files[f"training:{training.id}"], _training_problems(training))
        findings += documents.findings(files[f"training:{training.id}"], material_problems(training))
    return findings
