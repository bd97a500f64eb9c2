"""The sector's du/Sie rule as data, and ordering tasks the learner sees in order.

A du ↔ Sie counterpart exists only in a relation where the sector's ``registers`` let both forms of
address occur; ``kurswerk check`` reports a counterpart the rule forbids (``E-REGISTER-RULE``) and
an ordering task a practice sheet prints in the right order (``E-ORDERING-IN-ORDER``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kurswerk import exercises as exercises_module
from kurswerk.check import format_line, run_checks
from kurswerk.errors import InputErrors
from kurswerk.exercises import exercises_for, ordering_position
from kurswerk.load import load_sector, sector_folders
from kurswerk.model import Exercise, ExerciseItem, SectorCurriculum
from kurswerk.packets import HELP_LEVELS, part_blocks, plan_parts, practice_exercises

ROOT = Path(__file__).parents[1]
SHIPPED = ROOT / "curricula"
GOOD = Path(__file__).parent / "data" / "check" / "good"
TARGET = {"formal": " (→ du)", "informal": " (→ Sie)"}


def good_copy(tmp_path: Path) -> Path:
    """Return a copy of the small test curriculum (with the charts' reference data)."""
    root = tmp_path / "curricula"
    shutil.copytree(GOOD, root)
    shutil.copytree(SHIPPED / "data", root / "data")
    return root


def line_of(path: Path, text: str) -> int:
    """Return the 1-based line of the only line of ``path`` that holds ``text``."""
    lines = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


def relative(finding_file: str, root: Path) -> str:
    return Path(finding_file).resolve().relative_to(root.resolve()).as_posix()


# --- the rule in the check ------------------------------------------------------------------------


def test_counterpart_in_a_forbidden_register_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    root = good_copy(tmp_path)
    module = root / "lager" / "modules" / "wareneingang.yml"
    text = module.read_text(encoding="utf-8")
    # The greeting at the ramp now names the customers, whom the sector's rule addresses only with Sie.
    old = "    counterpart: Morgen, was bringst du heute?\n    relation: fahrer\n"
    assert old in text
    module.write_text(text.replace(old, "    counterpart: Morgen, was bringst du heute?\n    relation: kunden\n"),
                      encoding="utf-8")

    findings = run_checks(root)

    assert [(f.code, relative(f.file, root), f.line, f.key_path) for f in findings] == [
        ("E-REGISTER-RULE", "lager/modules/wareneingang.yml", line_of(module, "Morgen, was bringst du heute?"),
         "phrases[0].counterpart")]
    finding = findings[0]
    assert finding.severity == "error"
    assert "„Kundinnen und Kunden“ (relation: kunden)" in finding.message
    assert "nur Sie" in finding.message and "per du" in finding.message
    assert format_line(finding).startswith(f"{finding.file}:{finding.line}:")
    # and the practice sheet no longer turns the greeting into du
    curriculum = load_sector(root / "lager")
    prompts = {item.prompt for level in HELP_LEVELS
               for practice in practice_exercises(curriculum.module("wareneingang"), level)
               for item in practice.exercise.items}
    assert "Guten Morgen, was bringen Sie heute? (→ du)" not in prompts
    assert "Können Sie mir bitte den Lieferschein geben? (→ du)" in prompts  # drivers: both occur


def test_the_nurse_never_says_du_to_a_resident(tmp_path: Path) -> None:
    """The expert's finding, written back into a copy of the shipped Pflege sector, is an error again."""
    root = tmp_path / "curricula"
    shutil.copytree(SHIPPED, root, ignore=shutil.ignore_patterns("einzelhandel", "elektrohandwerk", "gastronomie",
                                                                 "gebaeudereinigung", "kfz-werkstatt", "kita",
                                                                 "lagerlogistik"))
    module = root / "pflege" / "modules" / "vitalzeichen.yml"
    text = module.read_text(encoding="utf-8")
    text = text.replace("phrases:\n", "phrases:\n  - function: informieren\n    register: formal\n"
                        "    text: Ich messe jetzt Ihren Blutdruck.\n"
                        "    counterpart: Ich messe jetzt deinen Blutdruck.\n    relation: bewohner\n", 1)
    module.write_text(text, encoding="utf-8")

    findings = run_checks(root, ["pflege"])

    assert [(f.code, relative(f.file, root), f.line) for f in findings] == [
        ("E-REGISTER-RULE", "pflege/modules/vitalzeichen.yml", line_of(module, "deinen Blutdruck"))]
    assert "„Bewohnerinnen und Bewohner, Patientinnen und Patienten“" in findings[0].message
    curriculum = load_sector(root / "pflege")
    register = [exercise for exercise in exercises_for(curriculum.module("vitalzeichen")) if exercise.kind == "register"]
    assert register and all("Blutdruck" not in item.prompt for item in register[0].items)


def test_a_phrase_in_a_register_its_relation_forbids_is_an_error(tmp_path: Path) -> None:
    root = good_copy(tmp_path)
    module = root / "lager" / "modules" / "kommissionieren.yml"
    text = module.read_text(encoding="utf-8")
    old = "    counterpart: Wissen Sie, wo die Handschuhe liegen?\n    relation: team\n"
    assert old in text
    module.write_text(text.replace(old, "    counterpart: Wissen Sie, wo die Handschuhe liegen?\n    relation: kunden\n"),
                      encoding="utf-8")

    findings = run_checks(root)

    assert [(f.code, f.line, f.key_path) for f in findings] == [
        ("E-REGISTER-RULE", line_of(module, "Weißt du, wo die Handschuhe liegen?") - 1, "phrases[0].register")]
    assert "das Redemittel steht per du" in findings[0].message


def test_a_counterpart_needs_its_relation(tmp_path: Path) -> None:
    root = good_copy(tmp_path)
    module = root / "lager" / "modules" / "schichtwechsel.yml"
    text = module.read_text(encoding="utf-8")
    old = "    counterpart: Haben Sie noch Fragen?\n    relation: team\n"
    assert old in text
    module.write_text(text.replace(old, "    counterpart: Haben Sie noch Fragen?\n"), encoding="utf-8")

    findings = run_checks(root)

    assert [(f.code, f.line) for f in findings] == [("E-REGISTER-RULE", line_of(module, "Haben Sie noch Fragen?"))]
    assert "relation:" in findings[0].message and "team, fahrer und kunden" in findings[0].message
    # without its relation the phrase takes no part in the exercise
    curriculum = load_sector(root / "lager")
    register = next(e for e in exercises_for(curriculum.module("schichtwechsel")) if e.kind == "register")
    assert "Hast du noch Fragen? (→ Sie)" not in {item.prompt for item in register.items}


def test_an_unknown_relation_stops_the_load_with_its_line(tmp_path: Path) -> None:
    root = good_copy(tmp_path)
    module = root / "lager" / "modules" / "schichtwechsel.yml"
    text = module.read_text(encoding="utf-8")
    old = "    counterpart: Haben Sie noch Fragen?\n    relation: team\n"
    module.write_text(text.replace(old, "    counterpart: Haben Sie noch Fragen?\n    relation: teams\n"),
                      encoding="utf-8")

    with pytest.raises(InputErrors) as raised:
        load_sector(root / "lager")

    [error] = raised.value.errors
    assert error.code == "E-REFERENCE"
    assert error.location.line == line_of(module, "relation: teams")
    assert "meinten Sie „team“?" in error.message


# --- the shipped sectors --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[SectorCurriculum]:
    return [load_sector(folder) for folder in sector_folders(SHIPPED)]


def test_every_shipped_sector_states_its_rule(shipped: list[SectorCurriculum]) -> None:
    assert len(shipped) == 8
    for curriculum in shipped:
        rules = {rule.relation: rule for rule in curriculum.sector.registers}
        assert any(rule.both for rule in rules.values()), curriculum.sector.id
        # in every sector there is someone who is only ever addressed with Sie
        assert any(rule.allowed == ["Sie"] for rule in rules.values()), curriculum.sector.id
    kita = next(c for c in shipped if c.sector.id == "kita")
    assert {rule.relation: rule.allowed for rule in kita.sector.registers}["kinder"] == ["du"]


def test_no_generated_register_exercise_crosses_a_one_register_relation(shipped: list[SectorCurriculum]) -> None:
    """Load every shipped sector, lay out every practice sheet, and trace each du ↔ Sie item to its phrase."""
    for curriculum in shipped:
        rules = {rule.relation: rule for rule in curriculum.sector.registers}
        items = 0
        for module in curriculum.modules:
            by_prompt = {phrase.text + TARGET[phrase.speech_register]: phrase for phrase in module.phrases
                         if phrase.speech_register in TARGET}
            one_register = {text for phrase in module.phrases if phrase.relation and not rules[phrase.relation].both
                            for text in (phrase.text, phrase.counterpart or "") if text}
            for level in HELP_LEVELS:
                for practice in practice_exercises(module, level):
                    if practice.exercise.kind != "register":
                        continue
                    for item in practice.exercise.items:
                        phrase = by_prompt[item.prompt]
                        assert phrase.relation is not None and rules[phrase.relation].both, (module.id, item.prompt)
                        assert item.answer == phrase.counterpart
                        assert item.prompt.removesuffix(TARGET[phrase.speech_register]) not in one_register
                        items += 1
        assert items, f"{curriculum.sector.id}: keine Übung „Du oder Sie?“"


def test_practice_parts_of_the_shipped_sectors_show_no_forbidden_change(shipped: list[SectorCurriculum]) -> None:
    """The practice sheets as drawn (blocks of the public parts) hold no sentence of a Sie-only relation turned to du."""
    for curriculum in shipped:
        rules = {rule.relation: rule for rule in curriculum.sector.registers}
        forbidden = {phrase.text + TARGET[phrase.speech_register] for module in curriculum.modules
                     for phrase in module.phrases
                     if phrase.speech_register in TARGET and (not phrase.relation or not rules[phrase.relation].both)}
        for part in plan_parts(curriculum, "public"):
            if part.kind != "practice":
                continue
            drawn = repr(part_blocks(curriculum, part))
            assert not [prompt for prompt in forbidden if prompt in drawn], (curriculum.sector.id, part.stem)


def test_shipped_curricula_have_no_register_or_ordering_findings() -> None:
    findings = run_checks(SHIPPED)
    assert [str(f) for f in findings if f.code in {"E-REGISTER-RULE", "E-ORDERING-IN-ORDER", "E-ORDERING-KEY"}] == []


# --- ordering tasks -------------------------------------------------------------------------------


def test_an_ordering_task_printed_in_order_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a sheet that keeps the right order (as sheets once did), the check reports what the learner sees."""
    root = good_copy(tmp_path)
    assert [f for f in run_checks(root) if f.code == "E-ORDERING-IN-ORDER"] == []
    monkeypatch.setattr(exercises_module, "_out_of_order", lambda values, module, kind: list(values))

    findings = [f for f in run_checks(root) if f.code == "E-ORDERING-IN-ORDER"]

    module = root / "lager" / "modules" / "schichtwechsel.yml"
    located = {(relative(f.file, root), f.line, f.key_path) for f in findings}
    number = _exercise_number(root, "Die Meldung ordnen")
    assert ("lager/modules/schichtwechsel.yml", _items_line(module, "Die Meldung ordnen"),
            f"exercises[{number}].items") in located
    assert all(f.severity == "error" and "richtigen Reihenfolge" in f.message for f in findings)
    # the generated dialogue ordering is traced back to the dialogue it comes from
    assert any(key.startswith("scenario.steps[") and key.endswith(".dialogue") for _, _, key in located)


def _exercise_number(root: Path, title: str) -> int:
    exercises = load_sector(root / "lager").module("schichtwechsel").exercises
    return next(number for number, exercise in enumerate(exercises) if exercise.title == title)


def _items_line(path: Path, title: str) -> int:
    """Return the line of the ``items:`` key of the exercise titled ``title``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines) if line.strip() == f"title: {title}")
    return next(number for number in range(start, len(lines)) if lines[number].strip() == "items:") + 1


def test_an_ordering_key_that_is_not_one_to_n_is_an_error(tmp_path: Path) -> None:
    root = good_copy(tmp_path)
    module = root / "lager" / "modules" / "schichtwechsel.yml"
    text = module.read_text(encoding="utf-8")
    old = '      - prompt: Die Bremse quietscht.\n        answer: "1"\n'
    assert old in text
    module.write_text(text.replace(old, '      - prompt: Die Bremse quietscht.\n        answer: "2 (oder 1)"\n'),
                      encoding="utf-8")

    findings = run_checks(root)

    number = _exercise_number(root, "Die Meldung ordnen")
    assert [(f.code, f.line, f.key_path) for f in findings] == [
        ("E-ORDERING-KEY", _items_line(module, "Die Meldung ordnen"), f"exercises[{number}].items")]
    assert "„2“ und „2 (oder 1)“" in findings[0].message and "explanation" in findings[0].message


def test_the_sheet_never_prints_the_right_order(shipped: list[SectorCurriculum]) -> None:
    """Steps written out of order, with their positions as key, are never shuffled into the right order.

    Three steps have six orders; over 300 module ids a shuffle that only avoids the written order
    would print the right one about 50 times.
    """
    module = next(c for c in shipped if c.sector.id == "lagerlogistik").module("wareneingang-lieferschein")
    task = Exercise(id="reihenfolge", type="ordering", title="Reihenfolge", instruction="Ordnen Sie.",
                    items=[ExerciseItem(prompt="Zweitens", answer="2"), ExerciseItem(prompt="Erstens", answer="1"),
                           ExerciseItem(prompt="Drittens", answer="3")])
    for number in range(300):
        variant = module.model_copy(update={"id": f"modul-{number}", "exercises": [task]})
        printed = next(e for e in exercises_for(variant) if e.id == "reihenfolge")
        positions = [ordering_position(item.answer) or 0 for item in printed.items]
        assert positions != [1, 2, 3], variant.id
        assert sorted(positions) == [1, 2, 3]  # every step is printed once
