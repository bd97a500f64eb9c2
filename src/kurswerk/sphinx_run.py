"""Build one edition's book folder with Sphinx, as ``jupyter-book build BOOK --path-output OUTPUT -W -n
--keep-going`` does, and with parallel reading and writing.

    python -m kurswerk.sphinx_run BOOK OUTPUT [--jobs N] [-q]

The configuration comes from ``BOOK/_config.yml`` through Jupyter Book 1 (its defaults, then the
file), the table of contents from ``BOOK/_toc.yml``; the HTML goes to ``OUTPUT/_build/html`` and the
environment to ``OUTPUT/_build/.doctrees``, the folders Jupyter Book's command uses, so either can
continue the other's build. Jupyter Book's command line has no ``--jobs``: Sphinx reads and writes
in ``N`` processes here when every extension declares that safe (all of the book's do) and more
than a handful of pages changed; a small edit stays in one process. Exit status 0 when the build
passed, else 1 (warnings count as errors).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kurswerk.sphinx_run", description=__doc__)
    parser.add_argument("book", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("-q", "--quiet", action="store_true")
    arguments = parser.parse_args(argv)
    from jupyter_book.sphinx import build_sphinx

    book = arguments.book.absolute()
    result = build_sphinx(
        book, arguments.output.absolute() / "_build" / "html", use_external_toc=True, noconfig=True,
        path_config=str(book / "_config.yml"),
        confoverrides={"external_toc_path": (book / "_toc.yml").as_posix(), "latex_individualpages": False,
                       "nitpicky": True},
        builder="html", warningiserror=True, keep_going=True, quiet=arguments.quiet, jobs=max(1, arguments.jobs))
    return result if result == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
