"""The course book's search in a real chromium on a real build of the fixture curriculum.

German stemming with umlaut folding (a query with or without umlauts finds the same), previews that
show the matched word, page titles and glossary entries ranked first, and titles inserted as text: one
section title of the build carries an ``<img onerror>`` that must stay literal.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from conftest import ROOT, copy_fixture_curricula
from kurswerk.build import build
from kurswerk.plan import Project
from kurswerk.sphinx_search import SEARCH_JS_NAME, FoldingGerman, fold

playwright_sync = pytest.importorskip("playwright.sync_api")
Page = playwright_sync.Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTOR = "lager"
HOSTILE = '<img src=x onerror="document.documentElement.dataset.xss = 1">'
"""Appended to a step title of the fixture's module ``schichtwechsel``: the search must show it as text."""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    """The fixture curriculum (one step title made hostile) built as the public edition and served locally."""
    base = tmp_path_factory.mktemp("search")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    module = project.curricula / SECTOR / "modules" / "schichtwechsel.yml"
    text = module.read_text(encoding="utf-8")
    assert "- title: Den Stapler melden\n" in text
    module.write_text(text.replace("- title: Den Stapler melden\n",
                                   f"- title: '{HOSTILE} Den Stapler melden'\n"), encoding="utf-8")
    build(project, ["public"], jobs=2, pdf=False)
    handler = functools.partial(QuietHandler, directory=str(project.html_dir("public")))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="serve search book", daemon=True)
    thread.start()
    yield project, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, errors


def search(page: Page, base: str, query: str) -> list[dict[str, Any]]:
    """Search like a reader and wait for every preview; returns the results in order."""
    page.goto(f"{base}search.html?q={quote(query)}")
    page.wait_for_function("() => document.querySelector('#search-results p.search-summary')?.innerText")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-results ul.search > li')].every(li => li.querySelector('p.context'))")
    return page.eval_on_selector_all("#search-results ul.search > li", """items => items.map(item => ({
        href: item.querySelector('a').getAttribute('href'),
        title: item.querySelector('a').textContent,
        score: Number(item.querySelector('a').dataset.score),
        preview: item.querySelector('p.context').textContent,
        marked: [...item.querySelectorAll('p.context span.highlighted')].map(span => span.textContent),
    }))""")


def stems(*words: str) -> set[str]:
    language = FoldingGerman({})
    return {language.stem(word) for word in words}


# (query, the same query spelt without umlauts, the top hit's link, a word the top preview must highlight)
QUERIES = [
    ("Übergabe", "Uebergabe", f"{SECTOR}/glossar.html#glossar-{SECTOR}-uebergabe", "Übergabe"),
    ("Frühschicht", "Fruehschicht", f"{SECTOR}/glossar.html#glossar-{SECTOR}-fruehschicht", "Frühschicht"),
    ("Gartenmöbel", "Gartenmoebel", f"{SECTOR}/schichtwechsel.html", "Gartenmöbel"),
    ("Schäden", "Schaeden", f"{SECTOR}/glossar.html#glossar-{SECTOR}-schaden", "Schäden"),
    ("prüfen", "pruefen", f"{SECTOR}/wareneingang.html", "prüfe"),  # a word of the module's title
    ("Aufträge zusammenstellen", "Auftraege zusammenstellen", f"{SECTOR}/kommissionieren.html", "Aufträgen"),
    ("Hubwagen", "HUBWAGEN", f"{SECTOR}/glossar.html#glossar-{SECTOR}-hubwagen", "Hubwagen"),
]


@pytest.mark.parametrize(("query", "plain", "top", "word"), QUERIES, ids=[query[1] for query in QUERIES])
def test_query_with_and_without_umlauts(page: Page, book: tuple[Project, str], query: str, plain: str, top: str,
                                        word: str) -> None:
    _, base = book
    results = search(page, base, query)
    assert results, f"nothing found for {query!r}"
    assert results[0]["href"] == top, [result["href"] for result in results]
    assert word.lower() in [marked.lower() for marked in results[0]["marked"]], results[0]
    # Every preview shows a word of the query in context, highlighted, as the page spells it.
    query_stems = stems(*re.findall(r"\w+", query))
    for result in results:
        assert result["marked"], result
        assert all(any(stem in next(iter(stems(marked))) for stem in query_stems) for marked in result["marked"]), result
        assert len(result["preview"]) <= 260, result
    assert search(page, base, plain) == results


def test_titles_and_glossary_entries_come_before_full_text(page: Page, book: tuple[Project, str]) -> None:
    _, base = book
    results = search(page, base, "Schäden")
    hrefs = [result["href"] for result in results]
    anchored = [index for index, href in enumerate(hrefs) if "#" in href]
    full_text = [index for index, href in enumerate(hrefs) if "#" not in href]
    assert anchored and full_text and max(anchored) < min(full_text), hrefs
    entry, section = results[0], results[1]
    assert entry["href"] == f"{SECTOR}/glossar.html#glossar-{SECTOR}-schaden"
    assert entry["title"] == "Glossar Lager › Schaden", entry
    assert entry["preview"].startswith("der Schaden (Schäden): "), entry
    assert section["href"] == f"{SECTOR}/wareneingang.html#schritt-2-den-schaden-melden", hrefs
    assert section["title"] == "Ware annehmen und prüfen › Schritt 2: Den Schaden melden", section


def test_titles_are_inserted_as_text(page: Page, book: tuple[Project, str]) -> None:
    _, base = book
    results = search(page, base, "Stapler")
    titled = [result for result in results if HOSTILE in result["title"]]
    assert titled, [result["title"] for result in results]
    assert page.locator("#search-results img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.dataset.xss") is None


def test_status_line_is_german(page: Page, book: tuple[Project, str]) -> None:
    _, base = book
    results = search(page, base, "Hubwagen")
    assert page.locator("#search-results p.search-summary").inner_text() == f"{len(results)} Treffer."
    page.goto(f"{base}search.html?q=Quietscheentchen")
    summary = page.locator("#search-results p.search-summary")
    playwright_sync.expect(summary).to_have_text(re.compile(r"^Keine Treffer\."))


def test_browser_stems_every_word_as_the_index(page: Page, book: tuple[Project, str]) -> None:
    """The query stemmer in the browser and the index stemmer in Python agree on every word of the
    curricula, and fold umlauts and their two-letter spellings alike."""
    _, base = book
    words = sorted({word for path in (ROOT / "curricula").rglob("*.yml")
                    for word in re.findall(r"\w+", path.read_text(encoding="utf-8"))})
    words += ["Übergabe", "Uebergabe", "Straße", "Strasse", "Kühlschränke", "Kuehlschraenke", "Quelle", "Öl", "Oel",
              "Erzieherin", "Bratkartoffeln"]
    page.goto(f"{base}search.html")
    in_browser = page.evaluate("words => { const s = new Stemmer(); return words.map(w => s.stemWord(w.toLowerCase())) }",
                               words)
    language = FoldingGerman({})
    differing = [(word, language.stem(word), js) for word, js in zip(words, in_browser, strict=True)
                 if language.stem(word) != js]
    assert not differing, differing[:20]
    for umlaut, plain in [("Übergabe", "Uebergabe"), ("Kühlschrank", "Kuehlschrank"), ("Straße", "Strasse"),
                          ("Öl", "Oel"), ("Bär", "Baer")]:
        assert fold(umlaut) == fold(plain)
        assert len(stems(umlaut, plain)) == 1
    assert stems("Kühlschrank") == stems("Kühlschränke")
    assert fold("Quelle") == "quelle"


def test_search_script_only_on_the_search_page(book: tuple[Project, str]) -> None:
    project, _ = book
    html = project.html_dir("public")
    loading = sorted(path.relative_to(html).as_posix() for path in html.rglob("*.html")
                     if SEARCH_JS_NAME in path.read_text(encoding="utf-8"))
    assert loading == ["search.html"]
    assert (html / "_static" / SEARCH_JS_NAME).is_file()
