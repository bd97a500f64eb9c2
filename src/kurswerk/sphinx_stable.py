"""Sphinx extension: a page is the same whether a cold or an incremental build writes it.

myst-nb copies its stylesheet into ``_static`` only when a build has finished, and Sphinx appends a
checksum (``?v=…``) to a stylesheet link only when the file is already in the output. So a cold build
linked ``mystnb.<hash>.css`` and every later, incremental build ``mystnb.<hash>.css?v=…``: the pages an
edit re-wrote differed from the pages it did not, and from a cold build of the same input. Copying the
stylesheet before the first page is written gives every page the checksummed link.

It also lets Sphinx read and write in parallel (``kurswerk.sphinx_run --jobs``): sphinx-external-toc
loads sphinx-multitoc-numbering, which does not say whether it is safe for that, so Sphinx warned
(an error under ``-W``) and read serially. That extension only replaces how the main process numbers
sections after reading (``TocTreeCollector.assign_section_numbers``) and keeps no state of its own
while pages are read or written, so it is declared safe here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx


def _copy_notebook_styles(app: Sphinx) -> None:
    if app.builder is None or app.builder.format != "html":
        return
    from myst_nb import static
    from myst_nb.sphinx_ext import _get_file_hash, _import_resources_path
    from sphinx.util.fileutil import copy_asset_file

    with _import_resources_path(static, "mystnb.css") as source:
        target = Path(app.builder.outdir) / "_static" / f"mystnb.{_get_file_hash(source)}.css"
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(str(source), str(target))


PARALLEL_SAFE = ("sphinx_multitoc_numbering",)
"""Extensions that keep no state while pages are read or written but do not declare it."""


def _declare_parallel_safe(app: Sphinx) -> None:
    for name in PARALLEL_SAFE:
        extension = app.extensions.get(name)
        if extension is not None:
            extension.parallel_read_safe = extension.parallel_write_safe = True


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _copy_notebook_styles)
    app.connect("builder-inited", _declare_parallel_safe)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
