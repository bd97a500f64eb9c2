"""The build pipeline: load → plan → handouts → notebooks → pages → Sphinx → publish.

Targets whose content hash is unchanged are skipped; a build with nothing to do runs no Sphinx.
Everything is assembled in ``build/.work`` and published with an atomic swap only when every
target succeeded, so a failed or interrupted build leaves the previous output intact.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kurswerk.book import prune_book, run_sphinx, write_pages
from kurswerk.errors import TargetFailure, TargetsFailed
from kurswerk.execute import Executor, NotebookTask, TaskResult, make_executor
from kurswerk.load import load_catalogue
from kurswerk.model import Catalogue, Edition
from kurswerk.plan import Manifest, Project, Target, code_fingerprint, plan_build
from kurswerk.publish import copy_for_publishing, publish, recover


@dataclass
class BuildReport:
    """What a build did: counts, timings and the folders it published."""

    total: int = 0
    rebuilt: int = 0
    cached: int = 0
    sphinx_runs: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    seconds: float = 0.0


Progress = Callable[[str, Target | None, TaskResult | None], None]
"""Called with an event ("start", "done", "cached", "stage") so a CLI can show progress."""


def _quiet(event: str, target: Target | None, result: TaskResult | None) -> None:
    return None


def build(project: Project, editions: list[Edition], *, sectors: list[str] | None = None, jobs: int | None = None,
          scheduler: str | None = None, progress: Progress = _quiet, force: bool = False) -> BuildReport:
    """Build the book and handouts; raises ``InputErrors`` for bad curricula, ``TargetsFailed``, ``BuildError``."""
    start = time.perf_counter()
    recover(project.build)
    catalogue = load_catalogue(project.curricula, sectors)
    targets = plan_build(project, catalogue, editions)
    manifest = Manifest(project.work / "manifest.json")
    stale = [target for target in targets if force or not manifest.is_current(target)]
    for target in targets:
        if target not in stale:
            progress("cached", target, None)
    report = BuildReport(total=len(targets), rebuilt=len(stale), cached=len(targets) - len(stale))
    _prune_handouts(project, targets)
    failures = _run_handouts(project, catalogue, [t for t in stale if t.kind == "handouts"], manifest, progress)
    executor = make_executor(scheduler, jobs)
    failures += _run_notebooks(executor, [t for t in stale if t.kind == "notebook"], manifest, progress)
    manifest.save()
    if failures:
        raise TargetsFailed(failures)
    _assemble_and_publish(project, catalogue, editions, targets, manifest, report, progress)
    manifest.save()
    report.seconds = time.perf_counter() - start
    return report


def _run_handouts(project: Project, catalogue: Catalogue, targets: list[Target], manifest: Manifest,
                  progress: Progress) -> list[TargetFailure]:
    """Write each stale handout next to its final name, then rename it into place."""
    from kurswerk.render.docx import plan_handouts, write_handout

    for target in targets:
        progress("start", target, None)
        began = time.perf_counter()
        curriculum = catalogue.sector(target.sector)
        info = next(info for info in plan_handouts(curriculum, target.edition) if info.file_name == target.item)
        output = Path(target.output)
        scratch = output.parent / ".writing"
        scratch.mkdir(parents=True, exist_ok=True)
        written = write_handout(curriculum, info, scratch, project.templates / "handout.docx")
        written.replace(output)
        manifest.record(target)
        progress("done", target, TaskResult(target.id, True, time.perf_counter() - began))
    return []


def _prune_handouts(project: Project, targets: list[Target]) -> None:
    """Delete handouts in the work folder that no target produces any more (removed modules or sectors)."""
    wanted = {Path(target.output) for target in targets if target.kind == "handouts"}
    editions = {target.edition for target in targets}
    for edition in editions:
        folder = project.work / "handouts" / edition
        for path in folder.rglob("*.docx") if folder.is_dir() else []:
            if path not in wanted:
                path.unlink()


def _run_notebooks(executor: Executor, targets: list[Target], manifest: Manifest,
                   progress: Progress) -> list[TargetFailure]:
    by_id = {target.id: target for target in targets}
    tasks = [NotebookTask(t.id, t.sector, t.item, t.template, t.output, t.parameters) for t in targets]
    failures = []
    for target in targets:
        progress("start", target, None)
    for result in executor.run(tasks):
        target = by_id[result.target]
        if result.ok:
            manifest.record(target)
        else:
            manifest.forget(target.id)
            failures.append(TargetFailure(target.id, target.sector, target.item, result.message, result.cell,
                                          result.kept_at))
        progress("done", target, result)
    return failures


def _edition_digest(project: Project, targets: list[Target], edition: Edition) -> str:
    hasher = hashlib.sha256(code_fingerprint().encode())
    for target in sorted(targets, key=lambda t: t.id):
        if target.edition == edition:
            hasher.update(f"{target.id}={target.digest}".encode())
    for path in sorted((project.templates / "book").rglob("*")):
        if path.is_file():
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:24]


def _assemble_and_publish(project: Project, catalogue: Catalogue, editions: list[Edition], targets: list[Target],
                          manifest: Manifest, report: BuildReport, progress: Progress) -> None:
    handouts = project.work / "handouts"
    built: dict[Edition, Path] = {}
    digests: dict[str, str] = {}
    for edition in editions:
        key = f"book:{edition}"
        digest = _edition_digest(project, targets, edition)
        if manifest.digests.get(key) == digest and project.html_dir(edition).is_dir():
            continue
        progress("stage", None, TaskResult(f"Sphinx ({edition})", True, 0.0))
        prune_book(project, catalogue, edition)
        write_pages(project, catalogue, edition, handouts)
        built[edition] = run_sphinx(project, edition)
        report.sphinx_runs.append(edition)
        digests[key] = digest
    if not built and (project.build / "handouts").is_dir() and report.rebuilt == 0:
        return
    staged = [(copy_for_publishing(html, project.html_dir(edition)), project.html_dir(edition))
              for edition, html in built.items()]
    staged.append((copy_for_publishing(handouts, project.build / "handouts"), project.build / "handouts"))
    for source, target in staged:
        publish(source, target)
        report.published.append(str(target))
    manifest.digests.update(digests)
