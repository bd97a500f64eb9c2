"""Packet parts → DOCX handouts on the Word template ``templates/handout.docx``.

Which files a sector yields, their names and their content come from :mod:`kurswerk.packets`;
this module opens the template, sets the metadata and draws. Module parts (input sheet, practice
sheets, cards, trainer file) and a training's cut-out material are drawn from their blocks by
:mod:`kurswerk.render.docx_packet`; the training handouts, the company handout and the glossary
have writers of their own. The output is deterministic: identical input gives byte-identical files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kurswerk.blocks import training_material_blocks
from kurswerk.exports import anki_package, moodle_quiz
from kurswerk.model import Edition, SectorCurriculum
from kurswerk.packets import HELP_LEVELS, HelpLevel, Part, part_blocks, plan_parts
from kurswerk.programme import Network, Programme, curricula_of, load_programme, logo_files
from kurswerk.render.docx_base import FITS, Fit, HandoutDocument
from kurswerk.render.docx_company import build_company_handout, build_glossary_handout
from kurswerk.render.docx_packet import draw
from kurswerk.render.docx_training import build_training_handout
from kurswerk.render.docx_wordlist import build_word_list
from kurswerk.render.docx_xml import Metadata

TEMPLATE = Path(__file__).resolve().parents[3] / "templates" / "handout.docx"
"""The Word template in a source checkout (the build passes its own path)."""

SUBJECTS = {"input": "Deutsch am Arbeitsplatz", "practice": "Deutsch am Arbeitsplatz", "cards": "Deutsch am Arbeitsplatz",
            "trainer": "Deutsch am Arbeitsplatz", "participants": "Interkulturelle Öffnung",
            "leader": "Interkulturelle Öffnung", "training-material": "Interkulturelle Öffnung",
            "company": "Für Unternehmen", "glossary": "Glossar", "wordlist": "Wortliste"}


def _keywords(curriculum: SectorCurriculum, programme: Programme | None, *extra: str) -> tuple[str, ...]:
    return (*([programme.name] if programme else []), curriculum.sector.name, *extra)


def _metadata(curriculum: SectorCurriculum, part: Part, programme: Programme | None = None) -> Metadata:
    category = part.label.split(":")[0]
    title = part.title if part.kind in ("company", "glossary", "wordlist") else f"{part.title} – {category}"
    return Metadata(title=title, subject=f"{SUBJECTS[part.kind]} · {curriculum.sector.name}",
                    keywords=_keywords(curriculum, programme, SUBJECTS[part.kind], category), category=category,
                    description=part.subtitle, footer=programme.footer if programme else "")


def write_part(curriculum: SectorCurriculum, part: Part, out_dir: Path, template: Path = TEMPLATE,
               fit: Fit = FITS[0], network: Network | None = None) -> Path:
    """Write one part of the plan into ``out_dir``, set as tightly as ``fit`` says; returns its path.

    The footer's funding line comes from the project's ``programm.yml``; the company handout names
    the contacts of ``network`` (or the programme's national offers).

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened, and
    :class:`~kurswerk.errors.InputError` if a chart's reference data or the programme file is faulty.
    """
    if part.kind == "flashcards":
        return anki_package(curriculum, curriculum.module(part.item), out_dir / part.file_name)
    if part.kind == "quiz":
        return moodle_quiz(curriculum, curriculum.module(part.item), out_dir / part.file_name)
    curricula = curricula_of(curriculum.files)
    programme = load_programme(curricula)
    handout = HandoutDocument(template, _metadata(curriculum, part, programme), fit)
    handout.logo_bar(logo_files(curricula, network))
    writers: dict[str, Callable[[], None]] = {
        "wordlist": lambda: build_word_list(handout, curriculum, str(part.language)),
        "participants": lambda: build_training_handout(handout, curriculum, curriculum.training(part.item), "public"),
        "leader": lambda: build_training_handout(handout, curriculum, curriculum.training(part.item), "trainer"),
        "company": lambda: build_company_handout(handout, curriculum, programme, network),
        "glossary": lambda: build_glossary_handout(handout, curriculum),
    }
    if part.kind in writers:
        writers[part.kind]()
    else:
        handout.title(part.title, part.subtitle)
        if part.kind == "training-material":
            draw(handout, training_material_blocks(curriculum.training(part.item)))
        else:
            draw(handout, part_blocks(curriculum, part))
    return handout.save(out_dir / part.file_name)


def write_sector_handouts(curriculum: SectorCurriculum, out_dir: Path, edition: Edition, template: Path = TEMPLATE,
                          help_levels: Sequence[HelpLevel] = HELP_LEVELS) -> list[Path]:
    """Write every part of a sector in one edition into ``out_dir``; returns the paths in plan order."""
    return [write_part(curriculum, part, out_dir, template) for part in plan_parts(curriculum, edition, help_levels)]
