"""Atomic publishing: a finished output folder replaces the published one in one step.

On Linux the swap is ``renameat2(RENAME_EXCHANGE)``: at every instant either the old or the new
folder is in place, so a build killed at any moment leaves the previous ``build/html`` intact.
Where that call is missing, a rename with a recovery step stands in (see :func:`recover`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from pathlib import Path

RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    library = ctypes.CDLL(name, use_errno=True)
    return library if hasattr(library, "renameat2") else None


_LIBC = _libc()


def _exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False when the system cannot."""
    if _LIBC is None:
        return False
    result = _LIBC.renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(first))


def staging_path(target: Path) -> Path:
    """The folder a new version of ``target`` is assembled in (same file system, hidden)."""
    return target.parent / ".staging" / target.name


def publish(staged: Path, target: Path) -> None:
    """Put ``staged`` in place of ``target`` atomically and remove the old version."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged)
        return
    previous = target.parent / ".previous" / target.name
    previous.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(target, previous)
    os.rename(staged, target)
    shutil.rmtree(previous)


def recover(build: Path) -> None:
    """Undo what a killed build left: restore a moved-away output, drop unfinished staging."""
    previous = build / ".previous"
    if previous.is_dir():
        for folder in previous.iterdir():
            if not (build / folder.name).exists():
                os.rename(folder, build / folder.name)
        shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(build / ".staging", ignore_errors=True)


def copy_for_publishing(source: Path, target: Path) -> Path:
    """Copy ``source`` into the staging folder of ``target``; returns the staged path."""
    staged = staging_path(target)
    shutil.rmtree(staged, ignore_errors=True)
    staged.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, staged)
    return staged
