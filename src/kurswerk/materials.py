"""Classroom materials: which the build produces for a module or training, and which a text names.

Trainer notes and agendas name material ("Rollenkarten, Redemittel"). A name that ends like a
piece of material (…karte, …bogen, …blatt, …liste, …vorlage) must be something the build produces
for that module or training, the module's own workplace document, or a supply every room has
(Moderationskarten, Flipchart). :func:`unprovided_materials` returns the others, which
``kurswerk check`` reports as ``E-MATERIAL-MISSING``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kurswerk.model import Module, Training

MATERIAL_WORD = re.compile(
    r"\b([A-ZÄÖÜ][\wäöüß]*(?:-[A-ZÄÖÜ]?[\wäöüß]+)*?"
    r"(?:karte|karten|kärtchen|bogen|bögen|blatt|blätter|liste|listen|vorlage|vorlagen))\b"
)
"""A noun naming a piece of material: Rollenkarten, Beobachtungsbogen, Übergabeblatt, ISBAR-Karte."""

SUPPLIES = frozenset({
    "Moderationskarten", "Moderationskarte", "Karteikarten", "Karteikarte", "Kärtchen", "Flipchartblätter",
    "Flipchartblatt", "Notizblatt", "Notizblätter",
})
"""Blank supplies of a seminar room: named in notes, never produced."""

MODULE_MATERIALS: dict[str, str] = {
    "Inputblatt": "input", "Inputblätter": "input", "Arbeitsblatt": "practice", "Arbeitsblätter": "practice",
    "Übungsblatt": "practice", "Übungsblätter": "practice",
    "Selbsteinschätzungsbogen": "practice", "Selbsteinschätzungsbögen": "practice",
    "Rollenkarte": "roles", "Rollenkarten": "roles", "Beobachtungsbogen": "roles", "Beobachtungsbögen": "roles",
    "Redemittelkarte": "cards", "Redemittelkarten": "cards", "Wortkarte": "cards", "Wortkarten": "cards",
    "Wortliste": "glossary", "Wortlisten": "glossary", "Redemittelliste": "input",
}
"""Material names → the packet part that provides them (``roles`` exists only with role cards)."""

TRAINING_MATERIALS: dict[str, str] = {
    "Situationskarte": "situations", "Situationskarten": "situations", "Fallkarte": "situations",
    "Fallkarten": "situations", "Checkliste": "checklists", "Checklisten": "checklists",
    "Einarbeitungscheckliste": "checklists", "Feedbackbogen": "feedback", "Feedbackbögen": "feedback",
    "Evaluationsbogen": "feedback", "Evaluationsbögen": "feedback", "Auswertungsbogen": "feedback",
    "Arbeitsblatt": "handout", "Arbeitsblätter": "handout", "Infoblatt": "handout",
}
"""Material names of an IKÖ training → the part that provides them."""


def material_names(text: str) -> list[str]:
    """Return the material nouns a text names, in order (``Rollenkarten``, ``Übergabeblatt`` …)."""
    return [match.group(1) for match in MATERIAL_WORD.finditer(text)]


def module_material_texts(module: Module) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Yield (key path, text) of every place a module names its material."""
    for number, phase in enumerate(module.trainer_notes.timing):
        yield ("trainer_notes", "timing", number, "material"), phase.material
    for number, text in enumerate(module.trainer_notes.material):
        yield ("trainer_notes", "material", number), text


def module_provides(module: Module, name: str) -> bool:
    """True when the build produces the named material for this module, or it is a supply or its document."""
    part = MODULE_MATERIALS.get(name)
    if part == "roles":
        return any(exercise.roles for exercise in module.exercises)
    if part:
        return True
    document = f"{module.document.type} {module.document.title}"
    return name in SUPPLIES or name.casefold() in document.casefold()


def training_provides(training: Training, name: str) -> bool:
    """True when the build produces the named material for this training, or it is a supply."""
    part = TRAINING_MATERIALS.get(name)
    if part == "situations":
        return any(exercise.situation for exercise in training.exercises)
    return bool(part) or name in SUPPLIES


def unprovided_materials(module_or_training: Module | Training) -> list[tuple[tuple[str | int, ...], str]]:
    """Return (key path, name) for every material named but not produced by the build."""
    if isinstance(module_or_training, Module):
        module = module_or_training
        return [(path, name) for path, text in module_material_texts(module) for name in material_names(text)
                if not module_provides(module, name)]
    training = module_or_training
    return [(("agenda", number, "material"), name) for number, item in enumerate(training.agenda)
            for name in material_names(item.material) if not training_provides(training, name)]
