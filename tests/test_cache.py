"""The cache is never stale: after an edit exactly the affected targets rebuild, the published output
equals a cold build of the same input, and an edit that is reverted gives the output of before, byte
for byte.

Real builds (kernels, Word, Sphinx) of the fixture curriculum with a private copy of the project's
templates, DOCX only. Which targets an edit of each input kind invalidates is covered without
builds in ``test_plan.py``; here the edits whose effect lies beyond the targets (book pages written
from the curricula, theme files, removed pages) go through the whole pipeline.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import kurswerk.build
from conftest import ROOT, copy_fixture_curricula
from kurswerk.build import build
from kurswerk.load import load_catalogue
from kurswerk.plan import Project, plan_build

pytestmark = pytest.mark.slow
OUTPUTS = ("html", "html-trainer", "handouts")
VOLATILE = {".buildinfo"}
"""Sphinx's build-info file holds a hash of the configuration, which names the build folder."""


def snapshot(project: Project) -> dict[str, bytes]:
    """Every published file by relative path, with the build folder's path replaced by a placeholder."""
    files = {}
    for name in OUTPUTS:
        folder = project.build / name
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file() and path.name not in VOLATILE:
                files[f"{name}/{path.relative_to(folder)}"] = path.read_bytes().replace(
                    str(project.build).encode(), b"<build>")
    return files


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted({*(set(first) ^ set(second)), *(key for key in set(first) & set(second) if first[key] != second[key])})


def started(project: Project, editions: list[str] | None = None) -> tuple[set[str], list[str]]:
    seen: set[str] = set()
    report = build(project, editions or ["public", "trainer"], jobs=2, pdf=False,  # type: ignore[arg-type]
                   progress=lambda event, target, result: seen.add(target.id) if event == "start" and target else None)
    return seen, report.sphinx_runs


def sector_wide_handouts(project: Project) -> set[str]:
    """The handouts made from the whole sector (glossary, company handout, word lists), not from one item."""
    catalogue = load_catalogue(project.curricula)
    items = [item.id for curriculum in catalogue.sectors for item in (*curriculum.modules, *curriculum.trainings)]
    return {target.id for target in plan_build(project, catalogue, ["public", "trainer"], pdf=False)
            if target.kind == "handouts" and not any(target.item.startswith(f"{item}-") for item in items)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("cache")
    root = base / "root"
    for name in ("modules", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    project = Project.at(root, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    return project


def cold(project: Project, folder: Path) -> dict[str, bytes]:
    """Build the same input from nothing into ``folder``; returns its published files."""
    fresh = Project(root=project.root, curricula=project.curricula, modules=project.modules,
                    templates=project.templates, build=folder)
    build(fresh, ["public", "trainer"], jobs=2, pdf=False)
    return snapshot(fresh)


def replace(path: Path, old: str, new: str) -> Callable[[], object]:
    """Replace text in a file; returns the function that restores it."""
    original = path.read_bytes()
    text = original.decode("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return lambda: path.write_bytes(original)


def test_pages_read_back_from_disk_give_the_same_book(project: Project, tmp_path: Path) -> None:
    """Sphinx keeps read pages in memory only up to a size (``--keep-mb``); a page it reads back from its
    pickle for writing must give the same HTML (first test of the module: the book is as built)."""
    import subprocess
    import sys

    output = tmp_path / "sphinx"
    run = subprocess.run([sys.executable, "-m", "kurswerk.sphinx_run", str(project.book_dir("public")), str(output),
                          "--keep-mb", "0", "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    built, published = output / "_build" / "html", project.build / "html"
    pages = sorted(path.relative_to(published) for path in published.rglob("*.html"))
    assert len(pages) > 10
    assert [page for page in pages if (built / page).read_bytes() != (published / page).read_bytes()] == []


def test_edits_rebuild_what_they_should_and_the_output_equals_a_cold_build(project: Project, tmp_path: Path) -> None:
    baseline = snapshot(project)
    assert started(project) == (set(), []), "a no-op build does nothing"
    restore: list[Callable[[], object]] = []
    glossary = project.curricula / "lager" / "glossary.yml"
    first_term = next(line for line in glossary.read_text(encoding="utf-8").splitlines() if "definition:" in line)
    restore.append(replace(glossary, first_term, first_term.rstrip() + " Glossarprobe."))
    targets, sphinx = started(project)
    assert targets == sector_wide_handouts(project)
    assert sphinx == ["public", "trainer"], "the trainer edition shows the glossary page and the public handouts"
    for edition in ("html", "html-trainer"):
        assert "Glossarprobe" in (project.build / edition / "lager" / "glossar.html").read_text(encoding="utf-8")
    trainer_copy = next((project.build / "html-trainer").rglob("glossar.docx"))
    assert trainer_copy.read_bytes() == (project.build / "handouts" / "public" / "lager" / "glossar.docx").read_bytes()

    css = project.templates / "book" / "_static" / "kurswerk.css"
    restore.append(replace(css, "\n", "\n/* Stilprobe */\n"))
    targets, sphinx = started(project)
    assert targets == set() and sphinx == ["public", "trainer"]
    for edition in ("html", "html-trainer"):
        assert "Stilprobe" in (project.build / edition / "_static" / "kurswerk.css").read_text(encoding="utf-8")

    config = project.root / "_config.yml"
    restore.append(replace(config, "\n", "\n# Einstellungsprobe\n"))
    assert started(project) == (set(), ["public", "trainer"])

    modules = project.curricula / "lager" / "modules"
    removed = modules / "wareneingang.yml"
    original = removed.read_bytes()
    removed.unlink()
    restore.append(lambda: removed.write_bytes(original))
    tracks = project.curricula / "lager" / "sector.yml"  # the module is in both tracks of the fixture
    restore.append(replace(tracks, "[kommissionieren, wareneingang, ", "[kommissionieren, "))
    restore.append(replace(tracks, "[wareneingang, ", "["))
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    published = snapshot(project)
    assert not [name for name in published if "wareneingang" in name], "a removed module's page and handouts went"
    assert not differences(published, cold(project, tmp_path / "cold")), "incremental output equals a cold build"

    for undo in reversed(restore):
        undo()
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    assert not differences(snapshot(project), baseline), "edit then revert gives the output of before"


def test_a_deleted_or_renamed_sector_leaves_the_published_output(project: Project) -> None:
    """A second sector comes, is renamed and goes: its pages and handouts follow, nothing of it stays."""
    source = project.curricula / "lager"
    second = project.curricula / "lager-zwei"
    shutil.copytree(source, second)
    sector_file = second / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace("id: lager", "id: lager-zwei", 1),
                           encoding="utf-8")
    try:
        build(project, ["public"], jobs=2, pdf=False)
        assert (project.build / "html" / "lager-zwei" / "index.html").is_file()
        assert (project.build / "handouts" / "public" / "lager-zwei" / "glossar.docx").is_file()
        renamed = project.curricula / "lager-drei"
        second.rename(renamed)
        second = renamed
        sector_file = renamed / "sector.yml"
        sector_file.write_text(sector_file.read_text(encoding="utf-8").replace("id: lager-zwei", "id: lager-drei", 1),
                               encoding="utf-8")
        build(project, ["public"], jobs=2, pdf=False)
        published = snapshot(project)
        assert not [name for name in published if "lager-zwei" in name], "the old name is gone everywhere"
        assert (project.build / "html" / "lager-drei" / "index.html").is_file()
        assert "lager-drei" in (project.build / "html" / "intro.html").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(second)
    build(project, ["public"], jobs=2, pdf=False)
    published = snapshot(project)
    assert not [name for name in published if "lager-drei" in name or "lager-zwei" in name]
    assert "lager-drei" not in (project.build / "html" / "intro.html").read_text(encoding="utf-8")


def sphinx_pages(project: Project, edition: str = "public") -> dict[str, tuple[int, bytes]]:
    """Every HTML page of Sphinx's own output folder (kept between builds): modification time and content."""
    html = project.work / f"sphinx-{edition}" / "_build" / "html"
    return {str(path.relative_to(html)): (path.stat().st_mtime_ns, path.read_bytes()) for path in html.rglob("*.html")}


def test_sphinx_rewrites_what_an_edit_changes_and_nothing_else(project: Project) -> None:
    """A dialogue line changes one page's content; Sphinx re-writes that page and the pages that link the
    handouts it changed (their download targets changed), and no other. A module title changes the navigation:
    no page shows the old title any more, and every page of the sector lists the new one."""
    module = project.curricula / "lager" / "modules" / "schichtwechsel.yml"
    before = sphinx_pages(project)
    undo = replace(module, "text: Welche denn?", "text: Welche denn genau?")
    try:
        assert started(project, ["public"])[1] == ["public"]
        after = sphinx_pages(project)
        assert after.keys() == before.keys()
        changed = {page for page in after if after[page][1] != before[page][1]}
        written = {page for page in after if after[page][0] != before[page][0]}
        assert changed == {"lager/schichtwechsel.html"}, "an incremental page equals the page of a cold build"
        links_handouts = {"intro.html", "lager/index.html", "lager/downloads.html"}  # the company handout, the list
        assert written - {"genindex.html", "search.html"} <= {"lager/schichtwechsel.html", *links_handouts}
        assert len(written) < len(after) / 2, sorted(written)
        assert "Welche denn genau?" in (project.build / "html" / "lager" / "schichtwechsel.html").read_text("utf-8")
    finally:
        undo()
    undo = replace(module, "title: Die Schicht übergeben", "title: Die Schicht gut übergeben")
    try:
        build(project, ["public"], jobs=2, pdf=False)
        html = project.build / "html"
        pages = [path for path in html.rglob("*.html") if not path.relative_to(html).parts[0].startswith("_")]
        assert len(pages) > 8
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert "Die Schicht übergeben" not in text, page
            if page.parent.name == "lager":  # the theme shows the modules of the sector a page belongs to
                navigation = text.split('class="bd-sidebar-primary', 1)[-1].split("</nav>", 1)[0]
                assert "Die Schicht gut übergeben" in navigation, page
    finally:
        undo()
    build(project, ["public"], jobs=2, pdf=False)


def test_sphinx_starts_while_the_last_tasks_run_and_builds_once_the_pages_are_written(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each edition's Sphinx process is started ahead, when a worker has no task left (it imports Sphinx
    and the extensions meanwhile), and builds on the signal after the pages are written; one never
    signalled ends without touching its output."""
    import time

    import kurswerk.book as book_module
    from conftest import tree_digest

    events: list[tuple[str, float]] = []
    real_start, real_write = book_module.start_sphinx, book_module.write_pages

    def start(*arguments: Any, **options: Any) -> Any:
        events.append(("sphinx waits" if options.get("wait") else "sphinx", time.monotonic()))
        return real_start(*arguments, **options)

    def write(*arguments: Any, **options: Any) -> Any:
        events.append(("pages", time.monotonic()))
        return real_write(*arguments, **options)

    monkeypatch.setattr(book_module, "start_sphinx", start)
    monkeypatch.setattr(kurswerk.build, "write_pages", write)
    module = project.curricula / "lager" / "modules" / "schichtwechsel.yml"
    undo = replace(module, "text: Welche denn?", "text: Welche denn bitte?")
    try:
        report = build(project, ["public", "trainer"], jobs=2, pdf=False,
                       progress=lambda event, target, result: events.append(("done", time.monotonic()))
                       if event == "done" else None)
        assert report.sphinx_runs == ["public", "trainer"]
        assert [name for name, _ in events if name.startswith("sphinx")] == ["sphinx waits"] * 2, \
            "both editions' processes were started ahead, none afresh"
        last_done = max(moment for name, moment in events if name == "done")
        assert all(moment < last_done for name, moment in events if name.startswith("sphinx")), \
            "started before the last task finished"
        assert min(moment for name, moment in events if name == "pages") > last_done
        assert "Welche denn bitte?" in (project.build / "html" / "lager" / "schichtwechsel.html").read_text("utf-8")
    finally:
        undo()
    monkeypatch.undo()
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    output = project.work / "sphinx-public"
    before = tree_digest(output)
    warm = book_module.WarmSphinx(project, ["public"])
    warm.start()
    [process] = warm.processes.values()
    warm.close()
    assert process.returncode == 0 and tree_digest(output) == before, "an unused process builds nothing"
