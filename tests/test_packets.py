"""The learner packet: no practice item can be copied from its own sheet, and the parts agree.

Every shipped module's practice sheets (both levels of help) are written as real DOCX files and
read back; each item's answer is looked for in the rest of that sheet's text. The signature of an
answer is defined here, independently of the plan's own filter.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import ShippedHandouts
from kurswerk.exercises import BLANK, exercises_for
from kurswerk.model import Module, SectorCurriculum
from kurswerk.packets import (
    HELP_LEVELS,
    WITH_HELP_ITEMS,
    PracticeExercise,
    module_parts,
    plan_parts,
    practice_exercises,
    writing_lines,
)

ROOT = Path(__file__).resolve().parents[1]
SECTORS = sorted(path.parent.name for path in (ROOT / "curricula").glob("*/sector.yml"))


@pytest.fixture(scope="module", params=SECTORS)
def sector(request: pytest.FixtureRequest, shipped_handouts: ShippedHandouts
           ) -> tuple[SectorCurriculum, dict[str, list[str]]]:
    """A shipped sector and the text of each public module part as the build writes it (paragraphs and cells)."""
    curriculum = shipped_handouts.curricula[request.param]
    folder = shipped_handouts.folder(request.param, "public")
    texts = {part.file_name: _texts(folder / part.file_name)
             for module in curriculum.modules for part in module_parts(curriculum, module, "public") if part.is_document}
    return curriculum, texts


def _texts(path: Path) -> list[str]:
    body = docx.Document(str(path)).element.body
    texts = [" ".join("".join(node.text or "" for node in p.iter(qn("w:t"))).split()) for p in body.iter(qn("w:p"))]
    return [text for text in texts if text]


def _signature(practice: PracticeExercise, prompt: str, answer: str) -> str | None:
    """What, printed elsewhere on the sheet, would give the answer away."""
    kind = practice.exercise.kind
    if kind == "article":
        return f"{answer} {prompt.replace(BLANK, '').strip()}"
    if kind == "gap_fill":
        return re.sub(r"\w?" + re.escape(BLANK), answer, prompt, count=1)
    if kind in {"plural", "register"}:
        return answer
    if kind in {"ordering", "matching"}:
        return None
    return answer if len(answer.split()) >= 2 else None


def _contains(text: str, needle: str) -> bool:
    needle = " ".join(needle.split()).rstrip(".!?")
    return re.search(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])", text, re.IGNORECASE) is not None


def _answerable(sheet: list[str], practice: PracticeExercise) -> list[str]:
    """Return the items of an exercise whose answer the rest of the sheet shows.

    A matching item is given away when prompt and answer stand together in one paragraph or cell
    (its options alone are the task); any other item when its signature stands anywhere else.
    """
    found = []
    for item in practice.exercise.items:
        if practice.exercise.kind == "matching":
            pairs = [text for text in sheet if text != " ".join(item.prompt.split())
                     and _contains(text, item.prompt) and _contains(text, item.answer)]
            found += [f"{practice.exercise.title}: {item.prompt} → {item.answer}"] if pairs else []
            continue
        signature = _signature(practice, item.prompt, item.answer)
        if signature is None:
            continue
        rest = list(sheet)
        own = next((i for i, text in enumerate(rest) if " ".join(item.prompt.split()) in text), None)
        if own is not None:
            rest[own] = rest[own].replace(" ".join(item.prompt.split()), "", 1)
        if _contains("\n".join(rest), signature):
            found.append(f"{practice.exercise.title}: {item.prompt} → {item.answer}")
    return found


def test_no_practice_item_is_answerable_from_its_own_sheet(sector: tuple[SectorCurriculum, dict[str, list[str]]]
                                                           ) -> None:
    curriculum, texts = sector
    for module in curriculum.modules:
        for level in HELP_LEVELS:
            sheet = texts[f"{module.id}-2-uebungen-{level}.docx"]
            exercises = practice_exercises(module, level)
            assert sum(len(p.exercise.items) for p in exercises) >= 30, f"{module.id}: too few items left"
            copied = [found for practice in exercises for found in _answerable(sheet, practice)]
            assert not copied, f"{module.id} ({level}): answerable from the sheet: {copied}"


def test_no_gap_sentence_is_printed_filled_in_anywhere(sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, texts = sector
    for module in curriculum.modules:
        learner = "\n".join(text for name, part in texts.items() if name.startswith(f"{module.id}-") for text in part)
        gaps = [p for p in practice_exercises(module, "ohne-hilfe") if p.exercise.kind == "gap_fill"]
        assert gaps and len(gaps[0].exercise.items) >= 6, f"{module.id}: the gap fill needs practice sentences"
        for item in gaps[0].exercise.items:
            filled = item.prompt.replace(BLANK, item.answer, 1)
            assert not _contains(learner, filled), f"{module.id}: '{filled}' is printed in the learner material"


def test_levels_of_help_differ_as_promised(sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, texts = sector
    for module in curriculum.modules:
        helped, open_ = (practice_exercises(module, level) for level in ("mit-hilfe", "ohne-hilfe"))
        assert [p.exercise.id for p in helped] == [p.exercise.id for p in open_], "same exercises, same numbers"
        for with_help, without in zip(helped, open_, strict=True):
            if not with_help.exercise.generated:
                continue
            if with_help.exercise.kind == "ordering":  # a dialogue keeps every line; help is its first words
                assert with_help.exercise.items == without.exercise.items
                assert "Tipp: Das Gespräch beginnt mit" in with_help.exercise.instruction
                continue
            assert len(with_help.exercise.items) == min(WITH_HELP_ITEMS, len(without.exercise.items))
            assert [i.answer for i in with_help.exercise.items] == [i.answer for i in without.exercise.items][
                :WITH_HELP_ITEMS], "the key of the sheet without help serves both"
            if with_help.exercise.kind == "gap_fill":
                assert with_help.word_box and not without.word_box
                assert all(re.search(r"\w" + re.escape(BLANK), i.prompt) for i in with_help.exercise.items)
        assert any("Wörter im Kasten" in t for t in texts[f"{module.id}-2-uebungen-mit-hilfe.docx"])


def test_ordering_never_prints_the_answer_order_and_matching_options_are_unique(
        sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, _ = sector
    for module in curriculum.modules:
        for practice in practice_exercises(module, "ohne-hilfe"):
            exercise = practice.exercise
            answers = [item.answer for item in exercise.items]
            if exercise.kind == "ordering":
                assert answers != [str(n) for n in range(1, len(answers) + 1)], module.id
            if practice.word_box:
                assert len(set(practice.word_box)) == len(practice.word_box), module.id
                if len(set(answers)) < len(answers) and exercise.kind != "article":
                    assert "mehrmals" in exercise.instruction, f"{module.id}: repeated answers without a hint"


def test_every_writing_task_gets_space_sized_to_it(sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, _ = sector
    for module in curriculum.modules:
        for exercise in module.exercises:
            if exercise.words:
                assert writing_lines(exercise, exercise.type) >= exercise.words // 10
            if exercise.lines:
                assert writing_lines(exercise, exercise.type) == exercise.lines
    reasoning = [p for m in curriculum.modules for p in practice_exercises(m, "ohne-hilfe")
                 if p.layout == "lines" and any(i.prompt.startswith(("Warum", "Begründen")) for i in p.exercise.items)]
    assert all(p.lines >= 3 for p in reasoning)


def test_file_names_sort_together_and_are_unique(sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, _ = sector
    names = [part.file_name for edition in ("public", "trainer") for part in plan_parts(curriculum, edition)]
    assert len(names) == len(set(names))
    for module in curriculum.modules:
        own = sorted(name for name in names if name.startswith(f"{module.id}-"))
        assert [name.removeprefix(f"{module.id}-") for name in own] == [
            "1-input.docx", "2-uebungen-mit-hilfe.docx", "2-uebungen-ohne-hilfe.docx", "3-karten.docx",
            "4-lehrkraft.docx", "5-karteikarten.apkg", "6-moodle.xml"], module.id


def test_a_role_play_without_its_cards_is_refused(sector: tuple[SectorCurriculum, dict[str, list[str]]]) -> None:
    curriculum, _ = sector
    module: Module = curriculum.modules[0]
    role_play = next(exercise for exercise in module.exercises if exercise.type == "role_play")
    with pytest.raises(ValueError, match="zwei bis vier Rollen"):
        type(role_play).model_validate({**role_play.model_dump(by_alias=True), "roles": []})
    assert exercises_for(module)


def test_the_plan_knows_nothing_of_word_or_sphinx() -> None:
    code = ("import sys, kurswerk.packets, kurswerk.blocks; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'docx', 'sphinx', 'myst_nb', 'nbformat'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
