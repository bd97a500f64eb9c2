"""A long-lived LibreOffice for one build worker: DOCX → tagged PDF over UNO, one request a line.

Run by :mod:`kurswerk.render.pdf` with a Python that has LibreOffice's ``uno`` module (Debian:
``python3-uno`` for ``/usr/bin/python3``), not with kurswerk's own interpreter, so this file imports
the standard library and ``uno`` only::

    python3 office_bridge.py SOFFICE_BIN PROFILE_URI

It starts ``soffice.bin`` headless on the given user installation, listening on a private pipe, and
prints ``{"ready": true}`` once connected. Then each line on standard input is a request
``{"source": "/x.docx", "target": "/y.pdf"}``, answered by one line ``{"ok": true}`` or
``{"error": "…"}``. A LibreOffice that crashed on a document is started again for the next one.
When standard input closes (the worker ended, however it ended) LibreOffice is stopped; should this
bridge itself be killed, the kernel stops LibreOffice (parent-death signal).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

RESTART = 81
"""Exit status of a first start on a fresh profile: LibreOffice asks to be started again."""
CONNECT_SECONDS = 60


def _value(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL when this bridge ends (Linux ``PR_SET_PDEATHSIG``)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


class Office:
    def __init__(self, soffice: str, profile_uri: str) -> None:
        self.soffice, self.profile_uri = soffice, profile_uri
        self.pipe = f"kurswerk-{os.getpid()}"
        self.process: subprocess.Popen[bytes] | None = None
        self.desktop = None
        self.filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", (
            _value("UseTaggedPDF", True), _value("PDFUACompliance", True)))

    def start(self) -> None:
        self.stop()
        self.pipe = f"kurswerk-{os.getpid()}-{time.monotonic_ns()}"
        context = uno.getComponentContext()
        resolver = context.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", context)
        deadline = time.monotonic() + CONNECT_SECONDS
        self.process = self._launch()
        while True:
            if self.process.poll() is not None:
                if self.process.returncode != RESTART:
                    raise RuntimeError(f"LibreOffice endete beim Start mit {self.process.returncode}")
                self.process = self._launch()
            try:
                remote = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # NoConnectException until LibreOffice listens
                if time.monotonic() > deadline:
                    raise RuntimeError(f"LibreOffice antwortete nicht binnen {CONNECT_SECONDS} s") from None
                time.sleep(0.05)
        self.desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)

    def _launch(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [self.soffice, f"-env:UserInstallation={self.profile_uri}", "--headless", "--invisible", "--norestore",
             "--nologo", "--nodefault", "--nolockcheck", f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, preexec_fn=_die_with_parent)

    def convert(self, source: str, target: str) -> None:
        if self.desktop is None:
            self.start()
        try:
            self._convert(source, target)
        except Exception as error:
            if self.process is not None and self.process.poll() is None and "Disposed" not in type(error).__name__:
                raise
            self.start()  # LibreOffice went away under this document: the next one gets a fresh one
            raise

    def _convert(self, source: str, target: str) -> None:
        document = self.desktop.loadComponentFromURL(  # type: ignore[attr-defined]
            uno.systemPathToFileUrl(source), "_blank", 0, (_value("Hidden", True), _value("ReadOnly", True)))
        if document is None:
            raise RuntimeError("LibreOffice konnte die Datei nicht laden")
        try:
            uno.invoke(document, "storeToURL", (uno.systemPathToFileUrl(target), (
                _value("FilterName", "writer_pdf_Export"), _value("FilterData", self.filter_data))))
        finally:
            document.close(True)

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(Exception):
            if self.desktop is not None:
                self.desktop.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process, self.desktop = None, None


def main() -> int:
    soffice, profile_uri = sys.argv[1:3]
    office = Office(soffice, profile_uri)
    try:
        office.start()
    except Exception as error:
        print(json.dumps({"fatal": str(error)}), flush=True)
        return 1
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                office.convert(request["source"], request["target"])
                reply: dict[str, object] = {"ok": True}
            except Exception as error:
                reply = {"error": f"{type(error).__name__}: {getattr(error, 'Message', '') or error}"}
            print(json.dumps(reply), flush=True)
    finally:
        office.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
