"""Publishing a built folder copies what changed since the published generation and links the rest."""

from __future__ import annotations

import os
from pathlib import Path

from kurswerk.publish import publish


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:  # in place, as Sphinx rewrites a page
        handle.write(text)


def test_unchanged_files_are_linked_from_the_published_generation_changed_ones_copied(tmp_path: Path) -> None:
    build, html = tmp_path / "build", tmp_path / "work" / "html"
    write(html / "index.html", "Start")
    write(html / "pflege" / "modul.html", "alt")
    write(html / "_static" / "style.css", "p {color:red}")
    publish(build, {"html": html})
    published = {name: os.stat(build / "html" / name).st_ino for name in ("index.html", "pflege/modul.html")}

    write(html / "pflege" / "modul.html", "neu")  # the same size, written later
    stamp = os.stat(html / "index.html").st_mtime_ns
    os.utime(html / "pflege" / "modul.html", ns=(stamp + 10**9, stamp + 10**9))
    write(html / "pflege" / "neu.html", "neue Seite")
    style = os.stat(html / "_static" / "style.css")  # a new theme file: same size, its source's old time
    write(html / "_static" / "style.css", "p {color:red}".replace("red", "tan"))
    os.utime(html / "_static" / "style.css", ns=(style.st_atime_ns, style.st_mtime_ns))
    publish(build, {"html": html})

    out = build / "html"
    assert (out / "pflege" / "modul.html").read_text(encoding="utf-8") == "neu"
    assert (out / "pflege" / "neu.html").read_text(encoding="utf-8") == "neue Seite"
    assert os.stat(out / "index.html").st_ino == published["index.html"], "an unchanged page is linked"
    assert os.stat(out / "pflege" / "modul.html").st_ino != published["pflege/modul.html"]
    assert (out / "_static" / "style.css").read_text(encoding="utf-8") == "p {color:tan}", \
        "a file rewritten with its old size and time is copied, not linked"
    for path in html.rglob("*.*"):
        assert not os.path.samefile(path, out / path.relative_to(html)), "no published file is a work file"

    write(html / "index.html", "Umbau")  # the next build rewrites its work copy in place
    os.utime(html / "index.html", ns=(stamp + 2 * 10**9, stamp + 2 * 10**9))
    assert (out / "index.html").read_text(encoding="utf-8") == "Start", "the published page stays as published"
    publish(build, {"html": html})
    assert (build / "html" / "index.html").read_text(encoding="utf-8") == "Umbau"
