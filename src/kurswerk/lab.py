"""``kurswerk lab``: JupyterLab on the module notebooks, with the project's own Python as kernel.

JupyterLab is not needed to build, so it is installed on first use into the environment kurswerk
runs in (pinned, with the project's lock file as constraints). The notebooks in ``modules/`` find
the curricula from any working folder (:func:`kurswerk.notebook.find_curricula`), so they run
there with their default parameters.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from kurswerk.errors import BuildError
from kurswerk.plan import Project

JUPYTERLAB = "jupyterlab==4.6.6"
"""The JupyterLab release ``kurswerk lab`` installs (tested with the pinned stack)."""


def ensure_jupyterlab(project: Project, echo: object = print) -> None:
    """Install JupyterLab into this environment unless it is there; raises :class:`BuildError` if pip fails."""
    if importlib.util.find_spec("jupyterlab") is not None:
        return
    command = [sys.executable, "-m", "pip", "install", "--quiet", JUPYTERLAB]
    lock = project.root / "requirements.lock"
    if lock.is_file():
        command += ["-c", str(lock)]
    if callable(echo):
        echo(f"JupyterLab wird installiert ({JUPYTERLAB}) …")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"JupyterLab ließ sich nicht installieren (pip, Exit-Code {result.returncode}):\n"
                         f"{result.stderr.strip()[-2000:]}")


def lab_command(project: Project, port: int, browser: bool) -> list[str]:
    """Return the command that starts JupyterLab on 127.0.0.1 in the project, with ``modules/`` open."""
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={project.root}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               f"--LabApp.default_url=/lab/tree/{project.modules.relative_to(project.root).as_posix()}"]
    if not browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root; the server listens on 127.0.0.1 only
    return command


def run_lab(project: Project, port: int = 8888, browser: bool = True, echo: object = print) -> int:
    """Install JupyterLab if needed and run it until it ends; returns its exit code."""
    ensure_jupyterlab(project, echo)
    environment = {**os.environ, "KURSWERK_CURRICULA": str(project.curricula.resolve())}
    try:
        return subprocess.call(lab_command(project, port, browser), cwd=Path(project.root), env=environment)
    except KeyboardInterrupt:
        return 0
