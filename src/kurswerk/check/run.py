"""Running the checks: over every sector folder of ``curricula``, and over one sector folder.

A sector that does not load still gets its spelling and ``ausnahmen.yml`` findings next to the
schema findings; completeness and noun rules need the loaded sector. Code: ``E-SECTOR-MISSING``
(a folder with modules or trainings but no ``sector.yml``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from kurswerk.check.articles import article_findings_in_folder
from kurswerk.check.codes import INCOMPLETE
from kurswerk.check.completeness import completeness_findings
from kurswerk.check.content import name_clashes
from kurswerk.check.data import data_findings
from kurswerk.check.findings import Finding, Problem, finding_from_input_error
from kurswerk.check.lines import Documents
from kurswerk.check.network import programme_findings
from kurswerk.check.nouns import noun_exceptions, noun_findings
from kurswerk.check.register import register_findings
from kurswerk.check.spelling import spelling_in_folder
from kurswerk.check.translations import translation_findings
from kurswerk.errors import InputError, InputErrors, Location, listing, quoted
from kurswerk.load import display_path, label_clashes, load_sector, no_sector, sector_folders
from kurswerk.model import Catalogue, SectorCurriculum


def run_checks(curricula: Path, sectors: list[str] | None = None,
               disabled: set[str] | frozenset[str] = frozenset()) -> list[Finding]:
    """Return the findings of every check over the sector folders of ``curricula``.

    ``sectors`` limits the run to these folder names; findings whose code is in ``disabled`` are
    dropped. Raises :class:`InputError` if ``curricula`` is no folder or names an unknown sector.
    """
    folders = sector_folders(curricula)
    if not folders and not _folders_without_sector(curricula):
        raise InputError(Location(display_path(curricula)), "enthält keine Branche (kein Ordner mit sector.yml); "
                         "legen Sie einen mit „kurswerk new“ an oder geben Sie mit --curricula den richtigen "
                         "Ordner an", code="E-EMPTY")
    if sectors:
        missing = sorted(set(sectors) - {folder.name for folder in folders})
        if missing:
            raise InputError(Location(display_path(curricula)), no_sector(missing), code="E-REFERENCE")
        folders = [folder for folder in folders if folder.name in sectors]
    findings = [] if sectors else _folders_without_sector(curricula)
    findings += [finding for folder in folders for finding in check_sector(folder, curricula)]
    findings += _name_clash_findings(curricula, {folder.name for folder in folders})
    findings += [] if sectors else programme_findings(curricula)
    return [finding for finding in findings if finding.code not in disabled]


def _name_clash_findings(curricula: Path, checked: set[str]) -> list[Finding]:
    """Return an ``E-NAME-CLASH`` finding for each module of a checked sector that shares a person's name
    with another sector (sectors that do not load are left out: their own findings say why)."""
    loaded = []
    for folder in sector_folders(curricula):
        try:
            loaded.append(load_sector(folder))
        except (InputError, InputErrors):
            continue
    documents = Documents()
    findings = [finding_from_input_error(error) for error in label_clashes(loaded)
                if Path(str(error.location.file)).parent.name in checked]
    for (sector, module), names in name_clashes(Catalogue(sectors=loaded)).items():
        if sector not in checked:
            continue
        path = Path(next(c for c in loaded if c.sector.id == sector).files[f"module:{module}"])
        who = (f"{quoted(names[0])} heißt auch eine Person" if len(names) == 1
               else f"{listing([quoted(name) for name in names])} heißen auch Personen")
        findings.append(documents.finding(path, Problem(
            "E-NAME-CLASH", ("scenario",), f"{who} in einer anderen Branche; geben Sie jeder Person "
            "einen eigenen Namen")))
    return findings


def _folders_without_sector(curricula: Path) -> list[Finding]:
    """Return a finding for each folder with modules or trainings but no ``sector.yml`` (never built)."""
    return [
        Finding("E-SECTOR-MISSING", "error", display_path(folder / "sector.yml"), None, "",
                "der Ordner hat Module oder Trainings, aber keine sector.yml; deshalb wird nichts davon gebaut")
        for folder in sorted(path for path in curricula.iterdir() if path.is_dir())
        if not (folder / "sector.yml").exists() and ((folder / "modules").is_dir() or (folder / "trainings").is_dir())
    ]


def check_sector(folder: Path, curricula: Path) -> list[Finding]:
    """Return every finding for one sector folder (schema errors do not stop the other checks)."""
    documents = Documents()
    findings: list[Finding] = []
    curriculum: SectorCurriculum | None = None
    try:
        curriculum = load_sector(folder)
    except InputErrors as error:
        findings += [finding_from_input_error(each) for each in error.errors]
    except InputError as error:
        findings.append(finding_from_input_error(error))
    findings += spelling_in_folder(folder, curricula, documents)
    findings += article_findings_in_folder(folder, documents)
    exceptions, exception_findings = noun_exceptions(folder, documents)
    findings += exception_findings
    if curriculum is not None:
        findings += completeness_findings(curriculum, documents)
        findings += register_findings(curriculum, documents)
        findings += noun_findings(curriculum, exceptions, documents)
        findings += translation_findings(curriculum, documents)
        findings += data_findings(curriculum, documents)
        findings = _drafts_as_warnings(curriculum, findings)
    return sorted(findings, key=lambda finding: (finding.file, finding.line or 0, finding.code))


def _drafts_as_warnings(curriculum: SectorCurriculum, findings: list[Finding]) -> list[Finding]:
    """Turn the incompleteness errors of a draft (sector, module or training) into warnings.

    In a draft sector every file is a draft; otherwise only the files of draft modules and trainings.
    """
    drafts = {display_path(Path(path)) for key, path in curriculum.files.items()
              if curriculum.sector.draft or (key.startswith("module:") and curriculum.module(key[7:]).draft)
              or (key.startswith("training:") and curriculum.training(key[9:]).draft)}
    if curriculum.sector.draft:
        sector_file = Path(curriculum.files["sector"])
        drafts |= {display_path(sector_file), display_path(sector_file.with_name("glossary.yml"))}
    return [replace(finding, severity="warning") if finding.code in INCOMPLETE and finding.file in drafts else finding
            for finding in findings]
