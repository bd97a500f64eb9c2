"""PDFs of Word files LibreOffice has converted before, found by what the Word file holds.

A change to a module writes each of its handouts again, but most edits leave most handouts as they
were: a new "Ich kann …" line changes the book page and no handout, a dialogue line one worksheet
and not the cards. LibreOffice turns the same DOCX into the same PDF, so each conversion is kept
under a key made of the DOCX's parts (names and bytes, not the dates inside the zip), the
LibreOffice installation, the installed fonts (the dates of the font folders and of fontconfig's
cache) and the export options; a DOCX equal in all of these gets the kept PDF without starting
LibreOffice.

The cache is a folder of ``<key>.pdf`` files (``build/.work/pdf-cache``), hard links to the PDFs
it was given where the file system allows them, so it costs little disk. A hit marks its file as used (mtime);
:func:`prune` keeps the most recently used. ``kurswerk build --force`` empties it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import zipfile
from pathlib import Path

VERSION = "1"
"""Part of every key: raise it when the way a PDF is made changes in a way the key does not see."""


FONT_FOLDERS = ("/var/cache/fontconfig", "/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
                "~/.fonts")
"""Folders that change when fonts are installed or removed (fontconfig rewrites its cache then)."""


@functools.cache
def office_identity(soffice: str, options: str) -> str:
    """Return what names the LibreOffice installation, the fonts and the export options a PDF comes from."""
    program = Path(os.path.realpath(soffice)).parent
    parts = [VERSION, options]
    for path in [program / name for name in ("soffice.bin", "versionrc", "libmergedlo.so")] + [
            Path(folder).expanduser() for folder in FONT_FOLDERS]:
        with contextlib.suppress(OSError):
            status = path.stat()
            parts.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
    return "\n".join(parts)


def key(docx: Path, identity: str) -> str:
    """Return the cache key of a DOCX: a SHA-256 of ``identity`` and every part of the package."""
    digest = hashlib.sha256(identity.encode())
    with zipfile.ZipFile(docx) as package:
        for info in sorted(package.infolist(), key=lambda item: item.filename):
            data = package.read(info)
            digest.update(f"\0{info.filename}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def holds(cache: Path, entry_key: str) -> bool:
    """Whether a PDF is kept for ``entry_key`` (it may still be pruned before it is fetched)."""
    return (cache / f"{entry_key}.pdf").is_file()


def fetch(cache: Path, entry_key: str, target: Path) -> bool:
    """Put the kept PDF for ``entry_key`` at ``target`` (whole or not at all); False when none is kept."""
    entry = cache / f"{entry_key}.pdf"
    try:
        _place(entry, target, link=False)
        os.utime(entry)
    except FileNotFoundError:
        return False
    return True


def store(cache: Path, entry_key: str, pdf: Path) -> None:
    """Keep ``pdf`` as the conversion of the DOCX with ``entry_key``."""
    cache.mkdir(parents=True, exist_ok=True)
    _place(pdf, cache / f"{entry_key}.pdf")


def prune(cache: Path, keep: int) -> int:
    """Remove all but the ``keep`` most recently used PDFs; returns how many were removed."""
    with contextlib.suppress(FileNotFoundError):
        entries = sorted(((path.stat().st_mtime_ns, path) for path in cache.glob("*.pdf")), reverse=True)
        for _, path in entries[keep:]:
            path.unlink(missing_ok=True)
        return max(0, len(entries) - keep)
    return 0


def _place(source: Path, target: Path, link: bool = True) -> None:
    """Link (or copy) ``source`` to ``target`` through a temporary name, so ``target`` is never half written.

    A PDF taken from the cache is always a copy: renaming a file onto another link of the same file
    does nothing (POSIX ``rename``), so a kept PDF linked into a scratch folder could not be moved
    over the handout it was kept from.
    """
    temporary = target.with_name(f".{target.name}.{os.getpid()}.part")
    temporary.unlink(missing_ok=True)
    if link:
        try:
            os.link(source, temporary)
        except FileNotFoundError:
            raise
        except OSError:  # another file system, or no hard links here
            link = False
    if not link:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)
