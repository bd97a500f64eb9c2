"""``kurswerk serve``: the public course book on 127.0.0.1, rebuilt when a source file changes.

This module owns the preview loop: a :class:`Watcher` that polls modification times (no extra
dependency, works on every file system), a quiet local HTTP server in a background thread, and
:func:`rebuild`, which runs the incremental build of the public edition and reports what it redid.
A failed build is reported and the server keeps serving the last good output, because the build
publishes atomically.
"""

from __future__ import annotations

import functools
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from kurswerk.errors import InputError, KurswerkError, Location
from kurswerk.plan import Project, Target

HOST = "127.0.0.1"
"""Only this machine can open the preview: it is for authors, not for publishing."""

IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~")
"""Editor swap and backup files, which change while an author types."""

Echo = Callable[[str], None]


class Watcher:
    """Remembers the modification time and size of every file under some folders; reports changes."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.folders = [Path(folder) for folder in folders]
        self.snapshot = self.scan()

    def scan(self) -> dict[Path, tuple[int, int]]:
        """Return ``{path: (mtime_ns, size)}`` of the watched files (hidden ones and swap files skipped)."""
        state: dict[Path, tuple[int, int]] = {}
        for folder in self.folders:
            for path in folder.rglob("*") if folder.is_dir() else []:
                relative = path.relative_to(folder).parts
                if any(part.startswith(".") or part == "__pycache__" for part in relative):
                    continue
                if path.name.endswith(IGNORED_SUFFIXES):
                    continue
                try:
                    status = path.stat()
                except FileNotFoundError:  # deleted between listing and stat
                    continue
                if path.is_file():
                    state[path] = (status.st_mtime_ns, status.st_size)
        return state

    def poll(self) -> list[Path]:
        """Return the files added, changed or removed since the last poll (sorted), and remember the new state."""
        current = self.scan()
        changed = sorted(path for path in current.keys() | self.snapshot.keys()
                         if current.get(path) != self.snapshot.get(path))
        self.snapshot = current
        return changed


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request to the terminal (the build messages matter there)."""

    def log_message(self, format: str, *args: Any) -> None:
        return None


def make_server(html: Path, port: int) -> ThreadingHTTPServer:
    """Return an HTTP server for ``html`` on 127.0.0.1; raises :class:`InputError` if the port is taken."""
    handler = functools.partial(QuietHandler, directory=str(html))
    try:
        return ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise InputError(Location("--port"), f"cannot serve on {HOST}:{port}: {error.strerror}; "
                         "choose another port with --port", code="E-PORT") from None


def rebuild(project: Project, echo: Echo) -> bool:
    """Run the incremental public build and print what it rebuilt; returns False (and prints why) if it failed."""
    from kurswerk.build import build

    rebuilt: list[str] = []

    def progress(event: str, target: Target | None, result: Any) -> None:
        if event == "done" and target is not None:
            rebuilt.append(f"{target.sector}/{target.item}")

    started = time.perf_counter()
    try:
        report = build(project, ["public"], progress=progress)
    except KurswerkError as error:
        echo(f"Build fehlgeschlagen; der Server zeigt weiter den letzten guten Stand.\n{error}")
        return False
    except Exception:
        # A long-running preview must survive a crash of one build: show the traceback, keep serving.
        echo(f"Interner Fehler beim Bauen; der Server zeigt weiter den letzten guten Stand.\n{traceback.format_exc()}")
        return False
    items = _listing(rebuilt) if rebuilt else "nichts (alles aktuell)"
    sphinx = " und Buchseiten (Sphinx)" if report.sphinx_runs else ""
    echo(f"Neu gebaut in {time.perf_counter() - started:.1f} s: {items}{sphinx}.")
    return True


def watched_folders(project: Project) -> list[Path]:
    """The folders whose changes trigger a rebuild: curricula, notebook templates, page and Word templates."""
    return [project.curricula, project.modules, project.templates]


def settle(watcher: Watcher, changed: list[Path], pause: float = 0.3, rounds: int = 5) -> list[Path]:
    """Wait until an editor has finished writing (no new change for ``pause`` s); returns all changed files."""
    seen = set(changed)
    for _ in range(rounds):
        time.sleep(pause)
        more = watcher.poll()
        if not more:
            break
        seen.update(more)
    return sorted(seen)


def watch_loop(project: Project, watcher: Watcher, echo: Echo, stop: threading.Event, interval: float = 1.0) -> None:
    """Poll every ``interval`` seconds and rebuild after each change, until ``stop`` is set."""
    while not stop.wait(interval):
        changed = watcher.poll()
        if not changed:
            continue
        changed = settle(watcher, changed)
        echo(f"Geändert: {_listing([_shown(path, project.root) for path in changed])}")
        rebuild(project, echo)


def _listing(names: list[str], limit: int = 6) -> str:
    """Return ``a, b, c`` or ``a, b, … und 7 weitere`` for a terminal line."""
    more = f" und {len(names) - limit} weitere" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def serve(project: Project, port: int = 8000, watch: bool = True, echo: Echo = print,
          stop: threading.Event | None = None, interval: float = 1.0) -> None:
    """Serve ``build/html`` on 127.0.0.1 until Ctrl-C or ``stop``; with ``watch``, build first and on changes.

    Raises :class:`InputError` if the port is taken, or without ``watch`` if there is no built book.
    """
    html = project.html_dir("public")
    stop = stop or threading.Event()
    if watch:
        watcher = Watcher(watched_folders(project))
        rebuild(project, echo)
    elif not (html / "index.html").is_file():
        raise InputError(Location(str(html)), "holds no built book; run kurswerk build first", code="E-READ")
    server = make_server(html, port)
    thread = threading.Thread(target=server.serve_forever, name="kurswerk-serve", daemon=True)
    thread.start()
    echo(f"Kursbuch: http://{HOST}:{server.server_address[1]}/  (beenden mit Strg+C)")
    if not (html / "index.html").is_file():
        echo("Noch kein gebautes Buch: Der Server zeigt es, sobald ein Build gelingt.")
    try:
        if watch:
            watch_loop(project, watcher, echo, stop, interval)
        else:
            while not stop.wait(interval):
                pass
    except KeyboardInterrupt:
        echo("Server beendet.")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
