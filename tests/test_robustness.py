"""Bad input, failing notebooks, injected markup and killed builds: clear errors, nothing lost.

The builds here write handouts as DOCX only (``--no-pdf``): what is tested is the pipeline's
handling of errors and signals, and a build with PDFs takes several times as long (PDF conversion
has tests of its own)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from docx import Document

from conftest import ROOT, copy_fixture_curricula, tree_digest
from kurswerk.build import build
from kurswerk.errors import TargetsFailed
from kurswerk.plan import Project

pytestmark = pytest.mark.slow
KURSWERK = str(Path(sys.executable).with_name("kurswerk"))
MODULE = "lager/modules/kommissionieren.yml"




def run_cli(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KURSWERK, *arguments], cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A private copy of the fixture curriculum, built once (public edition)."""
    base = tmp_path_factory.mktemp("robust")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    build(project, ["public"], jobs=2, pdf=False)
    return project


def edit(project: Project, old: str, new: str) -> None:
    path = project.curricula / MODULE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_curriculum_exit_2_no_traceback_output_untouched(project: Project) -> None:
    before = tree_digest(project.build / "html"), tree_digest(project.build / "handouts")
    edit(project, "level: A2", "level: A7")
    try:
        result = run_cli("build", "--no-pdf", "--curricula", str(project.curricula),
                         "--build-dir", str(project.build),
                         "--edition", "public", "-q")
    finally:
        edit(project, "level: A7", "level: A2")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(r"kommissionieren\.yml:5 level: „A7“ ist nicht erlaubt; erlaubt sind A2, B1, B2 oder C1", result.stderr)
    assert (tree_digest(project.build / "html"), tree_digest(project.build / "handouts")) == before


def test_code_like_parameter_is_refused(project: Project) -> None:
    result = run_cli("module", "--curricula", str(project.curricula), "lager", "x'); import os; os.system('true') #")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "ist keine Kennung" in result.stderr


INJECTED = [
    '<script>alert("x")</script>',
    "**fett** und [Link](javascript:alert(1))",
    "{download}`geheim <../../etc/passwd>`",
    "```{code-cell} python\nimport os\n```",
    "$x^2$ und :::{note} Hinweis",
]


def test_markup_in_text_fields_stays_literal(project: Project) -> None:
    edit(project, "summary: Eine Lageristin stellt einen Auftrag zusammen und fragt bei einer Kollegin nach.",
         "summary: " + json.dumps(" ".join(text.replace("\n", " ") for text in INJECTED[:2]), ensure_ascii=False))
    edit(project, "text: Die sind jetzt in Regal zwölf, ganz oben.",
         "text: " + json.dumps(INJECTED[2] + " " + INJECTED[4], ensure_ascii=False))
    edit(project, "text: Ja, die Leiter steht am Ende vom Gang.",
         "text: " + json.dumps(INJECTED[3], ensure_ascii=False))
    build(project, ["public"], jobs=2, pdf=False)
    raw = (project.html_dir("public") / "lager" / "kommissionieren.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "javascript:alert" not in re.findall(r'href="([^"]*)"', raw)
    assert "<strong>fett</strong>" not in raw
    visible = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", raw).split()))
    for text in INJECTED:
        assert " ".join(text.split()) in visible, text
    worksheet = Document(str(project.build / "handouts" / "public" / "lager" / "kommissionieren-1-input.docx"))
    words = "\n".join(p.text for p in worksheet.paragraphs) + "\n".join(
        cell.text for table in worksheet.tables for row in table.rows for cell in row.cells)
    assert "{download}`geheim <../../etc/passwd>`" in words and "{code-cell} python" in words


def test_failing_notebook_is_reported_and_kept(project: Project, tmp_path: Path) -> None:
    modules = tmp_path / "modules"
    shutil.copytree(ROOT / "modules", modules)
    notebook = nbformat.read(modules / "daa_szenario.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('if module == "wareneingang":\n    raise RuntimeError("Testfehler")'))
    nbformat.write(notebook, modules / "daa_szenario.ipynb")
    broken = Project(root=ROOT, curricula=project.curricula, modules=modules, templates=ROOT / "templates",
                     build=tmp_path / "build")
    with pytest.raises(TargetsFailed) as caught:
        build(broken, ["public"], jobs=2, pdf=False)
    [failure] = caught.value.failures
    assert (failure.sector, failure.item) == ("lager", "wareneingang")
    assert failure.cell is not None and "RuntimeError: Testfehler" in failure.message
    assert failure.kept_at and Path(failure.kept_at).is_file()
    book = broken.book_dir("public") / "lager"
    assert (book / "kommissionieren.ipynb").is_file() and (book / "schichtwechsel.ipynb").is_file()
    assert not (tmp_path / "build" / "html").exists()
    text = str(caught.value)
    assert "lager/wareneingang" in text and "Zelle" in text


def test_failing_notebook_exit_code_1(project: Project, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(ROOT / "modules", root / "modules")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    notebook = nbformat.read(root / "modules" / "ikoe_training.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell('raise ValueError("kaputt")'))
    nbformat.write(notebook, root / "modules" / "ikoe_training.ipynb")
    result = run_cli("build", "--no-pdf", "--root", str(root), "--curricula", str(project.curricula), "--edition",
                     "public", "-q")
    assert result.returncode == 1
    assert "ValueError: kaputt" in result.stderr and "lager/vielfalt-im-lager" in result.stderr
    assert "Traceback" not in result.stderr


def test_killed_builds_leave_previous_output_intact(project: Project) -> None:
    html_dir, handouts = project.build / "html", project.build / "handouts"
    started = time.perf_counter()
    build(project, ["public"], jobs=2, force=True, pdf=False)
    duration = time.perf_counter() - started
    for number, fraction in enumerate([0.05, 0.4, 0.75, 0.95]):
        old = tree_digest(html_dir), tree_digest(handouts)
        edit(project, "Spätschicht.", f"Spätschicht ({number}).") if number == 0 else edit(
            project, f"Spätschicht ({number - 1}).", f"Spätschicht ({number}).")
        process = subprocess.Popen(
            [KURSWERK, "build", "--no-pdf", "--curricula", str(project.curricula), "--build-dir", str(project.build),
             "--edition", "public", "-q", "--force"], cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        finished = process.poll() is not None
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        killed = tree_digest(html_dir), tree_digest(handouts)
        build(project, ["public"], jobs=2, pdf=False)
        new = tree_digest(html_dir), tree_digest(handouts)
        assert killed[0] in (old[0], new[0]) and killed[1] in (old[1], new[1]), f"kill at {fraction:.0%}"
        assert "missing" not in killed
        if not finished:
            assert (html_dir / "intro.html").is_file()
    assert f"Spätschicht ({number})." in (html_dir / "lager" / "kommissionieren.html").read_text(encoding="utf-8")
