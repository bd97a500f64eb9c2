"""A new sector in minutes: ``kurswerk new`` copies the commented sector template and fills in id and name.

The template is ``templates/neuer-sektor/`` of the project: a complete, loadable sector with one
DaA module, one IKÖ training, a glossary and a word list, every file explaining in German
comments what to fill in. This module owns checking the new id and name, writing the folder (all
or nothing) and the list of next steps the CLI prints.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from kurswerk.errors import BuildError, InputError, InputErrors, Location
from kurswerk.load import display_path, load_sector
from kurswerk.model import SectorCurriculum

TEMPLATE_FOLDER = "neuer-sektor"
"""The sector template's folder inside the project's ``templates/``."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = {"data"}
"""Folder names of ``curricula/`` that are no sector (``data`` holds the reference statistics)."""
MAX_NAME = 60


@dataclass(frozen=True)
class NewSector:
    """What ``kurswerk new`` wrote: the folder, its files and the loaded curriculum."""

    folder: Path
    files: list[Path]
    curriculum: SectorCurriculum


def check_sector_id(sector_id: str) -> str:
    """Return the id if it is a usable folder name; raises :class:`InputError` (exit 2) if not."""
    if not SLUG.match(sector_id) or len(sector_id) > 64:
        raise InputError(Location("SECTOR-ID"),
                         f"„{sector_id}“ ist keine gültige Kennung einer Branche: nur Kleinbuchstaben, Ziffern und "
                         "einzelne Bindestriche, z. B. „einzelhandel“ oder „kfz-werkstatt“ (keine Umlaute, "
                         "Leerzeichen oder Großbuchstaben)",
                         code="E-ID")
    if sector_id in RESERVED:
        raise InputError(Location("SECTOR-ID"), f"„{sector_id}“ ist vergeben: curricula/{sector_id} ist keine Branche",
                         code="E-ID")
    return sector_id


def check_sector_name(name: str) -> str:
    """Return the trimmed display name; raises :class:`InputError` if it is empty, too long or multi-line."""
    trimmed = name.strip()
    if not trimmed:
        raise InputError(Location("--name"), "darf nicht leer sein, z. B. --name \"Einzelhandel\"", code="E-INPUT")
    if len(trimmed) > MAX_NAME or any(ord(character) < 32 or character == "\x7f" for character in trimmed):
        raise InputError(Location("--name"), f"muss eine Zeile von höchstens {MAX_NAME} Zeichen sein", code="E-INPUT")
    return trimmed


def placeholders(sector_id: str, name: str) -> dict[str, str]:
    """Return the template's placeholders: ``id``, ``name`` and YAML-quoted ``name_yaml``, ``title_yaml``."""
    title = f"Deutsch am Arbeitsplatz: {name}"
    return {
        "id": sector_id,
        "name": name,
        # A JSON string is a valid YAML double-quoted scalar, whatever the name contains.
        "name_yaml": json.dumps(name, ensure_ascii=False),
        "title_yaml": json.dumps(title, ensure_ascii=False),
    }


def template_files(template: Path) -> list[Path]:
    """Return the template's files relative to ``template``; raises :class:`InputError` if it is missing."""
    if not (template / "sector.yml").is_file():
        raise InputError(Location(display_path(template)), "ist keine Vorlage für eine Branche (es fehlt sector.yml); "
                         "rufen Sie kurswerk new im Projektordner auf oder geben Sie --root an", code="E-READ")
    return sorted(path.relative_to(template) for path in template.rglob("*") if path.is_file())


def render_template(text: str, values: dict[str, str], where: Path) -> str:
    """Fill ``${…}`` placeholders; raises :class:`BuildError` if the template names an unknown one."""
    try:
        return Template(text).substitute(values)
    except (KeyError, ValueError) as error:
        raise BuildError(f"{display_path(where)}: unbekannter oder kaputter Platzhalter {error}") from None


def create_sector(templates: Path, curricula: Path, sector_id: str, name: str) -> NewSector:
    """Write ``curricula/<sector_id>/`` from the template and load it back; returns what was written.

    Raises :class:`InputError` for a bad id or name or an existing folder, and :class:`BuildError` if
    the written sector does not load (a broken template). Nothing is left behind on failure.
    """
    check_sector_id(sector_id)
    name = check_sector_name(name)
    folder = curricula / sector_id
    if folder.exists():
        raise InputError(Location(display_path(folder)), "gibt es schon; wählen Sie eine andere Kennung oder "
                         "bearbeiten Sie diesen Ordner", code="E-EXISTS")
    template = templates / TEMPLATE_FOLDER
    values = placeholders(sector_id, name)
    scratch = curricula / f".{sector_id}.new"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        written = _write_files(template, scratch, values)
        scratch.rename(folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return NewSector(folder, [folder / path for path in written], _load_new(folder))


def _write_files(template: Path, target: Path, values: dict[str, str]) -> list[Path]:
    """Write every template file into ``target`` with placeholders filled; returns the relative paths."""
    relative_paths = template_files(template)
    for relative in relative_paths:
        text = render_template((template / relative).read_text(encoding="utf-8"), values, template / relative)
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8")
    return relative_paths


def _load_new(folder: Path) -> SectorCurriculum:
    """Load the new sector; on failure remove it and raise :class:`BuildError` (the template is broken)."""
    try:
        return load_sector(folder)
    except InputErrors as error:
        shutil.rmtree(folder)
        raise BuildError(f"Die Vorlage der Branche lässt sich nicht laden, nichts wurde geschrieben:\n{error}") from None
    except InputError as error:
        shutil.rmtree(folder)
        raise BuildError(f"Die Vorlage der Branche lässt sich nicht laden, nichts wurde geschrieben:\n{error}") from None


def next_steps(new: NewSector, curricula: Path) -> list[str]:
    """Return the German lines ``kurswerk new`` prints: what was written and what to fill in next."""
    sector = new.curriculum.sector
    lines = [f"Neue Branche „{sector.name}“ angelegt in {display_path(new.folder)}:"]
    lines += [f"  {display_path(path)}" for path in new.files]
    lines += [
        "",
        "Als Nächstes (die Kommentare in jeder Datei erklären die Felder):",
        "  1. sector.yml: Zusammenfassung, Berufe, Sprachanforderung, Sie/du, Zahlen mit Quelle und Jahr.",
        "  2. modules/: das Beispielmodul anpassen und mindestens zwei weitere Module schreiben"
        " (A2 bis B2, mindestens eins auf B1); ihre ids in sector.yml bei einem Kurs passenden Niveaus"
        " (course.tracks) eintragen.",
        f"  3. trainings/{new.curriculum.trainings[0].id}.yml: Situationen und Beispiele der Branche einsetzen.",
        "  4. glossary.yml: auf mindestens 60 Fachwörter erweitern (zusammen mit dem Wortschatz der Module).",
        "  5. wortliste.txt: richtige Fachwörter eintragen, die die Rechtschreibprüfung nicht kennt.",
        "",
        "  6. Ist die Branche fertig: in sector.yml die Zeile „draft: true“ löschen.",
        "",
        "Die Branche ist ein Entwurf (draft: true): kurswerk check meldet Unvollständiges als Warnung,",
        "das Kursbuch nimmt sie nur mit „kurswerk build --drafts“ auf.",
        "",
        f"Prüfen:   .venv/bin/kurswerk check --sector {sector.id}",
        f"Ansehen:  .venv/bin/kurswerk module {sector.id} {new.curriculum.modules[0].id} --format html",
        "Buch:     .venv/bin/kurswerk serve --drafts   (baut neu, sobald Sie speichern)",
    ]
    if not (curricula / "data" / "sources.yml").is_file():
        lines += ["", f"Achtung: {display_path(curricula / 'data')} fehlt; die Diagramme der Branche brauchen "
                      "die Referenzdaten (kopieren Sie curricula/data aus dem Projekt)."]
    return lines
