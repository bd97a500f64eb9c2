"""Model → DOCX handouts on the Word template ``templates/handout.docx``.

Each handout kind is one function that returns the path it wrote; :func:`write_sector_handouts`
writes all of one sector in one edition. File names (unique across editions, so both may share a
folder):

=========================  ===========  ==============================================
file                       edition      content
=========================  ===========  ==============================================
``<module>-arbeitsblatt``  public       worksheet of a DaA module
``<training>-teilnehmende`` public      participants' handout of an IKÖ training
``unternehmen``            public       handout for companies of the sector
``glossar``                public       the sector's word list
``<module>-lehrkraft``     trainer      worksheet + "Lösungen" + "Hinweise für Lehrkräfte"
``<training>-leitung``     trainer      training handout + answers + notes for the leader
=========================  ===========  ==============================================

:func:`plan_handouts` lists them (title, kind, file name, German label) without writing, for the
book's downloads page. The output is deterministic: identical input gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kurswerk.model import Edition, Module, SectorCurriculum, Training
from kurswerk.render.docx_base import HandoutDocument
from kurswerk.render.docx_company import build_company_handout, build_glossary_handout
from kurswerk.render.docx_module import build_module_worksheet, module_subtitle
from kurswerk.render.docx_training import build_training_handout, training_subtitle
from kurswerk.render.docx_xml import Metadata

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "handout.docx"
"""The Word template in a source checkout (the build passes its own path)."""

HandoutKind = Literal["worksheet", "participants", "company", "glossary"]
SUFFIXES: dict[tuple[str, Edition], str] = {
    ("worksheet", "public"): "arbeitsblatt", ("worksheet", "trainer"): "lehrkraft",
    ("participants", "public"): "teilnehmende", ("participants", "trainer"): "leitung",
}
LABELS: dict[tuple[str, Edition], str] = {
    ("worksheet", "public"): "Arbeitsblatt", ("worksheet", "trainer"): "Für Lehrkräfte",
    ("participants", "public"): "Handout für Teilnehmende", ("participants", "trainer"): "Für die Leitung",
}
DESCRIPTIONS: dict[tuple[str, Edition], str] = {
    ("worksheet", "public"): "Szenario, Redemittel, Wortschatz, Übungen und Selbsteinschätzung.",
    ("worksheet", "trainer"): "Arbeitsblatt mit Lösungen und Hinweisen für Lehrkräfte.",
    ("participants", "public"): "Ablauf, Ziele, Übungen, Checklisten und Auswertung des Trainings.",
    ("participants", "trainer"): "Trainingsmaterial mit Lösungshinweisen und Hinweisen für die Leitung.",
    ("company", "public"): "Zahlen, wichtige Fachwörter, Redemittel, Onboarding-Checkliste und Tipps für einfache Sprache.",
    ("glossary", "public"): "Alle Fachwörter mit Artikel, Plural, Erklärung, Beispiel und Übersetzungen.",
}


@dataclass(frozen=True)
class HandoutInfo:
    """One handout of a sector: what it is, where it goes and how a downloads page labels it."""

    kind: HandoutKind
    edition: Edition
    item: str
    """The module or training id; the sector id for the company handout and the glossary."""
    title: str
    file_name: str
    label: str
    description: str


def module_file_name(module_id: str, edition: Edition) -> str:
    """Return ``<module>-arbeitsblatt.docx`` (public) or ``<module>-lehrkraft.docx`` (trainer)."""
    return f"{module_id}-{SUFFIXES[('worksheet', edition)]}.docx"


def training_file_name(training_id: str, edition: Edition) -> str:
    """Return ``<training>-teilnehmende.docx`` (public) or ``<training>-leitung.docx`` (trainer)."""
    return f"{training_id}-{SUFFIXES[('participants', edition)]}.docx"


def plan_handouts(curriculum: SectorCurriculum, edition: Edition) -> list[HandoutInfo]:
    """Return the handouts of a sector in one edition, in the order they are written.

    Public: worksheets, participants' handouts, company handout, glossary. Trainer: the trainer
    worksheets and the leader's training handouts (the public ones serve trainers unchanged).
    """
    sector = curriculum.sector
    plan = [HandoutInfo("worksheet", edition, module.id, module.title, module_file_name(module.id, edition),
                        f"{LABELS[('worksheet', edition)]}: {module.title}", DESCRIPTIONS[("worksheet", edition)])
            for module in curriculum.ordered_modules]
    plan += [HandoutInfo("participants", edition, training.id, training.title,
                         training_file_name(training.id, edition),
                         f"{LABELS[('participants', edition)]}: {training.title}",
                         DESCRIPTIONS[("participants", edition)])
             for training in curriculum.trainings]
    if edition == "public":
        plan.append(HandoutInfo("company", edition, sector.id, f"Handout für Unternehmen: {sector.name}",
                                "unternehmen.docx", f"Handout für Unternehmen: {sector.name}",
                                DESCRIPTIONS[("company", "public")]))
        plan.append(HandoutInfo("glossary", edition, sector.id, f"Glossar {sector.name}", "glossar.docx",
                                f"Glossar {sector.name}", DESCRIPTIONS[("glossary", "public")]))
    return plan


def _keywords(curriculum: SectorCurriculum, *extra: str) -> tuple[str, ...]:
    return ("Integration durch Qualifizierung (IQ)", curriculum.sector.name, *extra)


def write_module_worksheet(curriculum: SectorCurriculum, module: Module, edition: Edition, out: Path,
                           template: Path = TEMPLATE) -> Path:
    """Write a module's worksheet (trainer edition: with answer key and notes); returns ``out``.

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened.
    """
    metadata = Metadata(
        title=module.title,
        subject=f"Deutsch am Arbeitsplatz · {curriculum.sector.name}",
        keywords=_keywords(curriculum, "Deutsch am Arbeitsplatz", f"Niveau {module.level}", "Arbeitsblatt"),
        category=LABELS[("worksheet", edition)],
        description=module_subtitle(curriculum, module, edition),
    )
    handout = HandoutDocument(template, metadata)
    build_module_worksheet(handout, curriculum, module, edition)
    return handout.save(out)


def write_training_handout(curriculum: SectorCurriculum, training: Training, edition: Edition, out: Path,
                           template: Path = TEMPLATE) -> Path:
    """Write a training's handout (trainer edition: with answers and notes); returns ``out``.

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened.
    """
    metadata = Metadata(
        title=training.title,
        subject=f"Interkulturelle Öffnung · {curriculum.sector.name}",
        keywords=_keywords(curriculum, "Interkulturelle Öffnung", "Training"),
        category=LABELS[("participants", edition)],
        description=training_subtitle(curriculum, training, edition),
    )
    handout = HandoutDocument(template, metadata)
    build_training_handout(handout, curriculum, training, edition)
    return handout.save(out)


def write_company_handout(curriculum: SectorCurriculum, out: Path, template: Path = TEMPLATE) -> Path:
    """Write the handout for companies of the sector; returns ``out``.

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened, and
    :class:`~kurswerk.errors.InputError` if a chart's reference data is missing.
    """
    sector = curriculum.sector
    metadata = Metadata(
        title=f"Handout für Unternehmen: {sector.name}",
        subject=f"Für Unternehmen · {sector.name}",
        keywords=_keywords(curriculum, "Unternehmen", "Onboarding", "Einfache Sprache", "Glossar"),
        category="Handout für Unternehmen",
        description=DESCRIPTIONS[("company", "public")],
    )
    handout = HandoutDocument(template, metadata)
    build_company_handout(handout, curriculum)
    return handout.save(out)


def write_glossary_handout(curriculum: SectorCurriculum, out: Path, template: Path = TEMPLATE) -> Path:
    """Write the sector's glossary; returns ``out``. Raises :class:`~kurswerk.errors.BuildError` as above."""
    sector = curriculum.sector
    metadata = Metadata(
        title=f"Glossar {sector.name}",
        subject=f"Glossar · {sector.name}",
        keywords=_keywords(curriculum, "Glossar", "Wortschatz", "Fachsprache"),
        category="Glossar",
        description=DESCRIPTIONS[("glossary", "public")],
    )
    handout = HandoutDocument(template, metadata)
    build_glossary_handout(handout, curriculum)
    return handout.save(out)


def write_handout(curriculum: SectorCurriculum, info: HandoutInfo, out_dir: Path, template: Path = TEMPLATE) -> Path:
    """Write the handout ``info`` describes into ``out_dir``; returns its path."""
    out = out_dir / info.file_name
    writers: dict[str, Callable[[], Path]] = {
        "worksheet": lambda: write_module_worksheet(curriculum, curriculum.module(info.item), info.edition, out, template),
        "participants": lambda: write_training_handout(curriculum, curriculum.training(info.item), info.edition, out,
                                                       template),
        "company": lambda: write_company_handout(curriculum, out, template),
        "glossary": lambda: write_glossary_handout(curriculum, out, template),
    }
    return writers[info.kind]()


def write_sector_handouts(curriculum: SectorCurriculum, out_dir: Path, edition: Edition,
                          template: Path = TEMPLATE) -> list[Path]:
    """Write every handout of a sector in one edition into ``out_dir``; returns the paths in plan order."""
    return [write_handout(curriculum, info, out_dir, template) for info in plan_handouts(curriculum, edition)]
