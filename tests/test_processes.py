"""The processes a build starts go without optional imports no build needs, still read notebooks, and keep
nothing of the notebooks they ran."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT, copy_fixture_curricula


def test_notebooks_validate_without_the_slow_optional_import() -> None:
    script = textwrap.dedent("""
        from kurswerk.processes import skip_slow_optional_imports
        skip_slow_optional_imports()
        import sys, nbformat, jsonschema
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")])
        nbformat.validate(notebook)
        nbformat.reads(nbformat.writes(notebook), as_version=4)
        assert sys.modules["rfc3987_syntax"] is None, "the module was imported after all"
        assert "iri" not in jsonschema.FormatChecker.checkers, "jsonschema went without it"
        print("ok")
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]


def test_a_worker_keeps_no_threads_or_files_of_the_notebooks_it_ran(tmp_path: Path) -> None:
    """Every notebook's kernel client is stopped with its kernel: a worker running hundreds of notebooks
    must not keep a heartbeat thread, sockets and a zmq context of each (they slowed every later one)."""
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    script = textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from kurswerk.execute import NotebookTask, run_any, _stop_warm_kernel
        from kurswerk.load import load_catalogue
        from kurswerk.plan import Project, plan_build

        root, curricula, build = map(Path, sys.argv[1:4])
        project = Project.at(root, curricula=curricula, build=build)
        targets = [t for t in plan_build(project, load_catalogue(curricula), ["public"], pdf=False)
                   if t.kind == "notebook"]

        def held():
            return len(os.listdir("/proc/self/task")), len(os.listdir("/proc/self/fd"))

        counts = []
        for number in range(6):
            target = targets[number % len(targets)]
            result = run_any(NotebookTask(target.id, target.sector, target.item, target.template, target.output,
                                          target.parameters), start_next=True)
            assert result.ok, result.message
            counts.append(held())
        _stop_warm_kernel()
        print(counts)
    """)
    run = subprocess.run([sys.executable, "-c", script, str(ROOT), str(curricula), str(tmp_path / "build")],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-3000:]
    counts = ast.literal_eval(run.stdout.strip().splitlines()[-1])
    assert len(counts) == 6
    (threads_second, files_second), (threads_last, files_last) = counts[1], counts[-1]
    assert threads_last <= threads_second, counts
    assert files_last <= files_second + 2, counts


def test_a_kernel_that_dies_at_start_is_replaced_and_the_terminal_stays_quiet(tmp_path: Path) -> None:
    """A kernel that dies before it answers (it happens now and then when kernels start at once) costs a
    retry with a fresh kernel; the build must not print papermill's error for it while the task passes."""
    script = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        import nbformat
        import kurswerk.execute as execute

        folder = Path(sys.argv[1])
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / "t.ipynb")
        real, started = execute._start_kernel, []

        def dying():
            manager = real()
            if not started:
                os.kill(manager.provisioner.pid, signal.SIGKILL)
            started.append(manager)
            return manager

        execute._start_kernel = dying
        task = execute.NotebookTask("t", "s", "i", str(folder / "t.ipynb"), str(folder / "out.ipynb"))
        result = execute.run_task(task)
        print(result.ok, len(started), "42" in (folder / "out.ipynb").read_text(encoding="utf-8"))
    """)
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["True", "2", "True"], "the second kernel ran the notebook"
    assert run.stderr.strip() == "", run.stderr[-3000:]
