"""DOCX → tagged PDF with LibreOffice headless, and what the book and the tests read off a PDF.

:func:`convert_to_pdf` starts **one** ``soffice`` process for a whole batch: LibreOffice's start
dominates the cost of a small handout. Measured on the development machine (LibreOffice 7.4.7,
2 cores, other builds running, load 2–3; wall time of one call, median of 3–4 runs; handouts of the
shipped curricula, 6–17 pages, 229 pages for the 20):

=====================  =======================  ===========================
one call converts      fresh profile (default)  persistent profile (reused)
=====================  =======================  ===========================
1 one-paragraph DOCX   2.0 s                    1.5 s
1 handout (10 pages)   2.2 s                    1.8 s (2.6 s under load)
20 handouts            10.1–12.8 s              10.8–13.5 s
20 handouts, 20 calls  71 s                     –
=====================  =======================  ===========================

So a batch costs ~0.45 s a handout against ~3.5 s a handout in separate calls. A persistent
profile saves ~0.5 s of LibreOffice's first start per call, which only shows on small batches.
Every call gets its own LibreOffice user installation (profile): two ``soffice`` processes on one
profile hand their work to each other and lose files, so a persistent profile is locked per call.

:func:`pdf_info` and :func:`page_fill` read a PDF with poppler-utils (``pdfinfo``,
``pdftotext -bbox-layout``); :func:`german_size` formats a file size for a download link.
"""

from __future__ import annotations

import contextlib
import fcntl
import html
import json
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kurswerk.errors import BuildError
from kurswerk.render import pdf_cache
from kurswerk.render.office import Office, office_for

SOFFICE = "soffice"
INSTALL_HINT = "installieren Sie LibreOffice (Debian: apt-get install libreoffice-writer-nogui)"
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
}
"""PDF export filter options (JSON form, LibreOffice ≥ 7.4): tagged PDF, PDF/UA checks on."""
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))
RUNNING_BAND = 0.08
"""Top and bottom share of a page that holds the running header and footer, not content.

On the shipped handouts (A4, ``templates/handout.docx``) header lines sit at 4.0–5.3 % of the page
height, body text at 9.1–91.4 %, footer lines at 94.6–96.8 %. A line belongs to a band when its
vertical *centre* lies in it (header centres ~4.7 %, first body line ≥ 9.9 %; last body line ≤ 90.6 %,
footer ≥ 95.1 %), which leaves a margin of ~1.5 % of the page on either side of each border.
"""
_DOCX_MAIN_PART = re.compile(rb"wordprocessingml\.(?:document|template)\.main\+xml")


@dataclass(frozen=True)
class PdfInfo:
    """What ``pdfinfo`` says about a PDF: page count, file size and whether it is tagged."""

    pages: int
    size_bytes: int
    tagged: bool


CONVERTING = [0.0]
"""Seconds this process has spent in LibreOffice (the build's timings report the PDF share of handout tasks)."""


def convert_to_pdf(
    docx_files: Sequence[Path], out_dir: Path, *, profile: Path | None = None, timeout: float = 600,
    cache: Path | None = None,
) -> list[Path]:
    """Convert DOCX files to tagged PDFs in ``out_dir`` with one LibreOffice process.

    ``profile`` is a LibreOffice user-installation folder the caller keeps (one per worker, never
    shared by two calls at once; a lock makes a second call on it wait); by default a fresh
    temporary one is used and removed. A PDF is written to ``out_dir`` only once complete, and an
    old PDF of the same name never passes for a new one. PDFs that did convert are kept even when
    others failed. With ``cache`` (a folder, see :mod:`kurswerk.render.pdf_cache`), a DOCX converted
    before with the same content gets its kept PDF, and only the others go to LibreOffice.

    Returns:
        The PDF paths (``out_dir/<stem>.pdf``), in the order of ``docx_files``; ``[]`` for no files.
    Raises:
        BuildError: naming the files, when a file is missing or not a DOCX, two files share a stem,
            ``soffice`` is not installed, it ran longer than ``timeout`` seconds (then it is
            killed with its process group), or it produced no PDF for a file.
    """
    sources = [Path(path) for path in docx_files]
    if not sources:
        return []
    _check_sources(sources)
    soffice = shutil.which(SOFFICE)
    if soffice is None:
        raise BuildError(f"PDF-Umwandlung von {_names(sources)} nicht möglich: „{SOFFICE}“ nicht gefunden; {INSTALL_HINT}")
    out_dir.mkdir(parents=True, exist_ok=True)
    keys: dict[Path, str] = {}
    pending = sources
    if cache is not None:
        identity = pdf_cache.office_identity(soffice, CONVERT_TO)
        keys = {source: pdf_cache.key(source, identity) for source in sources}
        pending = [source for source in sources
                   if not pdf_cache.fetch(cache, keys[source], out_dir / f"{source.stem}.pdf")]
    if not pending:
        return [out_dir / f"{source.stem}.pdf" for source in sources]
    office = _kept_office(soffice, profile)
    with tempfile.TemporaryDirectory(prefix=".soffice-", dir=out_dir) as staging:
        began = time.perf_counter()
        try:
            if office is not None:
                stderr = _run_office(office, pending, Path(staging), timeout)
            else:
                with _user_installation(profile) as installation:
                    stderr = _run_soffice(soffice, installation, pending, Path(staging), timeout)
        finally:
            CONVERTING[0] += time.perf_counter() - began
        converted = _collect(pending, Path(staging), out_dir, stderr)
    if cache is not None:
        for source, pdf in zip(pending, converted, strict=True):
            pdf_cache.store(cache, keys[source], pdf)
    return [out_dir / f"{source.stem}.pdf" for source in sources]


def start_office(profile: Path) -> None:
    """Start the LibreOffice that :func:`convert_to_pdf` keeps for ``profile``, without waiting for it
    (nothing happens without ``soffice`` or ``uno``; a failed start shows at the first conversion)."""
    soffice = shutil.which(SOFFICE)
    office = _kept_office(soffice, profile) if soffice else None
    if office is not None:
        with contextlib.suppress(OSError):
            office.launch()


def prepare_office(docx: Path, profile: Path, cache: Path | None) -> None:
    """Start the LibreOffice kept for ``profile`` (:func:`start_office`) unless ``cache`` holds the PDF of
    ``docx``. A worker calls it for each Word file it writes: LibreOffice starts while the others are
    written, and not at all when every PDF is kept (an edit that leaves a task's handouts as they
    were), so it takes no processor time from the tasks that do convert."""
    soffice = shutil.which(SOFFICE)
    if soffice is None:
        return
    if cache is not None:
        with contextlib.suppress(OSError, zipfile.BadZipFile):
            identity = pdf_cache.office_identity(soffice, CONVERT_TO)
            if pdf_cache.holds(cache, pdf_cache.key(docx, identity)):
                return
    start_office(profile)


def _kept_office(soffice: str, profile: Path | None) -> Office | None:
    """The running LibreOffice kept for ``profile`` (None without a profile, ``uno`` or ``soffice.bin``)."""
    return office_for(soffice, profile, _environment(profile)) if profile is not None else None


def _run_office(office: Office, sources: Sequence[Path], outdir: Path, timeout: float) -> str:
    """Convert the sources with the worker's running LibreOffice; same contract as :func:`_run_soffice`."""
    try:
        return office.convert(list(sources), outdir, time.monotonic() + timeout)
    except TimeoutError:
        raise BuildError(_timeout_message(timeout, sources)) from None


def _timeout_message(timeout: float, sources: Sequence[Path]) -> str:
    seconds = f"{timeout:g}".replace(".", ",")
    return f"LibreOffice brauchte länger als {seconds} s und wurde beendet; nicht umgewandelt: {_names(sources)}"


def _check_sources(sources: Sequence[Path]) -> None:
    """Raises BuildError for missing files, files that are not DOCX, and stems that repeat."""
    not_docx = [path for path in sources if not _is_docx(path)]
    if not_docx:
        raise BuildError(f"PDF-Umwandlung nicht möglich, Datei fehlt oder ist keine DOCX-Datei: {_names(not_docx)}")
    stems = Counter(path.stem for path in sources)
    repeated = [path for path in sources if stems[path.stem] > 1]
    if repeated:
        raise BuildError(f"PDF-Umwandlung in einen Ordner nicht möglich, PDF-Namen kämen doppelt vor: {_names(repeated)}")


def _is_docx(path: Path) -> bool:
    """Return whether ``path`` is a Word package (LibreOffice would convert any text file as plain text)."""
    try:
        with zipfile.ZipFile(path) as package:
            return bool(_DOCX_MAIN_PART.search(package.read("[Content_Types].xml")))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


@contextlib.contextmanager
def _user_installation(profile: Path | None) -> Iterator[Path]:
    """Yield a profile folder for one soffice run: the caller's one, locked, or a fresh temporary one."""
    if profile is None:
        with tempfile.TemporaryDirectory(prefix="kurswerk-soffice-") as fresh:
            yield Path(fresh)
        return
    profile.mkdir(parents=True, exist_ok=True)
    with open(profile / ".kurswerk-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield profile


def _run_soffice(soffice: str, installation: Path, sources: Sequence[Path], outdir: Path, timeout: float) -> str:
    """Run one ``soffice --convert-to`` over all sources into ``outdir``.

    Returns:
        soffice's standard error (it reports files it could not load there, still exiting with 0).
    Raises:
        BuildError: on timeout (the whole process group is killed) or a non-zero exit status.
    """
    command = [
        soffice, f"-env:UserInstallation={installation.resolve().as_uri()}", "--headless", "--norestore",
        "--nologo", "--nodefault", "--convert-to", CONVERT_TO, "--outdir", str(outdir),
        *(str(path) for path in sources),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=_environment(installation), start_new_session=True,
    )  # fmt: skip
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise BuildError(_timeout_message(timeout, sources)) from None
    except BaseException:
        _kill_group(process)
        raise
    message = stderr.decode(errors="replace")
    if process.returncode != 0:
        raise BuildError(f"LibreOffice ist bei {_names(sources)} gescheitert (Rückgabewert {process.returncode}): "
                         f"{_tail(message)}")
    return message


def _environment(installation: Path) -> dict[str, str]:
    """Return soffice's environment: a writable HOME (root, services), UTF-8 file names, no display."""
    environment = dict(os.environ)
    home = environment.get("HOME", "")
    if not home or not os.access(home, os.W_OK):
        environment["HOME"] = str(installation)
    if "UTF-8" not in environment.get("LC_ALL", environment.get("LANG", "")).upper().replace("UTF8", "UTF-8"):
        environment["LC_ALL"] = "C.UTF-8"
    environment["SAL_USE_VCLPLUGIN"] = "svp"
    return environment


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process and its children (``soffice`` is a script that starts ``soffice.bin``) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _collect(sources: Sequence[Path], staging: Path, out_dir: Path, stderr: str) -> list[Path]:
    """Move the converted PDFs from ``staging`` into ``out_dir``.

    Returns:
        The PDF paths in source order.
    Raises:
        BuildError: naming every source without a PDF (the others are moved first).
    """
    pdfs, failed = [], []
    for source in sources:
        produced = staging / f"{source.stem}.pdf"
        if produced.is_file() and produced.stat().st_size > 0:
            pdfs.append(Path(shutil.move(produced, out_dir / produced.name)))
        else:
            failed.append(source)
    if failed:
        raise BuildError(f"LibreOffice hat kein PDF erzeugt für {_names(failed)}: {_tail(stderr) or 'keine Meldung'}")
    return pdfs


def _names(paths: Sequence[Path]) -> str:
    """Return the paths as one comma-separated string."""
    return ", ".join(str(path) for path in paths)


def _tail(text: str, lines: int = 5) -> str:
    """Return the last few non-empty lines of a tool's output, joined by ' | ' (javaldx noise left out)."""
    kept = [line.strip() for line in text.splitlines() if line.strip() and "javaldx" not in line]
    return " | ".join(kept[-lines:])


def _poppler(command: Sequence[str], pdf: Path) -> str:
    """Run a poppler-utils tool (``command[0]``) on ``pdf``.

    Returns:
        Its standard output.
    Raises:
        BuildError: naming the PDF, when the tool is missing, fails or takes over two minutes.
    """
    tool = command[0]
    if shutil.which(tool) is None:
        raise BuildError(f"{pdf} lässt sich nicht lesen: „{tool}“ nicht gefunden; installieren Sie poppler-utils")
    try:
        result = subprocess.run([*command], capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"{tool} brauchte für {pdf} länger als 120 s") from None
    if result.returncode != 0:
        raise BuildError(f"{tool} kann {pdf} nicht lesen: {_tail(result.stderr.decode(errors='replace'))}")
    return result.stdout.decode(errors="replace")


def pdf_info(pdf: Path) -> PdfInfo:
    """Read page count, file size and tagging of a PDF with ``pdfinfo``.

    Returns:
        The :class:`PdfInfo`.
    Raises:
        BuildError: naming the PDF, when ``pdfinfo`` is missing or cannot read it.
    """
    fields = {}
    for line in _poppler(["pdfinfo", str(pdf)], pdf).splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    if not fields.get("Pages", "").isdigit():
        raise BuildError(f"pdfinfo nennt keine Seitenzahl für {pdf}")
    return PdfInfo(pages=int(fields["Pages"]), size_bytes=pdf.stat().st_size, tagged=fields.get("Tagged") == "yes")


def page_fill(pdf: Path) -> list[float]:
    """Measure how far down each page the content reaches, from ``pdftotext -bbox-layout``.

    A page's text area is its height without the top and bottom :data:`RUNNING_BAND`; lines whose
    centre lies in those bands (running header and footer) are left out. Only text counts: an
    image or an empty table cell below the last line of text is not seen.

    Returns:
        Per page, (bottom of the lowest content line − top of the text area) / text area height,
        clamped to [0, 1]; 0.0 for a page without content text.
    Raises:
        BuildError: naming the PDF, when ``pdftotext`` is missing or cannot read it.
    """
    layout = _poppler(["pdftotext", "-bbox-layout", str(pdf), "-"], pdf)
    return [_fill(height, lines) for height, lines in _pages(layout)]


_PAGE_OR_LINE = re.compile(r'<page width="[\d.]+" height="(?P<height>[\d.]+)">'
                           r'|<line xMin="[\d.]+" yMin="(?P<top>[\d.]+)" xMax="[\d.]+" yMax="(?P<bottom>[\d.]+)">'
                           r'(?P<words>.*?)</line>', re.DOTALL)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.DOTALL)


def last_lines(pdf: Path) -> list[str]:
    """Return the text of each page's lowest line of content (running header and footer left out).

    Raises:
        BuildError: naming the PDF, when ``pdftotext`` is missing or cannot read it.
    """
    layout = _poppler(["pdftotext", "-bbox-layout", str(pdf), "-"], pdf)
    pages: list[tuple[float, list[tuple[float, str]]]] = []
    for match in _PAGE_OR_LINE.finditer(layout):
        if match["height"] is not None:
            pages.append((float(match["height"]), []))
        elif pages:
            text = " ".join(html.unescape(word) for word in _WORD.findall(match["words"]))
            pages[-1][1].append(((float(match["top"]) + float(match["bottom"])) / 2, text))
    result = []
    for height, lines in pages:
        body = [(centre, text) for centre, text in lines
                if RUNNING_BAND * height < centre < (1 - RUNNING_BAND) * height and text.strip()]
        result.append(max(body)[1] if body else "")
    return result


def _pages(layout: str) -> list[tuple[float, list[tuple[float, float]]]]:
    """Return each page's height and its text lines' (top, bottom) from ``pdftotext -bbox-layout`` output.

    Regular expressions rather than an XML parser: they cannot trip over characters in the text.
    """
    pages: list[tuple[float, list[tuple[float, float]]]] = []
    for match in _PAGE_OR_LINE.finditer(layout):
        if match["height"] is not None:
            pages.append((float(match["height"]), []))
        elif pages:
            pages[-1][1].append((float(match["top"]), float(match["bottom"])))
    return pages


def _fill(height: float, lines: Sequence[tuple[float, float]]) -> float:
    """Return the share of a page's text area that its content lines reach down to (see :func:`page_fill`)."""
    area_top, area_bottom = height * RUNNING_BAND, height * (1 - RUNNING_BAND)
    content = [bottom for top, bottom in lines if area_top < (top + bottom) / 2 < area_bottom]
    if not content:
        return 0.0
    return max(0.0, min(1.0, (max(content) - area_top) / (area_bottom - area_top)))


def german_size(size_bytes: int) -> str:
    """Format a file size the way German download links show it (binary units, as Windows shows them).

    Returns:
        Whole kilobytes rounded up below 1 MB (``"48 KB"``, ``"1 KB"`` for 1 byte), else one
        decimal with a comma (``"1,2 MB"``, ``"2,0 GB"``).
    Raises:
        ValueError: for a negative size.
    """
    if size_bytes < 0:
        raise ValueError(f"eine Dateigröße kann nicht negativ sein: {size_bytes}")
    kilobytes = math.ceil(size_bytes / 1024)
    if kilobytes < 1024:
        return f"{kilobytes} KB"
    size, unit = size_bytes / 1024**2, "MB"
    for larger in ("GB", "TB"):
        if round(size, 1) < 1024:
            break
        size, unit = size / 1024, larger
    return f"{size:.1f} {unit}".replace(".", ",")
