"""The course book as its users meet it: a real chromium on the built fixture book, served locally.

Navigation, glossary links, downloads, search, the two editions, German UI, accessibility (axe-core)
and that no page asks another host for anything. Screenshots land in ``tests/artifacts/browser/``.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from docx import Document

from kurswerk.build import BuildReport
from kurswerk.exercises import exercises_for
from kurswerk.load import load_sector
from kurswerk.model import Edition, SectorCurriculum
from kurswerk.plan import Project
from kurswerk.render.markdown import term_label

playwright_sync = pytest.importorskip("playwright.sync_api")
Browser = playwright_sync.Browser
Page = playwright_sync.Page
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
REQUESTS: list[str] = []
"""Every URL any page of this module requested (the offline check reads it)."""
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SECTOR = "lager"
MODULE = "kommissionieren"
TRAINER_ONLY_HEADINGS = ["Lösungen", "Unterrichtsplan"]
AXE_PAGES = ["intro.html", f"{SECTOR}/index.html", f"{SECTOR}/{MODULE}.html", f"{SECTOR}/glossar.html",
             f"{SECTOR}/downloads.html"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        return None


def serve(folder: Path) -> tuple[ThreadingHTTPServer, threading.Thread, str]:
    """Start a static server on 127.0.0.1 (free port) for ``folder``; returns server, thread and base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name=f"serve {folder.name}", daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def sites(built_fixture: tuple[Project, BuildReport]) -> Iterator[dict[Edition, str]]:
    """Base URLs of the public (``build/html``) and trainer (``build/html-trainer``) editions."""
    project, _ = built_fixture
    running = {edition: serve(project.html_dir(edition)) for edition in ("public", "trainer")}
    yield {edition: url for edition, (_, _, url) in running.items()}
    for server, thread, _ in running.values():
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Debian chromium for the whole module (never a downloaded playwright browser)."""
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (desktop size, German locale) whose every request is logged for the offline check."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE", accept_downloads=True)
    opened = context.new_page()
    opened.on("request", lambda request: REQUESTS.append(request.url))
    yield opened
    context.close()


@pytest.fixture(scope="module")
def curriculum(built_fixture: tuple[Project, BuildReport]) -> SectorCurriculum:
    project, _ = built_fixture
    return load_sector(project.curricula / SECTOR)


def answer_key_texts(curriculum: SectorCurriculum) -> list[str]:
    """Answers of the module's hand-written exercises that only the key shows.

    Items of a word-bank exercise (matching, gap fill) are left out: their answers are the printed
    options, and only their pairing is the key.
    """
    exercises = [exercise for exercise in exercises_for(curriculum.module(MODULE)) if not exercise.generated]
    texts = [item.answer for exercise in exercises if not exercise.options for item in exercise.items]
    texts += [exercise.answer for exercise in exercises if exercise.answer]
    return [" ".join(text.split()) for text in texts]


def visible_text(page: Page) -> str:
    """The rendered text of the article, whitespace folded."""
    return " ".join(page.locator("article").inner_text().split())


def visit(page: Page, url: str) -> None:
    """Open ``url`` and wait until it has loaded with its fonts (a test that checks for requests to other
    hosts waits for the network to be idle instead)."""
    page.goto(url, wait_until="load")
    page.evaluate("() => document.fonts.ready.then(() => true)")


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page; returns the serious and critical violations, one line each."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ['violations']});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                             targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return [f"{v['impact']} {v['id']}: {v['help']} at {v['targets']}" for v in violations
            if v["impact"] in ("serious", "critical")]


# --- navigation ----------------------------------------------------------------------------------


def test_navigation_leads_from_start_page_to_a_module(page: Page, sites: dict[Edition, str],
                                                       curriculum: SectorCurriculum) -> None:
    """The sidebar lists each sector; on the sector's overview it shows the sector's module links."""
    module = curriculum.module(MODULE)
    page.goto(sites["public"])
    expect(page).to_have_url(re.compile(r"/intro\.html$"))
    navigation = page.locator("nav.bd-docs-nav")
    module_link = navigation.get_by_role("link", name=module.title, exact=True)
    expect(module_link).to_have_count(0)
    navigation.get_by_role("link", name=curriculum.sector.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/index\.html$"))
    module_link.click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/{MODULE}\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(module.title)))
    expect(navigation.get_by_role("link", name=module.title, exact=True)).to_be_visible()
    page.get_by_role("link", name=re.compile("^weiter", re.I)).click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/[a-z0-9-]+\.html$"))


def test_vocabulary_word_leads_to_its_glossary_entry(page: Page, sites: dict[Edition, str],
                                                      curriculum: SectorCurriculum) -> None:
    word = curriculum.module(MODULE).vocabulary[0]
    anchor = term_label(SECTOR, word.lemma)
    page.goto(f"{sites['public']}{SECTOR}/{MODULE}.html")
    page.locator("section#wortschatz").get_by_role("link", name=word.headword, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/glossar\.html#{re.escape(anchor)}$"))
    entry = page.locator(f"#{anchor}")
    expect(entry).to_contain_text(word.headword)
    expect(entry).to_be_in_viewport()


def test_company_handout_downloads_and_opens(page: Page, sites: dict[Edition, str], curriculum: SectorCurriculum,
                                             tmp_path: Path) -> None:
    title = f"Handout für Unternehmen: {curriculum.sector.name}"
    page.goto(f"{sites['public']}{SECTOR}/downloads.html")
    with page.expect_download() as pending:
        page.locator("article").get_by_role("link", name=f"{title} als Word-Datei", exact=False).click()
    download = pending.value
    assert download.suggested_filename == "unternehmen.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = Document(str(saved))
    assert document.core_properties.title == title
    first = document.paragraphs[0]
    assert first.style is not None and first.style.name == "Title" and first.text == title


def test_search_finds_a_sector_term(page: Page, sites: dict[Edition, str], curriculum: SectorCurriculum) -> None:
    term = curriculum.module(MODULE).vocabulary[0].lemma
    page.goto(f"{sites['public']}search.html?q={term}")
    results = page.locator("#search-results ul.search li a")
    expect(results.first).to_be_visible(timeout=15_000)
    found = results.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert any(href.startswith(f"{SECTOR}/glossar.html") for href in found), found


# --- editions ------------------------------------------------------------------------------------


def test_public_edition_hides_answer_keys_trainer_edition_shows_them(page: Page, sites: dict[Edition, str],
                                                                     curriculum: SectorCurriculum) -> None:
    answers = answer_key_texts(curriculum)
    assert answers
    page.goto(f"{sites['public']}{SECTOR}/{MODULE}.html")
    public = visible_text(page)
    for heading in TRAINER_ONLY_HEADINGS:
        expect(page.get_by_role("heading", name=heading)).to_have_count(0)
        assert heading not in public
    leaked = [answer for answer in answers if answer in public]
    assert not leaked
    page.goto(f"{sites['trainer']}{SECTOR}/{MODULE}.html")
    trainer = visible_text(page)
    for heading in TRAINER_ONLY_HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    missing = [answer for answer in answers if answer not in trainer]
    assert not missing


# --- German UI, accessibility, offline -----------------------------------------------------------


def test_interface_is_german(page: Page, sites: dict[Edition, str]) -> None:
    page.goto(f"{sites['public']}{SECTOR}/{MODULE}.html")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("input[name=q]").first).to_have_attribute("placeholder", "Im Kursbuch suchen …")
    expect(page.locator(".bd-sidebar-secondary")).to_contain_text("Inhalt")
    expect(page.locator(".prev-next-area")).to_contain_text("zurück")
    expect(page.locator("button.primary-toggle").first).to_have_attribute("aria-label", "Navigation ein- oder ausblenden")
    expect(page.locator("nav.bd-docs-nav")).to_have_attribute("aria-label", "Hauptnavigation")
    expect(page.locator("footer.bd-footer-content")).to_contain_text("CC BY-SA 4.0")
    # The fixture sector has no chart (the reference data hold no figure about warehouses); the German alt
    # text of a chart on a built page is tested in test_sector_charts.py with a shipped sector.


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_violation(page: Page, sites: dict[Edition, str], path: str) -> None:
    visit(page, f"{sites['public']}{path}")
    assert axe_violations(page) == []


def test_no_request_goes_to_another_host(page: Page, sites: dict[Edition, str], curriculum: SectorCurriculum) -> None:
    """Every page a user sees here loads from the book's own server (also checks what earlier tests requested)."""
    term = curriculum.module(MODULE).vocabulary[0].lemma
    paths = [*AXE_PAGES, f"{SECTOR}/vielfalt-im-lager.html", f"search.html?q={term}"]
    for edition, base in sites.items():
        for path in paths if edition == "public" else [f"{SECTOR}/{MODULE}.html"]:
            page.goto(f"{base}{path}", wait_until="networkidle")
    foreign = sorted({url for url in REQUESTS
                      if not url.startswith("data:") and urlsplit(url).hostname != "127.0.0.1"})
    assert len(REQUESTS) > len(paths)
    assert foreign == []


def test_built_html_loads_nothing_from_other_hosts(built_fixture: tuple[Project, BuildReport]) -> None:
    project, _ = built_fixture
    remote = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.I)
    remote_css = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?(?:https?:)?//""", re.I)
    offenders = []
    for edition in ("public", "trainer"):
        html = project.html_dir(edition)
        for path in [*html.rglob("*.html"), *html.rglob("*.css"), *html.rglob("*.js")]:
            text = path.read_text(encoding="utf-8", errors="replace")
            pattern = remote if path.suffix == ".html" else remote_css
            offenders += [f"{path.relative_to(html)}: {match.group(0)}" for match in pattern.finditer(text)]
            if path.suffix == ".html" and re.search(r"fonts\.(googleapis|gstatic)\.com|unpkg\.com|cdn\.jsdelivr", text):
                offenders.append(f"{path.relative_to(html)}: names a CDN")
    assert offenders == []


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_screenshots_and_no_sideways_scrolling(page: Page, sites: dict[Edition, str], width: int) -> None:
    """Full-page screenshots for a human to look at (``tests/artifacts/browser/``, git-ignored).

    Many learners read the book on a phone: no page may be wider than the screen (wide tables
    scroll inside their own box, long German compounds wrap). In a full-page shot the sticky
    right-hand "Inhalt" column appears cut off; in a real window it is not.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    shots = {"start": "intro.html", "profile": f"{SECTOR}/index.html", "module": f"{SECTOR}/{MODULE}.html",
             "glossary": f"{SECTOR}/glossar.html", "downloads": f"{SECTOR}/downloads.html"}
    too_wide = []
    for name, path in shots.items():
        visit(page, f"{sites['public']}{path}")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            too_wide.append(name)
    assert too_wide == []
