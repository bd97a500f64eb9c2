"""The course book on every screen, in a real chromium on the built fixture book (both editions).

Dark mode, phones (390 × 844), German in every attribute and control, axe with every rule (the
experimental ones and AAA contrast included), a way in for each reader, print, and the project's
``_config.yml``. Fixtures ``built_fixture`` (conftest), ``sites`` and ``browser`` (test_browser).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import test_browser as shared
from kurswerk.book import book_config, read_book_config
from kurswerk.build import BuildReport, _edition_digest
from kurswerk.errors import InputError
from kurswerk.load import load_sector
from kurswerk.model import Catalogue, Edition
from kurswerk.plan import Project

playwright_sync = pytest.importorskip("playwright.sync_api")
Browser = playwright_sync.Browser
Page = playwright_sync.Page
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

browser = shared.browser
visit = shared.visit
sites = shared.sites
AXE, ROOT = shared.AXE, shared.ROOT

SECTOR = "lager"
MODULE = "kommissionieren"
TRAINING = "vielfalt-im-lager"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ENGLISH = re.compile(
    r"\b(?:link to|this|the|heading|image|page|search|searching|ctrl|click|show|hide|copy|copied|toggle|skip|"
    r"back to top|next|previous|contents|close|open|menu|print|light|dark|settings|source|edit|"
    r"repository|fullscreen|mode|color|colour|theme|sidebar|main|section|warning|"
    r"announcement|launch|results|clear|keyboard|shortcut|breadcrumb|home|table of contents|navigation bar)\b",
    re.IGNORECASE)
"""English words of a theme's UI that are not also German words ("System", "Version", "Download" are)."""


def content_pages(html: Path) -> list[str]:
    """Every page a reader can reach: the book's pages and the search page (not the theme's internals)."""
    pages = sorted(str(path.relative_to(html)) for path in html.rglob("*.html")
                   if not any(part.startswith("_") for part in path.relative_to(html).parts)
                   and path.relative_to(html).as_posix() not in ("index.html", "genindex.html"))
    assert "intro.html" in pages and f"{SECTOR}/{MODULE}.html" in pages
    return pages


@pytest.fixture(scope="module")
def pages(built_fixture: tuple[Project, BuildReport]) -> dict[Edition, list[str]]:
    project, _ = built_fixture
    return {edition: content_pages(project.html_dir(edition)) for edition in ("public", "trainer")}


def open_context(browser: Browser, theme: str = "light", viewport: dict[str, int] = DESKTOP) -> Any:
    """A German browser context whose pages start in ``theme`` (the theme's own switch: localStorage "mode")."""
    phone = viewport["width"] < 600
    context = browser.new_context(viewport=viewport, locale="de-DE", color_scheme="dark" if theme == "dark" else "light",
                                  is_mobile=phone, has_touch=phone)
    context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    return context


def axe_all_rules(page: Page) -> list[str]:
    """axe-core with every rule it has (experimental ones and AAA contrast included); serious and critical."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        axe.configure({rules: axe.getRules().map(rule => ({id: rule.ruleId, enabled: true}))});
        const tags = [...new Set(axe.getRules().flatMap(rule => rule.tags))];
        const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return results.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 200))}));
    }""")
    return [f"{v['impact']} {v['id']}: {v['nodes']}" for v in violations if v["impact"] in ("serious", "critical")]


def page_background_luminance(page: Page) -> float:
    """Relative luminance (0 black … 1 white) of the page's background colour."""
    rgb = page.evaluate("""() => getComputedStyle(document.body)
                              .backgroundColor.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number)""")
    channels = [(c / 255 / 12.92) if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


# --- dark mode and axe on every page -------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("edition", ["public", "trainer"])
def test_every_page_passes_axe_with_every_rule(browser: Browser, sites: dict[Edition, str],
                                              pages: dict[Edition, list[str]], edition: Edition, theme: str) -> None:
    """0 serious or critical violations on every page, with every axe rule, in light and in dark mode
    (color-contrast and color-contrast-enhanced included)."""
    context = open_context(browser, theme)
    page = context.new_page()
    found = {}
    try:
        for path in pages[edition]:
            visit(page, f"{sites[edition]}{path}")
            expect(page.locator("html")).to_have_attribute("data-theme", theme)
            luminance = page_background_luminance(page)
            assert (luminance < 0.05) if theme == "dark" else (luminance > 0.9), (path, luminance)
            violations = axe_all_rules(page)
            if violations:
                found[path] = violations
    finally:
        context.close()
    assert found == {}


def test_dialogue_boxes_follow_the_theme(browser: Browser, sites: dict[Edition, str]) -> None:
    """A dialogue (blockquote) is drawn in the theme's surface colour: dark in dark mode, light in light mode."""
    colours = {}
    for theme in ("light", "dark"):
        context = open_context(browser, theme)
        page = context.new_page()
        visit(page, f"{sites['public']}{SECTOR}/{MODULE}.html")
        quote = page.locator("article blockquote").first
        expect(quote).to_be_visible()
        colours[theme] = quote.evaluate("""element => {
            const style = getComputedStyle(element);
            const surface = getComputedStyle(document.documentElement).getPropertyValue('--pst-color-surface').trim();
            const probe = document.createElement('div'); probe.style.color = surface; document.body.append(probe);
            const expected = getComputedStyle(probe).color; probe.remove();
            return [style.backgroundColor, expected, style.color];
        }""")
        context.close()
    for theme, (background, surface, _) in colours.items():
        assert background == surface, theme
    assert colours["light"][0] != colours["dark"][0]
    assert colours["light"][2] != colours["dark"][2]


# --- phones ---------------------------------------------------------------------------------------


PHONE_CHECK = """() => {
    const width = window.innerWidth;
    const scrolls = element => { for (let p = element.parentElement; p; p = p.parentElement) {
        const overflow = getComputedStyle(p).overflowX; if (overflow === 'auto' || overflow === 'scroll') return true; }
        return false; };
    const visible = element => element.offsetParent !== null && getComputedStyle(element).visibility !== 'hidden';
    const outside = [], cut = [];
    for (const element of document.querySelectorAll('body *')) {
        if (!visible(element)) continue;
        const box = element.getBoundingClientRect();
        if (box.width && box.right > width + 1 && !scrolls(element))
            outside.push(element.tagName + '.' + element.className + ' ' + (element.innerText || '').slice(0, 40));
        const style = getComputedStyle(element);
        if ((style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis')
                && element.scrollWidth > element.clientWidth + 1 && (element.innerText || '').trim())
            cut.push(element.tagName + '.' + element.className + ' ' + element.innerText.slice(0, 40));
    }
    const tables = [...document.querySelectorAll('article .pst-scrollable-table-container')]
        .filter(box => box.scrollWidth > box.clientWidth + 1)
        .map(box => { const hint = box.previousElementSibling;
                      return hint && hint.classList.contains('kurswerk-scroll-hint') && visible(hint)
                             && hint.getBoundingClientRect().height > 0 ? hint.innerText : ''; });
    const names = [...document.querySelectorAll('article .kurswerk-scrolls')].map(box => box.getAttribute('aria-label'));
    const repeated = names.filter((name, index) => !name || names.indexOf(name) !== index);
    return {wide: document.documentElement.scrollWidth, outside: outside.slice(0, 5), cut: cut.slice(0, 5), tables,
            repeated};
}"""


@pytest.mark.parametrize("edition", ["public", "trainer"])
def test_phone_shows_every_page_whole(browser: Browser, sites: dict[Edition, str], pages: dict[Edition, list[str]],
                                      edition: Edition) -> None:
    """At 390 × 844 no page is wider than the screen, no text is cut off, nothing sticks out past the
    right edge, and every table that is wider than the screen scrolls in its own box under a visible hint
    (a box that keyboard users can focus, named after its section, each name once on a page)."""
    context = open_context(browser, "light", PHONE)
    page = context.new_page()
    problems: dict[str, Any] = {}
    hints: list[str] = []
    try:
        for path in pages[edition]:
            visit(page, f"{sites[edition]}{path}")
            result = page.evaluate(PHONE_CHECK)
            hints += result["tables"]
            if (result["wide"] > PHONE["width"] or result["outside"] or result["cut"] or "" in result["tables"]
                    or result["repeated"]):
                problems[path] = result
    finally:
        context.close()
    assert problems == {}
    assert hints, "no page of the fixture book has a table wider than a phone: the hint is untested"
    assert all("seitlich" in hint for hint in hints)


def test_previous_and_next_titles_are_whole_on_a_phone(browser: Browser, sites: dict[Edition, str]) -> None:
    context = open_context(browser, "light", PHONE)
    page = context.new_page()
    visit(page, f"{sites['public']}{SECTOR}/{MODULE}.html")
    for link in page.locator(".prev-next-area a").all():
        title = link.locator(".prev-next-title")
        expect(title).to_be_visible()
        box, link_box = title.bounding_box(), link.bounding_box()
        assert box and link_box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert title.evaluate("element => element.scrollWidth <= element.clientWidth + 1")
    context.close()


def test_start_page_needs_no_sidebar_on_a_phone(browser: Browser, sites: dict[Edition, str]) -> None:
    """The start page's instructions work where the navigation is hidden: no "links", the sectors are listed."""
    context = open_context(browser, "light", PHONE)
    page = context.new_page()
    visit(page, f"{sites['public']}intro.html")
    text = page.locator("article").inner_text()
    assert not re.search(r"\blinks\b", text)
    expect(page.locator(".bd-sidebar-primary")).not_to_be_in_viewport()
    expect(page.locator("article").get_by_role("link", name="Lager", exact=False).first).to_be_visible()
    context.close()


# --- German throughout ----------------------------------------------------------------------------


COLLECT_STRINGS = """() => {
    const found = [];
    for (const element of document.querySelectorAll('*')) {
        for (const name of ['title', 'aria-label', 'placeholder', 'alt', 'data-bs-title', 'data-bs-original-title',
                            'aria-description', 'aria-roledescription', 'value']) {
            const value = element.getAttribute(name);
            if (value && !(name === 'value' && !['submit', 'button', 'reset'].includes(element.type)))
                found.push([element.tagName, name, value]);
        }
    }
    for (const control of document.querySelectorAll(
            'button, [role=button], summary, a.btn, .btn, kbd, label, .toggle-button, .prev-next-subtitle, '
            + '.headerbtn, .dropdown-item, .search-button__default-text')) {
        if (control.offsetParent !== null && control.innerText.trim())
            found.push([control.tagName, 'text', control.innerText.trim()]);
    }
    return found;
}"""


@pytest.mark.parametrize("edition", ["public", "trainer"])
def test_every_attribute_and_control_is_german(browser: Browser, sites: dict[Edition, str],
                                               pages: dict[Edition, list[str]], edition: Edition) -> None:
    """No English string in any title, aria-label, placeholder, alt or visible control, on any page
    (with a search in progress on the search page); "Strg", not "Ctrl"."""
    context = open_context(browser, "light")
    page = context.new_page()
    english: dict[str, set[str]] = {}
    collected = 0
    try:
        for path in [*pages[edition], "search.html?q=Lager"]:
            visit(page, f"{sites[edition]}{path}")
            strings = page.evaluate(COLLECT_STRINGS)
            collected += len(strings)
            bad = {f"{tag} {name}={value!r}" for tag, name, value in strings if ENGLISH.search(value)}
            if bad:
                english[path] = bad
        visit(page, f"{sites[edition]}{SECTOR}/{MODULE}.html")
        expect(page.locator(".search-button__kbd-shortcut kbd").first).to_have_text("Strg")
        expect(page.locator("h2 a.headerlink").first).to_have_attribute("title", re.compile(r"^Link zu"))
    finally:
        context.close()
    assert collected > 100
    assert english == {}


def test_the_english_filter_finds_what_the_theme_writes_in_english() -> None:
    """The word list above catches the theme's English strings (so the test above can fail)."""
    for text in ("Link to this heading", "Ctrl", "Page", "Click to show", "Search", "Color mode", "Announcement"):
        assert ENGLISH.search(text), text
    for text in ("Link zu diesem Abschnitt", "Strg", "Suche (Strg+K)", "Farbmodus: hell, dunkel oder wie das System",
                 "Hinweis zur Ausgabe", "Drucken / PDF", "Handout für Unternehmen"):
        assert not ENGLISH.search(text), text


# --- a way in for each reader -----------------------------------------------------------------------


def test_start_page_has_an_entry_for_each_reader_and_the_sectors(browser: Browser, sites: dict[Edition, str]) -> None:
    context = open_context(browser)
    page = context.new_page()
    visit(page, f"{sites['public']}intro.html")
    cards = page.locator("article .kurswerk-entries .sd-card")
    expect(cards).to_have_count(3)
    expect(cards.locator(".sd-card-title")).to_have_text(["Lernende", "Lehrkräfte", "Unternehmen"])
    sectors = page.locator("article section").filter(has=page.get_by_role("heading", name="Branchen", exact=True))
    sector_link = sectors.get_by_role("link", name="Lager", exact=False).first
    company_link = sectors.get_by_role("link", name="Handout für Unternehmen")
    expect(company_link).to_have_count(1)
    company_link.click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/downloads\.html#.*unternehmen$"))
    page.go_back()
    sector_link.click()
    expect(page).to_have_url(re.compile(rf"/{SECTOR}/index\.html"))
    context.close()


def test_sector_page_offers_the_company_handout(browser: Browser, sites: dict[Edition, str]) -> None:
    context = open_context(browser)
    page = context.new_page()
    visit(page, f"{sites['public']}{SECTOR}/index.html")
    box = page.locator("article .kurswerk-handouts").first
    expect(box).to_be_visible()
    expect(box).to_contain_text("Handout für Unternehmen")
    assert box.bounding_box()["y"] < 1500  # type: ignore[index]  # under the title, not at the end
    links = box.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_text(re.compile(r"Handout für Unternehmen: .* als PDF \(\d+ Seiten?, [\d,]+ [kKMG]B\)"))
    expect(links.nth(1)).to_have_text(re.compile(r"Handout für Unternehmen: .* als Word-Datei \([\d,]+ [kKMG]B\)"))
    for href in links.evaluate_all("links => links.map(link => link.href)"):
        assert page.request.get(href).ok, href
    context.close()


@pytest.mark.parametrize(("edition", "item", "expected"), [
    ("public", MODULE, ["Inputblatt", "Übungsblatt mit Hilfen", "Übungsblatt ohne Hilfen"]),
    ("trainer", MODULE, ["Inputblatt", "Übungsblatt mit Hilfen", "Karten zum Ausschneiden", "Für Lehrkräfte"]),
    ("public", TRAINING, ["Handout für Teilnehmende"]),
    ("trainer", TRAINING, ["Handout für Teilnehmende", "Für die Leitung", "Material"]),
])
def test_module_and_training_pages_link_their_own_handouts(browser: Browser, sites: dict[Edition, str],
                                                          edition: Edition, item: str, expected: list[str]) -> None:
    context = open_context(browser)
    page = context.new_page()
    visit(page, f"{sites[edition]}{SECTOR}/{item}.html")
    box = page.locator("article .kurswerk-handouts")
    expect(box).to_have_count(1)
    texts = box.get_by_role("link").all_inner_texts()
    for label in expected:
        assert any(text.startswith(label) and re.search(r"als PDF \(\d+ Seiten?, [\d,]+ [kKMG]B\)", text) for text in texts)
        assert any(text.startswith(label) and "als Word-Datei" in text for text in texts)
    hrefs = box.get_by_role("link").evaluate_all("links => links.map(link => link.href)")
    assert any(href.endswith(".pdf") for href in hrefs) and any(href.endswith(".docx") for href in hrefs)
    assert all(page.request.get(href).ok for href in hrefs)
    context.close()


@pytest.mark.parametrize("edition", ["public", "trainer"])
def test_downloads_page_is_split_by_audience(browser: Browser, sites: dict[Edition, str], edition: Edition) -> None:
    context = open_context(browser)
    page = context.new_page()
    visit(page, f"{sites[edition]}{SECTOR}/downloads.html")
    headings = page.locator("article h2").all_inner_texts()
    wanted = ["Für Lernende", "Für Unternehmen"] + (["Für Lehrkräfte"] if edition == "trainer" else [])
    assert [heading.strip("#¶ \n") for heading in headings] == wanted
    sections = {name: page.get_by_role("heading", name=re.compile(f"^{name}"), level=2).locator("xpath=..")
                for name in wanted}
    expect(sections["Für Unternehmen"].get_by_role("link", name=re.compile("Handout für Unternehmen"))).to_have_count(2)
    expect(sections["Für Lernende"].get_by_role("link", name=re.compile("Handout für Unternehmen"))).to_have_count(0)
    expect(sections["Für Lernende"].get_by_role("link", name=re.compile("Inputblatt")).first).to_be_visible()
    if edition == "trainer":
        expect(sections["Für Lehrkräfte"].get_by_role("link", name=re.compile("Für Lehrkräfte")).first).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_trainer_edition_shows_its_banner_on_every_page(browser: Browser, sites: dict[Edition, str],
                                                      pages: dict[Edition, list[str]], viewport: dict[str, int]) -> None:
    context = open_context(browser, "dark", viewport)
    page = context.new_page()
    missing = []
    for path in pages["trainer"]:
        visit(page, f"{sites['trainer']}{path}")
        banner = page.locator(".kurswerk-edition-banner")
        if not (banner.count() == 1 and banner.is_visible() and "Ausgabe für Lehrkräfte" in banner.inner_text()):
            missing.append(path)
            continue
        box = banner.bounding_box()
        assert box and box["y"] < 5 and box["width"] >= viewport["width"] - 20, path
    page.emulate_media(media="print")
    expect(page.locator(".kurswerk-edition-banner")).to_be_visible()
    visit(page, f"{sites['public']}intro.html")
    expect(page.locator(".kurswerk-edition-banner")).to_have_count(0)
    context.close()
    assert missing == []


# --- print ----------------------------------------------------------------------------------------


def test_module_page_prints_without_navigation(browser: Browser, sites: dict[Edition, str], tmp_path: Path,
                                               built_fixture: tuple[Project, BuildReport]) -> None:
    """The "Drucken / PDF" button prints; chromium's PDF of the module page has no navigation and no
    "Inhalt" list, names the page and its address in every page header, and no heading ends a page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils (pdftotext)")
    project, _ = built_fixture
    title = load_sector(project.curricula / SECTOR).module(MODULE).title
    context = open_context(browser)
    page = context.new_page()
    url = f"{sites['public']}{SECTOR}/{MODULE}.html"
    visit(page, url)
    button = page.get_by_role("button", name="Drucken / PDF")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.kurswerkPrinted = true; }")
    button.click()
    assert page.evaluate("window.kurswerkPrinted === true")
    headings = [" ".join(text.split()) for text in page.locator("article h2, article h3, article h4").all_inner_texts()]
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(title)))
    for hidden in ("nav.bd-docs-nav", ".bd-sidebar-secondary", "#jb-print-toc", ".prev-next-area", "button.kurswerk-print"):
        expect(page.locator(hidden).first).to_be_hidden()
    pdf = tmp_path / "modul.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed = [" ".join(sheet.split()) for sheet in text.split("\f") if sheet.strip()]
    assert len(printed) >= 2
    for number, sheet in enumerate(printed, start=1):
        assert title in sheet, f"page {number} has no title in its header"
        assert url in sheet.replace(" ", ""), f"page {number} has no address in its header"
    whole = "\n".join(printed)
    for navigation in ("Willkommen im Kursbuch", "Drucken / PDF", "Strg", "Vorherige Seite", "Nächste Seite"):
        assert navigation not in whole, navigation
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Inhalt" not in lines and "Das lerne ich" in whole
    assert printed[0].count(title) >= 2, "the first page shows the title in its header and as its heading"
    sheets = [sheet for sheet in text.split("\f") if sheet.strip()]
    for number, sheet in enumerate(sheets[:-1], start=1):
        lines = [" ".join(line.split()) for line in sheet.splitlines() if line.strip()]
        body = [line for line in lines if url not in line.replace(" ", "") and not re.fullmatch(r"Seite \d+", line)]
        assert body[-1] not in headings, f"page {number} ends with the heading {body[-1]!r}"


# --- _config.yml at the top of the project --------------------------------------------------------


@pytest.fixture
def config_project(tmp_path: Path) -> Iterator[Project]:
    """A project whose root has its own ``_config.yml`` (copied from the real one) and the real templates."""
    root = tmp_path / "projekt"
    root.mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    for folder in ("modules", "templates"):
        (root / folder).symlink_to(ROOT / folder)
    (tmp_path / "curricula").mkdir()
    yield Project.at(root, curricula=tmp_path / "curricula", build=tmp_path / "build")


def test_editions_are_derived_from_the_top_level_config(config_project: Project) -> None:
    from ruamel.yaml import YAML

    top = YAML(typ="safe").load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    public = YAML(typ="safe").load(book_config(config_project, "public"))
    trainer = YAML(typ="safe").load(book_config(config_project, "trainer"))
    assert public["title"] == top["title"]
    assert trainer["title"] == f"{top['title']} – Ausgabe für Lehrkräfte"
    assert trainer["sphinx"]["config"]["html_title"].endswith("Ausgabe für Lehrkräfte")
    assert "announcement" not in public["sphinx"]["config"]["html_theme_options"]
    assert trainer["sphinx"]["config"]["html_theme_options"]["announcement"] == top["kurswerk"]["trainer_banner"]
    assert "kurswerk" not in public and "kurswerk" not in trainer
    assert public["sphinx"]["config"]["language"] == "de"


def test_a_changed_config_rebuilds_the_book(config_project: Project) -> None:
    nothing = Catalogue(sectors=[])
    before = {edition: _edition_digest(config_project, nothing, [], edition, False) for edition in ("public", "trainer")}
    path = config_project.root / "_config.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Interkulturelle Öffnung", "IKÖ", 1), encoding="utf-8")
    after = {edition: _edition_digest(config_project, nothing, [], edition, False) for edition in ("public", "trainer")}
    assert all(before[edition] != after[edition] for edition in before)


@pytest.mark.parametrize(("change", "line", "words"), [
    (lambda text: text.replace("only_build_toc_files: true", "only_build_toc_files: [true"), None, "YAML"),
    (lambda text: text.replace("  use_issues_button: false", "use_issues_button: false\n   x: : y"), None, "YAML"),
    (lambda text: text.replace('title: "Deutsch am Arbeitsplatz und Interkulturelle Öffnung"', "title:"), None, "Titel"),
])
def test_a_broken_config_is_a_german_error_with_file_and_line(config_project: Project, change: Any,
                                                            line: int | None, words: str) -> None:
    path = config_project.root / "_config.yml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_book_config(config_project)
    assert raised.value.location.file == str(path)
    assert raised.value.location.line is not None and raised.value.location.line > 1
    assert words in raised.value.message


def test_kurswerk_build_stops_on_a_broken_config_with_exit_code_2(config_project: Project) -> None:
    shutil.copytree(ROOT / "tests" / "data" / "check" / "good", config_project.curricula, dirs_exist_ok=True)
    shutil.copytree(ROOT / "curricula" / "data", config_project.curricula / "data")
    path = config_project.root / "_config.yml"
    text = path.read_text(encoding="utf-8")
    broken_line = text.splitlines().index("execute:") + 1
    path.write_text(text.replace("execute:\n", "execute:\n  execute_notebooks: 'off\n", 1), encoding="utf-8")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "kurswerk"), "build", "--root", str(config_project.root),
                             "--curricula", str(config_project.curricula), "--build-dir", str(config_project.build),
                             "--no-pdf", "-q"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    location = re.search(rf"{re.escape(str(path))}:(\d+)", result.stderr)
    assert location and int(location.group(1)) >= broken_line, result.stderr
    assert "kein gültiges YAML" in result.stderr
    assert not (config_project.build / "html").exists()
