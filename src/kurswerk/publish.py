"""Atomic publishing: the three outputs of one build replace the previous ones in one step.

The published folders live in a generation folder, ``build/.generations/<id>/{html,html-trainer,handouts}``.
``build/.current`` is a symbolic link to the generation in use, and ``build/html``,
``build/html-trainer`` and ``build/handouts`` are fixed links into ``.current``. A build assembles a
new generation (copying what it built and changed, hard-linking the rest from the published
generation), then replaces ``.current``
with one ``rename``: at every instant all three outputs come from the same build, and a build
killed at any moment leaves the previous output intact. :func:`recover` removes what a killed
build left behind.

Output folders of older versions (real folders in place of the links) are moved into the first
generation; :func:`recover` finishes that move if a build was killed during it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import stat
import time
from collections.abc import Callable, Mapping
from pathlib import Path

OUTPUTS = ("html", "html-trainer", "handouts")
"""The published folders, as users open them under the build folder."""
CURRENT = ".current"
GENERATIONS = ".generations"
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


def current_generation(build: Path) -> Path | None:
    """The generation folder ``build/.current`` points to, or None."""
    link = build / CURRENT
    if not link.is_symlink():
        return None
    target = build / os.readlink(link)
    return target if target.is_dir() else None


def _link_copy(source: str, destination: str) -> None:
    """Hard-link a published file into the new generation (a copy where links are not possible)."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _copy_unless_published(published: Path, folder: Path, since: int) -> Callable[[str, str], None]:
    """A copy function for ``copytree`` into ``folder``: a file the published folder holds unchanged is
    hard-linked from there, any other is copied.

    Unchanged means: the same size and modification time as the published copy (which the copy
    kept), and no change to the built file since the published generation was made (``since``, its
    status-change time in ns). The second test matters because tools set modification times: Sphinx
    gives a static file it copies the time of its source, so an upgraded theme file of the same size
    can carry the old time; any write or time change of a file moves its status-change time on.

    An edit changes a few pages and handouts; the other files of a built folder were published as they
    are, and linking them costs one system call instead of a copy.
    """

    def copy(source: str, destination: str) -> None:
        old = published / Path(destination).relative_to(folder)
        try:
            mine, theirs = os.stat(source), os.stat(old, follow_symlinks=False)
            if (stat.S_ISREG(theirs.st_mode) and mine.st_size == theirs.st_size
                    and mine.st_mtime_ns == theirs.st_mtime_ns and mine.st_ctime_ns < since):
                os.link(old, destination)
                return
        except OSError:
            pass
        shutil.copy2(source, destination)

    return copy


def new_generation(build: Path, built: Mapping[str, Path]) -> Path:
    """Assemble a new generation: ``built`` maps output names to finished folders (copied, their files
    unchanged since the published generation linked from it); every other output is carried over from
    the published one (hard links). Returns the generation folder."""
    generations = build / GENERATIONS
    generations.mkdir(parents=True, exist_ok=True)
    generation = generations / f"{time.time_ns():x}-{os.getpid()}"
    scratch = generations / f".{generation.name}"
    scratch.mkdir()
    current = current_generation(build)
    for name in OUTPUTS:
        if name in built:
            copy = (_copy_unless_published(current / name, scratch / name, os.stat(current).st_ctime_ns)
                    if current is not None else shutil.copy2)
            shutil.copytree(built[name], scratch / name, symlinks=True, copy_function=copy)
        elif (build / name).is_dir():
            shutil.copytree(build / name, scratch / name, symlinks=True, copy_function=_link_copy)
    os.rename(scratch, generation)
    return generation


def publish_generation(build: Path, generation: Path) -> None:
    """Make ``generation`` the published one in one step, then remove the previous generation."""
    previous = current_generation(build)
    for name in OUTPUTS:
        _ensure_link(build, name)
    scratch = build / f"{CURRENT}.new"
    scratch.unlink(missing_ok=True)
    os.symlink(os.path.relpath(generation, build), scratch)
    os.replace(scratch, build / CURRENT)  # the one step that publishes all three outputs
    for name in OUTPUTS:
        _replace_legacy_folder(build, name)
    if previous is not None and previous != generation:
        shutil.rmtree(previous, ignore_errors=True)


def _ensure_link(build: Path, name: str) -> None:
    """Create ``build/<name>`` as the link into ``.current`` unless something is there already."""
    path = build / name
    if not path.is_symlink() and not path.exists():
        os.symlink(f"{CURRENT}/{name}", path)


def _replace_legacy_folder(build: Path, name: str) -> None:
    """Swap a real output folder of an older version for the link into ``.current`` (its content is
    in the current generation already)."""
    path = build / name
    if path.is_symlink() or not path.is_dir():
        return
    link = build / f".{name}.link"
    link.unlink(missing_ok=True)
    os.symlink(f"{CURRENT}/{name}", link)
    if _exchange(link, path):
        shutil.rmtree(link)
    else:
        aside = build / f".{name}.old"
        shutil.rmtree(aside, ignore_errors=True)
        os.rename(path, aside)
        os.rename(link, path)
        shutil.rmtree(aside)


def publish(build: Path, built: Mapping[str, Path]) -> Path:
    """Publish the finished folders ``built`` (output name → folder) with the other outputs unchanged."""
    generation = new_generation(build, built)
    publish_generation(build, generation)
    return generation


def recover(build: Path) -> None:
    """Undo what a killed build left: unfinished generations, a half-made link, older layouts.

    Call it only while holding the build lock (see :mod:`kurswerk.lock`).
    """
    if not build.is_dir():
        return
    (build / f"{CURRENT}.new").unlink(missing_ok=True)
    current = current_generation(build)
    generations = build / GENERATIONS
    for folder in generations.iterdir() if generations.is_dir() else []:
        if current is None or folder.name != current.name:
            shutil.rmtree(folder, ignore_errors=True)
    for name in OUTPUTS:
        leftover = build / f".{name}.link"
        if leftover.is_symlink():
            leftover.unlink()
        elif leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        if current is not None and (current / name).is_dir():
            _replace_legacy_folder(build, name)
            _ensure_link(build, name)
        shutil.rmtree(build / f".{name}.old", ignore_errors=True)
    # Layout of older versions: a folder moved aside, or a staging folder.
    previous = build / ".previous"
    if previous.is_dir():
        for folder in previous.iterdir():
            if not (build / folder.name).exists() and not (build / folder.name).is_symlink():
                os.rename(folder, build / folder.name)
        shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(build / ".staging", ignore_errors=True)
