"""Stopping every process a build started: workers, their kernels, LibreOffice and Sphinx.

Kernels run in sessions of their own (jupyter_client starts them so), so a signal to the build's
process group does not reach them; they are found as descendants in ``/proc`` instead.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Iterable
from pathlib import Path


def _parents() -> dict[int, int]:
    """Map every visible process id to its parent's id (Linux ``/proc``; empty elsewhere)."""
    parents = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # "pid (name) state ppid …"; the name may contain spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int | None = None) -> list[int]:
    """The living descendants of ``pid`` (default: this process), parents before children."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def _signal(pids: Iterable[int], number: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, number)


def stop_descendants(spare: Iterable[int] = (), grace: float = 0.6) -> None:
    """End every descendant of this process except ``spare``: SIGTERM, then SIGKILL after ``grace`` seconds.

    Workers use the grace period to shut down their kernels and remove the connection files.
    """
    spared = set(spare)
    seen = [pid for pid in descendants() if pid not in spared]
    _signal(seen, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap(seen)
        if not set(seen) & set(_parents()):
            break
        time.sleep(0.05)
    remaining = [pid for pid in {*seen, *descendants()} if pid not in spared]
    _signal(remaining, signal.SIGKILL)
    time.sleep(0.05)
    _reap(remaining)


def _reap(pids: Iterable[int]) -> None:
    """Collect those of ``pids`` that are finished children of this process (no zombies stay behind)."""
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


SLOW_OPTIONAL_IMPORTS = ("rfc3987_syntax",)
"""Optional modules a library imports when installed although no build needs them.

jsonschema (under nbformat, papermill and myst-nb) imports ``rfc3987_syntax`` for its "iri" format
check, which no notebook schema uses; the module compiles a grammar at import, about two seconds in
every process that reads a notebook (the build's workers and Sphinx runs).
"""


def skip_slow_optional_imports() -> None:
    """Make the :data:`SLOW_OPTIONAL_IMPORTS` unavailable in this process (an import of one fails, and
    the library goes without it), unless one is imported already."""
    for name in SLOW_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
