"""Interruptions and concurrency, with real processes and real signals.

Ctrl-C (SIGINT to the process group, as a terminal sends it) and SIGTERM (to the build alone, as a
service manager sends it) stop workers, kernels and Sphinx within two seconds and leave no process;
finished targets survive and the next build continues from them. A kill at any moment of
publishing leaves all three outputs from one build; a second build in the same folder is refused.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from docx import Document

from conftest import ROOT, copy_fixture_curricula, tree_digest
from kurswerk.build import build
from kurswerk.plan import Project

pytestmark = pytest.mark.slow
KURSWERK = str(Path(sys.executable).with_name("kurswerk"))
SECTOR = "lager/sector.yml"
MODULE = "lager/modules/schichtwechsel.yml"




def outputs(project: Project) -> tuple[str, str, str]:
    return (tree_digest(project.build / "html"), tree_digest(project.build / "html-trainer"),
            tree_digest(project.build / "handouts"))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixture curriculum built once, both editions, DOCX only."""
    base = tmp_path_factory.mktemp("interrupt")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    return project


def replace_in(project: Project, relative: str, old: str, new: str) -> None:
    path = project.curricula / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def marked_processes(mark: str) -> list[str]:
    """Processes (not zombies) whose environment carries ``mark``: the build and everything it started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() not in (entry / "environ").read_bytes():
                continue
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if stat[stat.rfind(")") + 2:].split()[0] != "Z":
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")[:120].decode(errors="replace")
            found.append(f"{entry.name} {command}")
    return found


def start_build(project: Project, mark: str, runtime: Path, *extra: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "KURSWERK_TEST_MARK": mark, "JUPYTER_RUNTIME_DIR": str(runtime)}
    return subprocess.Popen(
        [KURSWERK, "build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
         "-q", "--jobs", "2", *extra], cwd=ROOT, start_new_session=True, env=environment, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_first_target(project: Project, before: dict[str, str], process: subprocess.Popen[str]) -> None:
    """Wait until the manifest records a target this build finished (the manifest is saved per target)."""
    manifest = project.work / "manifest.json"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        try:
            now = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            now = {}
        if any(before.get(key) != value for key, value in now.items() if not key.startswith(("book:", "sphinx:"))):
            return
        time.sleep(0.05)
    pytest.fail("no target finished before the build ended")


@pytest.mark.parametrize("how", ["sigint-group", "sigint-main", "sigterm-main"])
def test_interrupt_stops_everything_keeps_output_and_finished_targets(project: Project, tmp_path: Path,
                                                                     how: str) -> None:
    before = outputs(project)
    manifest_before = json.loads((project.work / "manifest.json").read_text(encoding="utf-8"))
    # Every target depends on the sector file: all of them are stale now.
    replace_in(project, SECTOR, "name: ", f"name: {how} ")
    mark = uuid.uuid4().hex
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    process = start_build(project, mark, runtime)
    wait_for_first_target(project, manifest_before, process)
    time.sleep(0.5)  # other targets are under way now: kernels run, workers write
    assert process.poll() is None, "the build ended before it could be interrupted"
    running = marked_processes(mark)
    assert len(running) > 2, running
    signalled = time.monotonic()
    if how == "sigint-group":  # Ctrl-C in a terminal
        os.killpg(process.pid, signal.SIGINT)
    else:  # kill -INT or kill -TERM to the build alone
        os.kill(process.pid, signal.SIGINT if how == "sigint-main" else signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    ended = time.monotonic() - signalled
    left = marked_processes(mark)
    while left and time.monotonic() - signalled < 2.0:
        time.sleep(0.05)
        left = marked_processes(mark)
    assert ended < 2.0, f"exit took {ended:.1f} s"
    assert not left, f"processes left {time.monotonic() - signalled:.1f} s after the signal: {left}"
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "Abgebrochen" in stderr, stderr
    assert not list(runtime.glob("kernel-*.json")), "kernel connection files left behind"
    assert outputs(project) == before, "the interrupted build changed the published output"
    manifest = json.loads((project.work / "manifest.json").read_text(encoding="utf-8"))
    kept = {key for key, value in manifest.items() if manifest_before.get(key) != value}
    assert kept, "no finished target was recorded"
    again = subprocess.run(
        [KURSWERK, "build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
         "-q", "--jobs", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    cached = int(re.search(r"(\d+) aus dem Cache", again.stdout).group(1))  # type: ignore[union-attr]
    assert cached >= len(kept), again.stdout
    assert how in (project.build / "html" / "lager" / "index.html").read_text(encoding="utf-8")


def test_second_build_in_the_same_folder_is_refused(project: Project) -> None:
    set_mark(project, 99)
    first = subprocess.Popen(
        [KURSWERK, "build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
         "-q", "--jobs", "2"], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = project.build / ".lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.is_file() and lock.read_text().strip() == str(first.pid)):
        time.sleep(0.05)
        if time.monotonic() > deadline - 55 and (project.work / "manifest.json").is_file():
            break  # (a version without a lock file: start the second build anyway)
    second = subprocess.run(
        [KURSWERK, "build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
         "-q"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    _, first_errors = first.communicate(timeout=600)
    assert first.returncode == 0, first_errors
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert f"läuft schon ein Build (Prozess {first.pid})" in second.stderr and str(lock) in second.stderr
    assert published_marks(project) == {"99"}


KILLER = textwrap.dedent("""
    import os, shutil, signal, sys
    from pathlib import Path
    import kurswerk.publish as publish
    from kurswerk.build import build
    from kurswerk.plan import Project

    root, curricula, out, point = sys.argv[1:5]
    calls = {"copytree": 0}

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    original_copytree, original_replace, original_rmtree = shutil.copytree, os.replace, shutil.rmtree
    original_new, original_publish = publish.new_generation, publish.publish_generation

    def copytree(*args, **kwargs):
        calls["copytree"] += 1
        if point == "assembling" and calls["copytree"] == 2:
            original_copytree(*args, **kwargs)
            die()
        return original_copytree(*args, **kwargs)

    def replace(source, target, *args, **kwargs):
        if Path(target).name == ".current":
            if point == "before-swap":
                die()
            original_replace(source, target, *args, **kwargs)
            if point == "after-swap":
                die()
            return None
        return original_replace(source, target, *args, **kwargs)

    def rmtree(path, *args, **kwargs):
        if point == "removing-old" and publish.GENERATIONS in str(path):
            for child in list(Path(path).iterdir())[:1]:
                original_rmtree(child)
            die()
        return original_rmtree(path, *args, **kwargs)

    def new_generation(*args, **kwargs):
        generation = original_new(*args, **kwargs)
        if point == "assembled":
            die()
        return generation

    publish.shutil.copytree = copytree
    publish.os.replace = replace
    publish.shutil.rmtree = rmtree
    publish.new_generation = new_generation
    build(Project.at(Path(root), curricula=Path(curricula), build=Path(out)), ["public", "trainer"], jobs=2,
          pdf=False)
""")
KILL_POINTS = ["assembling", "assembled", "before-swap", "after-swap", "removing-old"]


SUMMARY = "summary: Ein Lagerist übergibt am Ende der Frühschicht an die Spätschicht."


def set_mark(project: Project, number: int) -> None:
    """Write ``(Stand <number>)`` into a module summary, which the book pages and a handout show."""
    path = project.curricula / MODULE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("summary: Ein Lagerist übergibt"))
    lines[index] = f"{SUMMARY[:-1]} (Stand {number}).\n" if number else SUMMARY + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def published_marks(project: Project) -> set[str]:
    """The mark each of the three outputs shows (one value when all come from one build)."""
    pattern = re.compile(r"übergibt am Ende der Frühschicht an die Spätschicht(?: \(Stand (\d+)\))?")
    html = (project.build / "html" / "lager" / "schichtwechsel.html").read_text(encoding="utf-8")
    trainer = (project.build / "html-trainer" / "lager" / "schichtwechsel.html").read_text(encoding="utf-8")
    document = Document(str(project.build / "handouts" / "public" / "lager" / "schichtwechsel-1-input.docx"))
    handout = "\n".join(paragraph.text for paragraph in document.paragraphs)
    marks = set()
    for text in (html, trainer, handout):
        found = {match.group(1) or "0" for match in pattern.finditer(text)}
        assert len(found) == 1, found
        marks |= found
    return marks


def test_a_kill_at_any_moment_of_publishing_leaves_one_consistent_build(project: Project) -> None:
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    survived = []
    for number, point in enumerate(KILL_POINTS, start=1):
        old = published_marks(project)
        assert len(old) == 1
        set_mark(project, number)
        killed = subprocess.run([sys.executable, "-c", KILLER, str(ROOT), str(project.curricula), str(project.build),
                                 point], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr[-2000:])
        marks = published_marks(project)
        expected = {str(number)} if point in ("after-swap", "removing-old") else old
        assert marks == expected, f"kill {point}: outputs show {marks}, expected {expected}"
        build(project, ["public", "trainer"], jobs=2, pdf=False)
        assert published_marks(project) == {str(number)}, point
        assert len(list((project.build / ".generations").iterdir())) == 1, "a killed build's generation stayed"
        survived.append(point)
    assert survived == KILL_POINTS
