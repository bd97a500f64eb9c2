"""A trainer's first hour: drafts, findings an editor can jump to, German YAML errors, notebooks
that run from any folder, JupyterLab, ``serve`` for both editions with reload, and the whole way
from ``kurswerk new`` to the sector in the book.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kurswerk.check import CODES, INCOMPLETE
from kurswerk.plan import Project
from kurswerk.serve import serve

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
KURSWERK = BIN / "kurswerk"
SECTOR, NAME, MODULE = "kosmetik", "Kosmetik", "sich-im-team-vorstellen"
LINE = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<code>[EW]-[A-Z0-9-]+)(?: (?P<key>\S+))?: "
                  r"(?P<message>.+)$")
"""A finding as ``kurswerk check`` prints it: ``file:line:col: CODE key.path: message``."""


def kurswerk(*arguments: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
             timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the installed ``kurswerk`` command as a user would; returns the finished process."""
    environment = {**os.environ, "COLUMNS": "40", **(env or {})}
    return subprocess.run([str(KURSWERK), *arguments], cwd=cwd, capture_output=True, text=True, env=environment,
                          timeout=timeout, check=False)


@pytest.fixture
def curricula(tmp_path: Path) -> Path:
    """A curricula folder with the reference data and one fresh sector from ``kurswerk new``."""
    folder = tmp_path / "curricula"
    shutil.copytree(ROOT / "curricula" / "data", folder / "data")
    result = kurswerk("new", SECTOR, "--name", NAME, "--curricula", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


# --- drafts -------------------------------------------------------------------------------------


def test_new_sector_is_a_draft_that_passes_check(curricula: Path) -> None:
    result = kurswerk("check", "--curricula", str(curricula))
    assert result.returncode == 0, result.stdout + result.stderr
    findings = [LINE.match(line) for line in result.stdout.splitlines()[:-1]]
    assert findings and all(findings), result.stdout
    assert {match["code"] for match in findings if match} <= INCOMPLETE
    assert all(line.endswith("(Entwurf)") for line in result.stdout.splitlines()[:-1])
    assert result.stdout.splitlines()[-1].startswith("0 Fehler, 3 Warnungen")
    # Without the draft mark the same sector fails: the minimums are errors of a finished sector.
    sector_file = curricula / SECTOR / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    result = kurswerk("check", "--curricula", str(curricula))
    assert result.returncode == 2 and result.stdout.splitlines()[-1].startswith("3 Fehler")


def test_draft_module_is_left_out_of_the_book_unless_asked(curricula: Path, tmp_path: Path) -> None:
    """A finished sector with one module still in progress: the book leaves that module out."""
    folder = curricula / SECTOR
    sector_file = folder / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace("draft: true\n", ""), encoding="utf-8")
    draft = folder / "modules" / "zweites-modul.yml"
    text = (folder / "modules" / f"{MODULE}.yml").read_text(encoding="utf-8")
    draft.write_text(text.replace(f"id: {MODULE}", "id: zweites-modul").replace("\ntitle:", "\ndraft: true\ntitle:", 1),
                     encoding="utf-8")
    from kurswerk.load import load_catalogue

    shown = load_catalogue(curricula, drafts=False).sector(SECTOR)
    assert [module.id for module in shown.modules] == [MODULE]
    every = load_catalogue(curricula).sector(SECTOR)
    assert sorted(module.id for module in every.modules) == sorted([MODULE, "zweites-modul"])
    result = kurswerk("check", "--curricula", str(curricula), "--format", "json")
    report = json.loads(result.stdout)
    in_draft = [item for item in report["findings"] if item["file"].endswith("zweites-modul.yml")]
    assert all(item["severity"] == "warning" for item in in_draft if item["code"] in INCOMPLETE)


# --- findings an editor can jump to ----------------------------------------------------------------


BROKEN_MODULE = "id: {id}\ntemplate: daa_szenario\ntitle: Kaputt\nsteps:\n  - eins\n - zwei\n"


def test_findings_are_one_line_each_at_any_width_and_json_for_tools(curricula: Path) -> None:
    folder = curricula / SECTOR
    (folder / "modules" / "kaputt.yml").write_text(BROKEN_MODULE.format(id="kaputt"), encoding="utf-8")
    vocabulary = folder / "modules" / f"{MODULE}.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "example: Die Teamleiterin erklärt", "example: Das Teamleiterin erklärt", 1), encoding="utf-8")
    sector_file = folder / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace(
        f"    - {MODULE}\n", f"    - {MODULE}\n    - kaputt\n"), encoding="utf-8")
    for columns in ("40", "200"):
        result = kurswerk("check", "--curricula", str(curricula), env={"COLUMNS": columns})
        assert result.returncode == 2
        lines = [line for line in result.stdout.splitlines() if not line.startswith("    ")]
        assert all(LINE.match(line) for line in lines[:-1]), lines
        assert re.match(r"^\d+ Fehler, \d+ Warnung(en)? in \d+ Dateie?n?\.$", lines[-1]), lines[-1]
        assert "\x1b[" not in result.stdout  # no colour into a pipe
    by_code = {}
    for line in lines[:-1]:
        match = LINE.match(line)
        assert match
        by_code.setdefault(match["code"], []).append(match)
    [yaml_error] = by_code["E-YAML"]
    assert yaml_error["file"].endswith("kaputt.yml") and (yaml_error["line"], yaml_error["column"]) == ("6", "2")
    assert "Einrückung" in yaml_error["message"]
    assert "6 |  - zwei" in result.stdout and "\n      |  ^" in result.stdout  # the line, a caret under column 2
    assert any(match["file"].endswith(f"{MODULE}.yml") and match["key"] == "vocabulary[1].example:"[:-1]
               for match in by_code["E-ARTICLE-TEXT"])
    assert "E-REFERENCE" not in by_code, "a module that failed to parse is not named a second time"
    result = kurswerk("check", "--curricula", str(curricula), "--format", "json")
    report = json.loads(result.stdout)
    assert report["errors"] == sum(item["severity"] == "error" for item in report["findings"]) >= 2
    assert {"file", "line", "column", "code", "severity", "key_path", "message"} <= set(report["findings"][0])


def test_vscode_problem_matcher_reads_the_findings(curricula: Path) -> None:
    tasks = json.loads((ROOT / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    [check] = [task for task in tasks["tasks"] if task["label"] == "kurswerk check"]
    matchers = {matcher["severity"]: matcher["pattern"] for matcher in check["problemMatcher"]}
    folder = curricula / SECTOR
    vocabulary = folder / "modules" / f"{MODULE}.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "example: Die Teamleiterin erklärt", "example: Das Teamleiterin erklärt", 1), encoding="utf-8")
    result = kurswerk("check", "--curricula", str(curricula), "--no-color")
    lines = [line for line in result.stdout.splitlines()[:-1] if not line.startswith("    ")]
    seen = {"error": 0, "warning": 0}
    for line in lines:
        hits = {severity: re.match(pattern["regexp"], line) for severity, pattern in matchers.items()}
        matched = [severity for severity, hit in hits.items() if hit]
        assert len(matched) == 1, (line, matched)  # exactly one problem per line
        severity = matched[0]
        hit = hits[severity]
        assert hit is not None
        pattern = matchers[severity]
        assert Path(hit.group(pattern["file"])).is_file() or (ROOT / hit.group(pattern["file"])).is_file()
        assert int(hit.group(pattern["line"])) >= 1 and int(hit.group(pattern["column"])) >= 1
        assert hit.group(pattern["code"]) in CODES
        seen[severity] += 1
        assert (severity == "error") == (hit.group(pattern["code"]) == "E-ARTICLE-TEXT")
    assert seen["error"] >= 1 and seen["warning"] == 3


def test_yaml_errors_are_explained_in_german(curricula: Path) -> None:
    module = curricula / SECTOR / "modules" / f"{MODULE}.yml"
    cases = {
        "Tabulator": "title: Test\nsummary:\n\t- eins\n",
        "Einrückung": "title: Test\nsteps:\n  - eins\n - zwei\n",
        "Doppelpunkt": "title: Test\nsummary: Achtung: heiß\n",
        "Anführungszeichen": 'title: "Test\n',
    }
    for word, text in cases.items():
        module.write_text(text, encoding="utf-8")
        result = kurswerk("check", "--curricula", str(curricula), "--sector", SECTOR)
        [line] = [line for line in result.stdout.splitlines() if "E-YAML" in line]
        assert word in line, (word, line)
        assert re.search(r"^\s+\d+ \| .*\n\s+\| *\^$", result.stdout, re.MULTILINE), result.stdout
        assert not re.search(r"\b(found|expected|while|scanning|could not)\b", line), line


def test_check_refuses_what_it_cannot_check(tmp_path: Path) -> None:
    empty = tmp_path / "leer"
    empty.mkdir()
    result = kurswerk("check", "--curricula", str(empty))
    assert result.returncode == 2 and "keine Branche" in result.stderr
    result = kurswerk("check", "--disable", "E-GIBTS-NICHT")
    assert result.returncode == 2 and "unbekannter Code E-GIBTS-NICHT" in result.stderr


def test_every_code_the_kit_reports_is_registered() -> None:
    used = set()
    for path in (ROOT / "src" / "kurswerk").rglob("*.py"):
        used |= set(re.findall(r"[\"']([EW]-[A-Z0-9]+(?:-[A-Z0-9]+)*)[\"']", path.read_text(encoding="utf-8")))
    assert used - set(CODES) == set()


# --- notebooks from any folder ---------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["", "modules"])
def test_module_notebooks_run_with_their_defaults_from_root_and_from_modules(folder: str, tmp_path: Path) -> None:
    """papermill as a user calls it, without any parameter: the notebooks find the curricula themselves."""
    cwd = ROOT / folder
    for notebook in sorted((ROOT / "modules").glob("*.ipynb")):
        output = tmp_path / f"{folder or 'root'}-{notebook.name}"
        source = notebook.relative_to(cwd) if folder == "" else Path(notebook.name)
        environment = {key: value for key, value in os.environ.items() if key != "KURSWERK_CURRICULA"}
        result = subprocess.run([str(BIN / "papermill"), str(source), str(output), "--cwd", str(tmp_path)
                                 if notebook.stem == "sektor_profil" else ".", "-k", "python3"],
                                cwd=cwd, capture_output=True, text=True, env=environment, timeout=300, check=False)
        assert result.returncode == 0, result.stderr[-2000:]
        executed = json.loads(output.read_text(encoding="utf-8"))
        shown = "".join("".join(item.get("data", {}).get("text/markdown", ""))
                        for cell in executed["cells"] for item in cell.get("outputs", []))
        assert "# " in shown and ("Pflege" in shown or "Übergabe" in shown or "Vielfalt" in shown), shown[:300]


@pytest.mark.slow
def test_lab_opens_jupyterlab_in_the_project_with_its_python(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "lab.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(KURSWERK), "lab", "--no-browser", "--port", str(port)], cwd=ROOT,
                                   stdout=output, stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(tmp_path)})
    try:
        token = ""
        deadline = time.monotonic() + 180
        while not token and time.monotonic() < deadline and process.poll() is None:
            found = re.search(r"token=([0-9a-f]+)", log.read_text(encoding="utf-8"))
            token = found.group(1) if found else ""
            time.sleep(0.2)
        assert token, log.read_text(encoding="utf-8")[-2000:]
        base = f"http://127.0.0.1:{port}/api"
        with urllib.request.urlopen(f"{base}/contents/modules?token={token}", timeout=10) as answer:
            listing = json.load(answer)
        assert {"daa_szenario.ipynb", "ikoe_training.ipynb", "sektor_profil.ipynb"} <= {
            item["name"] for item in listing["content"]}
        with urllib.request.urlopen(f"{base}/kernelspecs?token={token}", timeout=10) as answer:
            specs = json.load(answer)
        assert "python3" in specs["kernelspecs"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- serve: both editions, reload by itself, hardened --------------------------------------------------


@pytest.fixture
def served(curricula: Path, tmp_path: Path) -> Iterator[tuple[str, list[str], Path]]:
    """``kurswerk serve`` (in a thread) on the fresh draft sector; yields base URL, messages, curricula."""
    project = Project.at(ROOT, curricula=curricula, build=tmp_path / "build")
    stop, messages = threading.Event(), []
    thread = threading.Thread(target=serve, kwargs={"project": project, "port": 0, "watch": True,
                                                    "echo": messages.append, "stop": stop, "interval": 0.2,
                                                    "pdf": False})
    thread.start()
    try:
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and not any("Kursbuch: http" in message for message in messages):
            time.sleep(0.1)
        started = next(message for message in messages if "Kursbuch: http" in message)
        match = re.search(r"http://127\.0\.0\.1:\d+/", started)
        assert match
        yield match.group(), messages, curricula
    finally:
        stop.set()
        thread.join(timeout=120)


def fetch(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


@pytest.mark.slow
@pytest.mark.browser
def test_serve_shows_both_editions_and_reloads_after_an_edit(served: tuple[str, list[str], Path]) -> None:
    playwright_sync = pytest.importorskip("playwright.sync_api")
    base, messages, curricula = served
    page_path = f"{SECTOR}/{MODULE}.html"
    status, public = fetch(base + page_path)
    assert status == 200 and "Sich im Team vorstellen" in public and "Unterrichtsplan" not in public
    status, trainer = fetch(base + "lehrkraefte/" + page_path)
    assert status == 200 and "Unterrichtsplan" in trainer
    # hardening: no listings, no hidden files, no NUL, only this machine's names as Host
    assert fetch(base + "_static/")[0] == 404
    assert fetch(base + ".buildinfo")[0] == 404
    assert fetch(base + "index.html%00.txt")[0] == 404
    assert fetch(base + "../../etc/passwd")[0] in (400, 404)
    assert fetch(base + "index.html", host="evil.example:80")[0] == 400
    module_file = curricula / SECTOR / "modules" / f"{MODULE}.yml"
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(base + page_path)
            assert "Sich im Team vorstellen" in page.locator("h1").first.inner_text()
            text = module_file.read_text(encoding="utf-8")
            builds = sum("Neu gebaut" in message for message in messages)
            module_file.write_text(text.replace("title: Sich im Team vorstellen", "title: Mein erster Tag im Team"),
                                   encoding="utf-8")
            playwright_sync.expect(page.locator("h1").first).to_contain_text("Mein erster Tag im Team",
                                                                              timeout=300_000)
            assert sum("Neu gebaut" in message for message in messages) > builds
        finally:
            browser.close()


# --- the whole first hour ------------------------------------------------------------------------------


@pytest.mark.slow
def test_first_hour_from_new_to_the_sector_in_the_book(tmp_path: Path) -> None:
    """new (a draft) → fill in one module → check → module --format docx → build → the sector in the book."""
    import docx

    folder = tmp_path / "curricula"
    shutil.copytree(ROOT / "curricula" / "data", folder / "data")
    result = kurswerk("new", SECTOR, "--name", NAME, "--curricula", str(folder))
    assert result.returncode == 0 and ".venv/bin/kurswerk check" in result.stdout
    module = folder / SECTOR / "modules" / f"{MODULE}.yml"
    module.write_text(module.read_text(encoding="utf-8").replace(
        "title: Sich im Team vorstellen", "title: Sich im Kosmetikstudio vorstellen"), encoding="utf-8")
    result = kurswerk("check", "--curricula", str(folder))
    assert result.returncode == 0, result.stdout
    out = tmp_path / "out"
    result = kurswerk("module", SECTOR, MODULE, "--curricula", str(folder), "--format", "docx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.split()]
    assert written[0].name == f"{MODULE}-1-input.docx"
    assert "Sich im Kosmetikstudio vorstellen" in "\n".join(
        paragraph.text for paragraph in docx.Document(str(written[0])).paragraphs)
    build = tmp_path / "build"
    result = kurswerk("build", "--curricula", str(folder), "--build-dir", str(build), "--no-pdf", "-q")
    assert result.returncode == 2 and "Entwürfe" in result.stderr and "--drafts" in result.stderr
    result = kurswerk("build", "--curricula", str(folder), "--build-dir", str(build), "--no-pdf", "-q", "--drafts")
    assert result.returncode == 0, result.stderr[-3000:]
    page = build / "html" / SECTOR / f"{MODULE}.html"
    assert "Sich im Kosmetikstudio vorstellen" in page.read_text(encoding="utf-8")
    assert (build / "handouts" / "public" / SECTOR / f"{MODULE}-1-input.docx").is_file()


# --- German for its users ------------------------------------------------------------------------------

ENGLISH = re.compile(r"\b(the|and|with|only|this|is|are|of|for|to|from|into|every|each|show|usage|options|"
                     r"error|default|missing|invalid|such)\b", re.IGNORECASE)


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["module"], ["new"], ["schema"], ["serve"], ["lab"]])
def test_help_is_german(command: list[str]) -> None:
    result = kurswerk(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Aufruf: kurswerk") and "Optionen:" in result.stdout
    text = re.sub(r"\S*[/.=_]\S*|--[\w-]+|\[[^\]]*\|[^\]]*\]|http\S+", " ", result.stdout)  # paths, options, choices
    assert not ENGLISH.findall(text), ENGLISH.findall(text)


def test_usage_errors_are_german() -> None:
    result = kurswerk("build", "--gibts-nicht")
    assert result.returncode == 2
    assert "Fehler: Die Option „--gibts-nicht“ gibt es nicht" in result.stderr
    result = kurswerk("check", "--format", "xml")
    assert "Ungültiger Wert für '--format'" in result.stderr and "Aufruf:" in result.stderr


# --- the README's commands work as written --------------------------------------------------------------


def readme_commands() -> list[list[str]]:
    """Every ``kurswerk …`` command the README names in backticks, as argument lists (… and flags alone dropped)."""
    import shlex

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for span in re.findall(r"`((?:\.venv/bin/)?kurswerk [^`]+)`", text):
        words = [word for word in shlex.split(span.replace("…", ""))][1:]
        if words and not words[0].startswith("-") and not any(word.isupper() for word in words):
            commands.append(words)
    return commands


def test_readme_names_the_installed_command_and_real_make_targets() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/kurswerk" in text and "source .venv/bin/activate" in text
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z]+)`", text)):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


@pytest.mark.parametrize("words", readme_commands(), ids=" ".join)
def test_readme_command_parses_as_written(words: list[str]) -> None:
    """Each command with ``--help`` added: every option it names exists (the options are parsed first)."""
    named = words[-1] if len(words) == 2 and words[-1].startswith("--") else None  # an option named in prose
    result = kurswerk(*(words[:-1] if named else words), "--help")
    assert result.returncode == 0, result.stderr
    assert named is None or named in result.stdout
    if words[0] == "module" and len(words) >= 3 and not words[1].startswith("-"):
        assert (ROOT / "curricula" / words[1] / "modules" / f"{words[2]}.yml").is_file(), words
