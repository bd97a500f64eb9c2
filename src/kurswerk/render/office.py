"""One LibreOffice per worker, kept running between conversions (see :mod:`kurswerk.render.office_bridge`).

Starting LibreOffice costs 1.5–4 s (more when two start at once); converting a handout ~0.45 s. A
build converts its handouts in several rounds (settings that keep the last page full, headings kept
with their text), so with a fresh ``soffice --convert-to`` per round the starts took most of the
PDF time. :func:`office_for` hands out a running LibreOffice per profile folder, started on first
use and kept until the process ends; :func:`kurswerk.render.pdf.convert_to_pdf` uses it when the
caller keeps a profile and falls back to one ``soffice --convert-to`` call when no Python with
LibreOffice's ``uno`` module is installed (Debian: ``python3-uno``).

The bridge runs in its own process group: a timeout kills the group (bridge and LibreOffice), and
the next call starts a new one. When the owning process ends in any way, the bridge reads the end
of its input and stops LibreOffice.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import json
import os
import select
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import IO, Any

from kurswerk.errors import BuildError

BRIDGE = Path(__file__).with_name("office_bridge.py")
PYTHONS = ("/usr/lib/libreoffice/program/python", "/usr/bin/python3", "/usr/local/bin/python3")
"""Interpreters tried for the bridge, in order; ``KURSWERK_UNO_PYTHON`` names one first."""
RECYCLE_AFTER = 400
"""Documents one LibreOffice converts before it is started afresh (its memory grows a little with each)."""


@functools.cache
def uno_python() -> str | None:
    """Return a Python that can ``import uno``, or None (then every conversion starts ``soffice`` itself)."""
    candidates = [os.environ.get("KURSWERK_UNO_PYTHON", ""), *PYTHONS]
    for python in [path for path in candidates if path and os.access(path, os.X_OK)]:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            if subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
                return python
    return None


def soffice_binary(soffice: str) -> str | None:
    """Return ``soffice.bin`` beside the ``soffice`` script (the bridge starts it directly), or None."""
    binary = Path(os.path.realpath(soffice)).with_name("soffice.bin")
    return str(binary) if os.access(binary, os.X_OK) else None


class Office:
    """A running bridge to LibreOffice on one profile folder, used by one thread at a time."""

    def __init__(self, python: str, soffice_bin: str, profile: Path, environment: dict[str, str]) -> None:
        self.python, self.soffice_bin, self.profile, self.environment = python, soffice_bin, profile, environment
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.profile_lock: IO[str] | None = None
        self.buffer = b""
        self.converted = 0
        self.ready = False

    def launch(self) -> None:
        """Start LibreOffice if it is not running, without waiting for it: a worker calls this when it has
        written a Word file whose PDF is not kept (:func:`kurswerk.render.pdf.prepare_office`), so the
        start overlaps writing the others."""
        with self.lock:
            self._launch_unless_running()

    def convert(self, sources: list[Path], staging: Path, deadline: float) -> str:
        """Convert each source to ``staging/<stem>.pdf``; returns the errors as text (empty when none).

        Raises:
            TimeoutError: when ``deadline`` (``time.monotonic``) passes; LibreOffice is then stopped.
            BuildError: when the bridge or LibreOffice cannot start.
        """
        errors = []
        with self.lock:
            try:
                for source in sources:
                    if self.converted >= RECYCLE_AFTER:
                        self.close()
                    self._launch_unless_running()
                    if not self.ready:
                        self._await_ready(deadline)
                    target = staging / f"{source.stem}.pdf"
                    self._send({"source": str(source.resolve()), "target": str(target.resolve())})
                    reply = self._receive(deadline)
                    self.converted += 1
                    if "error" in reply:
                        errors.append(f"{source.name}: {reply['error']}")
            except BaseException:
                self.close()
                raise
        return "\n".join(errors)

    def _launch_unless_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._launch()

    def _launch(self) -> None:
        self.close()
        self.profile.mkdir(parents=True, exist_ok=True)
        self.profile_lock = open(self.profile / ".kurswerk-lock", "w")  # noqa: SIM115 - held while LibreOffice runs
        fcntl.flock(self.profile_lock, fcntl.LOCK_EX)
        log = open(self.profile / "bridge.log", "wb")  # noqa: SIM115 - handed to the child
        try:
            self.process = subprocess.Popen(
                [self.python, str(BRIDGE), self.soffice_bin, self.profile.resolve().as_uri()],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=self.environment,
                start_new_session=True)
        finally:
            log.close()
        self.buffer, self.converted, self.ready = b"", 0, False

    def _await_ready(self, deadline: float) -> None:
        reply = self._receive(deadline)
        if not reply.get("ready"):
            message = reply.get("fatal") or self._log_tail()
            self.close()
            raise BuildError(f"LibreOffice startet nicht ({self.profile}): {message}")
        self.ready = True

    def _send(self, request: dict[str, str]) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(request).encode() + b"\n")
        self.process.stdin.flush()

    def _receive(self, deadline: float) -> dict[str, Any]:
        """Read one reply line; TimeoutError after ``deadline``, BuildError when the bridge ends."""
        assert self.process is not None and self.process.stdout is not None
        stream = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([stream], [], [], left)
            if ready:
                chunk = os.read(stream, 65536)
                if not chunk:
                    raise BuildError(f"LibreOffice ist unerwartet beendet worden: {self._log_tail()}")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            lines = (self.profile / "bridge.log").read_text(errors="replace").splitlines()
            return " | ".join(line.strip() for line in lines[-5:] if line.strip()) or "keine Meldung"
        return "keine Meldung"

    def close(self) -> None:
        """Stop the bridge and LibreOffice (the whole process group) and free the profile."""
        process, self.process, self.ready = self.process, None, False
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            process.wait()
        if self.profile_lock is not None:
            self.profile_lock.close()
            self.profile_lock = None


_OFFICES: dict[Path, Office] = {}
_GUARD = threading.Lock()


def office_for(soffice: str, profile: Path, environment: dict[str, str]) -> Office | None:
    """Return this process's running LibreOffice for ``profile`` (created on first use), or None
    when no Python with ``uno`` or no ``soffice.bin`` is installed."""
    python, binary = uno_python(), soffice_binary(soffice)
    if python is None or binary is None:
        return None
    key = profile.resolve()
    with _GUARD:
        office = _OFFICES.get(key)
        if office is None:
            office = _OFFICES[key] = Office(python, binary, key, environment)
        return office


def close_offices() -> None:
    """Stop every LibreOffice this process keeps (also run at interpreter exit)."""
    with _GUARD:
        offices = list(_OFFICES.values())
        _OFFICES.clear()
    for office in offices:
        office.close()


atexit.register(close_offices)

