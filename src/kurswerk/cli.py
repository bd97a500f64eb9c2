"""The ``kurswerk`` command line: each command parses, calls one library function, maps errors.

Exit codes: 0 ok, 1 build failed, 2 bad input. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kurswerk.cli_german import install as _german_click
from kurswerk.errors import InputError, KurswerkError, Location

_german_click()

if TYPE_CHECKING:
    from kurswerk.packets import HelpLevel

F = TypeVar("F", bound=Callable[..., Any])


def _fail(error: KurswerkError) -> None:
    click.echo(f"Fehler: {error}" if not isinstance(error, InputError) else str(error), err=True)
    sys.exit(error.exit_code)


def handles_errors(function: F) -> F:
    """Turn the kit's own errors into a message on stderr and its exit code (no traceback)."""
    import functools

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KurswerkError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo("Abgebrochen; die bisherige Ausgabe in build/ ist unverändert.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def _project(root: str, curricula: str | None, build: str | None) -> Any:
    from kurswerk.plan import Project

    return Project.at(Path(root), Path(curricula) if curricula else None, Path(build) if build else None)


project_options = [
    click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False),
                 help="Projektordner (mit modules/ und templates/)."),
    click.option("--curricula", default=None, type=click.Path(file_okay=False),
                 help="Ordner mit den Kursplänen [Standard: ROOT/curricula]."),
]


def with_project(function: F) -> F:
    for option in reversed(project_options):
        function = option(function)
    return function


help_level_option = click.option(
    "--help-level", type=click.Choice(["both", "mit-hilfe", "ohne-hilfe"]), default="both", show_default=True,
    help="Übungsblätter mit Hilfe (Wortkasten, Anfangsbuchstaben, weniger Aufgaben), ohne Hilfe oder beide.")


def help_levels(choice: str) -> tuple[HelpLevel, ...]:
    """Return the help levels a ``--help-level`` choice stands for."""
    from kurswerk.packets import HELP_LEVELS

    return HELP_LEVELS if choice == "both" else tuple(level for level in HELP_LEVELS if level == choice)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kurswerk")
def main() -> None:
    """kurswerk: Kursmaterial für IQ – Deutsch am Arbeitsplatz und Interkulturelle Öffnung.

    Baut aus YAML-Kursplänen ein Kursbuch (Jupyter Book) und Handouts (DOCX und PDF).
    Nach der Einrichtung (make book): .venv/bin/kurswerk BEFEHL --help.
    """
    from kurswerk.processes import skip_slow_optional_imports

    skip_slow_optional_imports()


@main.command()
@with_project
@click.option("--build-dir", default=None, type=click.Path(file_okay=False), help="Ausgabeordner [Standard: ROOT/build].")
@click.option("--edition", type=click.Choice(["public", "trainer", "all"]), default="all", show_default=True,
              help="public: build/html; trainer: build/html-trainer (Lösungen, Hinweise für Lehrkräfte); all: beide.")
@click.option("--sector", "sectors", multiple=True, help="Nur diese Branche bauen (wiederholbar).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Parallel laufende Notebooks [Standard: Prozessorkerne].")
@click.option("--scheduler", default=None, help="dask.distributed-Scheduler: tcp://HOST:PORT oder local:N.")
@click.option("--force", is_flag=True, help="Den Cache nicht nutzen und jedes Ziel neu bauen (auch jedes PDF).")
@click.option("--quiet", "-q", is_flag=True, help="Keine Fortschrittsanzeige (für CI-Protokolle): nur eine Zeile am Ende.")
@help_level_option
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Jedes Handout mit LibreOffice als barrierearmes PDF ausgeben (--no-pdf: nur DOCX, schneller).")
@click.option("--drafts", is_flag=True,
              help="Entwürfe (draft: true in sector.yml, Modul oder Training) ins Buch und in die Handouts aufnehmen.")
@click.option("--timings", default=None, type=click.Path(dir_okay=False), metavar="DATEI",
              help="Die Zeiten der Arbeitsschritte als JSON in DATEI schreiben (für benchmarks/).")
@click.option("--netzwerk", "network", default=None, metavar="ID|alle",
              help="Regionale Ausgabe für ein Netzwerk aus curricula/netzwerke/ (z. B. nrw) nach "
                   "build/netzwerke/ID/; „alle“ baut jedes Netzwerk. Ohne: die bundesweite Ausgabe.")
@handles_errors
def build(root: str, curricula: str | None, build_dir: str | None, edition: str, sectors: tuple[str, ...],
          jobs: int | None, scheduler: str | None, force: bool, quiet: bool, help_level: str, pdf: bool,
          drafts: bool, timings: str | None, network: str | None) -> None:
    """Das Kursbuch (beide Ausgaben) und alle Handouts nach build/ bauen."""
    from kurswerk.build import build as run_build
    from kurswerk.model import Edition
    from kurswerk.programme import load_network, network_paths
    from kurswerk.progress import progress_display

    project = _project(root, curricula, build_dir)
    editions: list[Edition] = ["public", "trainer"] if edition == "all" else [edition]  # type: ignore[list-item]
    if network == "alle":
        chosen: list[str | None] = [path.stem for path in network_paths(project.curricula)]
        if not chosen:
            raise InputError(Location(str(project.curricula / "netzwerke")), "enthält kein Netzwerk (*.yml)",
                             code="E-EMPTY")
    else:
        chosen = [network]
    for each in chosen:
        if each:
            load_network(project.curricula, each)  # an unknown or faulty network stops before any work
    measured: dict[str, object] = {}
    for each in chosen:
        regional = project.for_network(each)
        with progress_display(quiet) as progress:
            report = run_build(regional, editions, sectors=list(sectors) or None, jobs=jobs, scheduler=scheduler,
                               progress=progress, force=force, help_levels=help_levels(help_level), pdf=pdf,
                               drafts=drafts)
        measured[each or "bund"] = report.timings()
        sphinx = ", ".join(report.sphinx_runs) or "nicht nötig"
        name = f"Netzwerk {each}: " if each else ""
        click.echo(f"{name}Fertig in {report.seconds:.1f} s: {report.rebuilt} Ziele gebaut, {report.cached} aus dem "
                   f"Cache, Sphinx: {sphinx}. Ausgabe: {regional.build}")
    if timings:
        import json

        data = next(iter(measured.values())) if len(measured) == 1 else {"netzwerke": measured}
        Path(timings).write_text(json.dumps(data, indent=2), encoding="utf-8")


@main.command()
@with_project
@click.argument("sector", metavar="BRANCHE")
@click.argument("module", metavar="MODUL")
@click.option("--edition", type=click.Choice(["public", "trainer"]), default="public", show_default=True,
              help="public: für Lernende; trainer: mit Lösungen, Karten und Unterrichtsplan.")
@click.option("--format", "formats", type=click.Choice(["ipynb", "docx", "pdf", "html"]), multiple=True,
              help="Ausgabeformate (wiederholbar) [Standard: ipynb und docx]. ipynb: ein Notebook zum Bearbeiten; "
                   "html: die Seite wie im Buch; docx und pdf: das Lernpaket des Moduls, "
                   "Input und Übungsblätter (trainer: auch Karten und die Unterlage für Lehrkräfte).")
@click.option("--output", "-o", default="build/module", show_default=True, type=click.Path(file_okay=False),
              help="Ausgabeordner; die Dateien landen in OUTPUT/BRANCHE/ und beginnen mit der Kennung des Moduls.")
@help_level_option
@handles_errors
def module(root: str, curricula: str | None, sector: str, module: str, edition: str, formats: tuple[str, ...],
           output: str, help_level: str) -> None:
    """Ein Modul (oder Training) einer Branche erzeugen: als Notebook, DOCX, PDF oder HTML."""
    from kurswerk.single import generate_module

    project = _project(root, curricula, None)
    written = generate_module(project, sector, module, edition, list(formats) or ["ipynb", "docx"], Path(output),
                              help_levels(help_level))
    for path in written:
        click.echo(str(path))


@main.command()
@with_project
@click.option("--sector", "sectors", multiple=True, help="Nur diese Branche prüfen (wiederholbar).")
@click.option("--disable", "disabled", multiple=True, metavar="CODE",
              help="Einen Befund-Code abschalten, z. B. E-SPELLING (wiederholbar).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: eine Zeile je Befund (Datei:Zeile:Spalte: CODE Schlüssel: Meldung); json: für Werkzeuge.")
@click.option("--color/--no-color", "colour", default=None,
              help="Farbe erzwingen oder abschalten [Standard: nur im Terminal].")
@click.option("--codes", "list_codes", is_flag=True, help="Alle Befund-Codes mit Bedeutung auflisten und enden.")
@click.option("--translations", "show_coverage", is_flag=True,
              help="Zusätzlich je Branche und Sprache zeigen, wie viele Wörter übersetzt und ob sie geprüft sind.")
@handles_errors
def check(root: str, curricula: str | None, sectors: tuple[str, ...], disabled: tuple[str, ...],
          output_format: str, colour: bool | None, list_codes: bool, show_coverage: bool) -> None:
    """Kurspläne prüfen: Schema, Verweise, Vollständigkeit, Rechtschreibung, Artikel und Plural.

    Jeder Befund steht in einer Zeile, die Editoren anspringen können; ein Entwurf (draft: true)
    meldet Unvollständiges als Warnung. Exit-Code 2 bei Fehlern, sonst 0.
    """
    from kurswerk.check import CODES, findings_json, format_lines, has_errors, run_checks, summary, unknown_codes

    if list_codes:
        click.echo("\n".join(f"{code:<24} {meaning}" for code, meaning in CODES.items()))
        return
    unknown = unknown_codes(disabled)
    if unknown:
        raise InputError(Location("--disable"), f"unbekannter Code {', '.join(unknown)}; die Codes listet "
                         "„kurswerk check --codes“", code="E-INPUT")
    project = _project(root, curricula, None)
    if not project.curricula.is_dir():
        raise InputError(Location(str(project.curricula)), "ist kein Ordner mit Kursplänen", code="E-READ")
    findings = run_checks(project.curricula, list(sectors) or None, set(disabled))
    covered = _coverage(project.curricula, list(sectors) or None) if show_coverage or output_format == "json" else []
    if output_format == "json":
        click.echo(findings_json(findings, [item.__dict__ for item in covered]))
    else:
        if findings:
            click.echo(format_lines(findings, sys.stdout.isatty() if colour is None else colour))
        if show_coverage:
            click.echo("Übersetzungen:" if covered else "Übersetzungen: keine Branche zeigt eine Sprache.")
            click.echo("\n".join(f"  {item}" for item in covered))
        click.echo(summary(findings))
    if has_errors(findings):
        sys.exit(2)


def _coverage(curricula: Path, sectors: list[str] | None) -> list[Any]:
    """Return the translation coverage of every sector that loads (``check --translations``)."""
    from kurswerk.check.translations import coverage
    from kurswerk.errors import InputErrors
    from kurswerk.load import load_sector, sector_folders

    result = []
    for folder in sector_folders(curricula):
        if sectors and folder.name not in sectors:
            continue
        try:
            result += coverage(load_sector(folder))
        except (InputError, InputErrors):
            continue  # its findings say why
    return result


@main.command()
@with_project
@click.argument("sector_id", metavar="BRANCHEN-ID")
@click.option("--name", required=True, help="Name der Branche, wie er im Buch steht, z. B. \"Einzelhandel\".")
@handles_errors
def new(root: str, curricula: str | None, sector_id: str, name: str) -> None:
    """curricula/BRANCHEN-ID/ aus der kommentierten Vorlage anlegen, als Entwurf.

    sector.yml, ein Modul, ein Training, Glossar und Wortliste, jede Datei mit Erklärungen.
    """
    from kurswerk.scaffold import create_sector, next_steps

    project = _project(root, curricula, None)
    created = create_sector(project.templates, project.curricula, sector_id, name)
    click.echo("\n".join(next_steps(created, project.curricula)))


@main.command()
@click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False), help="Projektordner.")
@click.option("--output", "-o", default=None, type=click.Path(file_okay=False),
              help="Ordner für die *.schema.json-Dateien [Standard: ROOT/schema].")
@click.option("--check", is_flag=True, help="Nichts schreiben; Exit-Code 1, wenn Dateien fehlen oder veraltet sind (CI).")
@handles_errors
def schema(root: str, output: str | None, check: bool) -> None:
    """JSON-Schemas für sector.yml, modules/*.yml, trainings/*.yml und glossary.yml schreiben (Hilfe im Editor)."""
    from kurswerk.schema import stale_schemas, write_schemas

    folder = Path(output) if output else Path(root) / "schema"
    if check:
        stale = stale_schemas(folder)
        for path in stale:
            click.echo(f"{path}: fehlt oder ist veraltet; kurswerk schema schreibt die aktuelle Fassung.", err=True)
        sys.exit(1 if stale else 0)
    for path in write_schemas(folder):
        click.echo(str(path))


@main.command()
@with_project
@click.option("--build-dir", default=None, type=click.Path(file_okay=False), help="Ausgabeordner [Standard: ROOT/build].")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port auf 127.0.0.1.")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Beide Ausgaben neu bauen, sobald sich curricula/, modules/ oder templates/ ändern.")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Entwürfe (draft: true) in der Vorschau zeigen.")
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Handouts auch als PDF (--no-pdf: nur DOCX, schnellere Vorschau).")
@handles_errors
def serve(root: str, curricula: str | None, build_dir: str | None, port: int, watch: bool, drafts: bool,
          pdf: bool) -> None:
    """Das Kursbuch auf http://127.0.0.1:PORT zeigen und nach jeder Änderung neu bauen.

    Die öffentliche Ausgabe steht unter /, die Ausgabe für Lehrkräfte unter /lehrkraefte/; offene
    Seiten laden nach jedem gelungenen Build von selbst neu.
    """
    from kurswerk.serve import serve as run_server

    run_server(_project(root, curricula, build_dir), port=port, watch=watch, echo=click.echo, drafts=drafts,
               pdf=pdf)


@main.command()
@with_project
@click.option("--port", default=8888, show_default=True, type=click.IntRange(0, 65535), help="Port auf 127.0.0.1.")
@click.option("--browser/--no-browser", default=True, show_default=True, help="Den Browser öffnen.")
@handles_errors
def lab(root: str, curricula: str | None, port: int, browser: bool) -> None:
    """JupyterLab mit den Modul-Notebooks öffnen (beim ersten Mal wird es installiert).

    Der Kernel ist das Python dieses Projekts; die Notebooks in modules/ finden die Kurspläne von
    selbst. Branche (sector) und Modul im ersten Feld ändern, dann „Run All“.
    """
    from kurswerk.lab import run_lab

    sys.exit(run_lab(_project(root, curricula, None), port, browser, click.echo))


def _german_usage() -> None:
    """German placeholders in every usage line (Click writes "[OPTIONS]" and "COMMAND [ARGS]...")."""
    main.options_metavar = "[OPTIONEN]"
    main.subcommand_metavar = "BEFEHL [ARGUMENTE]..."
    for command in main.commands.values():
        command.options_metavar = "[OPTIONEN]"


_german_usage()
