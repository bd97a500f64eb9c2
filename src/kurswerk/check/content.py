"""Rules an expert reader applies that a machine can apply too.

Codes: ``E-GLOSSARY-DEFINITION`` (a word of a module's vocabulary that neither the vocabulary nor
the sector glossary defines), ``W-GLOSSARY-EXAMPLE`` (a glossary term without an example),
``E-ANSWER-REASON`` (a matching task whose answers carry their own justification, so the options
give the key away), ``E-NAME-CLASH`` (one name for different people in different sectors).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kurswerk.check.findings import Problem
from kurswerk.glossary import slug
from kurswerk.model import Catalogue, Module, SectorCurriculum

DEFINED_POS = {"noun", "verb", "adjective"}
REASON_SEPARATOR = re.compile(r"\s+[–—-]\s+|\s*\(|:\s+")
FULL_NAME = re.compile(r"\b([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)? [A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)\b")


def definition_problems(curriculum: SectorCurriculum, module: Module) -> Iterator[Problem]:
    """Yield a problem for every noun, verb or adjective of the module that no one defines."""
    defined = {slug(term.lemma) for term in curriculum.glossary.terms if term.definition}
    for number, item in enumerate(module.vocabulary):
        if item.pos in DEFINED_POS and not item.definition and slug(item.lemma) not in defined:
            yield Problem("E-GLOSSARY-DEFINITION", ("vocabulary", number, "lemma"),
                          f"„{item.lemma}“ hat keine Erklärung für das Glossar: ergänzen Sie hier „definition:“ "
                          "(ein einfacher Satz) oder einen Eintrag in glossary.yml")


def glossary_example_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    """Yield a problem for every glossary term without an example sentence."""
    for number, term in enumerate(curriculum.glossary.terms):
        if not term.example:
            yield Problem("W-GLOSSARY-EXAMPLE", ("terms", number, "lemma"),
                          f"„{term.lemma}“ hat keinen Beispielsatz (example)")


def answer_reason_problems(module: Module) -> Iterator[Problem]:
    """Yield a problem for a matching task in which one choice is written with different reasons."""
    for number, exercise in enumerate(module.exercises):
        if exercise.type != "matching":
            continue
        spellings: dict[str, set[str]] = {}
        for item in exercise.items:
            base = REASON_SEPARATOR.split(item.answer, maxsplit=1)[0].strip().rstrip(".").casefold()
            spellings.setdefault(base, set()).add(item.answer.strip())
        mixed = sorted(base for base, answers in spellings.items() if len(answers) > 1)
        if mixed:
            yield Problem("E-ANSWER-REASON", ("exercises", number, "items"),
                          f"die Antwort „{mixed[0]}“ steht in mehreren Fassungen mit Begründung da, so verraten die "
                          "Optionen die Lösung: schreiben Sie nur die Antwort unter „answer“ und die Begründung "
                          "unter „explanation“")


def people(module: Module) -> set[str]:
    """Return the full names (first and last name) of the people a module's scenario names."""
    names = {module.scenario.protagonist.name}
    for step in module.scenario.steps:
        names |= set(FULL_NAME.findall(step.partner))
    return names


def name_clashes(catalogue: Catalogue) -> dict[tuple[str, str], list[str]]:
    """Return (sector id, module id) → the names that also stand for someone in another sector."""
    owners: dict[str, set[str]] = {}
    for curriculum in catalogue.sectors:
        for module in curriculum.modules:
            for name in people(module):
                owners.setdefault(name, set()).add(curriculum.sector.id)
    clashes: dict[tuple[str, str], list[str]] = {}
    for curriculum in catalogue.sectors:
        for module in curriculum.modules:
            shared = sorted(name for name in people(module) if len(owners[name]) > 1)
            if shared:
                clashes[(curriculum.sector.id, module.id)] = shared
    return clashes
