"""The loaded catalogue of a build, kept between builds while the curricula are the same.

Reading and validating every YAML file of the shipped curricula takes about a second, the largest
part of a build with nothing or one module to do. :func:`load_catalogue_kept` keeps the validated
catalogue in the build's work folder (``build/.work/catalogue.pickle``) under a key made of the
content of every file under the curricula folder (names and bytes), its place, the sectors asked
for, the drafts setting and kurswerk's own code; any change to one of these loads afresh. A
curricula folder that holds a symbolic link is always loaded afresh (the link's checks belong to
the load), and so is one that failed to load: errors are never kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from kurswerk.load import load_catalogue
from kurswerk.model import Catalogue
from kurswerk.plan import code_fingerprint


def curricula_key(root: Path, only: list[str] | None, drafts: bool) -> str | None:
    """Return the key of a load of ``root``, or None when it must not be kept (a link in the folder)."""
    hasher = hashlib.sha256(f"{code_fingerprint()}\0{root.resolve()}\0{sorted(only or [])}\0{drafts}".encode())
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            return None
        if path.is_file():
            data = path.read_bytes()
            hasher.update(f"\0{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
            hasher.update(data)
    return hasher.hexdigest()


def load_catalogue_kept(root: Path, only: list[str] | None, drafts: bool, kept: Path) -> Catalogue:
    """:func:`~kurswerk.load.load_catalogue`, or the catalogue kept in ``kept`` from a load of the same input."""
    key = curricula_key(root, only, drafts) if root.is_dir() else None
    if key is not None:
        with contextlib.suppress(Exception):  # missing, older or damaged: load afresh
            stored_key, catalogue = pickle.loads(kept.read_bytes())
            if stored_key == key and isinstance(catalogue, Catalogue):
                return catalogue
    catalogue = load_catalogue(root, only, drafts=drafts)
    if key is not None:
        with contextlib.suppress(OSError):
            kept.parent.mkdir(parents=True, exist_ok=True)
            temporary = kept.with_name(f".{kept.name}.{os.getpid()}")
            temporary.write_bytes(pickle.dumps((key, catalogue), protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(kept)
    return catalogue
