"""Nothing gets in: script, event handlers, ``javascript:`` links, MyST directives, Jinja and format
strings in every text field of the model stay literal text in both editions of the built book, in
search results and in the print view. A real build, a real chromium.
"""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from kurswerk.build import build
from kurswerk.plan import Project

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "check" / "good"
MARK = "window.__kurswerk_xss = (window.__kurswerk_xss || 0) + 1"
PAYLOAD = (f' Sicher <script>{MARK}</script> <img src=x onerror="{MARK}"> <svg onload="{MARK}"></svg>'
           f' [Klick](javascript:{MARK}) <a href="javascript:{MARK}">a</a> {{{{ 7*7 }}}} {{% raw %}} ${{x}} %s {{0}}'
           ' {eval-rst}`x` {raw}`<b>x</b>`')
BLOCK_PAYLOAD = (f"\n\n```{{raw}} html\n<script>{MARK}</script>\n```\n\n```{{eval-rst}}\n.. raw:: html\n\n"
                 f"   <script>{MARK}</script>\n```\n\n```{{include}} /etc/passwd\n```\n")
CODES = {"id", "template", "level", "pos", "article", "register", "mode", "type", "chart", "kind", "field_of_action",
         "ikoe_level", "year", "url", "modules", "languages", "language", "reviewed", "social_form", "unit",
         "fills_document", "lines", "words", "draft", "regulated", "minutes", "duration_ue", "duration_min",
         "from_level", "to_level", "value", "answer", "plural", "forms", "practice", "lemma", "time", "speaker", "options",
         "correct", "relation", "allowed"}
"""Keys whose values are codes, numbers or grammar the loader checks against the words themselves."""
SENTENCES = {"key_points", "next_steps"}
"""Keys whose values are single sentences of at most 160 characters: each becomes a payload that is one."""
SENTENCE_PAYLOAD = f'Sicher <img src=x onerror="{MARK}"> {{{{ 7*7 }}}} {{eval-rst}}`x` {{raw}}`<b>x</b>`.'


def poison(node: Any, key: str = "") -> Any:
    """Append the payload to every text value (and a directive block to multi-line summaries)."""
    if isinstance(node, dict):
        return {name: (value if name in CODES else poison(value, name)) for name, value in node.items()}
    if isinstance(node, list):
        return [poison(value, key) for value in node]
    if isinstance(node, str) and key in SENTENCES:
        return SENTENCE_PAYLOAD
    if isinstance(node, str):
        return node + PAYLOAD + (BLOCK_PAYLOAD if key == "summary" else "")
    return node


@pytest.fixture(scope="module")
def poisoned_book(tmp_path_factory: pytest.TempPathFactory) -> Project:
    base = tmp_path_factory.mktemp("injection")
    curricula = base / "curricula"
    shutil.copytree(FIXTURE, curricula)
    shutil.copytree(ROOT / "curricula" / "data", curricula / "data")
    yaml = YAML()
    yaml.width = 4096
    for path in [*curricula.glob("*/sector.yml"), *curricula.glob("*/glossary.yml"),
                 *curricula.glob("*/modules/*.yml"), *curricula.glob("*/trainings/*.yml")]:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        with path.open("w", encoding="utf-8") as handle:
            yaml.dump(poison(data), handle)
    project = Project.at(ROOT, curricula=curricula, build=base / "build")
    build(project, ["public", "trainer"], jobs=2, pdf=False)
    return project


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def counted(page: Any) -> int:
    """The payload's counter on the page; after a redirect page (``index.html``), on the page it leads to."""
    for _ in range(5):
        before = page.url
        try:
            page.wait_for_load_state("load")
            return int(page.evaluate("window.__kurswerk_xss || 0"))
        except Exception as error:  # the page navigated on (a redirect): read the next one
            if "navigation" not in str(error):
                raise
            if page.url == before:  # the next page is still on its way: wait until it is there and loaded
                page.wait_for_url(lambda url, left=before: url != left, timeout=15_000)
    raise AssertionError(f"{page.url} kept navigating")


def test_no_payload_runs_on_any_page_in_search_or_in_print(poisoned_book: Project) -> None:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    executed: list[str] = []
    pages_seen = 0
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            for edition in ("public", "trainer"):
                html = poisoned_book.html_dir(edition)
                server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
                threading.Thread(target=server.serve_forever, daemon=True).start()
                base = f"http://127.0.0.1:{server.server_address[1]}/"
                try:
                    page = browser.new_page()
                    page.on("dialog", lambda dialog: (executed.append(f"dialog {dialog.message}"), dialog.dismiss()))
                    targets = [path.relative_to(html).as_posix() for path in sorted(html.rglob("*.html"))
                               if "_static" not in path.parts]
                    targets += ["search.html?q=Sicher", "search.html?q=script"]
                    for target in targets:
                        for media in ("screen", "print"):
                            page.emulate_media(media=media)
                            page.goto(base + target, wait_until="load")
                            if "search.html?q=" in target:
                                page.wait_for_function(
                                    "document.querySelector('#search-results .search-summary') !== null", timeout=20_000)
                                page.wait_for_timeout(500)
                            count = counted(page)
                            if count:
                                executed.append(f"{edition} {target} ({media}): {count}")
                            pages_seen += 1
                    page.goto(base + "index.html")
                    assert "Sicher <script>" in page.locator("body").inner_text() or "Sicher" in page.content()
                    page.close()
                finally:
                    server.shutdown()
                    server.server_close()
        finally:
            browser.close()
    assert pages_seen > 20
    assert executed == [], executed


def test_payload_stays_literal_text_in_titles(poisoned_book: Project) -> None:
    module_page = next(path for path in sorted((poisoned_book.html_dir("public") / "lager").glob("*.html"))
                       if path.stem not in ("index", "glossar", "downloads"))
    text = module_page.read_text(encoding="utf-8")
    assert "<script>window.__kurswerk_xss" not in text
    assert "&lt;script&gt;window.__kurswerk_xss" in text
    assert "/etc/passwd" not in text or "root:" not in text
