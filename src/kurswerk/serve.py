"""``kurswerk serve``: both editions of the course book on 127.0.0.1, rebuilt when a source file changes.

This module owns the preview loop: a :class:`Watcher` that polls modification times (no extra
dependency, works on every file system), a quiet local HTTP server in a background thread, and
:func:`rebuild`, which runs the incremental build of both editions and reports what it redid; the
served pages poll the build counter and reload by themselves.
A failed build is reported and the server keeps serving the last good output, because the build
publishes atomically.
"""

from __future__ import annotations

import contextlib
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


TRAINER_PREFIX = "/lehrkraefte/"
"""The trainer edition is served under this path, the public edition at the root."""

VERSION_PATH = "/__kurswerk/version"
"""Answers the number of the last good build; the served pages poll it and reload when it grows."""

RELOAD_SCRIPT = """<script>/* kurswerk serve: reload after a rebuild */
(function () {
  var seen = null;
  function poll() {
    fetch("VERSION_PATH", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen === null) { seen = v; } else if (v !== seen) { location.reload(); return; }
      setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
</script>""".replace("VERSION_PATH", VERSION_PATH)


class Builds:
    """The number of good builds so far (the served pages reload when it changes)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def advance(self) -> None:
        with self.lock:
            self.count += 1


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves both editions to this machine only: no listings, no hidden files, a checked Host header.

    HTML pages get :data:`RELOAD_SCRIPT`, so the browser reloads by itself after a rebuild.
    """

    public: Path
    trainer: Path
    builds: Builds
    port: int

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def handle(self) -> None:
        # The browser may go away mid-answer: nothing to tell anyone.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            super().handle()

    def _host_ok(self) -> bool:
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"{name}:{self.port}" for name in ("127.0.0.1", "localhost")} | {"127.0.0.1", "localhost"}

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        if not self._host_ok():
            self.send_error(400, "Unbekannter Host")
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == VERSION_PATH:
            self._send(str(self.builds.count).encode(), "text/plain; charset=utf-8", head)
            return
        target = self._file(path)
        if target is None:
            self.send_error(404, "Nicht gefunden")
            return
        if target.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            target = target / "index.html"
            if not target.is_file():
                self.send_error(404, "Nicht gefunden")
                return
        try:
            data = target.read_bytes()
        except OSError:
            self.send_error(404, "Nicht gefunden")
            return
        kind = self.guess_type(str(target))
        if target.suffix == ".html":
            data = data.replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
            kind = "text/html; charset=utf-8"
        self._send(data, kind, head)

    def _file(self, url_path: str) -> Path | None:
        """Return the file or folder a URL path names inside one edition, or None (outside, hidden, bad)."""
        from urllib.parse import unquote

        try:
            text = unquote(url_path, errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in text or "\\" in text:
            return None
        base = self.public
        if text.startswith(TRAINER_PREFIX) or text == TRAINER_PREFIX.rstrip("/"):
            base, text = self.trainer, text[len(TRAINER_PREFIX) - 1:]
        parts = [part for part in text.split("/") if part]
        if any(part.startswith(".") for part in parts):
            return None
        candidate = base.joinpath(*parts)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(base.resolve()) or not resolved.exists():
            return None
        return resolved

    def _send(self, data: bytes, kind: str, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)


def make_server(project: Project, port: int, builds: Builds | None = None) -> ThreadingHTTPServer:
    """Return an HTTP server for both editions on 127.0.0.1; raises :class:`InputError` if the port is taken."""
    handler: type[PreviewHandler] = type("Handler", (PreviewHandler,), {
        "public": project.html_dir("public"), "trainer": project.html_dir("trainer"),
        "builds": builds or Builds(), "port": port})
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise InputError(Location("--port"), f"kann nicht auf {HOST}:{port} bereitstellen: {error.strerror}; "
                         "wählen Sie mit --port einen anderen Port", code="E-PORT") from None
    handler.port = server.server_address[1]
    server.daemon_threads = True
    return server


def rebuild(project: Project, echo: Echo, drafts: bool = True, builds: Builds | None = None,
            pdf: bool = True) -> bool:
    """Run the incremental build of both editions and print what it rebuilt.

    Returns False (and prints why) if it failed; after a good build, ``builds`` advances so the open
    pages reload.
    """
    from kurswerk.build import build

    rebuilt: list[str] = []

    def progress(event: str, target: Target | None, result: Any) -> None:
        if event == "done" and target is not None:
            rebuilt.append(f"{target.sector}/{target.item}")

    started = time.perf_counter()
    try:
        report = build(project, ["public", "trainer"], progress=progress, drafts=drafts, pdf=pdf)
    except KurswerkError as error:
        echo(f"Build fehlgeschlagen; der Server zeigt weiter den letzten guten Stand.\n{error}")
        return False
    except Exception:
        # A long-running preview must survive a crash of one build: show the traceback, keep serving.
        echo(f"Interner Fehler beim Bauen; der Server zeigt weiter den letzten guten Stand.\n{traceback.format_exc()}")
        return False
    items = _listing(sorted(set(rebuilt))) if rebuilt else "nichts (alles aktuell)"
    sphinx = " und Buchseiten (Sphinx)" if report.sphinx_runs else ""
    echo(f"Neu gebaut in {time.perf_counter() - started:.1f} s: {items}{sphinx}.")
    if builds is not None:
        builds.advance()
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


def watch_loop(project: Project, watcher: Watcher, echo: Echo, stop: threading.Event, interval: float = 1.0,
               drafts: bool = True, builds: Builds | None = None, pdf: bool = True) -> None:
    """Poll every ``interval`` seconds and rebuild after each change, until ``stop`` is set."""
    while not stop.wait(interval):
        changed = watcher.poll()
        if not changed:
            continue
        changed = settle(watcher, changed)
        echo(f"Geändert: {_listing([_shown(path, project.root) for path in changed])}")
        rebuild(project, echo, drafts, builds, pdf)


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
          stop: threading.Event | None = None, interval: float = 1.0, drafts: bool = True,
          pdf: bool = True) -> None:
    """Serve both editions on 127.0.0.1 until Ctrl-C or ``stop``; with ``watch``, build first and on changes.

    The public edition is at ``/``, the trainer edition at ``/lehrkraefte/``; open pages reload by
    themselves after each good rebuild. Raises :class:`InputError` if the port is taken, or without ``watch`` if there is no
    built book.
    """
    html = project.html_dir("public")
    stop = stop or threading.Event()
    builds = Builds()
    if watch:
        watcher = Watcher(watched_folders(project))
        rebuild(project, echo, drafts, builds, pdf)
    elif not (html / "index.html").is_file():
        raise InputError(Location(str(html)), "enthält kein gebautes Buch; bauen Sie es zuerst mit kurswerk build",
                         code="E-READ")
    server = make_server(project, port, builds)
    thread = threading.Thread(target=server.serve_forever, name="kurswerk-serve", daemon=True)
    thread.start()
    address = f"http://{HOST}:{server.server_address[1]}"
    echo(f"Kursbuch: {address}/  ·  Ausgabe für Lehrkräfte: {address}{TRAINER_PREFIX}  (beenden mit Strg+C)")
    if not (html / "index.html").is_file():
        echo("Noch kein gebautes Buch: Der Server zeigt es, sobald ein Build gelingt.")
    try:
        if watch:
            watch_loop(project, watcher, echo, stop, interval, drafts, builds, pdf)
        else:
            while not stop.wait(interval):
                pass
    except KeyboardInterrupt:
        echo("Server beendet.")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
