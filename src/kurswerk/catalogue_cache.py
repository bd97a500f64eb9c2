"""The loaded catalogue of a build, kept between builds while the curricula are the same.

Reading and validating every YAML file of the shipped curricula takes about a second, the largest
part of a build with nothing or one module to do. :func:`load_catalogue_kept` keeps the validated
catalogue in the build's work folder (``build/.work/catalogue.pickle``) under a key made of the
content of every file under the curricula folder (names and bytes), its place, the sectors asked
for, the drafts setting and kurswerk's own code; any change to one of these loads afresh. A
curricula folder that holds a symbolic link is always loaded afresh (the link's checks belong to
the load), and so is one that failed to load: errors are never kept.

Beside the whole catalogue it keeps each sector it loaded, under a key made of that sector
folder's files alone (and its place, the drafts setting and the code). When a file changes, only
the sectors whose folder changed are read again: an edit of one module reads that sector's YAML,
not every sector's (the shipped curricula: 0.07 s instead of 0.5 s). The checks across sectors
(:func:`~kurswerk.load.label_clashes`) run on every load.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from kurswerk.load import load_catalogue, load_sector
from kurswerk.model import Catalogue, SectorCurriculum
from kurswerk.plan import code_fingerprint


def curricula_key(root: Path, only: list[str] | None, drafts: bool) -> str | None:
    """Return the key of a load of ``root``, or None when it must not be kept (a link in the folder)."""
    return _folder_key(root, f"{sorted(only or [])}\0{drafts}")


def _folder_key(root: Path, setting: str) -> str | None:
    """A hash of the code, ``root``'s place, ``setting`` and every file under ``root``; None for a link."""
    hasher = hashlib.sha256(f"{code_fingerprint()}\0{root.resolve()}\0{setting}".encode())
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            return None
        if path.is_file():
            data = path.read_bytes()
            hasher.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            hasher.update(data)
    return hasher.hexdigest()


def load_catalogue_kept(root: Path, only: list[str] | None, drafts: bool, kept: Path) -> Catalogue:
    """:func:`~kurswerk.load.load_catalogue`, or the catalogue kept in ``kept`` from a load of the same input;
    after a change, the sectors whose folders did not change are taken from ``kept``."""
    key = curricula_key(root, only, drafts) if root.is_dir() else None
    if key is None:
        return load_catalogue(root, only, drafts=drafts)
    stored: dict[str, object] = {}
    with contextlib.suppress(Exception):  # missing, older or damaged: load afresh
        loaded = pickle.loads(kept.read_bytes())
        if isinstance(loaded, dict):
            stored = loaded
    if stored.get("key") == key and isinstance(stored.get("catalogue"), Catalogue):
        return stored["catalogue"]  # type: ignore[return-value]
    sectors = stored.get("sectors")
    known: dict[str, tuple[str, SectorCurriculum]] = sectors if isinstance(sectors, dict) else {}
    used: dict[str, tuple[str, SectorCurriculum]] = {}

    def load_kept(folder: Path, with_drafts: bool) -> SectorCurriculum:
        sector_key = _folder_key(folder, f"sector\0{with_drafts}")
        entry = known.get(folder.name)
        if sector_key is not None and entry is not None and entry[0] == sector_key:
            used[folder.name] = entry
            return entry[1]
        curriculum = load_sector(folder, with_drafts)
        if sector_key is not None and _folder_key(folder, f"sector\0{with_drafts}") == sector_key:
            used[folder.name] = (sector_key, curriculum)  # not when a file changed while it was read
        return curriculum

    catalogue = load_catalogue(root, only, drafts=drafts, load=load_kept)
    present = {path.parent.name for path in root.glob("*/sector.yml")}
    keep = {name: entry for name, entry in {**known, **used}.items() if name in present}
    with contextlib.suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        temporary = kept.with_name(f".{kept.name}.{os.getpid()}")
        temporary.write_bytes(pickle.dumps({"key": key, "catalogue": catalogue, "sectors": keep},
                                           protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(kept)
    return catalogue
