"""The sector's du/Sie rule and the order of ordering tasks, as the learner sees them.

Codes: ``E-REGISTER-RULE`` (a phrase or its du ↔ Sie counterpart in a form of address that the
sector's ``registers`` forbid in the phrase's relation, a counterpart without a relation, a relation
named twice), ``E-ORDERING-IN-ORDER`` (an ordering task that a practice sheet prints in the right
order, so it answers itself), ``E-ORDERING-KEY`` (the answers of an ordering task are not the
positions 1 to n, each once).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kurswerk.check.findings import Finding, KeyPath, Problem
from kurswerk.check.lines import Documents
from kurswerk.errors import listing, quoted
from kurswerk.exercises import ordering_position
from kurswerk.model import ADDRESS_OF, Address, Module, RegisterRule, Sector, SectorCurriculum

OTHER: dict[Address, Address] = {"du": "Sie", "Sie": "du"}


def register_findings(curriculum: SectorCurriculum, documents: Documents) -> list[Finding]:
    """Return the register-rule and ordering findings of a loaded sector, with file and line."""
    findings = documents.findings(Path(curriculum.files["sector"]), sector_rule_problems(curriculum.sector))
    for module in curriculum.modules:
        problems = [*phrase_rule_problems(curriculum.sector, module), *ordering_problems(module)]
        findings += documents.findings(Path(curriculum.files[f"module:{module.id}"]), problems)
    return findings


def rule_text(rule: RegisterRule) -> str:
    """Return what the rule allows, in words: „nur Sie“, „nur du“ or „du und Sie“."""
    return "du und Sie" if rule.both else f"nur {rule.allowed[0]}"


def sector_rule_problems(sector: Sector) -> Iterator[Problem]:
    """Yield a problem for each relation the sector's ``registers`` name a second time."""
    seen: set[str] = set()
    for number, rule in enumerate(sector.registers):
        if rule.relation in seen:
            yield Problem("E-REGISTER-RULE", ("registers", number, "relation"),
                          f"die Beziehung {quoted(rule.relation)} steht zweimal unter „registers“; jede Beziehung "
                          "hat genau eine Regel")
        seen.add(rule.relation)


def phrase_rule_problems(sector: Sector, module: Module) -> Iterator[Problem]:
    """Yield a problem for each phrase that breaks the sector's du/Sie rule in its relation."""
    rules = {rule.relation: rule for rule in sector.registers}
    known = listing([rule.relation for rule in sector.registers])
    for number, phrase in enumerate(module.phrases):
        where: KeyPath = ("phrases", number)
        rule = rules.get(phrase.relation or "")
        if phrase.counterpart and phrase.speech_register == "neutral":
            yield Problem("E-REGISTER-RULE", (*where, "counterpart"),
                          "ein neutrales Redemittel hat kein anderes Register; geben Sie „register: formal“ oder "
                          "„register: informal“ an oder streichen Sie „counterpart“")
            continue
        if phrase.counterpart and phrase.relation is None:
            yield Problem("E-REGISTER-RULE", (*where, "counterpart"),
                          "ein Gegenstück im anderen Register (counterpart) braucht die Beziehung, in der das "
                          f"Redemittel gesagt wird: ergänzen Sie „relation:“ (in dieser Branche: {known})")
            continue
        if rule is None or phrase.speech_register == "neutral":
            continue
        own = ADDRESS_OF[phrase.speech_register]
        said = f"in der Beziehung {quoted(rule.label)} (relation: {rule.relation}) sagt man in dieser Branche " \
               f"{rule_text(rule)} (sector.yml, registers)"
        if own not in rule.allowed:
            yield Problem("E-REGISTER-RULE", (*where, "register"),
                          f"das Redemittel steht per {own}, aber {said}; schreiben Sie es per {OTHER[own]} oder "
                          "nennen Sie die richtige Beziehung")
        elif phrase.counterpart and OTHER[own] not in rule.allowed:
            yield Problem("E-REGISTER-RULE", (*where, "counterpart"),
                          f"das Gegenstück (counterpart) steht per {OTHER[own]}, aber {said}; streichen Sie "
                          "„counterpart“, sonst lehrt die Übung „Du oder Sie?“ eine Anrede, die es hier nicht gibt")


def ordering_problems(module: Module) -> Iterator[Problem]:
    """Yield a problem for each ordering task with a broken key or printed in the right order.

    What counts is what the learner sees: the items of each practice sheet (with and without help)
    in the order the sheet prints them, read against the key.
    """
    from kurswerk.packets import HELP_LEVELS, practice_exercises

    broken: set[str] = set()
    for number, exercise in enumerate(module.exercises):
        if exercise.type != "ordering":
            continue
        positions = [ordering_position(item.answer) for item in exercise.items]
        expected = list(range(1, len(positions) + 1))
        if sorted(position or 0 for position in positions) != expected:
            broken.add(exercise.id)
            shown = listing([quoted(item.answer) for item in exercise.items])
            yield Problem("E-ORDERING-KEY", ("exercises", number, "items"),
                          f"die Lösungen einer Ordnungsaufgabe sind die Positionen 1 bis {len(positions)}, jede "
                          f"genau einmal, als Zahl am Anfang der Lösung; hier stehen {shown}. Eine Begründung "
                          "gehört unter „explanation“")
    reported: set[str] = set()
    for level in HELP_LEVELS:
        for practice in practice_exercises(module, level):
            printed = practice.exercise
            if printed.kind != "ordering" or printed.id in broken | reported or len(printed.items) < 2:
                continue
            positions = [ordering_position(item.answer) for item in printed.items]
            if not _ascending(positions):
                continue
            reported.add(printed.id)
            yield Problem("E-ORDERING-IN-ORDER", _ordering_source(module, printed.id, printed.title),
                          f"das Übungsblatt druckt die Ordnungsaufgabe „{printed.title}“ schon in der richtigen "
                          "Reihenfolge, die Aufgabe löst sich also selbst; ändern Sie die Reihenfolge oder die "
                          "Zahl der Schritte")


def _ascending(positions: list[int | None]) -> bool:
    """Whether every item has a position and the positions never go down (the right order)."""
    known = [position for position in positions if position is not None]
    return len(known) == len(positions) and known == sorted(known)


def _ordering_source(module: Module, exercise_id: str, title: str) -> KeyPath:
    """Return the key path an ordering task comes from: a hand-written exercise or the scenario's dialogue."""
    for number, exercise in enumerate(module.exercises):
        if exercise.id == exercise_id:
            return ("exercises", number, "items")
    for number, step in enumerate(module.scenario.steps):
        if title.endswith(f": {step.title}"):
            return ("scenario", "steps", number, "dialogue")
    return ("scenario", "steps")
