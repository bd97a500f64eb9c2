"""Authoring: ``kurswerk new`` (scaffold), ``kurswerk module``, ``kurswerk schema``, ``kurswerk serve``.

The slow tests work as a new author would: scaffold a sector, add a module, build, look at the
pages and handouts; generate one module in every format; edit a file while the preview runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from kurswerk.build import build
from kurswerk.check import run_checks
from kurswerk.cli import main
from kurswerk.errors import InputError
from kurswerk.load import load_sector, read_yaml
from kurswerk.model import Module
from kurswerk.plan import Project
from kurswerk.scaffold import create_sector
from kurswerk.schema import KINDS, schema_for, schema_text, stale_schemas
from kurswerk.serve import HOST, Watcher, make_server, rebuild, serve, settle

ROOT = Path(__file__).resolve().parents[1]
KURSWERK = Path(sys.executable).with_name("kurswerk")
SECTOR, NAME, MODULE, TRAINING = "einzelhandel", "Einzelhandel", "sich-im-team-vorstellen", "gut-ankommen"
OPEN_FINDINGS = {"E-MODULES-FEW", "E-LEVEL-B1", "E-GLOSSARY-FEW"}
"""What ``kurswerk check`` still asks of a fresh scaffold: more modules, one at B1, a longer glossary."""


def make_curricula(tmp_path: Path) -> Path:
    """Return an empty curricula folder with the reference data the sector charts need."""
    curricula = tmp_path / "curricula"
    shutil.copytree(ROOT / "curricula" / "data", curricula / "data")
    return curricula


@pytest.fixture
def scaffolded(tmp_path: Path) -> Path:
    """A curricula folder holding one freshly scaffolded sector."""
    curricula = make_curricula(tmp_path)
    create_sector(ROOT / "templates", curricula, SECTOR, NAME)
    return curricula


def run_cli(*arguments: str) -> tuple[int, str]:
    """Run ``kurswerk`` in-process; returns exit code and combined output."""
    result = CliRunner().invoke(main, list(arguments))
    return result.exit_code, result.output


# --- kurswerk new --------------------------------------------------------------------------------


def test_scaffold_loads_and_is_commented(scaffolded: Path) -> None:
    curriculum = load_sector(scaffolded / SECTOR)
    assert curriculum.sector.id == SECTOR and curriculum.sector.name == NAME
    assert [module.id for module in curriculum.modules] == [MODULE]
    assert [training.id for training in curriculum.trainings] == [TRAINING]
    assert curriculum.glossary.terms
    files = sorted(path.relative_to(scaffolded / SECTOR).as_posix() for path in (scaffolded / SECTOR).rglob("*"))
    assert files == ["glossary.yml", "modules", f"modules/{MODULE}.yml", "sector.yml", "trainings",
                     f"trainings/{TRAINING}.yml", "wortliste.txt"]
    for path in (scaffolded / SECTOR).rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# Sektor {NAME}: "), path
        assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 5, path
        assert not re.search(r"TODO|lorem|ipsum|\$\{|xxx", text, re.IGNORECASE), path


def test_scaffold_passes_check_as_a_draft(scaffolded: Path) -> None:
    """Correct spelling, articles, plurals, timing and completeness of the example module and training;
    what a sector in progress lacks (more modules, one at B1, a longer glossary) are warnings of a draft."""
    findings = run_checks(scaffolded)
    assert {finding.code for finding in findings} == OPEN_FINDINGS, [str(finding) for finding in findings]
    assert {finding.severity for finding in findings} == {"warning"}
    assert load_sector(scaffolded / SECTOR).sector.draft is True


def test_scaffold_keeps_any_display_name_literal(tmp_path: Path) -> None:
    name = 'Kfz: „Werkstatt“ #1 "neu"'
    create_sector(ROOT / "templates", make_curricula(tmp_path), "kfz", name)
    assert load_sector(tmp_path / "curricula" / "kfz").sector.name == name


def test_new_command_writes_sector_and_prints_next_steps(tmp_path: Path) -> None:
    curricula = make_curricula(tmp_path)
    code, output = run_cli("new", SECTOR, "--name", NAME, "--root", str(ROOT), "--curricula", str(curricula))
    assert code == 0, output
    assert (curricula / SECTOR / "modules" / f"{MODULE}.yml").is_file()
    assert f"kurswerk check --sector {SECTOR}" in output
    assert "glossary.yml" in output and "Als Nächstes" in output
    assert "Achtung" not in output


@pytest.mark.parametrize("sector_id", ["Einzelhandel", "kfz_werkstatt", "../pflege", "a--b", "a-", "ä", "data"])
def test_new_refuses_an_invalid_id(tmp_path: Path, sector_id: str) -> None:
    curricula = make_curricula(tmp_path)
    code, output = run_cli("new", sector_id, "--name", "X", "--root", str(ROOT), "--curricula", str(curricula))
    assert code == 2, output
    assert "Kennung" in output or "vergeben" in output
    assert sorted(path.name for path in curricula.iterdir()) == ["data"]


def test_new_refuses_an_existing_folder(scaffolded: Path) -> None:
    before = (scaffolded / SECTOR / "sector.yml").read_bytes()
    code, output = run_cli("new", SECTOR, "--name", "Anders", "--root", str(ROOT), "--curricula", str(scaffolded))
    assert code == 2 and "gibt es schon" in output
    assert (scaffolded / SECTOR / "sector.yml").read_bytes() == before


def test_new_refuses_an_empty_name(tmp_path: Path) -> None:
    code, output = run_cli("new", SECTOR, "--name", "  ", "--root", str(ROOT), "--curricula", str(tmp_path))
    assert code == 2 and "--name" in output


SECOND_MODULE = """\
# Sektor Einzelhandel: Modul Eine Arbeitsanweisung verstehen
template: daa_szenario
id: arbeitsanweisung
title: Eine Arbeitsanweisung verstehen und nachfragen
level: B1
field_of_action: [III, D]
duration_ue: 2
summary: Die Teilnehmenden verstehen eine mündliche Arbeitsanweisung, fragen nach und bestätigen sie schriftlich.
needs: Neue Mitarbeitende bekommen viele Anweisungen mündlich und zwischen zwei Aufgaben.
can_do:
  - Ich kann eine mündliche Arbeitsanweisung verstehen und gezielt nachfragen.
  - Ich kann eine Anweisung in einer kurzen Nachricht bestätigen.
scenario:
  protagonist: {name: Daniel Mensah, role: Verkäufer}
  setting: Ein Baumarkt, Montagmorgen vor der Öffnung.
  steps:
    - title: Die Anweisung hören
      mode: oral
      register: informal
      partner: Sevgi, Schichtleiterin
      task: Hören Sie die Anweisung und fragen Sie nach, was zuerst zu tun ist.
      dialogue:
        - {speaker: Sevgi, text: "Daniel, räumst du bitte zuerst die neue Lieferung Farben ein?"}
        - {speaker: Daniel, text: "Klar. Wohin kommen die Eimer, in Gang drei?"}
        - {speaker: Sevgi, text: "Genau, ins untere Regal. Danach hilfst du an der Kasse."}
    - title: Bei der Marktleitung nachfragen
      mode: oral
      register: formal
      partner: Herr Brandt, Marktleiter
      task: Fragen Sie, bis wann die Ware im Regal sein muss.
      dialogue:
        - {speaker: Daniel, text: "Entschuldigung, Herr Brandt, bis wann muss die Ware im Regal sein?"}
        - {speaker: Herr Brandt, text: "Bis neun Uhr, dann öffnen wir."}
        - {speaker: Daniel, text: "Danke, das schaffe ich."}
    - title: Die Anweisung bestätigen
      mode: written
      register: informal
      partner: Sevgi
      task: Schreiben Sie Sevgi eine kurze Nachricht, dass die Farben eingeräumt sind.
phrases:
  - {function: nachfragen, register: informal, text: "Kannst du mir das zeigen?", counterpart: "Können Sie mir das zeigen?",
     relation: team}
  - {function: bestätigen, register: neutral, text: "Alles klar, das mache ich."}
  - {function: informieren, register: neutral, text: "Die Farben sind eingeräumt."}
vocabulary:
  - {lemma: Lieferung, pos: noun, article: die, plural: die Lieferungen, example: "Die Lieferung kommt um sieben Uhr."}
  - {lemma: Regal, pos: noun, article: das, plural: die Regale, example: "Die Eimer kommen ins untere Regal."}
  - {lemma: einräumen, pos: verb, forms: "räumt ein – räumte ein – hat eingeräumt", example: "Ich räume die Farben ein."}
document:
  kind: form
  type: Arbeitsauftrag
  title: Arbeitsauftrag Montag
  fields:
    - {label: Aufgabe, value: Lieferung Farben einräumen (Gang 3)}
    - {label: Erledigt bis, value: "9:00 Uhr"}
strategies:
  - {title: Wiederholen, text: "Wiederholen Sie die Anweisung mit eigenen Worten."}
transfer: {task: Wiederholen Sie diese Woche eine Anweisung mit eigenen Worten.}
trainer_notes:
  timing:
    - {phase: Dialog hören und Nachfragen üben, minutes: 90, social_form: Partnerarbeit}
"""


def add_module_as_the_guide_says(curricula: Path) -> None:
    """Write a second module (B1) and list it in the A2 → B1 track, as the authoring guide describes."""
    (curricula / SECTOR / "modules" / "arbeitsanweisung.yml").write_text(SECOND_MODULE, encoding="utf-8")
    sector = curricula / SECTOR / "sector.yml"
    text = sector.read_text(encoding="utf-8")
    listed = f"\n        - {MODULE}\n"
    assert listed in text and "to_level: B1" in text
    sector.write_text(text.replace(listed, f"{listed}        - arbeitsanweisung\n"), encoding="utf-8")


@pytest.mark.slow
def test_a_new_author_scaffolds_adds_a_module_and_builds(tmp_path: Path) -> None:
    curricula = make_curricula(tmp_path)
    code, output = run_cli("new", SECTOR, "--name", NAME, "--root", str(ROOT), "--curricula", str(curricula))
    assert code == 0, output
    add_module_as_the_guide_says(curricula)
    project = Project.at(ROOT, curricula=curricula, build=tmp_path / "build")
    report = build(project, ["public"], jobs=2, drafts=True)
    assert report.sphinx_runs == ["public"]
    html = project.html_dir("public")
    for page in ("index", MODULE, "arbeitsanweisung", TRAINING, "glossar", "downloads"):
        assert (html / SECTOR / f"{page}.html").is_file(), page
    assert "Eine Arbeitsanweisung verstehen und nachfragen" in (html / SECTOR / "arbeitsanweisung.html").read_text()
    handouts = project.build / "handouts" / "public" / SECTOR
    packet = {f"{module}-{part}.docx" for module in (MODULE, "arbeitsanweisung")
              for part in ("1-input", "2-uebungen-mit-hilfe", "2-uebungen-ohne-hilfe")}
    assert {path.name for path in handouts.glob("*.docx")} == packet | {
        f"{TRAINING}-teilnehmende.docx", "unternehmen.docx", "glossar.docx"}
    assert {path.stem for path in handouts.glob("*.pdf")} == {path.stem for path in handouts.glob("*.docx")}
    guide = html_text(html / "autorenleitfaden.html")
    assert "Leitfaden für Autorinnen und Autoren" in guide and "kurswerk new" in guide
    assert "Über dieses Buch" in guide


def html_text(path: Path) -> str:
    """Return the text of an HTML page without tags (code highlighting splits commands into spans)."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


# --- kurswerk module -------------------------------------------------------------------------------


def run_module(curricula: Path, output: Path, *arguments: str) -> list[Path]:
    """Run ``kurswerk module`` as a user would (a subprocess); returns the paths it printed."""
    command = [str(KURSWERK), "module", "--root", str(ROOT), "--curricula", str(curricula), "-o", str(output),
               *arguments]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return [Path(line) for line in result.stdout.splitlines() if line.strip()]


def test_module_command_writes_docx(scaffolded: Path, tmp_path: Path) -> None:
    import docx

    common = ["--root", str(ROOT), "--curricula", str(scaffolded), "-o", str(tmp_path / "out"), "--format", "docx"]
    code, output = run_cli("module", SECTOR, MODULE, "--edition", "trainer", *common)
    assert code == 0, output
    paths = [Path(line) for line in output.split()]
    folder = (tmp_path / "out" / SECTOR).resolve()
    assert paths == [folder / f"{MODULE}-{part}.docx" for part in
                     ("1-input", "2-uebungen-mit-hilfe", "2-uebungen-ohne-hilfe", "3-karten", "4-lehrkraft")]
    text = "\n".join(paragraph.text for paragraph in docx.Document(str(paths[-1])).paragraphs)
    assert "Sich im Team vorstellen" in text and "Unterrichtsplan" in text
    code, output = run_cli("module", SECTOR, MODULE, "--help-level", "ohne-hilfe", *common)
    assert code == 0 and [Path(line).name for line in output.split()] == [
        f"{MODULE}-1-input.docx", f"{MODULE}-2-uebungen-ohne-hilfe.docx"]
    code, output = run_cli("module", SECTOR, TRAINING, *common)
    assert code == 0 and Path(output.strip()).name == f"{TRAINING}-teilnehmende.docx"


def test_module_command_refuses_an_unknown_module(scaffolded: Path, tmp_path: Path) -> None:
    code, output = run_cli("module", SECTOR, "gibt-es-nicht", "--root", str(ROOT), "--curricula", str(scaffolded),
                           "-o", str(tmp_path / "out"), "--format", "docx")
    assert code == 2 and "gibt-es-nicht" in output


def test_module_command_writes_a_notebook_a_trainer_can_edit(scaffolded: Path, tmp_path: Path) -> None:
    """Parameters cell first, then plain Markdown: no escapes, no label lines, no directives or roles."""
    import nbformat

    [path] = run_module(scaffolded, tmp_path / "out", SECTOR, MODULE, "--format", "ipynb", "--edition", "trainer")
    assert path.name == f"{MODULE}-seite-lehrkraft.ipynb"
    notebook = nbformat.read(path, as_version=4)
    first, *rest = notebook.cells
    assert first.cell_type == "code" and "parameters" in first.metadata["tags"]
    assert f"module = '{MODULE}'" in first.source and "edition = 'trainer'" in first.source
    assert rest and all(cell.cell_type == "markdown" for cell in rest)
    markdown = "\n".join(cell.source for cell in rest)
    assert "Sich im Team vorstellen" in markdown and "## Für Lehrkräfte" in markdown and "Unterrichtsplan" in markdown
    assert not re.search(r"\\[^\w\s]", markdown), re.findall(r".{20}\\[^\w\s].{20}", markdown)[:3]
    assert not re.search(r"^\(.*\)=$|^(```|:::)|\{(ref|download|admonition|note)\}", markdown, re.MULTILINE)
    [public] = run_module(scaffolded, tmp_path / "out", SECTOR, MODULE, "--format", "ipynb")
    assert public.name == f"{MODULE}-seite.ipynb"
    assert "Unterrichtsplan" not in "\n".join(cell.source for cell in nbformat.read(public, as_version=4).cells)


@pytest.mark.slow
def test_module_command_writes_html_and_cleans_up(scaffolded: Path, tmp_path: Path) -> None:
    [page] = run_module(scaffolded, tmp_path / "out", SECTOR, MODULE, "--format", "html")
    assert page.name == f"{MODULE}-seite.html" and page.parent.name == f"{MODULE}-seite-html"
    text = page.read_text(encoding="utf-8")
    assert "Sich im Team vorstellen" in text and "Unterrichtsplan" not in text
    assert (page.parent / "glossar.html").is_file()
    assert not [path.name for path in (tmp_path / "out" / SECTOR).iterdir() if path.name.startswith(".")]


# --- kurswerk schema -------------------------------------------------------------------------------


def test_committed_schema_files_are_current() -> None:
    stale = stale_schemas(ROOT / "schema")
    assert not stale, f"run `kurswerk schema` to refresh: {[path.name for path in stale]}"


def test_schema_command_writes_the_committed_files(tmp_path: Path) -> None:
    code, output = run_cli("schema", "--output", str(tmp_path))
    assert code == 0, output
    for kind in KINDS:
        assert (tmp_path / kind.file_name).read_bytes() == (ROOT / "schema" / kind.file_name).read_bytes()
    assert run_cli("schema", "--output", str(tmp_path), "--check")[0] == 0
    (tmp_path / "module.schema.json").write_text("{}", encoding="utf-8")
    code, output = run_cli("schema", "--output", str(tmp_path), "--check")
    assert code == 1 and "module.schema.json" in output


def test_schemas_are_draft_07_with_yaml_keys_and_german_descriptions() -> None:
    for kind in KINDS:
        schema = schema_for(kind)
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        assert "$defs" not in schema_text(kind)
        for name, definition in [(kind.model.__name__, schema), *schema.get("definitions", {}).items()]:
            assert definition.get("description"), name
            for key, value in definition.get("properties", {}).items():
                assert value.get("description"), f"{kind.name}: {name}.{key} has no German description"
                assert "$ref" not in value or len(value) == 1, f"{name}.{key}: $ref with siblings"
    sector = schema_for(KINDS[0])["properties"]
    assert "register" in sector and "register_note" not in sector


def validator(kind_name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema_for(next(kind for kind in KINDS if kind.name == kind_name)))


def test_schema_accepts_what_the_loader_accepts(scaffolded: Path) -> None:
    folder = scaffolded / SECTOR
    cases = [("sector", folder / "sector.yml"), ("module", folder / "modules" / f"{MODULE}.yml"),
             ("training", folder / "trainings" / f"{TRAINING}.yml"), ("glossary", folder / "glossary.yml"),
             ("module", ROOT / "tests" / "data" / "good" / "module.yml")]
    for kind_name, path in cases:
        errors = [error.message for error in validator(kind_name).iter_errors(read_yaml(path).data)]
        assert not errors, f"{path.name}: {errors[:3]}"


def test_schema_accepts_numbers_where_the_loader_does() -> None:
    fact = {"label": "Anteil", "value": 42, "unit": "%", "source": "Destatis", "year": 2023}
    sector = {"facts": [fact]}
    errors = [error for error in validator("sector").iter_errors(sector) if "facts" in list(error.absolute_path)]
    assert not errors, [error.message for error in errors]
    bad_year = {**fact, "year": "im Jahr 2023"}
    assert list(validator("sector").iter_errors({"facts": [bad_year]}))


SCHEMA_DEFECTS = ["wrong-type.yml", "missing-field.yml", "unknown-key.yml", "id-path.yml", "id-slash.yml",
                  "wrong-article.yml", "can-do-form.yml", "too-few-steps.yml", "not-a-mapping.yml"]


@pytest.mark.parametrize("name", SCHEMA_DEFECTS)
def test_schema_rejects_what_the_loader_rejects(name: str) -> None:
    data = read_yaml(ROOT / "tests" / "data" / "bad" / name).data
    with pytest.raises(ValueError):
        Module.model_validate(data)
    assert list(validator("module").iter_errors(data)), name


# --- kurswerk serve --------------------------------------------------------------------------------


def touch(path: Path, text: str) -> None:
    """Write ``text`` so that a poll sees a change even on file systems with coarse timestamps."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(old + 2_000_000_000, old + 2_000_000_000))


def test_watcher_reports_changed_added_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "modules").mkdir()
    first, second = tmp_path / "modules" / "a.yml", tmp_path / "sector.yml"
    first.write_text("a: 1\n", encoding="utf-8")
    second.write_text("b: 1\n", encoding="utf-8")
    watcher = Watcher([tmp_path, tmp_path / "fehlt"])
    assert watcher.poll() == []
    touch(first, "a: 2\n")
    assert watcher.poll() == [first]
    assert watcher.poll() == []
    added = tmp_path / "modules" / "b.yml"
    added.write_text("c: 1\n", encoding="utf-8")
    second.unlink()
    assert watcher.poll() == sorted([added, second])


def test_watcher_ignores_hidden_and_swap_files(tmp_path: Path) -> None:
    watcher = Watcher([tmp_path])
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "x.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / ".sector.yml.swp").write_text("x", encoding="utf-8")
    (tmp_path / "sector.yml~").write_text("x", encoding="utf-8")
    assert watcher.poll() == []


def test_settle_collects_changes_until_writing_stops(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_text("a: 1\n", encoding="utf-8")
    watcher = Watcher([tmp_path])
    other = tmp_path / "b.yml"
    timer = threading.Timer(0.05, lambda: other.write_text("b: 1\n", encoding="utf-8"))
    timer.start()
    assert settle(watcher, [path], pause=0.2) == sorted([path, other])
    timer.join()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_server_serves_on_localhost_only_and_refuses_a_taken_port(tmp_path: Path) -> None:
    project = Project.at(ROOT, curricula=tmp_path, build=tmp_path / "build")
    for edition, text in (("public", "Kursbuch"), ("trainer", "Lehrkräfte")):
        project.html_dir(edition).mkdir(parents=True)
        (project.html_dir(edition) / "index.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    server = make_server(project, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        assert host == HOST == "127.0.0.1"
        assert "Kursbuch" in get(f"http://{HOST}:{port}/index.html")
        assert "Lehrkräfte" in get(f"http://{HOST}:{port}/lehrkraefte/")
        with pytest.raises(InputError, match="anderen Port"):
            make_server(project, port)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_rebuild_prints_input_errors_and_reports_failure(scaffolded: Path, tmp_path: Path) -> None:
    (scaffolded / SECTOR / "sector.yml").write_text("id: einzelhandel\nname: [\n", encoding="utf-8")
    messages: list[str] = []
    assert rebuild(Project.at(ROOT, curricula=scaffolded, build=tmp_path / "build"), messages.append) is False
    assert "Build fehlgeschlagen" in messages[0] and "sector.yml:" in messages[0]


def test_serve_without_watch_needs_a_built_book(tmp_path: Path) -> None:
    project = Project.at(ROOT, curricula=tmp_path, build=tmp_path / "build")
    with pytest.raises(InputError, match="kurswerk build"):
        serve(project, port=0, watch=False, echo=lambda message: None)


def start_serving(project: Project, watch: bool) -> tuple[threading.Thread, threading.Event, list[str]]:
    """Run :func:`serve` in a thread; returns the thread, its stop event and the messages it printed."""
    stop, messages = threading.Event(), []
    thread = threading.Thread(target=serve, kwargs={"project": project, "port": 0, "watch": watch,
                                                    "echo": messages.append, "stop": stop, "interval": 0.2})
    thread.start()
    return thread, stop, messages


def wait_for(messages: list[str], fragment: str, count: int = 1, timeout: float = 240) -> str:
    """Wait until ``count`` messages contain ``fragment``; returns the last of them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [message for message in messages if fragment in message]
        if len(found) >= count:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {fragment!r} after {timeout} s: {messages}")


def base_url(messages: list[str]) -> str:
    match = re.search(r"http://127\.0\.0\.1:\d+/", wait_for(messages, "Kursbuch: http"))
    assert match
    return match.group()


def test_serve_without_watch_serves_until_stopped(tmp_path: Path) -> None:
    html = tmp_path / "build" / "html"
    html.mkdir(parents=True)
    (html / "index.html").write_text("<p>Kursbuch</p>", encoding="utf-8")
    thread, stop, messages = start_serving(Project.at(ROOT, curricula=tmp_path, build=tmp_path / "build"), False)
    try:
        assert "Kursbuch" in get(base_url(messages) + "index.html")
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.mark.slow
def test_serve_rebuilds_on_change_and_keeps_the_last_good_book(scaffolded: Path, tmp_path: Path) -> None:
    project = Project.at(ROOT, curricula=scaffolded, build=tmp_path / "build")
    module_file = scaffolded / SECTOR / "modules" / f"{MODULE}.yml"
    good = module_file.read_text(encoding="utf-8")
    thread, stop, messages = start_serving(project, True)
    try:
        page = base_url(messages) + f"{SECTOR}/{MODULE}.html"
        assert "Neu gebaut" in wait_for(messages, "Neu gebaut")
        assert "der erste Arbeitstag" in get(page)
        touch(module_file, good.replace("level: A2", "level: A1"))
        assert "level" in wait_for(messages, "Build fehlgeschlagen")
        assert "der erste Arbeitstag" in get(page)
        touch(module_file, good.replace("– der erste Arbeitstag", "– mein erster Tag"))
        rebuilt = wait_for(messages, "Neu gebaut", count=2)
        assert f"{SECTOR}/{MODULE}" in rebuilt
        assert "mein erster Tag" in get(page)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert any(f"modules/{MODULE}.yml" in message for message in messages if message.startswith("Geändert"))


def test_schema_files_are_valid_json() -> None:
    for kind in KINDS:
        assert json.loads((ROOT / "schema" / kind.file_name).read_text(encoding="utf-8"))["title"] == kind.title


# --- the authoring guide ---------------------------------------------------------------------------


def guide_yaml_blocks() -> list[str]:
    text = (ROOT / "templates" / "book" / "autorenleitfaden.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def test_guide_yaml_examples_fit_a_schema(tmp_path: Path) -> None:
    """Every YAML example in the guide parses and uses only real keys and values (required keys may be left out)."""
    blocks = guide_yaml_blocks()
    assert len(blocks) >= 15
    for number, block in enumerate(blocks):
        path = tmp_path / f"example-{number}.yml"
        path.write_text(block, encoding="utf-8")
        data = read_yaml(path).data
        problems = {kind.name: [error.message for error in validator(kind.name).iter_errors(data)
                                if error.validator != "required"] for kind in KINDS}
        assert any(not messages for messages in problems.values()), f"example {number}:\n{block}\n{problems}"


def test_new_warns_when_the_reference_data_is_missing(tmp_path: Path) -> None:
    code, output = run_cli("new", SECTOR, "--name", NAME, "--root", str(ROOT), "--curricula", str(tmp_path / "neu"))
    assert code == 0, output
    assert "Achtung" in output and "data" in output
    assert load_sector(tmp_path / "neu" / SECTOR).sector.id == SECTOR
