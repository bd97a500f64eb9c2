"""Rules for what the practice sheet and the classroom material need from a module or training.

Codes: ``E-PRACTICE-FEW`` (too few vocabulary items with a practice sentence the gap fill can
use), ``W-PRACTICE-UNUSABLE`` (the word is not found in its practice sentence), ``E-PRACTICE-COPY``
(a practice sentence is printed elsewhere in the learner material, so its gap could be copied),
``E-MATERIAL-MISSING`` (trainer notes or an agenda name material that no file provides).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kurswerk.check.findings import Problem
from kurswerk.errors import counted
from kurswerk.exercises import gap_sentence
from kurswerk.materials import unprovided_materials
from kurswerk.model import Module, Training

MIN_PRACTICE = 6
"""A gap fill needs at least this many items; "mit Hilfe" prints six of them."""


def learner_texts(module: Module) -> list[str]:
    """Return every text of the module's learner material except the practice sentences."""
    texts = [module.summary, module.scenario.setting, *module.can_do]
    for step in module.scenario.steps:
        texts += [step.task, *(line.text for line in step.dialogue)]
    texts += [text for phrase in module.phrases for text in (phrase.text, phrase.counterpart or "")]
    texts += [text for item in module.vocabulary for text in (item.example, item.definition or "")]
    document = module.document
    texts += [document.text or "", *(field.value for field in document.fields), *(c for row in document.rows for c in row)]
    for exercise in module.exercises:
        texts += [exercise.instruction, *(item.prompt for item in exercise.items)]
    texts += [strategy.text for strategy in module.strategies]
    return texts


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def practice_problems(module: Module) -> Iterator[Problem]:
    """Yield the problems of the module's practice sentences."""
    usable = 0
    material = _normalised(" ¶ ".join(learner_texts(module)))
    for number, item in enumerate(module.vocabulary):
        if not item.practice:
            continue
        if gap_sentence(item) is None:
            yield Problem("W-PRACTICE-UNUSABLE", ("vocabulary", number, "practice"),
                          f"„{item.lemma}“ (oder eine Form davon, die der Lückentext kennt) steht nicht im Übungssatz "
                          "oder steht zweimal darin")
        else:
            usable += 1
        sentence = _normalised(item.practice).rstrip(".!?")
        if sentence and sentence in material:
            yield Problem("E-PRACTICE-COPY", ("vocabulary", number, "practice"),
                          "der Übungssatz steht schon an anderer Stelle im Modul (Beispiel, Dialog, Dokument oder "
                          "Übung), die Lücke ließe sich also abschreiben; schreiben Sie einen neuen Satz")
    if usable < MIN_PRACTICE:
        yield Problem("E-PRACTICE-FEW", ("vocabulary",),
                      f"{counted(usable, 'Wort hat', 'Wörter haben')} einen brauchbaren Übungssatz; der Lückentext "
                      f"braucht mindestens {MIN_PRACTICE} (ergänzen Sie bei Nomen und Verben „practice:“ mit einem "
                      "neuen Satz)")


def material_problems(item: Module | Training) -> Iterator[Problem]:
    """Yield a problem for every classroom material named in trainer notes or agenda that no file provides."""
    for key_path, name in unprovided_materials(item):
        yield Problem("E-MATERIAL-MISSING", key_path,
                      f"nennt „{name}“, das kurswerk nicht erstellt; nennen Sie Material, das kurswerk erstellt "
                      "(Rollenkarten, Beobachtungsbogen, Redemittelkarten, Wortkarten, Situationskarten, "
                      "das Dokument des Moduls …), oder Ausstattung des Raums (Moderationskarten)")
