"""Shared fixtures: the repository root, a small fixture curriculum built once per session, and every
shipped handout written and converted once per session."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kurswerk.build import BuildReport, build
from kurswerk.errors import KurswerkError
from kurswerk.load import load_sector
from kurswerk.model import EDITIONS, Edition, SectorCurriculum
from kurswerk.packets import Part, plan_parts
from kurswerk.plan import Project
from kurswerk.render.docx import TEMPLATE
from kurswerk.render.handouts import write_handouts
from kurswerk.render.office import close_offices

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "check" / "good"


def tree_digest(folder: Path) -> str:
    """A hash over every file name and content below ``folder`` (missing folder: 'missing')."""
    import hashlib

    if not folder.is_dir():
        return "missing"
    hasher = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        hasher.update(str(path.relative_to(folder)).encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def copy_fixture_curricula(target: Path) -> Path:
    """Copy the fixture curriculum and the reference data into ``target``; returns it."""
    shutil.copytree(FIXTURE, target)
    shutil.copytree(ROOT / "curricula" / "data", target / "data")
    return target


def build_outputs(project: Project) -> dict[str, bytes]:
    """The public edition's executed notebooks and every handout (DOCX) of a build, by path relative to
    the build folder; the build and curricula folders the notebooks name are normalised."""
    files = [*project.book_dir("public").rglob("*.ipynb"), *(project.build / "handouts").rglob("*.docx")]
    return {str(path.relative_to(project.build)): path.read_bytes().replace(str(project.build).encode(), b"BUILD")
            .replace(str(project.curricula).encode(), b"CURRICULA") for path in files}


SHARED_FIXTURES = ("built_fixture", "shipped_handouts")
"""Session fixtures that cost minutes: under ``make test`` (two test processes) every module that uses one
runs in the same process, so that each is built once."""
SLOWEST_FIRST = (*SHARED_FIXTURES, "tests/test_cache.py", "tests/test_interrupt.py", "tests/test_first_hour.py",
                 "tests/test_robustness.py", "tests/test_authoring.py", "tests/test_networks.py",
                 "tests/test_environment.py", "tests/test_injection.py", "tests/test_hardening.py")
"""Groups handed out first (the longest in a serial run), so that no long module is left for the end."""


def group_of(module: str) -> str:
    """The group of a test module (``tests/test_x.py``) under ``make test``: the first of the
    :data:`SHARED_FIXTURES` its source names, else the module itself (its module fixtures are built once)."""
    text = _module_text(module)
    return next((name for name in SHARED_FIXTURES if name in text), module)


@functools.cache
def _module_text(module: str) -> str:
    path = ROOT / module
    return path.read_text(encoding="utf-8") if path.is_file() else ""


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: without it (-p no:xdist) pytest skips it
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``pytest -n 2 --dist loadscope``: hand out whole groups (:func:`group_of`), slowest first."""
    if config.getoption("dist", default=None) != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid.split("::", 1)[0])

    config.option.loadscopereorder = False  # keep the order of pytest_collection_modifyitems below
    return GroupScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a test process of ``--dist loadscope``, put the groups of :data:`SLOWEST_FIRST` first (the order
    within each group stays); a plain ``pytest`` run keeps the file order. A module that uses a shared
    fixture without naming it (through another module's fixture) is an error: it would build it again."""
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        for name in SHARED_FIXTURES:
            if name in getattr(item, "fixturenames", ()) and group_of(module) != name:
                raise pytest.UsageError(f"{module} uses the fixture {name} without naming it; name it in the "
                                        "module (a docstring will do) so that make test runs it with the others")
    if config.getoption("dist", default=None) != "loadscope" and not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    rank = {name: index for index, name in enumerate(SLOWEST_FIRST)}
    order = {id(item): index for index, item in enumerate(items)}
    items.sort(key=lambda item: (rank.get(group_of(item.nodeid.split("::", 1)[0]), len(rank)), order[id(item)]))


FIRST_OUTPUTS: dict[Path, dict[str, bytes]] = {}
""":func:`build_outputs` of the session's fixture build as it was first built (later tests edit and rebuild it)."""


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The fixture curriculum built end to end (both editions) with real kernels and Sphinx."""
    base = tmp_path_factory.mktemp("fixture")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    report = build(project, ["public", "trainer"], jobs=2)
    FIRST_OUTPUTS[project.build] = build_outputs(project)
    return project, report


@dataclass
class ShippedHandouts:
    """Every handout of every shipped sector, both editions, as DOCX and PDF, as the build writes them."""

    base: Path
    curricula: dict[str, SectorCurriculum] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    """Sector (or sector/edition) → why it was not loaded or not written."""

    def folder(self, sector: str, edition: Edition) -> Path:
        return self.base / sector / edition


WORD_LISTS_WRITTEN = ("ar", "uk")
"""Of each shipped sector's eight word lists, the session writes one right-to-left and one left-to-right
language (tests/test_exports.py covers the word lists themselves); the rest of the plan is written whole."""


def written_parts(curriculum: SectorCurriculum, edition: Edition) -> list[Part]:
    """The parts of a shipped sector the session writes: all but the word lists not in :data:`WORD_LISTS_WRITTEN`."""
    return [part for part in plan_parts(curriculum, edition)
            if part.kind != "wordlist" or part.language in WORD_LISTS_WRITTEN]


@pytest.fixture(scope="session")
def shipped_handouts(tmp_path_factory: pytest.TempPathFactory) -> ShippedHandouts:
    """Write and convert every shipped handout once per test session (two sectors at a time).

    :func:`kurswerk.render.handouts.write_handouts` sets a handout again when its last page would be
    nearly empty or a heading ends a page, so these are the files the build publishes. A sector that
    does not load is recorded, and the others still run.
    """
    missing = [tool for tool in ("soffice", "pdfinfo", "pdftoppm", "pdftotext") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs LibreOffice and poppler-utils; missing: {', '.join(missing)}")
    result = ShippedHandouts(tmp_path_factory.mktemp("shipped"))
    jobs: list[tuple[str, Edition, Future[list[Path]]]] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for folder in sorted(path.parent for path in (ROOT / "curricula").glob("*/sector.yml")):
            try:
                curriculum = load_sector(folder)
            except KurswerkError as error:
                result.failures[folder.name] = f"does not load: {str(error)[:400]}"
                continue
            result.curricula[folder.name] = curriculum
            for edition in EDITIONS:
                out = result.folder(folder.name, edition)
                out.mkdir(parents=True)
                jobs.append((folder.name, edition, pool.submit(
                    _write_with_this_threads_office, curriculum, written_parts(curriculum, edition), out,
                    result.base)))
        for sector, edition, job in jobs:
            try:
                job.result()
            except KurswerkError as error:
                result.failures[f"{sector}/{edition}"] = str(error)[:400]
    close_offices()  # the two LibreOffice processes are not needed after this
    return result


def _write_with_this_threads_office(curriculum: SectorCurriculum, parts: list[Part], out: Path,
                                    base: Path) -> list[Path]:
    """Write handouts as a build worker does: with the one running LibreOffice of this thread's profile."""
    return write_handouts(curriculum, parts, out, TEMPLATE, profile=base / f"profile-{threading.get_ident()}")
