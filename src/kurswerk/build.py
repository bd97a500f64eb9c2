"""The build pipeline: load → plan → handouts → notebooks → pages → Sphinx → publish.

Targets whose content hash is unchanged are skipped; a build with nothing to do runs no Sphinx.
Each finished target is recorded at once, so an interrupted build continues where it stopped.
Everything is assembled in ``build/.work`` and published in one atomic step only when every
target succeeded (see :mod:`kurswerk.publish`), so a failed or interrupted build leaves the
previous output intact. One build at a time holds the build folder's lock (:mod:`kurswerk.lock`);
Ctrl-C or SIGTERM stops every worker, kernel and Sphinx process before the build ends.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing.forkserver
import re
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kurswerk.book import WarmSphinx, prune_book, run_sphinx, write_pages
from kurswerk.catalogue_cache import load_catalogue_kept
from kurswerk.errors import BuildError, TargetFailure, TargetsFailed
from kurswerk.execute import Executor, HandoutTask, NotebookTask, Task, TaskResult, check_scheduler, make_executor, os_reason
from kurswerk.lock import build_lock
from kurswerk.model import Catalogue, Edition
from kurswerk.packets import HELP_LEVELS, HelpLevel
from kurswerk.plan import NETWORKS, Manifest, Project, Target, code_fingerprint, plan_build
from kurswerk.processes import stop_descendants
from kurswerk.programme import Network, input_files, load_network
from kurswerk.publish import publish, recover
from kurswerk.render import pdf_cache


@dataclass
class BuildReport:
    """What a build did: counts, timings and the folders it published."""

    total: int = 0
    rebuilt: int = 0
    cached: int = 0
    sphinx_runs: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds of each stage of the build, in order."""
    work: dict[str, float] = field(default_factory=dict)
    """Seconds the workers spent per kind of task (``notebooks``, ``handouts`` without ``pdf``, ``pdf``),
    summed over workers: with two workers it can be twice the wall-clock time of its stage."""

    def timed(self, stage: str, began: float) -> None:
        """Add the time since ``began`` to ``stage``."""
        self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - began

    def worked(self, kind: str, seconds: float) -> None:
        self.work[kind] = self.work.get(kind, 0.0) + seconds

    def timings(self) -> dict[str, object]:
        """The report as JSON-ready data (``kurswerk build --timings``)."""
        return {"seconds": round(self.seconds, 3), "stages": {k: round(v, 3) for k, v in self.stages.items()},
                "work": {k: round(v, 3) for k, v in self.work.items()}, "targets": self.total,
                "rebuilt": self.rebuilt, "sphinx_runs": self.sphinx_runs}


Progress = Callable[[str, Target | None, TaskResult | None], None]
"""Called with an event ("start", "done", "cached", "stage") so a CLI can show progress."""


def _quiet(event: str, target: Target | None, result: TaskResult | None) -> None:
    return None


def build(project: Project, editions: list[Edition], *, sectors: list[str] | None = None, jobs: int | None = None,
          scheduler: str | None = None, progress: Progress = _quiet, force: bool = False,
          help_levels: Sequence[HelpLevel] = HELP_LEVELS, pdf: bool = True, drafts: bool = False) -> BuildReport:
    """Build the book and handouts; raises ``InputErrors`` for bad curricula, ``TargetsFailed``, ``BuildError``.

    ``pdf=False`` writes the handouts as DOCX only (quicker while editing); a later build with PDFs
    redoes them. ``drafts=True`` includes sectors, modules and trainings marked ``draft: true``.
    A file system that refuses a read or write (permissions, full disk, symlink loop) ends the build
    with a :class:`BuildError` naming the path; ``KeyboardInterrupt`` (Ctrl-C, and SIGTERM in the
    main thread) stops every process the build started and propagates.
    """
    check_scheduler(scheduler)
    try:
        with build_lock(project.build), _stopping_processes():
            return _build(project, editions, sectors, jobs, scheduler, progress, force, help_levels, pdf, drafts)
    except OSError as error:
        raise BuildError(environment_message(error)) from None


def _build(project: Project, editions: list[Edition], sectors: list[str] | None, jobs: int | None,
           scheduler: str | None, progress: Progress, force: bool, help_levels: Sequence[HelpLevel], pdf: bool,
           drafts: bool) -> BuildReport:
    start = time.perf_counter()
    recover(project.build)
    catalogue = load_catalogue_kept(project.curricula, sectors, drafts, project.work / "catalogue.pickle")
    network = load_network(project.curricula, project.network) if project.network else None
    targets = plan_build(project, catalogue, editions, help_levels, pdf=pdf, drafts=drafts)
    manifest = Manifest(project.work / "manifest.json")
    if force:
        shutil.rmtree(_pdf_cache(project), ignore_errors=True)
    else:
        _reuse_national_pages(project, targets, manifest)
    stale = [target for target in targets if force or not manifest.is_current(target)]
    stale_ids = {target.id for target in stale}
    for target in targets:
        if target.id not in stale_ids:
            progress("cached", target, None)
    report = BuildReport(total=len(targets), rebuilt=len(stale), cached=len(targets) - len(stale))
    report.timed("load and plan", start)
    pruned = _prune_handouts(project, targets)
    digests = {edition: _edition_digest(project, catalogue, targets, edition, drafts) for edition in editions}
    changed = [edition for edition in editions
               if manifest.digests.get(f"book:{edition}") != digests[edition] or not project.html_dir(edition).is_dir()]
    warm = WarmSphinx(project, changed)
    try:
        began = time.perf_counter()
        executor = make_executor(scheduler, jobs)
        failures = _run_tasks(project, executor, stale, manifest, progress, report, when_workers_idle=warm.start)
        pdf_cache.prune(_pdf_cache(project),
                        max(PDF_CACHE_MIN, PDF_CACHE_SIZE * sum(t.kind == "handouts" for t in targets)))
        report.timed("notebooks and handouts", began)
        manifest.save()
        if failures:
            raise TargetsFailed(failures)
        _assemble_and_publish(project, catalogue, changed, digests, manifest, report, progress, pruned, network, warm)
    finally:
        warm.close()
    manifest.save()
    report.seconds = time.perf_counter() - start
    return report


def _reuse_national_pages(project: Project, targets: list[Target], manifest: Manifest) -> None:
    """Take a regional edition's module and training pages from the national build, or from another regional
    one, where they are current there.

    They do not depend on the network (their digest names no build folder), so a regional edition
    executes no notebook another edition has already executed; its own pages are written later.
    """
    if not project.network:
        return
    national = project.for_network(None)
    folder = national.build / NETWORKS
    others = [national, *(project.for_network(path.name) for path in sorted(folder.iterdir())
                          if path.is_dir() and path.name != project.network)] if folder.is_dir() else [national]
    manifests = [(other, Manifest(other.work / "manifest.json")) for other in others]
    for target in targets:
        if target.kind != "notebook" or target.shared or manifest.is_current(target):
            continue
        output = Path(target.output)
        for other, theirs in manifests:
            source = other.book_dir(target.edition) / output.relative_to(project.book_dir(target.edition))
            if theirs.digests.get(target.id) == target.digest and source.is_file():
                output.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, output)
                manifest.record(target)
                break


def environment_message(error: OSError) -> str:
    """A German message for a refused read or write: the path, the reason, and that the output is unchanged."""
    code, detail, names = error.errno, error.strerror, (error.filename, error.filename2)
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        _, destination, why = error.args[0][0]  # copytree gathers (source, destination, message) per file
        number = re.match(r"\[Errno (\d+)\]", str(why))
        code, detail, names = int(number.group(1)) if number else None, str(why), (destination, None)
    reason = os_reason(code, detail or str(error))
    path = " → ".join(str(name) for name in names if name) or "(unbekannter Pfad)"
    return f"{path}: {reason}. Der Build wurde abgebrochen; die bisherige Ausgabe ist unverändert."


@contextmanager
def _stopping_processes() -> Iterator[None]:
    """Turn SIGTERM into ``KeyboardInterrupt`` and, on either, stop every process the build started."""
    in_main = threading.current_thread() is threading.main_thread()
    previous: Any = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        yield
    except BaseException as error:
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            ignored: Any = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main else None
            try:
                # The fork server of the worker pools stays: it is idle and ends with this process.
                stop_descendants(spare=[pid for pid in [_forkserver_pid()] if pid])
            finally:
                if in_main:
                    signal.signal(signal.SIGINT, ignored)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _forkserver_pid() -> int | None:
    server = getattr(multiprocessing.forkserver, "_forkserver", None)
    return getattr(server, "_forkserver_pid", None)


def _prune_handouts(project: Project, targets: list[Target]) -> int:
    """Delete handouts in the work folder that no target produces any more (removed modules or sectors),
    and scratch folders of killed workers; returns how many files went."""
    wanted = {Path(target.output) for target in targets if target.kind == "handouts"}
    with_pdf = {Path(target.output) for target in targets if target.parameters.get("pdf") == "yes"}
    editions = {target.edition for target in targets}
    removed = 0
    for edition in editions:
        folder = project.work / "handouts" / edition
        for scratch in folder.glob("*/.writing-*") if folder.is_dir() else []:
            shutil.rmtree(scratch, ignore_errors=True)
        for path in [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []:
            if path not in wanted and not (path.suffix == ".pdf" and path.with_suffix(".docx") in with_pdf):
                path.unlink()
                removed += 1
    return removed


def _handout_tasks(project: Project, stale: list[Target]) -> dict[str, tuple[HandoutTask, list[Target]]]:
    """Group stale handout targets per sector and edition: one task loads the sector once."""
    groups: dict[str, list[Target]] = {}
    for target in stale:
        if target.kind == "handouts":
            groups.setdefault(f"{target.edition}:{target.sector}:handouts", []).append(target)
    return {key: (HandoutTask(key, str(project.curricula), members[0].sector, members[0].edition,
                              str(project.templates / "handout.docx"), str(Path(members[0].output).parent),
                              tuple(member.item for member in members),
                              members[0].parameters.get("pdf") == "yes",
                              members[0].parameters.get("drafts") == "yes", project.network or "",
                              str(_pdf_cache(project))), members)
            for key, members in groups.items()}


PDF_CACHE_SIZE = 3
"""PDFs the cache keeps per handout target (a handout may be converted at several settings)."""
PDF_CACHE_MIN = 1000
"""PDFs it keeps at least (a build of one sector must not drop the others')."""


def _pdf_cache(project: Project) -> Path:
    """The PDF cache (:mod:`kurswerk.render.pdf_cache`), one for the national and every regional build."""
    return project.for_network(None).work / "pdf-cache"


def _run_tasks(project: Project, executor: Executor, stale: list[Target], manifest: Manifest,
               progress: Progress, report: BuildReport,
               when_workers_idle: Callable[[], None] | None = None) -> list[TargetFailure]:
    """Run every stale notebook and handout target; returns the failures.

    ``when_workers_idle`` is called once, as soon as fewer tasks are left unfinished than the executor
    runs at once on this machine (at once when there are none, or when they run elsewhere): work
    started then does not slow the tasks down.
    """
    members: dict[str, list[Target]] = {t.id: [t] for t in stale if t.kind == "notebook"}
    tasks: list[Task] = []
    for key, (task, group) in _handout_tasks(project, stale).items():
        tasks.append(task)
        members[key] = group
    # Handout tasks (a sector's DOCX and PDF files) are the longest: they start first, so no worker
    # is left with one at the end while the other idles.
    tasks += [NotebookTask(t.id, t.sector, t.item, t.template, t.output, t.parameters)
              for t in stale if t.kind == "notebook"]
    for target in stale:
        progress("start", target, None)
    failures = []
    left, waiting = len(tasks), [when_workers_idle] if when_workers_idle is not None else []

    def workers_idle() -> None:
        if waiting and (executor.jobs == 0 or left < executor.jobs):
            waiting.pop()()

    workers_idle()
    for result in executor.run(tasks):
        left -= 1
        workers_idle()
        kind = "notebooks" if members[result.target][0].kind == "notebook" else "handouts"
        report.worked(kind, result.seconds - result.pdf_seconds)
        if result.pdf_seconds:
            report.worked("pdf", result.pdf_seconds)
        for target in members[result.target]:
            if result.ok:
                manifest.record(target)
            else:
                manifest.forget(target.id)
                failures.append(TargetFailure(target.id, target.sector, target.item, result.message, result.cell,
                                              result.kept_at))
        manifest.save()  # a finished target is kept even if the build is stopped right after
        for target in members[result.target]:
            progress("done", target, result)
    return failures


def _edition_digest(project: Project, catalogue: Catalogue, targets: list[Target], edition: Edition,
                    drafts: bool) -> str:
    """A hash of everything an edition's book is made from; Sphinx runs for an edition when it changed.

    Besides the targets, the pages written from the curricula directly count (glossary, downloads,
    start page), and in the trainer edition also the public handouts, which its download pages offer.
    """
    hasher = hashlib.sha256(code_fingerprint().encode())
    for target in sorted(targets, key=lambda t: t.id):
        if target.edition == edition or target.shared or (edition == "trainer" and target.kind == "handouts"):
            hasher.update(f"{target.id}={target.digest}\n".encode())
    hasher.update(json.dumps([[c.sector.id, sorted(c.files.items())] for c in catalogue.sectors]).encode())
    hasher.update(f"drafts={drafts}".encode())
    for curriculum in catalogue.sectors:
        for _, name in sorted(curriculum.files.items()):
            hasher.update(_read(Path(name)))
    book = project.templates / "book"
    for path in input_files(project.curricula, project.network):  # footer, start page and contacts show them
        hasher.update(f"{path.name}\n".encode() + _read(path))
    for path in [*sorted(book.rglob("*")), project.root / "_config.yml"]:
        if path.is_file():
            hasher.update(str(path.relative_to(project.root)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:24]


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b"<missing>"


SUPPORT = ("_static", "_templates", "locale")
LABEL = re.compile(r"^\(([^()\s]+)\)=", re.M)


def _structure_digest(book: Path) -> str:
    """A hash of what Sphinx's incremental build does not follow: configuration, toc, theme files,
    the set of pages with their titles and labels, and kurswerk's own code (its Sphinx extension).

    When it changes, the edition's Sphinx output is built afresh: an incremental build would keep the
    pages of removed modules, copy no changed static file and keep old titles in other pages' navigation.
    """
    hasher = hashlib.sha256(code_fingerprint().encode())
    for path in sorted(book.rglob("*")):
        if not path.is_file() or path.suffix == ".mo":
            continue
        relative = path.relative_to(book)
        hasher.update(f"\n{relative}\n".encode())
        if relative.parts[0] in SUPPORT or str(relative) in ("_config.yml", "_toc.yml"):
            hasher.update(path.read_bytes())
        elif path.suffix in (".md", ".ipynb"):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".ipynb":
                cells = json.loads(text).get("cells", [])
                text = "\n".join("".join(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "markdown")
            title = next((line for line in text.splitlines() if line.startswith("# ")), "")
            hasher.update(json.dumps([title, LABEL.findall(text)]).encode())
    return hasher.hexdigest()[:24]


def _assemble_and_publish(project: Project, catalogue: Catalogue, changed: list[Edition],
                          digests: dict[Edition, str], manifest: Manifest, report: BuildReport, progress: Progress,
                          pruned: int = 0, network: Network | None = None, warm: WarmSphinx | None = None) -> None:
    """Write the pages of the ``changed`` editions and run Sphinx for them (``warm``: processes started
    ahead), then publish all outputs in one step; ``digests`` are the editions' book digests."""
    handouts = project.work / "handouts"
    built: dict[Edition, Path] = {}
    if changed:
        began = time.perf_counter()
        shown = ", ".join("öffentlich" if edition == "public" else "Lehrkräfte" for edition in changed)
        progress("stage", None, TaskResult(f"Sphinx ({shown})", True, 0.0))
        structure = {}
        for edition in changed:
            prune_book(project, catalogue, edition)
            write_pages(project, catalogue, edition, handouts, network)
            structure[edition] = _structure_digest(project.book_dir(edition))
            if manifest.digests.pop(f"sphinx:{edition}", None) != structure[edition]:
                shutil.rmtree(project.work / f"sphinx-{edition}", ignore_errors=True)
                if warm is not None:
                    warm.discard(edition)
        manifest.save()
        report.timed("book pages", began)
        began = time.perf_counter()
        built = run_sphinx(project, changed, seconds=report.work, warm=warm)
        manifest.digests.update({f"sphinx:{edition}": structure[edition] for edition in built})
        report.sphinx_runs += changed
        report.timed("sphinx", began)
    if not built and (project.build / "handouts").is_dir() and report.rebuilt == 0 and not pruned:
        return
    began = time.perf_counter()
    outputs = {project.html_dir(edition).name: html for edition, html in built.items()}
    publish(project.build, {**outputs, "handouts": handouts})
    report.published += [str(project.build / name) for name in sorted(outputs)] + [str(project.build / "handouts")]
    manifest.digests.update({f"book:{edition}": digests[edition] for edition in built})
    report.timed("publish", began)
