"""DOCX → tagged PDF with a real LibreOffice, and the readings taken off the PDFs (no mocks).

Tests that start ``soffice`` are marked slow. Without LibreOffice or poppler-utils they skip on a
developer's machine but fail in CI (``CI`` set), where a missing tool must not pass as green.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docx
import pytest
from docx.document import Document

from kurswerk.errors import BuildError
from kurswerk.render.office import close_offices, uno_python
from kurswerk.render.pdf import convert_to_pdf, german_size, page_fill, pdf_info

TOOLS = ("soffice", "pdfinfo", "pdftotext")
ARABIC = "مرحبا بكم في العمل"
FILLER = "Die Pflegefachkraft übergibt die Werte an die Frühschicht und dokumentiert alles im Protokoll. " * 3
_BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def require_tools() -> None:
    """Skip without LibreOffice and poppler-utils, except in CI, where that is a failure."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"needs LibreOffice and poppler-utils; missing: {', '.join(missing)}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def write_docx(path: Path, fill: Callable[[Document], None]) -> Path:
    """Write a DOCX with a running header and footer (as the handouts have) and ``fill``'s content."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Deutsch am Arbeitsplatz · Pflege"
    section.footer.paragraphs[0].text = "Lizenz: CC BY-SA 4.0 · Seite 1"
    fill(document)
    document.save(str(path))
    return path


def one_paragraph(document: Document) -> None:
    document.add_heading("Kurzinfo", level=1)
    document.add_paragraph("Ein einziger Absatz.")


def many_paragraphs(document: Document) -> None:
    document.add_heading("Dienstübergabe", level=1)
    for number in range(60):
        document.add_paragraph(f"{number + 1}. {FILLER}")


def arabic_and_german(document: Document) -> None:
    document.add_heading("Begrüßung – التحية", level=1)
    document.add_paragraph("Willkommen im Team!")
    document.add_paragraph(ARABIC)


def broken_docx(path: Path, valid: Path) -> Path:
    """Write a DOCX package whose main document is cut in half (passes as DOCX, LibreOffice cannot load it)."""
    with zipfile.ZipFile(valid) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return path


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three small handouts: one paragraph, pages full of paragraphs, Arabic beside German."""
    folder = tmp_path_factory.mktemp("docx")
    return {
        "short": write_docx(folder / "kurz.docx", one_paragraph),
        "long": write_docx(folder / "lang.docx", many_paragraphs),
        "arabic": write_docx(folder / "begrüßung-arabisch.docx", arabic_and_german),
    }


@pytest.fixture(scope="module")
def converted(sources: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three handouts converted in one LibreOffice call (fresh temporary profile)."""
    require_tools()
    pdfs = convert_to_pdf(list(sources.values()), tmp_path_factory.mktemp("pdf"))
    return dict(zip(sources, pdfs, strict=True))


@pytest.mark.slow
def test_one_call_converts_every_file_in_input_order(sources: dict[str, Path], converted: dict[str, Path]) -> None:
    for key, pdf in converted.items():
        assert pdf.name == sources[key].with_suffix(".pdf").name
        assert pdf.is_file() and pdf.stat().st_size > 1000
    assert not [path for path in next(iter(converted.values())).parent.iterdir() if path.suffix != ".pdf"]


@pytest.mark.slow
def test_pdfs_are_tagged_and_have_pages(converted: dict[str, Path]) -> None:
    for key, pdf in converted.items():
        info = pdf_info(pdf)
        assert info.pages >= 1, key
        assert info.tagged, f"{key}: not a tagged PDF"
        assert info.size_bytes == pdf.stat().st_size
    assert pdf_info(converted["long"]).pages >= 3


@pytest.mark.slow
def test_arabic_text_survives_conversion(converted: dict[str, Path]) -> None:
    text = subprocess.run(["pdftotext", str(converted["arabic"]), "-"], capture_output=True, text=True, check=True).stdout
    assert ARABIC in _BIDI_MARKS.sub("", text), text


@pytest.mark.slow
def test_page_fill_sees_short_and_full_pages(converted: dict[str, Path]) -> None:
    for key, pdf in converted.items():
        fills = page_fill(pdf)
        assert len(fills) == pdf_info(pdf).pages, key
        assert all(0 < fill <= 1 for fill in fills), (key, fills)
    assert page_fill(converted["short"])[-1] < 0.25, "the footer must not count as content"
    long_fills = page_fill(converted["long"])
    assert long_fills[0] > 0.8 and long_fills[1] > 0.8, long_fills


def test_no_files_start_no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert convert_to_pdf([], tmp_path / "pdf") == []


def test_a_file_that_is_not_a_docx_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "notiz.docx"
    fake.write_text("Das ist nur Text.", encoding="utf-8")
    with pytest.raises(BuildError, match=r"keine DOCX-Datei: .*notiz\.docx"):
        convert_to_pdf([fake], tmp_path / "pdf")
    with pytest.raises(BuildError, match=r"fehlt\.docx"):
        convert_to_pdf([tmp_path / "fehlt.docx"], tmp_path / "pdf")


def test_repeated_names_are_refused(sources: dict[str, Path], tmp_path: Path) -> None:
    twin = tmp_path / sources["short"].name
    shutil.copyfile(sources["short"], twin)
    with pytest.raises(BuildError, match="doppelt"):
        convert_to_pdf([sources["short"], twin], tmp_path / "pdf")


def test_missing_libreoffice_says_what_to_install(
    sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BuildError, match=r"kurz\.docx.*libreoffice-writer-nogui"):
        convert_to_pdf([sources["short"]], tmp_path / "pdf")


@pytest.mark.slow
@pytest.mark.parametrize("kept", [False, True], ids=["one soffice call", "running LibreOffice"])
def test_a_docx_libreoffice_cannot_load_is_named_and_the_others_kept(sources: dict[str, Path], tmp_path: Path,
                                                                     kept: bool) -> None:
    require_tools()
    broken = broken_docx(tmp_path / "kaputt.docx", sources["short"])
    out = tmp_path / "pdf"
    out.mkdir()
    (out / "kaputt.pdf").write_bytes(b"%PDF-1.6 from an earlier run")
    profile = tmp_path / "profile" if kept else None
    with pytest.raises(BuildError, match=r"kein PDF erzeugt für .*kaputt\.docx") as raised:
        convert_to_pdf([broken, sources["short"]], out, profile=profile)
    assert "kurz.docx" not in str(raised.value)
    assert sorted(path.name for path in out.iterdir()) == ["kaputt.pdf", "kurz.pdf"]
    assert (out / "kaputt.pdf").read_bytes().endswith(b"earlier run")
    if kept:
        assert convert_to_pdf([sources["long"]], out, profile=profile)[0].is_file(), "LibreOffice still converts"
        close_offices()


def _office_pids(profile: Path) -> set[int]:
    """Process ids of the LibreOffice (``soffice.bin``) running on ``profile``."""
    found = set()
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            arguments = cmdline.read_bytes().decode(errors="replace").split("\0")
            if arguments[0].endswith("soffice.bin") and any(profile.as_uri() in argument for argument in arguments):
                found.add(int(cmdline.parent.name))
    return found


def _wait_until(condition: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
def test_a_kept_profile_converts_every_call_with_one_running_libreoffice(sources: dict[str, Path],
                                                                         tmp_path: Path) -> None:
    require_tools()
    if uno_python() is None:
        message = "python3-uno is missing: every call starts LibreOffice anew (tools/system-packages installs it)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    profile = tmp_path / "profile"
    first = convert_to_pdf([sources["short"], sources["arabic"]], tmp_path / "a", profile=profile)
    running = _office_pids(profile)
    assert len(running) == 1, "one LibreOffice stays running between calls"
    second = convert_to_pdf([sources["long"]], tmp_path / "b", profile=profile)
    assert _office_pids(profile) == running, "the second call used the running LibreOffice"
    assert [pdf_info(pdf).tagged for pdf in [*first, *second]] == [True, True, True]
    assert pdf_info(second[0]).pages > 1
    assert ARABIC in _BIDI_MARKS.sub("", subprocess.run(["pdftotext", str(first[1]), "-"], capture_output=True,
                                                         text=True, check=True).stdout)
    close_offices()
    assert _wait_until(lambda: not _office_pids(profile)), "close_offices stops LibreOffice"


@pytest.mark.slow
@pytest.mark.parametrize("ending", ["exits", "is killed"])
def test_libreoffice_ends_with_the_process_that_kept_it(sources: dict[str, Path], tmp_path: Path,
                                                        ending: str) -> None:
    require_tools()
    profile = tmp_path / "profile"
    script = (f"import os, signal, sys, pathlib; from kurswerk.render.pdf import convert_to_pdf; "
              f"convert_to_pdf([pathlib.Path({str(sources['short'])!r})], pathlib.Path({str(tmp_path / 'pdf')!r}), "
              f"profile=pathlib.Path({str(profile)!r})); print('converted', flush=True); "
              + ("os.kill(os.getpid(), signal.SIGKILL)" if ending == "is killed" else "sys.exit(0)"))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "converted" in result.stdout, result.stderr
    assert (tmp_path / "pdf" / "kurz.pdf").is_file()
    assert _wait_until(lambda: not _office_pids(profile)), f"LibreOffice outlived a worker that {ending}"


@pytest.mark.slow
def test_parallel_calls_with_their_own_profiles(sources: dict[str, Path], tmp_path: Path) -> None:
    require_tools()
    jobs = [([sources["short"], sources["arabic"]], "a"), ([sources["long"]], "b")]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(convert_to_pdf, files, tmp_path / f"pdf-{name}", profile=tmp_path / f"profile-{name}")
            for files, name in jobs
        ]
        results = [future.result() for future in futures]
    for (files, name), pdfs in zip(jobs, results, strict=True):
        assert [pdf.name for pdf in pdfs] == [path.with_suffix(".pdf").name for path in files]
        assert all(pdf_info(pdf).tagged for pdf in pdfs)
        assert (tmp_path / f"profile-{name}" / "user").is_dir(), "the persistent profile is kept"


@pytest.mark.slow
def test_timeout_stops_libreoffice_and_names_the_files(sources: dict[str, Path], tmp_path: Path) -> None:
    require_tools()
    profile = tmp_path / "profile"
    with pytest.raises(BuildError, match=r"länger als 0,2 s.*lang\.docx"):
        convert_to_pdf([sources["long"]], tmp_path / "pdf", profile=profile, timeout=0.2)
    deadline = time.monotonic() + 5
    while _processes_using(profile) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _processes_using(profile), "soffice outlived its timeout"
    assert list((tmp_path / "pdf").iterdir()) == []
    assert convert_to_pdf([sources["short"]], tmp_path / "pdf", profile=profile)[0].is_file(), "profile reusable"


def _processes_using(profile: Path) -> list[str]:
    """Return the command lines of running processes that name ``profile`` (zombies have none)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if profile.as_uri() in text:
            found.append(text)
    return found


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (0, "0 KB"),
        (1, "1 KB"),
        (48 * 1024, "48 KB"),
        (48 * 1024 + 1, "49 KB"),
        (1024**2 - 1, "1,0 MB"),
        (int(1.24 * 1024**2), "1,2 MB"),
        (int(12.96 * 1024**2), "13,0 MB"),
        (3 * 1024**3, "3,0 GB"),
    ],
)
def test_german_size(size: int, expected: str) -> None:
    assert german_size(size) == expected


def _repacked(source: Path, target: Path, year: int) -> Path:
    """The same Word package written again with other dates in the zip (as every build writes it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(zipfile.ZipInfo(item.filename, (year, 1, 2, 3, 4, 6)), old.read(item.filename))
    return target


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
def test_a_docx_with_the_same_content_gets_the_kept_pdf_without_libreoffice(tmp_path: Path) -> None:
    require_tools()
    from kurswerk.render.pdf import CONVERTING

    cache, written = tmp_path / "cache", tmp_path / "docx"
    written.mkdir()
    first = write_docx(written / "blatt.docx", one_paragraph)
    [pdf] = convert_to_pdf([first], tmp_path / "a", cache=cache)
    assert len(list(cache.glob("*.pdf"))) == 1

    spent = CONVERTING[0]
    again = _repacked(first, written / "blatt-neu.docx", 2031)
    again = again.rename(written / "blatt.docx")
    [kept] = convert_to_pdf([again], tmp_path / "b", cache=cache)
    assert CONVERTING[0] == spent, "no LibreOffice for a DOCX whose parts are unchanged"
    assert kept.read_bytes() == pdf.read_bytes()
    assert os.stat(kept).st_ino != os.stat(next(cache.glob("*.pdf"))).st_ino, "a kept PDF is handed out as a copy"

    changed = write_docx(written / "blatt.docx", many_paragraphs)
    [fresh] = convert_to_pdf([changed], tmp_path / "b", cache=cache)
    assert CONVERTING[0] > spent, "a changed DOCX goes to LibreOffice"
    assert "Dienstübergabe" in _text(fresh) and pdf_info(fresh).pages > 1
    assert len(list(cache.glob("*.pdf"))) == 2


def test_the_cache_keeps_the_most_recently_used_pdfs(tmp_path: Path) -> None:
    from kurswerk.render import pdf_cache

    cache = tmp_path / "cache"
    for number in range(5):
        source = tmp_path / f"{number}.pdf"
        source.write_bytes(b"%PDF " + bytes([number]))
        pdf_cache.store(cache, f"k{number}", source)
        os.utime(cache / f"k{number}.pdf", (1_000_000 + number, 1_000_000 + number))
    assert pdf_cache.fetch(cache, "k0", tmp_path / "out.pdf"), "a hit marks k0 as used now"
    assert not pdf_cache.fetch(cache, "k9", tmp_path / "none.pdf") and not (tmp_path / "none.pdf").exists()
    assert pdf_cache.prune(cache, 3) == 2
    assert sorted(path.stem for path in cache.glob("*.pdf")) == ["k0", "k3", "k4"]
    assert not list(cache.glob(".*")), "no temporary file is left"


@pytest.mark.slow
def test_a_libreoffice_started_ahead_does_the_next_conversion(sources: dict[str, Path], tmp_path: Path) -> None:
    require_tools()
    if uno_python() is None:
        pytest.skip("python3-uno is missing: nothing is kept running")
    from kurswerk.render.pdf import start_office

    profile = tmp_path / "profile"  # set up once, as a worker's is (a first start on it restarts itself)
    convert_to_pdf([sources["short"]], tmp_path / "first", profile=profile)
    close_offices()
    assert _wait_until(lambda: not _office_pids(profile))
    began = time.monotonic()
    start_office(profile)
    assert time.monotonic() - began < 1, "starting ahead does not wait for LibreOffice"
    assert _wait_until(lambda: len(_office_pids(profile)) == 1), "LibreOffice starts in the background"
    running = _office_pids(profile)
    start_office(profile)
    [pdf] = convert_to_pdf([sources["short"]], tmp_path / "pdf", profile=profile)
    assert _office_pids(profile) == running, "the conversion used the LibreOffice started ahead, no second one"
    assert "Ein einziger Absatz." in _text(pdf)
    close_offices()
    assert _wait_until(lambda: not _office_pids(profile))


@pytest.mark.slow
def test_libreoffice_starts_ahead_only_for_a_word_file_whose_pdf_is_not_kept(sources: dict[str, Path],
                                                                             tmp_path: Path) -> None:
    """A worker asks for LibreOffice as it writes each Word file; when the cache holds every PDF it never starts."""
    require_tools()
    if uno_python() is None:
        pytest.skip("python3-uno is missing: nothing is kept running")
    from kurswerk.render import office
    from kurswerk.render.pdf import prepare_office

    profile, cache = tmp_path / "profile", tmp_path / "cache"
    convert_to_pdf([sources["short"]], tmp_path / "first", profile=profile, cache=cache)
    close_offices()
    assert _wait_until(lambda: not _office_pids(profile))
    prepare_office(sources["short"], profile, cache)
    assert profile.resolve() not in office._OFFICES, "its PDF is kept: LibreOffice is not started"
    prepare_office(sources["long"], profile, cache)
    assert _wait_until(lambda: len(_office_pids(profile)) == 1), "a Word file without a kept PDF starts it"
    [pdf] = convert_to_pdf([sources["long"]], tmp_path / "second", profile=profile, cache=cache)
    assert pdf.is_file()
    close_offices()
    assert _wait_until(lambda: not _office_pids(profile))


@pytest.mark.slow
def test_a_worker_moving_on_to_notebooks_stops_its_libreoffice(sources: dict[str, Path], tmp_path: Path) -> None:
    """Handout tasks come first; a worker's LibreOffice must not hold its memory while kernels run."""
    require_tools()
    if uno_python() is None:
        pytest.skip("python3-uno is missing: nothing is kept running")
    import nbformat

    from kurswerk.execute import NotebookTask, run_any

    profile = tmp_path / "profile"
    convert_to_pdf([sources["short"]], tmp_path / "pdf", profile=profile)
    assert _wait_until(lambda: len(_office_pids(profile)) == 1), "the conversion keeps its LibreOffice running"
    template = tmp_path / "tiny.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, template)
    result = run_any(NotebookTask("t", "s", "i", str(template), str(tmp_path / "out" / "tiny.ipynb")))
    assert result.ok, result.message
    assert "42" in (tmp_path / "out" / "tiny.ipynb").read_text(encoding="utf-8")
    assert _wait_until(lambda: not _office_pids(profile)), "the notebook task stopped the worker's LibreOffice"
