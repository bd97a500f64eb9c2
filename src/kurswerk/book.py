"""Assemble the course book source (toc, config, pages, downloads) and run Jupyter Book 1.

The executed notebooks are already in the book folder (see ``execute``); this module writes the
remaining pages, copies the handouts next to their downloads page and runs Sphinx with warnings
as errors.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from html import escape
from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kurswerk.errors import BuildError, InputError, Location
from kurswerk.model import Catalogue, Edition, SectorCurriculum
from kurswerk.plan import Project
from kurswerk.programme import Network, Programme, load_network, load_programme, logo_files
from kurswerk.render.markdown import one_line
from kurswerk.render.pages import (
    Download,
    audience_label,
    contacts_section,
    downloads_page,
    glossary_page,
    handouts_box,
    land_figure,
    programme_section,
    with_regional_note,
)
from kurswerk.render.pdf import PdfInfo, german_size, pdf_info

EDITION_TITLES = {"public": "", "trainer": " – Ausgabe für Lehrkräfte"}
CONFIG_NAME = "_config.yml"
"""The book's settings, at the top of the project as a Jupyter Book user expects them."""
OWN_SETTINGS = "kurswerk"
"""The section of ``_config.yml`` kurswerk reads itself and does not pass on to Jupyter Book."""


def config_path(project: Project) -> Path:
    """The project's ``_config.yml`` (the top of the project)."""
    return project.root / CONFIG_NAME


def read_book_config(project: Project) -> CommentedMap:
    """Read and check the project's ``_config.yml``; raises :class:`InputError` naming file and line.

    Checked: it exists, is YAML, is a mapping with a text ``title``, and ``sphinx.config`` and
    ``sphinx.config.html_theme_options`` are mappings where given (kurswerk writes into them).
    """
    path = config_path(project)
    where = str(path)
    if not path.is_file():
        raise InputError(Location(where), "fehlt: die Einstellungen des Kursbuchs stehen in dieser Datei "
                                          "(Vorlage: _config.yml im kurswerk-Projekt)", code="E-CONFIG")
    try:
        data = YAML().load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise InputError(Location(where), f"ist nicht in UTF-8 gespeichert (Byte {error.start})",
                         code="E-CONFIG") from None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(error.problem or error.context or "").split())
        raise InputError(Location(where, line), f"ist kein gültiges YAML ({problem}); prüfen Sie Einrückung, "
                                                "Doppelpunkte und Anführungszeichen in dieser Zeile und darüber",
                         code="E-CONFIG") from None
    except YAMLError as error:
        raise InputError(Location(where), f"ist kein gültiges YAML ({error})", code="E-CONFIG") from None
    if not isinstance(data, CommentedMap):
        raise InputError(Location(where, 1), "muss Schlüssel mit Werten enthalten (zum Beispiel „title: …“)",
                         code="E-CONFIG")
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        line = data.lc.key("title")[0] + 1 if "title" in data else 1
        raise InputError(Location(where, line, "title"), "muss der Titel des Buchs sein (Text)", code="E-CONFIG")
    for key_path in (("sphinx",), ("sphinx", "config"), ("sphinx", "config", "html_theme_options"),
                     (OWN_SETTINGS,)):
        parent, value = data, data
        for key in key_path:
            parent, value = value, value.get(key) if isinstance(value, CommentedMap) else None
        if value is not None and not isinstance(value, CommentedMap):
            line = parent.lc.key(key_path[-1])[0] + 1 if isinstance(parent, CommentedMap) else None
            raise InputError(Location(where, line, ".".join(key_path)), "muss Schlüssel mit Werten enthalten",
                             code="E-CONFIG")
    return data


def book_config(project: Project, edition: Edition) -> str:
    """Return the ``_config.yml`` of one edition, derived from the project's ``_config.yml``.

    The trainer edition's ``title`` and ``html_title`` get " – Ausgabe für Lehrkräfte", and its pages
    show ``kurswerk.trainer_banner`` as the theme's announcement. The ``kurswerk`` section is left out.
    """
    data = read_book_config(project)
    own = data.pop(OWN_SETTINGS, None) or {}
    suffix = EDITION_TITLES[edition]
    data["title"] = f"{data['title']}{suffix}"
    sphinx = data.setdefault("sphinx", CommentedMap())
    config = sphinx.setdefault("config", CommentedMap())
    config["html_title"] = f"{config.get('html_title') or data['title'].removesuffix(suffix)}{suffix}"
    network = load_network(project.curricula, project.network) if project.network else None
    _fill_programme(data, load_programme(project.curricula), logo_files(project.curricula, network))
    banner = str(own.get("trainer_banner") or "").strip()
    if edition == "trainer" and banner:
        config.setdefault("html_theme_options", CommentedMap())["announcement"] = banner
    stream = StringIO()
    stream.write(f"# Written by kurswerk from {config_path(project)} ({edition} edition); edit that file.\n")
    yaml = YAML()
    yaml.width = 4096
    yaml.dump(data, stream)
    return stream.getvalue()


PROGRAMME_MARK = "<!-- kurswerk: programme -->"
"""Where ``_config.yml``'s footer and the start page take the programme's text (``curricula/programm.yml``)."""


def _fill_programme(data: CommentedMap, programme: Programme | None, logos: list[tuple[Path, str]]) -> None:
    """Put the programme's name into an empty ``author``, and its funding line and the network's logos (embedded,
    so every page shows them at any depth) into the footer's mark."""
    if programme is not None and not str(data.get("author") or "").strip():
        data["author"] = programme.name
    html = data.get("html")
    footer = html.get("extra_footer") if isinstance(html, CommentedMap) else None
    if isinstance(footer, str) and PROGRAMME_MARK in footer:
        line = ""
        if programme is not None:
            url = escape(programme.url, quote=True)
            line = (f"· {escape(programme.footer)} · <a href=\"{url}\">{escape(programme.url)}</a></p>\n"
                    f"<p class=\"kurswerk-emblem\">{escape(programme.emblem_text)}")
        if logos:
            images = " ".join(f'<img src="data:image/{"png" if path.suffix == ".png" else "jpeg"};base64,'
                              f'{base64.b64encode(path.read_bytes()).decode()}" alt="{escape(alt, quote=True)}" '
                              'height="48">' for path, alt in logos)
            line += f'</p>\n<p class="kurswerk-logos">{images}'
        html["extra_footer"] = footer.replace(PROGRAMME_MARK, line)


def write_book_support(project: Project, edition: Edition, book: Path) -> None:
    """Write an edition's ``_config.yml`` into ``book`` and copy the theme additions
    (``_static``, ``_templates``, ``locale``) from ``templates/book``."""
    source = project.templates / "book"
    write_if_changed(book / "_config.yml", book_config(project, edition))
    for folder in ("_static", "_templates", "locale"):
        _sync_tree(source / folder, book / folder, keep=(".mo",))


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file already holds it (keeps Sphinx's incremental build useful)."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(path)
    return True


PDF_FACTS = "pdf-seiten.json"
"""In the build's work folder: page count and tagging of each PDF, by path, size and modification time
(``pdfinfo`` on every PDF took most of the time of writing the book pages)."""


def downloads(curriculum: SectorCurriculum, edition: Edition, handouts: Path,
              known: dict[str, list[int]] | None = None) -> list[Download]:
    """Return the download entries of a sector: public handouts, and in the trainer edition also the trainer ones.

    ``handouts`` is the folder with ``<edition>/<sector>/`` of written handouts; page counts and sizes
    are read from the files there (``known``: facts of PDFs read before, updated here).
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
            info = _pdf_facts(pdf_file, {} if known is None else known) if pdf_file.is_file() else None
            entries.append(Download(part.label, f"handouts/{handout_edition}/{part.file_name}", part.description,
                                    handout_edition, german_size(docx_file.stat().st_size),
                                    info.pages if info else 0, german_size(info.size_bytes) if info else "",
                                    part.kind, part.item))
    return entries


def _pdf_facts(pdf: Path, known: dict[str, list[int]]) -> PdfInfo:
    """``pdf_info`` of a PDF, from ``known`` when the file has the size and time recorded there."""
    stat = pdf.stat()
    stamp = [stat.st_size, stat.st_mtime_ns]
    entry = known.get(str(pdf))
    if entry is not None and entry[:2] == stamp:
        return PdfInfo(pages=entry[2], size_bytes=stat.st_size, tagged=bool(entry[3]))
    info = pdf_info(pdf)
    known[str(pdf)] = [*stamp, info.pages, int(info.tagged)]
    return info


def _known_pdfs(path: Path) -> dict[str, list[int]]:
    """The facts recorded in ``path`` of PDFs that still exist (none when it is missing or unreadable)."""
    with contextlib.suppress(OSError, ValueError):
        known = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(known, dict):
            return {name: entry for name, entry in known.items() if os.path.isfile(name)}
    return {}


HANDOUT_CELL = "kurswerk-handouts"
"""Metadata of the Markdown cell that lists a page's own handouts (replaced on every build)."""
SECTOR_LIST = "<!-- kurswerk: sectors -->"
"""Where the start page (``templates/book/intro.md``) lists the sectors."""


def write_pages(project: Project, catalogue: Catalogue, edition: Edition, handouts: Path,
                network: Network | None = None) -> None:
    """Write config, toc, start page and each sector's glossary and downloads pages; copy handouts.

    Module, training and sector pages get a box with their own handouts under the title; the sector
    page's box also says whom a company can contact (the network's offices or the national offers).
    """
    programme = load_programme(project.curricula)
    book = project.book_dir(edition)
    source = project.templates / "book"
    write_book_support(project, edition, book)
    known = _known_pdfs(project.work / PDF_FACTS)
    entries = {curriculum.sector.id: downloads(curriculum, edition, handouts, known)
               for curriculum in catalogue.sectors}
    write_if_changed(project.work / PDF_FACTS, json.dumps(known, indent=0, sort_keys=True) + "\n")
    for extra in sorted(source.glob("*.md")):
        text = extra.read_text(encoding="utf-8")
        if extra.stem == "intro":
            text = with_regional_note(text.replace(SECTOR_LIST, sector_list(catalogue, entries)), network)
        text = text.replace(PROGRAMME_MARK, programme_section(programme))
        write_if_changed(book / extra.name, text)
    for curriculum in catalogue.sectors:
        sector = curriculum.sector.id
        folder = book / sector
        profile = project.work / "profiles" / sector
        company = [entry for entry in entries[sector] if entry.kind == "company"]
        overview = (profile / "index.ipynb").read_text(encoding="utf-8")
        box = handouts_box(company, "Handout für Unternehmen") if company else ""
        contacts = contacts_section(programme, network)
        figure = land_figure(project.curricula / "data", network.land) if network else ""
        box = "\n\n".join(part for part in (box, contacts, figure) if part)
        write_if_changed(folder / "index.ipynb", with_handouts(overview, box))
        for kind, items in (("module", curriculum.modules), ("training", curriculum.trainings)):
            for item in items:
                page = folder / f"{item.id}.ipynb"
                if page.is_file():
                    own = [entry for entry in entries[sector] if entry.item == item.id]
                    heading = "Handouts zu diesem Modul" if kind == "module" else "Handouts zu diesem Training"
                    write_if_changed(page, with_handouts(page.read_text(encoding="utf-8"),
                                                         handouts_box(own, heading, print_button=True)))
        _sync_tree(profile / "_figures", folder / "_figures")
        write_if_changed(folder / "glossar.md", glossary_page(curriculum))
        write_if_changed(folder / "downloads.md", downloads_page(curriculum, entries[sector]))
        _sync_tree(handouts / "public" / sector, folder / "handouts" / "public")
        if edition == "trainer":
            _sync_tree(handouts / "trainer" / sector, folder / "handouts" / "trainer")
    write_if_changed(book / "_toc.yml", toc_yaml(catalogue, source))


def with_handouts(notebook: str, box: str) -> str:
    """Return the executed notebook with ``box`` as a Markdown cell after its first (the title); a box from
    an earlier build is replaced, an empty ``box`` only removes it."""
    data = json.loads(notebook)
    cells = [cell for cell in data["cells"] if cell.get("metadata", {}).get("kurswerk") != HANDOUT_CELL]
    if box:
        first = next((index for index, cell in enumerate(cells) if cell["cell_type"] == "markdown"), len(cells) - 1)
        cells.insert(first + 1, {"cell_type": "markdown", "id": HANDOUT_CELL, "metadata": {"kurswerk": HANDOUT_CELL},
                                 "source": box})
    data["cells"] = cells
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def sector_list(catalogue: Catalogue, entries: dict[str, list[Download]]) -> str:
    """The start page's list of sectors: each with its overview, its modules and its company handout."""
    lines = []
    for curriculum in catalogue.sectors:
        sector = curriculum.sector
        modules, trainings = len(curriculum.modules), len(curriculum.trainings)
        counts = [f"{modules} {'Modul' if modules == 1 else 'Module'}"] if modules else []
        counts += [f"{trainings} {'Training' if trainings == 1 else 'Trainings'}"] if trainings else []
        name = one_line(sector.name).replace("<", "").replace(">", "").replace("`", "")
        line = f"- **{{ref}}`{name} <{sector.id}>`**" + (f" – {', '.join(counts)}" if counts else "")
        if any(entry.audience == "companies" for entry in entries[sector.id]):
            line += f" · {{ref}}`Handout für Unternehmen <{audience_label(sector.id, 'companies')}>`"
        lines.append(line)
    return "\n".join(lines)


def _sync_tree(source: Path, target: Path, keep: tuple[str, ...] = ()) -> None:
    """Make ``target`` an exact copy of ``source``, touching only files that differ.

    Files ending in one of ``keep`` stay (Sphinx compiles ``locale/**.po`` into ``.mo`` beside them).
    """
    if not source.is_dir():
        return
    target.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for path in target.rglob("*"):
        if path.is_file() and path.relative_to(target) not in wanted and not path.name.endswith(keep or ("\0",)):
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


def run_sphinx(project: Project, editions: list[Edition], quiet: bool = True,
               seconds: dict[str, float] | None = None, warm: WarmSphinx | None = None) -> dict[Edition, Path]:
    """Build the HTML of several editions at once (one Sphinx process each); returns their HTML folders.

    ``seconds`` gets each edition's own run time as ``sphinx <edition>``. ``warm`` holds processes
    started ahead for these editions (:class:`WarmSphinx`); they build, and the others start now.
    Raises :class:`BuildError` naming every edition whose build failed.
    """
    from concurrent.futures import ThreadPoolExecutor

    def finish(edition: Edition, began: float, process: subprocess.Popen[str]) -> tuple[Path, float]:
        return finish_sphinx(process, project.work / f"sphinx-{edition}"), time.perf_counter() - began

    jobs = sphinx_jobs(len(editions))
    running = {}
    for edition in editions:
        process = warm.take(edition) if warm is not None else None
        if process is None or not _go(process):
            process = start_sphinx(project.book_dir(edition), project.work / f"sphinx-{edition}", quiet, jobs)
        running[edition] = (time.perf_counter(), process)
    results: dict[Edition, Path] = {}
    errors = []
    with ThreadPoolExecutor(max_workers=max(1, len(running))) as waiting:
        finished = {edition: waiting.submit(finish, edition, *started) for edition, started in running.items()}
    for edition, future in finished.items():
        try:
            results[edition], spent = future.result()
            if seconds is not None:
                seconds[f"sphinx {edition}"] = seconds.get(f"sphinx {edition}", 0.0) + spent
        except BuildError as error:
            errors.append(f"The Sphinx build of the {edition} edition failed:\n{error}")
    if errors:
        raise BuildError("\n".join(errors))
    return results


def sphinx_jobs(editions: int) -> int:
    """Processes each of ``editions`` Sphinx builds running at once reads and writes in: they share the cores."""
    return max(1, (os.cpu_count() or 1) // max(1, editions))


def _go(process: subprocess.Popen[str]) -> bool:
    """Tell a waiting Sphinx process to build; False when it has ended (it is then started afresh)."""
    try:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    except (OSError, ValueError):
        _end(process)
        return False
    return True


def _end(process: subprocess.Popen[str], seconds: float = 10) -> None:
    """Let a waiting Sphinx process end (the end of its input tells it to stop without building; it
    writes nothing before) and collect it; kill it if it does not end within ``seconds``. Never raises."""
    with contextlib.suppress(OSError, ValueError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=seconds)
    with contextlib.suppress(OSError, ValueError):
        if process.stdout is not None:
            process.stdout.close()


class WarmSphinx:
    """Sphinx processes for the editions a build will run Sphinx for, started before their pages are
    written (``python -m kurswerk.sphinx_run --wait``): they import Sphinx, Jupyter Book and the
    extensions while the build's last tasks run, and build when :func:`run_sphinx` takes them.
    :meth:`close` ends those not taken (a failed build)."""

    def __init__(self, project: Project, editions: list[Edition], quiet: bool = True) -> None:
        self.project, self.editions, self.quiet = project, editions, quiet
        self.processes: dict[Edition, subprocess.Popen[str]] = {}
        self.started = False

    def start(self) -> None:
        """Start the processes (once). This is only a head start: a process that cannot be started now
        (out of memory or processes) is started when the build needs it."""
        if self.started:
            return
        self.started = True
        jobs = sphinx_jobs(len(self.editions))
        try:
            for edition in self.editions:
                self.processes[edition] = start_sphinx(self.project.book_dir(edition),
                                                       self.project.work / f"sphinx-{edition}", self.quiet, jobs,
                                                       wait=True)
        except OSError:
            self.close()

    def take(self, edition: Edition) -> subprocess.Popen[str] | None:
        return self.processes.pop(edition, None)

    def discard(self, edition: Edition) -> None:
        """End the process of ``edition`` unused: it imported what the last build there imported, and the
        configuration it was built with has changed since, so the build starts a fresh one."""
        process = self.processes.pop(edition, None)
        if process is not None:
            _end(process)

    def close(self) -> None:
        """End every process not taken, at once; never raises (it runs while a failure is on its way)."""
        processes, self.processes = list(self.processes.values()), {}
        for process in processes:
            with contextlib.suppress(OSError, ValueError):
                if process.stdin is not None:
                    process.stdin.close()
        for process in processes:
            _end(process)


def start_sphinx(book: Path, output: Path, quiet: bool = True, jobs: int = 1,
                 wait: bool = False) -> subprocess.Popen[str]:
    """Start Jupyter Book 1's Sphinx build of ``book`` into ``output`` with warnings as errors, reading and
    writing in up to ``jobs`` processes (:mod:`kurswerk.sphinx_run`). With ``wait`` it builds only
    after ``go`` on its standard input (see :class:`WarmSphinx`)."""
    command = [sys.executable, "-m", "kurswerk.sphinx_run", str(book), str(output), "--jobs", str(jobs)]
    if quiet:
        command.append("-q")
    if wait:
        command.append("--wait")
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(command, stdin=subprocess.PIPE if wait else None, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=environment)


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
