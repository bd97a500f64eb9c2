"""Environment errors: a refused write, a full disk, a file where a folder belongs, symlink loops, a bad or
unreachable scheduler, a handout worker that meets an unexpected error. Each ends with one German
message naming the path or address, exit 1 (2 for a malformed option), no traceback, and the previous
output intact."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, copy_fixture_curricula, tree_digest
from kurswerk.build import build
from kurswerk.errors import BuildError, TargetsFailed
from kurswerk.execute import HandoutTask, run_any, run_handout_task
from kurswerk.plan import Project

pytestmark = pytest.mark.slow
KURSWERK = str(Path(sys.executable).with_name("kurswerk"))




def published(project: Project) -> tuple[str, str]:
    return tree_digest(project.build / "html"), tree_digest(project.build / "handouts")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("environment")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    build(project, ["public"], jobs=2, pdf=False)
    return project


def cli(*arguments: str, script: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """Run ``kurswerk`` (or a script that patches something first and then runs the CLI)."""
    command = [KURSWERK, *arguments] if script is None else [sys.executable, "-c", script, *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def assert_one_message(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


def edit(project: Project) -> None:
    """Make one module stale, so the next build has work to do and something to publish."""
    path = project.curricula / "lager" / "modules" / "schichtwechsel.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Frühschicht", "Früh-Schicht", 1), encoding="utf-8")


def test_a_file_where_the_build_folder_belongs(project: Project, tmp_path: Path) -> None:
    blocker = tmp_path / "ausgabe"
    blocker.write_text("kein Ordner")
    result = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(blocker / "build"))
    assert_one_message(result, 1, str(blocker / "build"), "ein Teil dieses Pfads ist eine Datei, kein Ordner",
                       "bisherige Ausgabe ist unverändert")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_build_folder(project: Project) -> None:
    edit(project)
    before = published(project)
    os.chmod(project.build, 0o555)
    try:
        result = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build))
    finally:
        os.chmod(project.build, 0o755)
    assert_one_message(result, 1, str(project.build), "keine Berechtigung")
    assert published(project) == before


DISK_FULL = textwrap.dedent("""
    import errno, os, shutil, sys
    import kurswerk.publish as publish
    from kurswerk.cli import main

    original = shutil.copyfile
    def full(source, destination, *args, **kwargs):
        if ".generations" in str(destination) and "handouts" in str(destination):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(destination))
        return original(source, destination, *args, **kwargs)
    shutil.copyfile = full
    sys.argv[0] = "kurswerk"
    main()
""")


def test_disk_full_while_publishing(project: Project) -> None:
    edit(project)
    before = published(project)
    result = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
                 "--edition", "public", "-q", script=DISK_FULL)
    assert_one_message(result, 1, "der Datenträger ist voll", str(project.build / ".generations"),
                       "bisherige Ausgabe ist unverändert")
    assert published(project) == before
    again = build(project, ["public"], jobs=2, pdf=False)
    assert again.rebuilt == 0 and again.published, "finished targets were kept; only publishing was repeated"
    assert "Früh-Schicht" in (project.build / "html" / "lager" / "schichtwechsel.html").read_text(encoding="utf-8")
    assert [path.name for path in (project.build / ".generations").iterdir()] == [
        Path(os.readlink(project.build / ".current")).name], "the half-written generation was removed"


def test_disk_full_in_process_names_the_path(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import kurswerk.plan

    edit(project)
    before = published(project)

    def full(self: kurswerk.plan.Manifest) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.path))

    monkeypatch.setattr(kurswerk.plan.Manifest, "save", full)
    with pytest.raises(BuildError) as caught:
        build(project, ["public"], jobs=2, pdf=False)
    assert str(project.work / "manifest.json") in str(caught.value) and "voll" in str(caught.value)
    assert published(project) == before


def test_symlink_loops(project: Project, tmp_path: Path) -> None:
    loop = tmp_path / "schleife"
    loop.symlink_to(loop)
    result = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(loop))
    assert_one_message(result, 1, str(loop), "Symlink-Schleife")
    root = tmp_path / "root"
    for name in ("modules", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    template = root / "modules" / "ikoe_training.ipynb"
    template.unlink()
    template.symlink_to(template)
    before = published(project)
    result = cli("build", "--root", str(root), "--no-pdf", "--curricula", str(project.curricula), "--build-dir",
                 str(project.build), "--edition", "public", "-q")
    assert_one_message(result, 1, f"{template}: symbolische Links verweisen im Kreis", "fehlgeschlagen")
    assert published(project) == before


def test_scheduler_bogus_and_unreachable(project: Project) -> None:
    before = published(project)
    bogus = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
                "--scheduler", "bogus")
    assert_one_message(bogus, 2, "--scheduler", "„bogus“ ist keine Scheduler-Adresse", "tcp://HOST:PORT")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    edit(project)
    address = f"tcp://127.0.0.1:{port}"
    unreachable = cli("build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
                      "--scheduler", address, "-q", timeout=120)
    assert_one_message(unreachable, 1, f"Der dask-Scheduler {address} ist nicht erreichbar")
    assert published(project) == before


def test_handout_worker_turns_any_exception_into_a_failed_target(project: Project, tmp_path: Path) -> None:
    base = HandoutTask("public:lager:handouts", str(project.curricula), "lager", "public",
                       str(ROOT / "templates" / "handout.docx"), str(tmp_path / "out"), ("glossar.docx",), pdf=False)
    unknown = HandoutTask(**{**base.__dict__, "file_names": ("gibt-es-nicht.docx",)})
    result = run_handout_task(unknown)
    assert not result.ok and "gibt-es-nicht.docx" in result.message
    folder_template = tmp_path / "vorlage.docx"
    folder_template.mkdir()
    result = run_any(HandoutTask(**{**base.__dict__, "template": str(folder_template)}))
    assert not result.ok and str(folder_template) in result.message
    assert not [path for path in (tmp_path / "out").rglob("*") if path.name.startswith(".writing")]


def test_a_broken_handout_template_fails_its_targets_not_the_build(project: Project, tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in ("modules", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "templates" / "handout.docx").write_bytes(b"PK\x03\x04 kein Word-Dokument")
    broken = Project.at(root, curricula=project.curricula, build=tmp_path / "build")
    with pytest.raises(TargetsFailed) as caught:
        build(broken, ["public"], jobs=2, pdf=False)
    # a sector's handouts are written by one task, so its deck and quiz fail with the documents
    assert all(failure.item.endswith((".docx", ".apkg", ".xml")) for failure in caught.value.failures)
    assert any(failure.item.endswith(".docx") for failure in caught.value.failures)
    result = cli("build", "--root", str(root), "--no-pdf", "--curricula", str(project.curricula), "--build-dir",
                 str(tmp_path / "build"), "--edition", "public", "-q")
    assert_one_message(result, 1, "fehlgeschlagen", "glossar.docx")
