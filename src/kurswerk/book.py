"""Assemble the course book source (toc, config, pages, downloads) and run Jupyter Book 1.

The executed notebooks are already in the book folder (see ``execute``); this module writes the
remaining pages, copies the handouts next to their downloads page and runs Sphinx with warnings
as errors.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML

from kurswerk.errors import BuildError
from kurswerk.model import Catalogue, Edition, SectorCurriculum
from kurswerk.plan import Project
from kurswerk.render.pages import Download, downloads_page, glossary_page
from kurswerk.render.pdf import german_size, pdf_info

EDITION_TITLES = {"public": "", "trainer": " – Ausgabe für Lehrkräfte"}


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it (keeps Sphinx's incremental build useful)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)
    return True


def downloads(curriculum: SectorCurriculum, edition: Edition, handouts: Path) -> list[Download]:
    """Return the download entries of a sector: public handouts, and in the trainer edition also the trainer ones.

    ``handouts`` is the folder with ``<edition>/<sector>/`` of written handouts; page counts and sizes
    are read from the files there.
    """
    from kurswerk.packets import plan_parts

    editions: list[Edition] = ["public"] if edition == "public" else ["public", "trainer"]
    entries = []
    for handout_edition in editions:
        folder = handouts / handout_edition / curriculum.sector.id
        for part in plan_parts(curriculum, handout_edition):
            docx_file, pdf_file = folder / part.file_name, folder / part.pdf_name
            if not docx_file.is_file():
                continue
            info = pdf_info(pdf_file) if pdf_file.is_file() else None
            entries.append(Download(part.label, f"handouts/{handout_edition}/{part.file_name}", part.description,
                                    handout_edition, german_size(docx_file.stat().st_size),
                                    info.pages if info else 0, german_size(info.size_bytes) if info else ""))
    return entries


def write_pages(project: Project, catalogue: Catalogue, edition: Edition, handouts: Path) -> None:
    """Write config, toc, start page and each sector's glossary and downloads pages; copy handouts."""
    book = project.book_dir(edition)
    source = project.templates / "book"
    config = (source / "_config.yml").read_text(encoding="utf-8").replace("{edition_title}", EDITION_TITLES[edition])
    write_if_changed(book / "_config.yml", config)
    for extra in sorted(source.glob("*.md")):
        write_if_changed(book / extra.name, extra.read_text(encoding="utf-8"))
    _sync_tree(source / "_static", book / "_static")
    _sync_tree(source / "_templates", book / "_templates")
    for curriculum in catalogue.sectors:
        folder = book / curriculum.sector.id
        profile = project.work / "profiles" / curriculum.sector.id
        write_if_changed(folder / "index.ipynb", (profile / "index.ipynb").read_text(encoding="utf-8"))
        _sync_tree(profile / "_figures", folder / "_figures")
        write_if_changed(folder / "glossar.md", glossary_page(curriculum))
        entries = downloads(curriculum, edition, handouts)
        write_if_changed(folder / "downloads.md", downloads_page(curriculum, entries))
        _sync_tree(handouts / "public" / curriculum.sector.id, folder / "handouts" / "public")
        if edition == "trainer":
            _sync_tree(handouts / "trainer" / curriculum.sector.id, folder / "handouts" / "trainer")
    write_if_changed(book / "_toc.yml", toc_yaml(catalogue, source))


def _sync_tree(source: Path, target: Path) -> None:
    """Make ``target`` an exact copy of ``source``, touching only files that differ."""
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for path in target.rglob("*"):
        if path.is_file() and path.relative_to(target) not in wanted:
            path.unlink()
    for relative in wanted:
        data = (source / relative).read_bytes()
        destination = target / relative
        if not destination.exists() or destination.read_bytes() != data:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)


def toc_yaml(catalogue: Catalogue, source: Path) -> str:
    """Return the ``_toc.yml``: start page, a part with one chapter per sector, then the extra pages.

    Each sector's overview is a chapter with its modules, training, glossary and downloads as
    sections. The theme collapses every sector but the current one, so a page's navigation grows
    with the number of sectors, not with the number of pages (which kept big books quadratic).
    """
    chapters = []
    for curriculum in catalogue.sectors:
        sector = curriculum.sector.id
        chapters.append({"file": f"{sector}/index", "sections": [
            *({"file": f"{sector}/{module.id}"} for module in curriculum.ordered_modules),
            *({"file": f"{sector}/{training.id}"} for training in curriculum.trainings),
            {"file": f"{sector}/glossar"},
            {"file": f"{sector}/downloads"},
        ]})
    parts = [{"caption": "Branchen", "chapters": chapters}]
    extras = [{"file": path.stem} for path in sorted(source.glob("*.md")) if path.stem != "intro"]
    if extras:
        parts.append({"caption": "Über dieses Buch", "chapters": extras})
    toc = {"format": "jb-book", "root": "intro", "parts": parts}
    stream = StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump(toc, stream)
    return stream.getvalue()


def prune_book(project: Project, catalogue: Catalogue, edition: Edition) -> None:
    """Remove pages of sectors, modules or trainings that no longer exist."""
    book = project.book_dir(edition)
    if not book.is_dir():
        return
    known = {curriculum.sector.id: curriculum for curriculum in catalogue.sectors}
    for folder in [path for path in book.iterdir() if path.is_dir() and not path.name.startswith(("_", "."))]:
        curriculum = known.get(folder.name)
        if curriculum is None:
            shutil.rmtree(folder)
            continue
        pages = {"index", "glossar", "downloads", *(m.id for m in curriculum.modules), *(t.id for t in curriculum.trainings)}
        for page in folder.glob("*.ipynb"):
            if page.stem not in pages and not page.name.endswith(".failed.ipynb"):
                page.unlink()


def run_sphinx(project: Project, editions: list[Edition], quiet: bool = True) -> dict[Edition, Path]:
    """Build the HTML of several editions at once (one Sphinx process each); returns their HTML folders.

    Raises :class:`BuildError` naming every edition whose build failed.
    """
    running = {edition: start_sphinx(project.book_dir(edition), project.work / f"sphinx-{edition}", quiet)
               for edition in editions}
    results: dict[Edition, Path] = {}
    errors = []
    for edition, process in running.items():
        try:
            results[edition] = finish_sphinx(process, project.work / f"sphinx-{edition}")
        except BuildError as error:
            errors.append(f"The Sphinx build of the {edition} edition failed:\n{error}")
    if errors:
        raise BuildError("\n".join(errors))
    return results


def start_sphinx(book: Path, output: Path, quiet: bool = True) -> subprocess.Popen[str]:
    """Start Jupyter Book 1 on ``book`` into ``output`` with warnings as errors."""
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(book), "--path-output", str(output),
               "-W", "-n", "--keep-going"]
    if quiet:
        command.append("-q")
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment)


def finish_sphinx(process: subprocess.Popen[str], output: Path) -> Path:
    """Wait for a Sphinx build; returns its HTML folder or raises :class:`BuildError` with the log's end."""
    log, _ = process.communicate()
    if process.returncode != 0:
        lines = "\n".join(line for line in log.splitlines() if line.strip())
        raise BuildError(lines[-6000:])
    return output / "_build" / "html"


def run_sphinx_folder(book: Path, output: Path, quiet: bool = True) -> Path:
    """Run Jupyter Book 1 on ``book`` into ``output`` with warnings as errors; returns the HTML folder."""
    return finish_sphinx(start_sphinx(book, output, quiet), output)
