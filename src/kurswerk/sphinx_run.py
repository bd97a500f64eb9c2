"""Build one edition's book folder with Sphinx, as ``jupyter-book build BOOK --path-output OUTPUT -W -n
--keep-going`` does, and with parallel reading and writing.

    python -m kurswerk.sphinx_run BOOK OUTPUT [--jobs N] [--keep-mb MB] [--wait] [-q]

The configuration comes from ``BOOK/_config.yml`` through Jupyter Book 1 (its defaults, then the
file), the table of contents from ``BOOK/_toc.yml``; the HTML goes to ``OUTPUT/_build/html`` and the
environment to ``OUTPUT/_build/.doctrees``, the folders Jupyter Book's command uses, so either can
continue the other's build. Jupyter Book's command line has no ``--jobs``: Sphinx reads and writes
in ``N`` processes here when every extension declares that safe (all of the book's do) and more
than a handful of pages changed; a small edit stays in one process. Exit status 0 when the build
passed, else 1 (warnings count as errors).

With ``--wait`` the process imports what the last build into ``OUTPUT`` imported (Sphinx, Jupyter
Book, the book's extensions and what their set-up imports), then waits for
a line on its standard input: ``go`` builds, anything else (or the end of the input) ends it with
status 0 and no build. A build starts it while its last notebooks and handouts run, so that about
0.6 s of start-up per edition (on the development machine) is done before the pages are written.

Two settings keep a large catalogue's build linear in time and bounded in memory:

* Sphinx (7.2 and later) keeps every page it reads in one process in memory until it writes it, so
  a cold build holds every page's document tree at once (about ten times the page's pickled size).
  Here pages are kept only up to ``--keep-mb`` MB of pickled size (:data:`KEEP_MB`); the others are
  read back from their pickle when they are written, and that pickle is not kept either. With the
  collector set as below, reading a page back costs little (size 5 of the benchmark: the same time,
  half the memory of an edition's Sphinx process).
* Python's cyclic garbage collector ran about 4 600 times in a Sphinx build of the shipped book's
  public edition, its full runs walking every object in memory: a fifth of the build's time, and
  more as the catalogue grows. Collecting less often (:data:`GC_THRESHOLDS`) made the build a fifth
  faster with the same peak memory.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from pathlib import Path
from typing import Any

from kurswerk.processes import skip_slow_optional_imports

KEEP_MB = 8
"""Pickled megabytes of read pages one Sphinx process keeps in memory for writing."""
GC_THRESHOLDS = (10_000, 50, 1_000)
"""Allocations before a young collection, young collections before a middle one, middle before a full one
(Python's default: 700, 10, 10)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kurswerk.sphinx_run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("book", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep-mb", type=float, default=KEEP_MB,
                        help=f"pickled MB of read pages kept in memory for writing (default {KEEP_MB})")
    parser.add_argument("--wait", action="store_true", help="import everything, then build only after a line "
                        "'go' on standard input")
    parser.add_argument("-q", "--quiet", action="store_true")
    arguments = parser.parse_args(argv)
    gc.set_threshold(*GC_THRESHOLDS)
    skip_slow_optional_imports()
    from jupyter_book.sphinx import build_sphinx

    if arguments.wait:
        _import_ahead(arguments.output)
        if sys.stdin.readline().strip() != "go":
            return 0
    _keep_pages_up_to(int(arguments.keep_mb * 2**20))
    book = arguments.book.absolute()
    result = build_sphinx(
        book, arguments.output.absolute() / "_build" / "html", use_external_toc=True, noconfig=True,
        path_config=str(book / "_config.yml"),
        confoverrides={"external_toc_path": (book / "_toc.yml").as_posix(), "latex_individualpages": False,
                       "nitpicky": True},
        builder="html", warningiserror=True, keep_going=True, quiet=arguments.quiet, jobs=max(1, arguments.jobs))
    _record_imports(arguments.output)
    return result if result == 0 else 1


IMPORTS = ".kurswerk-imports.json"
"""In the output folder: the modules the last build there imported, in order (``--wait`` imports them ahead)."""


def _import_ahead(output: Path) -> None:
    """Import what the last build into ``output`` imported (Sphinx, Jupyter Book, the extensions and what
    their set-up imports), or at least Sphinx's HTML builder: a module gone since is skipped."""
    import importlib

    importlib.import_module("sphinx.builders.html")
    with contextlib.suppress(OSError, ValueError):
        names = json.loads((output / IMPORTS).read_text(encoding="utf-8"))
        for name in names if isinstance(names, list) else []:
            if isinstance(name, str) and name not in sys.modules:
                with contextlib.suppress(Exception):
                    importlib.import_module(name)


def _record_imports(output: Path) -> None:
    with contextlib.suppress(OSError):
        output.mkdir(parents=True, exist_ok=True)
        names = [name for name in list(sys.modules) if name != "__main__" and not name.startswith("_")]
        (output / IMPORTS).write_text(json.dumps(names), encoding="utf-8")


def _keep_pages_up_to(limit: int) -> None:
    """Make Sphinx keep a read page's document tree in memory for writing only while the pages kept so far
    are under ``limit`` bytes pickled; the others it reads back from disk when it writes them."""
    from sphinx.builders import Builder

    write_doctree = Builder.write_doctree
    kept = [0]

    def bounded(self: Builder, docname: str, doctree: Any, *, _cache: bool = True) -> None:
        write_doctree(self, docname, doctree, _cache=False)
        if not _cache:  # parallel reading: the page is in a worker process
            return
        size = os.path.getsize(os.path.join(self.doctreedir, docname + ".doctree"))
        if kept[0] + size <= limit:
            kept[0] += size
            self.env._write_doc_doctree_cache[docname] = doctree

    Builder.write_doctree = bounded  # type: ignore[method-assign,misc]  # final in Sphinx 7.4, pinned

    from sphinx.environment import BuildEnvironment

    get_doctree = BuildEnvironment.get_doctree

    def unkept(self: BuildEnvironment, docname: str) -> Any:
        doctree = get_doctree(self, docname)
        self._pickled_doctree_cache.pop(docname, None)  # Sphinx would keep every page's pickle until the end
        return doctree

    BuildEnvironment.get_doctree = unkept  # type: ignore[method-assign]


def _leave(status: int) -> None:
    """End the process without tearing down the interpreter: with Sphinx, Jupyter Book and their extensions
    loaded that takes 0.4 s (development machine), longer than an incremental build's writing. Every
    output file is closed by then; the log is flushed here."""
    import logging

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    _leave(main())
