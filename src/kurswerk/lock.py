"""One build at a time per build folder: an exclusive ``flock`` on ``build/.lock``.

The kernel releases the lock when the process ends, however it ends, so a killed build never
leaves a stale lock. The file holds the process id of the build that has it, for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kurswerk.errors import BuildError

LOCK_NAME = ".lock"


class BuildLocked(BuildError):
    """Another build holds the lock of this build folder (exit code 1)."""


@contextmanager
def build_lock(build: Path) -> Iterator[Path]:
    """Hold the lock of ``build`` for the duration; raises :class:`BuildLocked` if another build has it."""
    build.mkdir(parents=True, exist_ok=True)
    path = build / LOCK_NAME
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            process = f" (Prozess {holder})" if holder.isdigit() else ""
            raise BuildLocked(f"In {build} läuft schon ein Build{process}; Sperrdatei: {path}. Warten Sie, bis er "
                              "fertig ist, und starten Sie dann erneut.") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(descriptor)
