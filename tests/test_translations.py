"""Vocabulary in the learners' languages: one file per language with a review status, filled into
every word of the sector's languages, checked for coverage, and Arabic that survives Word → PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kurswerk.check import run_checks
from kurswerk.check.translations import coverage, needed_words
from kurswerk.errors import InputError
from kurswerk.labels import LANGUAGES
from kurswerk.load import load_sector

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "check" / "good"
KURSWERK = Path(sys.executable).with_name("kurswerk")


@pytest.fixture
def lager(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "curricula")
    shutil.copytree(ROOT / "curricula" / "data", tmp_path / "curricula" / "data")
    return tmp_path / "curricula" / "lager"


def test_every_word_of_the_shown_languages_is_translated_with_its_review_status(lager: Path) -> None:
    curriculum = load_sector(lager)
    assert curriculum.sector.languages == ["en", "ar", "uk"]
    words = [lemma for lemma, _, _ in needed_words(curriculum)]
    module_words = [item for module in curriculum.modules for item in module.vocabulary if item.pos in ("noun", "verb")]
    assert module_words and all(set(item.translations) == {"en", "ar", "uk"} for item in module_words)
    assert all(set(term.translations) == {"en", "ar", "uk"} for term in curriculum.glossary.terms)
    assert curriculum.unreviewed() == ["ar", "uk"]
    assert [(item.language, item.translated, item.needed) for item in coverage(curriculum)] == [
        (code, len(words), len(words)) for code in ("en", "ar", "uk")]


def test_a_language_not_shown_is_not_filled_in(lager: Path) -> None:
    sector = lager / "sector.yml"
    sector.write_text(sector.read_text(encoding="utf-8").replace("languages: [en, ar, uk]", "languages: [en]"),
                      encoding="utf-8")
    curriculum = load_sector(lager)
    assert {code for module in curriculum.modules for item in module.vocabulary for code in item.translations} == {"en"}


def test_inline_translations_are_refused_with_the_way_to_the_files(lager: Path) -> None:
    module = next((lager / "modules").glob("*.yml"))
    text = module.read_text(encoding="utf-8")
    marker = "    pos: noun\n"
    module.write_text(text.replace(marker, marker + "    translations: {en: x}\n", 1), encoding="utf-8")
    with pytest.raises(InputError, match="uebersetzungen/"):
        load_sector(lager)


def test_check_warns_of_missing_and_unused_translations(lager: Path) -> None:
    arabic = lager / "uebersetzungen" / "ar.yml"
    lines = arabic.read_text(encoding="utf-8").splitlines()
    dropped = next(line for line in lines if line.startswith('  "Palette"'))
    arabic.write_text("\n".join(line for line in lines if line != dropped) + '\n  "Gibtsnicht": "كلمة"\n',
                      encoding="utf-8")
    findings = run_checks(lager.parent)
    missing = [finding for finding in findings if finding.code == "W-TRANSLATION-MISSING"]
    unused = [finding for finding in findings if finding.code == "W-TRANSLATION-UNUSED"]
    assert len(missing) == 1 and "Palette" in missing[0].message and "ar" in missing[0].message
    assert missing[0].file.endswith(".yml") and missing[0].line
    assert len(unused) == 1 and unused[0].file.endswith("uebersetzungen/ar.yml") and unused[0].line
    assert all(finding.severity == "warning" for finding in missing + unused)
    (lager / "uebersetzungen" / "uk.yml").unlink()
    findings = run_checks(lager.parent)
    assert any(finding.code == "W-TRANSLATION-MISSING" and finding.file.endswith("sector.yml")
               and "uebersetzungen/uk.yml" in finding.message for finding in findings)


def test_check_shows_coverage_per_language(lager: Path) -> None:
    result = subprocess.run([str(KURSWERK), "check", "--curricula", str(lager.parent), "--translations"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "lager: Arabisch (العربية) 59/59 (100 %, ungeprüft)" in result.stdout
    assert "lager: Englisch (English) 59/59 (100 %, geprüft)" in result.stdout


def test_shipped_sectors_show_all_eight_languages_fully_translated() -> None:
    for folder in sorted((ROOT / "curricula").glob("*/sector.yml")):
        curriculum = load_sector(folder.parent)
        assert curriculum.sector.languages == list(LANGUAGES), folder
        for item in coverage(curriculum):
            assert item.translated == item.needed, str(item)


@pytest.mark.slow
def test_arabic_comes_back_from_the_glossary_pdf_in_logical_order(lager: Path, tmp_path: Path) -> None:
    """The glossary handout through LibreOffice: Arabic text extracted in reading order, every glyph in a font."""
    from kurswerk.packets import plan_parts
    from kurswerk.render.handouts import write_handouts

    curriculum = load_sector(lager)
    parts = [part for part in plan_parts(curriculum, "public") if part.kind == "glossary"]
    (tmp_path / "out").mkdir()
    written = write_handouts(curriculum, parts, tmp_path / "out", ROOT / "templates" / "handout.docx")
    pdf = next(path for path in written if path.suffix == ".pdf")
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The PDF marks each right-to-left run with embedding controls; the words between them must read
    # in logical order (first word first), also where a phrase wraps onto the next line.
    text = " ".join(re.sub("[\u202a-\u202e]", " ", raw).split())
    for phrase in ("إشعار التسليم", "رافعة شوكية", "منصة نقالة"):
        assert phrase in text, phrase
    assert "ar: وزن" in text and "uk: вага" in text
    assert "Ungeprüfte Übersetzung: Arabisch" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    missing = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "\ufffd" not in missing  # no replacement character: no glyph without a font


# --- in the book: every translation carries its language and direction -------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_book_marks_language_and_direction_of_every_translation(built_fixture: tuple[Any, Any]) -> None:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    project, _ = built_fixture
    curriculum = load_sector(project.curricula / "lager")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(project.html_dir("public"))))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/lager/"
    try:
        with playwright_sync.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            try:
                page = browser.new_page()
                for name, expected in (("glossar.html", len(needed_words(curriculum)) * 3),
                                       (f"{curriculum.modules[0].id}.html", None)):
                    page.goto(base + name)
                    spans = page.eval_on_selector_all("span.uebersetzung", """spans => spans.map(s => ({
                        lang: s.lang, dir: s.dir, shown: getComputedStyle(s).direction, text: s.textContent.trim()}))""")
                    assert spans, name
                    assert {span["lang"] for span in spans} == {"en", "ar", "uk"}, name
                    for span in spans:
                        rtl = span["lang"] == "ar"
                        assert span["dir"] == ("rtl" if rtl else "ltr") and span["shown"] == span["dir"], span
                        assert span["text"] and (bool(re.search("[\u0600-\u06ff]", span["text"])) == rtl), span
                    if expected is not None:
                        assert len(spans) >= expected, (name, len(spans), expected)
                    text = page.locator("article").inner_text()
                    assert "Ungeprüfte Übersetzung" in text and "Arabisch, Ukrainisch" in text
                    assert "\\" not in text.split("Ungeprüfte Übersetzung", 1)[1][:120]
                page.goto(base + "downloads.html")
                links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
                for wanted in ("wortliste-ar.docx", "wortliste-ar.pdf", "-5-karteikarten.apkg"):
                    assert any(wanted in link for link in links), wanted
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
