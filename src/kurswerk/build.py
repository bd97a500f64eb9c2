"""The build pipeline: load → plan → handouts → notebooks → pages → Sphinx → publish.

Targets whose content hash is unchanged are skipped; a build with nothing to do runs no Sphinx.
Everything is assembled in ``build/.work`` and published with an atomic swap only when every
target succeeded, so a failed or interrupted build leaves the previous output intact.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kurswerk.book import prune_book, run_sphinx, write_pages
from kurswerk.errors import TargetFailure, TargetsFailed
from kurswerk.execute import Executor, HandoutTask, NotebookTask, Task, TaskResult, make_executor
from kurswerk.load import load_catalogue
from kurswerk.model import Catalogue, Edition
from kurswerk.packets import HELP_LEVELS, HelpLevel
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
    stages: dict[str, float] = field(default_factory=dict)

    def timed(self, stage: str, began: float) -> None:
        """Add the time since ``began`` to ``stage``."""
        self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - began


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
    """
    start = time.perf_counter()
    recover(project.build)
    catalogue = load_catalogue(project.curricula, sectors, drafts=drafts)
    targets = plan_build(project, catalogue, editions, help_levels, pdf=pdf, drafts=drafts)
    manifest = Manifest(project.work / "manifest.json")
    stale = [target for target in targets if force or not manifest.is_current(target)]
    stale_ids = {target.id for target in stale}
    for target in targets:
        if target.id not in stale_ids:
            progress("cached", target, None)
    report = BuildReport(total=len(targets), rebuilt=len(stale), cached=len(targets) - len(stale))
    report.timed("load and plan", start)
    _prune_handouts(project, targets)
    began = time.perf_counter()
    executor = make_executor(scheduler, jobs)
    failures = _run_tasks(project, executor, stale, manifest, progress)
    report.timed("notebooks and handouts", began)
    manifest.save()
    if failures:
        raise TargetsFailed(failures)
    _assemble_and_publish(project, catalogue, editions, targets, manifest, report, progress)
    manifest.save()
    report.seconds = time.perf_counter() - start
    return report


def _prune_handouts(project: Project, targets: list[Target]) -> None:
    """Delete handouts in the work folder that no target produces any more (removed modules or sectors)."""
    wanted = {Path(target.output) for target in targets if target.kind == "handouts"}
    with_pdf = {Path(target.output) for target in targets if target.parameters.get("pdf") == "yes"}
    editions = {target.edition for target in targets}
    for edition in editions:
        folder = project.work / "handouts" / edition
        for path in folder.rglob("*.*") if folder.is_dir() else []:
            if ((path.suffix == ".docx" and path not in wanted)
                    or (path.suffix == ".pdf" and path.with_suffix(".docx") not in with_pdf)):
                path.unlink()


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
                              members[0].parameters.get("drafts") == "yes"), members)
            for key, members in groups.items()}


def _run_tasks(project: Project, executor: Executor, stale: list[Target], manifest: Manifest,
               progress: Progress) -> list[TargetFailure]:
    """Run every stale notebook and handout target; returns the failures."""
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
    for result in executor.run(tasks):
        for target in members[result.target]:
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
        if target.edition == edition or target.shared:
            hasher.update(f"{target.id}={target.digest}".encode())
    for path in [*sorted((project.templates / "book").rglob("*")), project.root / "_config.yml"]:
        if path.is_file():
            hasher.update(path.read_bytes())
    return hasher.hexdigest()[:24]


def _assemble_and_publish(project: Project, catalogue: Catalogue, editions: list[Edition], targets: list[Target],
                          manifest: Manifest, report: BuildReport, progress: Progress) -> None:
    """Write the pages, run Sphinx for every edition that changed, then swap the results in."""
    handouts = project.work / "handouts"
    digests = {edition: _edition_digest(project, targets, edition) for edition in editions}
    changed = [edition for edition in editions
               if manifest.digests.get(f"book:{edition}") != digests[edition] or not project.html_dir(edition).is_dir()]
    built: dict[Edition, Path] = {}
    if changed:
        began = time.perf_counter()
        shown = ", ".join("öffentlich" if edition == "public" else "Lehrkräfte" for edition in changed)
        progress("stage", None, TaskResult(f"Sphinx ({shown})", True, 0.0))
        for edition in changed:
            prune_book(project, catalogue, edition)
            write_pages(project, catalogue, edition, handouts)
        built = run_sphinx(project, changed)
        report.sphinx_runs += changed
        report.timed("sphinx", began)
    if not built and (project.build / "handouts").is_dir() and report.rebuilt == 0:
        return
    began = time.perf_counter()
    staged = [(copy_for_publishing(html, project.html_dir(edition)), project.html_dir(edition))
              for edition, html in built.items()]
    staged.append((copy_for_publishing(handouts, project.build / "handouts"), project.build / "handouts"))
    for source, target in staged:
        publish(source, target)
        report.published.append(str(target))
    manifest.digests.update({f"book:{edition}": digests[edition] for edition in built})
    report.timed("publish", began)
