"""Every message the tool prints is German: ``kurswerk check`` over broken copies of a shipped sector.

The copies of ``curricula/lagerlogistik`` are broken in many ways (schema, references, completeness,
language); the test runs the real command line and reads its output. Codes (``E-ARTICLE``), file
names and key paths (``vocabulary[0].article``) stay as they are; the message of every line must
hold no English sentence and must be German.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kurswerk.errors import TargetFailure, TargetsFailed

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "curricula" / "lagerlogistik"
KURSWERK = Path(sys.executable).with_name("kurswerk")

ENGLISH = re.compile(
    r"\b(the|is|are|must|should|cannot|can|not|no|field|required|input|valid|found|missing|expected|has|have|"
    r"needs|unknown|duplicate|does|which|least|most|allowed|error|failed|kept|cell|target|should|did you mean)\b",
    re.IGNORECASE,
)
GERMAN = re.compile(r"[äöüßÄÖÜ„“]|\b(der|die|das|ist|sind|nicht|kein|keine|fehlt|mit|und|oder|hat|haben|braucht|"
                    r"muss|darf|Sie|es|gibt|nennt|steht|heißt|Wort|Fehler|Warnung|Warnungen|Datei|Dateien)\b")
CODE = re.compile(r"\b[EW]-[A-Z0-9-]+")
"""Finding codes are English on purpose (``E-MISSING``) and stay out of the language check."""
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[EW]-[A-Z0-9-]+)(?: (?P<key>\S+))?: "
                  r"(?P<message>.*)$")

Data = dict[str, Any]


def edit(path: Path, change: Callable[[Data], Any]) -> None:
    """Load a YAML file, change its data in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def copy_sector(curricula: Path, name: str) -> Path:
    folder = curricula / name
    shutil.copytree(SHIPPED, folder)
    edit(folder / "sector.yml", lambda data: data.update(id=name))
    return folder


def index_of(items: list[Data], test: Callable[[Data], bool]) -> int:
    return next(number for number, item in enumerate(items) if test(item))


def break_schema(folder: Path) -> list[tuple[str, str, str]]:
    """Break every file of a sector copy against the schema; returns the expected (file, key, code)."""
    modules = folder / "modules"

    def first(data: Data) -> None:
        data.pop("summary")
        data["stratgies"] = data.pop("strategies")
        data["duration_ue"] = "zwei"
        data["exercises"][0]["type"] = "gapfill"

    def second(data: Data) -> None:
        data["title"] = ""
        data["level"] = "B7"
        data["scenario"]["steps"] = data["scenario"]["steps"][:2]
        data["trainer_notes"]["variations"] = {"A3": "Mit Bildern arbeiten."}
        data["exercises"][0]["id"] = "Übung 1"

    positions: Data = {}

    def third(data: Data) -> None:
        data["vocabulary"][0].pop("plural")
        data["document"]["kind"] = "letter"
        role_play = positions["role_play"] = index_of(data["exercises"], lambda exercise: exercise["type"] == "role_play")
        data["exercises"][role_play]["roles"] = data["exercises"][role_play]["roles"][:1]
        data["duration_ue"] = 0
        data["sources"] = [{"title": "Merkblatt", "year": 1800}]

    def fourth(data: Data) -> None:
        data["scenario"] = "Ein Tag an der Rampe."
        data["phrases"] = "keine"
        data["can_do"][0] = "Kann Lieferscheine lesen."

    def training(data: Data) -> None:
        data["exercises"][0]["title"] = None
        data["agenda"][0]["time"] = "9 Uhr"

    edit(modules / "kommissionieren-scanner.yml", first)
    edit(modules / "ladungssicherung-lenkzeiten.yml", second)
    edit(modules / "schichtuebergabe-schichtplan.yml", third)
    edit(modules / "wareneingang-lieferschein.yml", fourth)
    edit(folder / "trainings" / "vielfalt-im-lager.yml", training)
    edit(folder / "sector.yml", lambda data: data["course"]["tracks"][0]["modules"].append("gibt-es-nicht"))
    role_play = positions["role_play"]
    return [
        ("modules/kommissionieren-scanner.yml", "summary", "E-MISSING"),
        ("modules/kommissionieren-scanner.yml", "stratgies", "E-UNKNOWN-KEY"),
        ("modules/kommissionieren-scanner.yml", "duration_ue", "E-SCHEMA"),
        ("modules/kommissionieren-scanner.yml", "exercises[0].type", "E-SCHEMA"),
        ("modules/ladungssicherung-lenkzeiten.yml", "title", "E-SCHEMA"),
        ("modules/ladungssicherung-lenkzeiten.yml", "level", "E-SCHEMA"),
        ("modules/ladungssicherung-lenkzeiten.yml", "scenario.steps", "E-SCHEMA"),
        ("modules/ladungssicherung-lenkzeiten.yml", "trainer_notes.variations.A3", "E-SCHEMA"),
        ("modules/ladungssicherung-lenkzeiten.yml", "exercises[0].id", "E-SCHEMA"),
        ("modules/schichtuebergabe-schichtplan.yml", "vocabulary[0]", "E-SCHEMA"),
        ("modules/schichtuebergabe-schichtplan.yml", "document", "E-SCHEMA"),
        ("modules/schichtuebergabe-schichtplan.yml", f"exercises[{role_play}]", "E-SCHEMA"),
        ("modules/schichtuebergabe-schichtplan.yml", "duration_ue", "E-SCHEMA"),
        ("modules/schichtuebergabe-schichtplan.yml", "sources[0].year", "E-SCHEMA"),
        ("modules/wareneingang-lieferschein.yml", "scenario", "E-SCHEMA"),
        ("modules/wareneingang-lieferschein.yml", "phrases", "E-SCHEMA"),
        ("modules/wareneingang-lieferschein.yml", "can_do[0]", "E-SCHEMA"),
        ("trainings/vielfalt-im-lager.yml", "exercises[0].title", "E-SCHEMA"),
        ("trainings/vielfalt-im-lager.yml", "agenda[0].time", "E-SCHEMA"),
        ("sector.yml", "course.tracks[0].modules[3]", "E-REFERENCE"),
    ]


def break_sector_file(folder: Path) -> list[tuple[str, str, str]]:
    """Break ``sector.yml`` (a union type, a pattern, a boolean) and leave the glossary empty."""

    def sector(data: Data) -> None:
        data["facts"][0]["value"] = [9]
        data["facts"][1]["year"] = "1850"
        data["regulated"] = "vielleicht"

    edit(folder / "sector.yml", sector)
    (folder / "glossary.yml").write_text("# noch leer\n", encoding="utf-8")
    return [
        ("sector.yml", "facts[0].value", "E-SCHEMA"),
        ("sector.yml", "facts[1].year", "E-SCHEMA"),
        ("sector.yml", "regulated", "E-SCHEMA"),
        ("glossary.yml", "", "E-SCHEMA"),
    ]


def break_content(folder: Path) -> list[tuple[str, str, str]]:
    """Keep the sector loadable and break what the completeness and language checks look at."""
    positions: Data = {}

    def module(data: Data) -> None:
        data["exercises"][1]["id"] = data["exercises"][0]["id"]
        vocabulary = data["vocabulary"]
        positions["article"] = index_of(vocabulary, lambda item: item["lemma"] == "Lieferschein")
        vocabulary[positions["article"]]["article"] = "die"
        positions["plural"] = index_of(vocabulary, lambda item: item["lemma"] == "Frachtbrief")
        vocabulary[positions["plural"]]["plural"] = "Frachtbriefs"
        data["summary"] += " Sie bringt das Rampe in Ordnung, Quatschwortt."
        data["phrases"] = data["phrases"][:3]
        data["trainer_notes"]["timing"][0]["minutes"] += 5

    def training(data: Data) -> None:
        data["agenda"][0]["minutes"] += 5

    def untracked(data: Data) -> None:
        for track in data["course"]["tracks"]:
            track["modules"].remove("wareneingang-lieferschein")

    edit(folder / "modules" / "wareneingang-lieferschein.yml", module)
    edit(folder / "trainings" / "vielfalt-im-lager.yml", training)
    edit(folder / "sector.yml", untracked)
    (folder / "ausnahmen.yml").write_text("nouns:\n  - lemma: Palette\n    article: das\n", encoding="utf-8")
    module_file = "modules/wareneingang-lieferschein.yml"
    return [
        (module_file, "exercises[1].id", "E-DUPLICATE-ID"),
        (module_file, f"vocabulary[{positions['article']}].article", "E-ARTICLE"),
        (module_file, f"vocabulary[{positions['plural']}].plural", "E-PLURAL"),
        (module_file, "summary", "E-SPELLING"),
        (module_file, "summary", "E-ARTICLE-TEXT"),
        (module_file, "phrases", "E-PHRASES-FEW"),
        (module_file, "trainer_notes.timing", "W-TIMING-SUM"),
        ("trainings/vielfalt-im-lager.yml", "agenda", "W-AGENDA-MINUTES"),
        (module_file, "id", "E-TRACK-MISSING"),
        ("ausnahmen.yml", "nouns[0]", "E-EXCEPTION-REASON"),
    ]


def parse_findings(output: list[str]) -> list[dict[str, str]]:
    """Return file, key, code and message of each finding ``kurswerk check`` printed.

    Reads one line per finding (``file:line:col: CODE key: message``) or, from older versions, the
    table with the columns Ort, Schlüssel, Code, Meldung, whose cells may wrap onto further rows.
    """
    lines = [match.groupdict() for line in output if (match := LINE.match(line))]
    if lines:
        return [{**line, "key": line["key"] or ""} for line in lines]
    findings: list[dict[str, str]] = []
    for row in output:
        cells = [cell.strip() for cell in row.split("│")[1:-1]]
        if len(cells) != 4:
            continue
        place, key, code, message = cells
        if code:
            findings.append({"file": "", "key": "", "code": code, "message": ""})
        if findings:
            finding = findings[-1]
            finding["file"] += place
            finding["key"] += key
            finding["message"] = f"{finding['message']} {message}".strip()
    for finding in findings:
        finding["file"] = re.sub(r":\d+$", "", finding["file"])
    return findings


def run_check(cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KURSWERK), "check", *arguments], cwd=cwd, capture_output=True, text=True,
                          timeout=300, check=False)


def assert_german(message: str, where: str) -> None:
    english = ENGLISH.findall(message)
    assert not english, f"English words {english} in: {where}"
    assert GERMAN.search(message), f"no German in: {where}"


def test_check_speaks_german(tmp_path: Path) -> None:
    curricula = tmp_path / "curricula"
    curricula.mkdir()
    shutil.copy(ROOT / "curricula" / "wortliste.txt", curricula / "wortliste.txt")
    expected: list[tuple[str, str, str]] = []
    for name, breaker in [("lager-schema", break_schema), ("lager-kennzahlen", break_sector_file),
                          ("lager-inhalt", break_content)]:
        folder = copy_sector(curricula, name)
        expected += [(f"curricula/{name}/{file}", key, code) for file, key, code in breaker(folder)]
    shutil.copytree(SHIPPED / "modules", curricula / "lager-ohne-branche" / "modules")
    expected.append(("curricula/lager-ohne-branche/sector.yml", "", "E-SECTOR-MISSING"))

    result = run_check(tmp_path, "--curricula", "curricula")
    output = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert result.returncode == 2, "\n".join(output)
    for line in output:
        if not line.startswith("    "):  # an indented line quotes the curriculum file itself
            assert not ENGLISH.search(CODE.sub("", line)), f"English in: {line}"

    findings = parse_findings(output)
    for finding in findings:
        assert_german(finding["message"], f"{finding['file']} {finding['code']}: {finding['message']}")
    found = {(finding["file"], finding["key"], finding["code"]) for finding in findings}
    missing = [each for each in expected if each not in found]
    assert not missing, f"expected findings not reported: {missing}\n" + "\n".join(output)
    assert_german(output[-1], "summary line")


def test_unknown_sector_is_named_in_german(tmp_path: Path) -> None:
    curricula = tmp_path / "curricula"
    copy_sector(curricula, "lagerlogistik")
    result = run_check(tmp_path, "--curricula", "curricula", "--sector", "gibt-es-nicht")
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "gibt-es-nicht" in message
    assert_german(message, message)
    assert not ENGLISH.search(message), message


def test_failed_targets_speak_german() -> None:
    failures = [
        TargetFailure("public:lagerlogistik:wareneingang-lieferschein", "lagerlogistik", "wareneingang-lieferschein",
                      "RuntimeError: kaputt", cell=3, kept_at="build/.work/wareneingang-lieferschein.failed.ipynb"),
        TargetFailure("trainer:lagerlogistik:handouts", "lagerlogistik", "handouts",
                      "LibreOffice hat kein PDF erzeugt für x.docx: keine Meldung"),
    ]
    for error in (TargetsFailed(failures), TargetsFailed(failures[:1])):
        text = str(error)
        words = text.replace("RuntimeError", "")
        for failure in failures:  # target ids and file names are no sentences
            words = words.replace(failure.target, "").replace(failure.kept_at or "\0", "")
        assert not ENGLISH.search(words), text
        assert_german(text.splitlines()[0], text)
        assert "Zelle 3" in text and "wareneingang-lieferschein.failed.ipynb" in text
    assert str(TargetsFailed(failures)).startswith("2 Ziele sind fehlgeschlagen:")
    assert str(TargetsFailed(failures[:1])).startswith("1 Ziel ist fehlgeschlagen:")
