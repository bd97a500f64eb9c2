"""One module for one trainer, quickly: an editable notebook, the packet as DOCX or PDF, and HTML.

Every file of an item in ``build/module/<sector>/`` starts with the item's id: ``<item>-seite`` (or
``<item>-seite-lehrkraft``) as ``.ipynb`` and ``-html/``, the packet as ``<item>-1-input`` ….
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from kurswerk.book import run_sphinx_folder, write_book_support
from kurswerk.errors import BuildError, InputError, Location
from kurswerk.execute import NotebookTask, run_task
from kurswerk.load import load_sector
from kurswerk.model import Edition, SectorCurriculum
from kurswerk.notebook import SLUG
from kurswerk.packets import HELP_LEVELS, HelpLevel
from kurswerk.plan import Project
from kurswerk.render.pages import glossary_page


def generate_module(project: Project, sector: str, item: str, edition: str, formats: list[str], output: Path,
                    help_levels: Sequence[HelpLevel] = HELP_LEVELS) -> list[Path]:
    """Write the chosen formats of one module or training into ``output/<sector>``; returns the paths."""
    for name, value in (("BRANCHE", sector), ("MODUL", item)):
        if not SLUG.match(value) or len(value) > 64:
            raise InputError(Location(name), f"„{value}“ ist keine Kennung (Kleinbuchstaben, Ziffern, Bindestriche; "
                             "kein Pfad): nennen Sie Branche und Modul so, wie sie in curricula/ heißen", code="E-INPUT")
    folder = project.curricula / sector
    if not (folder / "sector.yml").is_file():
        raise InputError(Location(str(project.curricula)), f"enthält keine Branche „{sector}“", code="E-REFERENCE")
    curriculum = load_sector(folder)
    kind = "module" if item in {m.id for m in curriculum.modules} else "training"
    if kind == "training" and item not in {t.id for t in curriculum.trainings}:
        raise InputError(Location(str(folder)), f"enthält kein Modul und kein Training „{item}“",
                         code="E-REFERENCE")
    target = (output / sector).resolve()
    target.mkdir(parents=True, exist_ok=True)
    stem = page_stem(item, edition)
    written: list[Path] = []
    if "ipynb" in formats:
        written.append(_editable(curriculum, item, kind, edition, target / f"{stem}.ipynb"))
    if "html" in formats:
        written.append(_html(project, curriculum, sector, item, kind, edition, target, stem))
    if "docx" in formats or "pdf" in formats:
        written += _packet(project, curriculum, item, edition, target, help_levels, "pdf" in formats)
    return written


def page_stem(item: str, edition: str) -> str:
    """Return the file name (without suffix) of an item's page: ``<item>-seite`` or ``<item>-seite-lehrkraft``.

    The packet's parts follow the same pattern (``<item>-1-input`` …, ``<item>-4-lehrkraft``), so
    every file of one item sorts together in ``build/module/<sector>/``.
    """
    return f"{item}-seite-lehrkraft" if edition == "trainer" else f"{item}-seite"


def _editable(curriculum: SectorCurriculum, item: str, kind: str, edition: str, output: Path) -> Path:
    """Write the page as a notebook a trainer edits: parameters cell, then plain Markdown cells."""
    import nbformat

    from kurswerk.render.markdown import module_sections, training_sections
    from kurswerk.render.plain import editable_notebook

    chosen: Edition = "trainer" if edition == "trainer" else "public"
    if kind == "module":
        sections = module_sections(curriculum, curriculum.module(item), chosen)
        call = "show_module(curricula, sector, module, edition)  # from kurswerk.notebook import show_module"
    else:
        sections = training_sections(curriculum, curriculum.training(item), chosen)
        call = "show_training(curricula, sector, training, edition)  # from kurswerk.notebook import show_training"
    notebook = editable_notebook(sections, {"curricula": "", "sector": curriculum.sector.id, kind: item,
                                            "edition": chosen}, call)
    scratch = output.with_name(f".{output.name}.tmp")
    nbformat.write(notebook, str(scratch))
    scratch.replace(output)
    return output


def _execute(project: Project, sector: str, item: str, kind: str, edition: str, output: Path) -> Path:
    """Run the item's notebook template with papermill into ``output`` (the page as the book shows it)."""
    template = project.modules / ("daa_szenario.ipynb" if kind == "module" else "ikoe_training.ipynb")
    parameters = {"curricula": str(project.curricula), "sector": sector, kind: item, "edition": edition}
    result = run_task(NotebookTask(f"{edition}:{sector}:{item}", sector, item, str(template), str(output), parameters))
    if not result.ok:
        details = [f"Zelle {result.cell}"] if result.cell is not None else []
        details += [f"gespeichert unter {result.kept_at}"] if result.kept_at else []
        where = f" ({', '.join(details)})" if details else ""
        raise BuildError(f"{sector}/{item}: {result.message}{where}")
    return output


def _html(project: Project, curriculum: SectorCurriculum, sector: str, item: str, kind: str, edition: str,
          target: Path, stem: str) -> Path:
    """Build a small book of this page and the sector glossary into ``<stem>-html/``; returns the page's file.

    Raises :class:`BuildError` if Sphinx fails; the scratch folders are removed either way.
    """
    book = target / f".{stem}-book"
    shutil.rmtree(book, ignore_errors=True)
    book.mkdir()
    sphinx = target / f".{stem}-sphinx"
    try:
        _execute(project, sector, item, kind, edition, book / f"{stem}.ipynb")
        write_book_support(project, "trainer" if edition == "trainer" else "public", book)
        (book / "glossar.md").write_text(glossary_page(curriculum), encoding="utf-8")
        (book / "_toc.yml").write_text(f"format: jb-book\nroot: {stem}\nchapters:\n- file: glossar\n",
                                       encoding="utf-8")
        html = run_sphinx_folder(book, sphinx)
        published = target / f"{stem}-html"
        shutil.rmtree(published, ignore_errors=True)
        shutil.copytree(html, published)
    finally:
        shutil.rmtree(book, ignore_errors=True)
        shutil.rmtree(sphinx, ignore_errors=True)
    return published / f"{stem}.html"


def _packet(project: Project, curriculum: SectorCurriculum, item: str, edition: str, target: Path,
            help_levels: Sequence[HelpLevel], pdf: bool) -> list[Path]:
    """Write the module's or training's parts (trainer: both editions' parts) as DOCX, and PDF if asked."""
    from kurswerk.packets import module_parts, training_parts
    from kurswerk.render.docx import write_part
    from kurswerk.render.handouts import write_handouts

    editions: list[Edition] = ["public", "trainer"] if edition == "trainer" else ["public"]
    template = project.templates / "handout.docx"
    parts = []
    for chosen in editions:
        if item in {module.id for module in curriculum.modules}:
            parts += module_parts(curriculum, curriculum.module(item), chosen, help_levels)
        else:
            parts += training_parts(curriculum, curriculum.training(item), chosen)
    parts = [part for part in parts if part.is_document]  # the Anki deck and Moodle quiz come with the build
    if pdf:
        return write_handouts(curriculum, parts, target, template)
    return [write_part(curriculum, part, target, template) for part in parts]
