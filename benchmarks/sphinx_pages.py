"""Where a Sphinx run of one edition's book spends its time, page by page.

Runs ``kurswerk.sphinx_run`` on a book folder that a build wrote (``build/book`` or
``build/book-trainer``) into a fresh output folder, in this process and with one job, and times for
every page Sphinx's three steps: reading it (parsing and transforms), resolving it (reading it back
from disk if it was not kept in memory, references, post-transforms) and writing its HTML. Prints
the sums of each step and the pages that took longest, and writes every time to JSON, so that runs
on catalogues of two sizes can be compared (``--compare``)::

    .venv/bin/python benchmarks/sphinx_pages.py build/book --json size1.json
    .venv/bin/python benchmarks/sphinx_pages.py /tmp/size5/build/book --json size5.json --compare size1.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("read", "resolve", "write")


def timed_run(book: Path, output: Path) -> dict[str, float]:
    """Build ``book`` into ``output``; returns seconds per ``"<step> <page>"`` and ``"total"``."""
    sys.path.insert(0, str(ROOT / "src"))
    from sphinx.builders import Builder
    from sphinx.builders.html import StandaloneHTMLBuilder
    from sphinx.environment import BuildEnvironment

    from kurswerk import sphinx_run

    seconds: dict[str, float] = defaultdict(float)

    def timing(step: str, function: Any) -> Any:
        def wrapper(self: Any, docname: str, *arguments: Any, **options: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(self, docname, *arguments, **options)
            finally:
                seconds[f"{step} {docname}"] += time.perf_counter() - began
        return wrapper

    Builder.read_doc = timing("read", Builder.read_doc)  # type: ignore[method-assign,misc]
    BuildEnvironment.get_and_resolve_doctree = timing(  # type: ignore[method-assign]
        "resolve", BuildEnvironment.get_and_resolve_doctree)
    StandaloneHTMLBuilder.write_doc = timing("write", StandaloneHTMLBuilder.write_doc)  # type: ignore[method-assign]
    began = time.perf_counter()
    status = sphinx_run.main([str(book), str(output), "-q"])
    if status != 0:
        raise SystemExit(f"Sphinx failed on {book} (status {status})")
    seconds["total"] = time.perf_counter() - began
    return dict(seconds)


def sums(seconds: dict[str, float]) -> dict[str, float]:
    return {step: sum(value for key, value in seconds.items() if key.startswith(f"{step} ")) for step in STEPS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("book", type=Path, help="a book folder a build wrote (build/book, build/book-trainer)")
    parser.add_argument("--json", type=Path, default=None, help="write every page's times here")
    parser.add_argument("--compare", type=Path, default=None, help="an earlier --json file: print the growth")
    parser.add_argument("--top", type=int, default=10)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kurswerk-sphinx-pages-") as scratch:
        seconds = timed_run(arguments.book.absolute(), Path(scratch))
    if arguments.json:
        arguments.json.write_text(json.dumps(seconds, indent=1), encoding="utf-8")
    pages = {key.split(" ", 1)[1] for key in seconds if " " in key}
    print(f"{len(pages)} pages, {seconds['total']:.1f} s in all")
    earlier = json.loads(arguments.compare.read_text(encoding="utf-8")) if arguments.compare else None
    for step, total in sums(seconds).items():
        growth = f"  ({total / sums(earlier)[step]:.2f}× the earlier run)" if earlier and sums(earlier)[step] else ""
        print(f"{step:<8} {total:7.1f} s{growth}")
    if earlier and earlier.get("total"):
        print(f"total    {seconds['total']:7.1f} s  ({seconds['total'] / earlier['total']:.2f}× the earlier run)")
    print("longest:")
    for key, value in sorted(((k, v) for k, v in seconds.items() if " " in k), key=lambda kv: -kv[1])[:arguments.top]:
        print(f"  {value:6.2f} s  {key}")


if __name__ == "__main__":
    main()
