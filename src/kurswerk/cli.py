"""The ``kurswerk`` command line: each command parses, calls one library function, maps errors.

Exit codes: 0 ok, 1 build failed, 2 bad input. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kurswerk.errors import InputError, KurswerkError, Location

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
                 help="Project folder (with modules/ and templates/)."),
    click.option("--curricula", default=None, type=click.Path(file_okay=False),
                 help="Curricula folder [default: ROOT/curricula]."),
]


def with_project(function: F) -> F:
    for option in reversed(project_options):
        function = option(function)
    return function


help_level_option = click.option(
    "--help-level", type=click.Choice(["both", "mit-hilfe", "ohne-hilfe"]), default="both", show_default=True,
    help="Practice sheets with help (word box, first letters, fewer items), without help, or both.")


def help_levels(choice: str) -> tuple[HelpLevel, ...]:
    """Return the help levels a ``--help-level`` choice stands for."""
    from kurswerk.packets import HELP_LEVELS

    return HELP_LEVELS if choice == "both" else tuple(level for level in HELP_LEVELS if level == choice)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kurswerk")
def main() -> None:
    """kurswerk: course material for IQ — German at the workplace and intercultural opening.

    Builds YAML curricula into a course book (Jupyter Book) and DOCX handouts.
    """


@main.command()
@with_project
@click.option("--build-dir", default=None, type=click.Path(file_okay=False), help="Output folder [default: ROOT/build].")
@click.option("--edition", type=click.Choice(["public", "trainer", "all"]), default="all", show_default=True,
              help="public: build/html; trainer: build/html-trainer (answer keys, trainer notes); all: both.")
@click.option("--sector", "sectors", multiple=True, help="Build only this sector (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Notebooks run in parallel [default: cores].")
@click.option("--scheduler", default=None, help="dask.distributed scheduler: tcp://HOST:PORT or local:N.")
@click.option("--force", is_flag=True, help="Ignore the cache and redo every target.")
@click.option("--quiet", "-q", is_flag=True, help="No progress display (CI logs): one summary line.")
@help_level_option
@click.option("--pdf/--no-pdf", default=True, show_default=True,
              help="Convert every handout to a tagged PDF with LibreOffice (--no-pdf: DOCX only, quicker).")
@handles_errors
def build(root: str, curricula: str | None, build_dir: str | None, edition: str, sectors: tuple[str, ...],
          jobs: int | None, scheduler: str | None, force: bool, quiet: bool, help_level: str, pdf: bool) -> None:
    """Build the course book and all handouts into build/."""
    from kurswerk.build import build as run_build
    from kurswerk.model import Edition
    from kurswerk.progress import progress_display

    project = _project(root, curricula, build_dir)
    editions: list[Edition] = ["public", "trainer"] if edition == "all" else [edition]  # type: ignore[list-item]
    with progress_display(quiet) as progress:
        report = run_build(project, editions, sectors=list(sectors) or None, jobs=jobs, scheduler=scheduler,
                           progress=progress, force=force, help_levels=help_levels(help_level), pdf=pdf)
    sphinx = ", ".join(report.sphinx_runs) or "nicht nötig"
    click.echo(f"Fertig in {report.seconds:.1f} s: {report.rebuilt} Ziele gebaut, {report.cached} aus dem Cache, "
               f"Sphinx: {sphinx}. Ausgabe: {project.build}")


@main.command()
@with_project
@click.argument("sector")
@click.argument("module")
@click.option("--edition", type=click.Choice(["public", "trainer"]), default="public", show_default=True)
@click.option("--format", "formats", type=click.Choice(["ipynb", "docx", "pdf", "html"]), multiple=True,
              help="Output formats (repeatable) [default: ipynb and docx]. docx and pdf write the module's packet: "
                   "input sheet and practice sheets (trainer: also cards and the trainer file).")
@click.option("--output", "-o", default="build/module", show_default=True, type=click.Path(file_okay=False))
@help_level_option
@handles_errors
def module(root: str, curricula: str | None, sector: str, module: str, edition: str, formats: tuple[str, ...],
           output: str, help_level: str) -> None:
    """Generate one module (or training) of one sector, as notebook, DOCX, PDF or HTML."""
    from kurswerk.single import generate_module

    project = _project(root, curricula, None)
    written = generate_module(project, sector, module, edition, list(formats) or ["ipynb", "docx"], Path(output),
                              help_levels(help_level))
    for path in written:
        click.echo(str(path))


@main.command()
@with_project
@click.option("--sector", "sectors", multiple=True, help="Check only this sector (repeatable).")
@click.option("--disable", "disabled", multiple=True, help="Switch off a finding code, e.g. E-SPELLING (repeatable).")
@handles_errors
def check(root: str, curricula: str | None, sectors: tuple[str, ...], disabled: tuple[str, ...]) -> None:
    """Check the curricula: schema, references, completeness, spelling, articles and plurals."""
    from rich.console import Console

    from kurswerk.check import format_table, has_errors, run_checks

    project = _project(root, curricula, None)
    if not project.curricula.is_dir():
        raise InputError(Location(str(project.curricula)), "is not a folder of curricula")
    findings = run_checks(project.curricula, list(sectors) or None, set(disabled))
    console = Console(stderr=False, width=160)
    if findings:
        console.print(format_table(findings))
    errors = sum(1 for finding in findings if finding.severity == "error")
    click.echo(f"{errors} Fehler, {len(findings) - errors} Warnungen.")
    if has_errors(findings):
        sys.exit(2)


@main.command()
@with_project
@click.argument("sector_id", metavar="SECTOR-ID")
@click.option("--name", required=True, help="Display name of the sector, e.g. \"Einzelhandel\".")
@handles_errors
def new(root: str, curricula: str | None, sector_id: str, name: str) -> None:
    """Create curricula/SECTOR-ID/ from the commented template: sector, module, training, glossary, word list."""
    from kurswerk.scaffold import create_sector, next_steps

    project = _project(root, curricula, None)
    created = create_sector(project.templates, project.curricula, sector_id, name)
    click.echo("\n".join(next_steps(created, project.curricula)))


@main.command()
@click.option("--root", default=".", show_default=True, type=click.Path(file_okay=False), help="Project folder.")
@click.option("--output", "-o", default=None, type=click.Path(file_okay=False),
              help="Folder for the *.schema.json files [default: ROOT/schema].")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files are missing or out of date (CI).")
@handles_errors
def schema(root: str, output: str | None, check: bool) -> None:
    """Write JSON Schema files for sector.yml, modules/*.yml, trainings/*.yml and glossary.yml (editor support)."""
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
@click.option("--build-dir", default=None, type=click.Path(file_okay=False), help="Output folder [default: ROOT/build].")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1.")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Rebuild the public edition when curricula/, modules/ or templates/ change.")
@handles_errors
def serve(root: str, curricula: str | None, build_dir: str | None, port: int, watch: bool) -> None:
    """Serve the course book on http://127.0.0.1:PORT and rebuild it when a source file changes."""
    from kurswerk.serve import serve as run_server

    run_server(_project(root, curricula, build_dir), port=port, watch=watch, echo=click.echo)
