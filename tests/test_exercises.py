"""Tests for kurswerk.exercises: generated exercises from real modules of the test curriculum."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kurswerk.exercises import (
    BLANK,
    MAX_ITEMS,
    Item,
    WorkedExercise,
    exercises_for,
    gap_sentence,
    plural_form,
)
from kurswerk.load import load_sector
from kurswerk.model import Exercise, Module, SectorCurriculum, VocabularyItem

SECTOR = Path(__file__).parent / "data" / "check" / "good" / "lager"


@pytest.fixture(scope="module")
def curriculum() -> SectorCurriculum:
    return load_sector(SECTOR)


@pytest.fixture(scope="module")
def module(curriculum: SectorCurriculum) -> Module:
    return curriculum.module("wareneingang")


def by_kind(exercises: list[WorkedExercise], kind: str) -> list[WorkedExercise]:
    return [exercise for exercise in exercises if exercise.kind == kind and exercise.generated]


def test_hand_written_come_first_and_keep_their_content(module: Module) -> None:
    exercises = exercises_for(module)
    hand_written = exercises[: len(module.exercises)]
    assert [exercise.id for exercise in hand_written] == [exercise.id for exercise in module.exercises]
    assert all(not exercise.generated for exercise in hand_written)
    assert all(exercise.generated for exercise in exercises[len(module.exercises):])
    reading = hand_written[0]
    assert reading.kind == "reading"
    assert reading.items[0] == Item("Wie viele Paletten kommen insgesamt?", "Zwölf Paletten.")
    assert hand_written[1].answer is not None and hand_written[1].items == ()


def test_every_generator_contributes(module: Module) -> None:
    kinds = [exercise.kind for exercise in exercises_for(module) if exercise.generated]
    assert kinds == ["article", "plural", "gap_fill", "matching", "matching", "ordering", "register"]


def test_ids_are_unique_slugs(curriculum: SectorCurriculum) -> None:
    for module in curriculum.modules:
        ids = [exercise.id for exercise in exercises_for(module)]
        assert len(ids) == len(set(ids)), module.id
        assert all(exercise_id.replace("-", "").isalnum() and exercise_id.islower() for exercise_id in ids)


def test_every_item_has_a_prompt_and_an_answer(curriculum: SectorCurriculum) -> None:
    for module in curriculum.modules:
        for exercise in exercises_for(module):
            assert exercise.items or exercise.answer, exercise.id
            for item in exercise.items:
                assert item.prompt.strip() and item.answer.strip(), (module.id, exercise.id, item)
            if exercise.generated:
                assert 0 < len(exercise.items) <= MAX_ITEMS


def test_same_module_gives_same_exercises(module: Module) -> None:
    assert exercises_for(module) == exercises_for(module)
    assert exercises_for(load_sector(SECTOR).module(module.id)) == exercises_for(module)


def test_exercises_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "from pathlib import Path; from kurswerk.load import load_sector; "
        "from kurswerk.exercises import exercises_for; "
        f"print(repr(exercises_for(load_sector(Path({str(SECTOR)!r})).module('wareneingang'))))"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_different_modules_shuffle_differently(module: Module) -> None:
    renamed = module.model_copy(update={"id": "anderer-eingang"})
    original = [item.prompt for item in by_kind(exercises_for(module), "article")[0].items]
    shuffled = [item.prompt for item in by_kind(exercises_for(renamed), "article")[0].items]
    nouns = {f"{BLANK} {item.lemma}" for item in module.vocabulary if item.pos == "noun"}
    assert set(original) <= nouns and set(shuffled) <= nouns
    assert original != shuffled


def test_article_items_match_the_vocabulary(module: Module) -> None:
    articles = {item.lemma: item.article for item in module.vocabulary if item.pos == "noun"}
    exercise = by_kind(exercises_for(module), "article")[0]
    assert exercise.options == ("das", "der", "die")
    for item in exercise.items:
        assert item.prompt.startswith(f"{BLANK} ")
        assert articles[item.prompt.removeprefix(f"{BLANK} ")] == item.answer


def test_plural_skips_nouns_without_plural(module: Module) -> None:
    vocabulary = [
        VocabularyItem(lemma="Milch", pos="noun", article="die", plural="–", example="Die Milch ist kalt."),
        *module.vocabulary,
    ]
    exercise = by_kind(exercises_for(module.model_copy(update={"vocabulary": vocabulary})), "plural")[0]
    assert all("Milch" not in item.prompt for item in exercise.items)
    assert all(item.prompt.endswith(f"→ die {BLANK}") for item in exercise.items)
    assert len(exercise.items) <= MAX_ITEMS


def test_article_and_plural_drills_use_different_nouns(curriculum: SectorCurriculum) -> None:
    for module in curriculum.modules:
        exercises = exercises_for(module)
        article = {item.prompt.removeprefix(f"{BLANK} ") for item in by_kind(exercises, "article")[0].items}
        plural = {item.prompt.split(" → ")[0].split(" ", 1)[1] for item in by_kind(exercises, "plural")[0].items}
        assert article and plural and not article & plural


def test_plural_form_adds_the_article() -> None:
    noun = VocabularyItem(lemma="Palette", pos="noun", article="die", plural="Paletten", example="x")
    assert plural_form(noun) == "die Paletten"
    assert plural_form(noun.model_copy(update={"plural": "die Paletten"})) == "die Paletten"
    assert plural_form(noun.model_copy(update={"plural": "–"})) is None


def test_gap_fill_blanks_the_word_and_offers_the_answers(curriculum: SectorCurriculum) -> None:
    for module in curriculum.modules:
        exercise = by_kind(exercises_for(module), "gap_fill")[0]
        assert exercise.options == tuple(sorted({item.answer for item in exercise.items}, key=str.casefold))
        for item in exercise.items:
            assert item.prompt.count(BLANK) == 1
            assert item.answer.casefold() not in item.prompt.casefold()


@pytest.mark.parametrize(
    ("lemma", "pos", "forms", "example", "expected"),
    [
        ("zählen", "verb", "zählt – zählte – hat gezählt", "Ich zähle die Kartons.", ("Ich ___ die Kartons.", "zähle")),
        ("abstellen", "verb", "stellt ab – stellte ab – hat abgestellt", "Kwame hat den Stapler abgestellt.",
         ("Kwame hat den Stapler ___.", "abgestellt")),
        ("Schaden", "noun", None, "Wir melden alle Schäden.", ("Wir melden alle ___.", "Schäden")),
        ("beschädigt", "adjective", None, "Die beschädigte Palette bleibt hier.",
         ("Die ___ Palette bleibt hier.", "beschädigte")),
        ("prüfen", "verb", "prüft – prüfte – hat geprüft", "Prüfen Sie die Ware!", ("___ Sie die Ware!", "Prüfen")),
    ],
)
def test_gap_sentence_finds_inflected_forms(lemma: str, pos: str, forms: str | None, example: str,
                                            expected: tuple[str, str]) -> None:
    noun = {"article": "der", "plural": "Schäden"} if pos == "noun" else {}
    item = VocabularyItem(lemma=lemma, pos=pos, forms=forms, example="Beispiel.", practice=example, **noun)
    assert gap_sentence(item) == Item(*expected)


def test_gap_sentence_never_uses_the_printed_example() -> None:
    item = VocabularyItem(lemma="Schaden", pos="noun", article="der", plural="Schäden",
                          example="Der Schaden ist groß.")
    assert gap_sentence(item) is None
    assert gap_sentence(item.model_copy(update={"practice": "Wir melden jeden Schaden sofort."})) == \
        Item("Wir melden jeden ___ sofort.", "Schaden")


@pytest.mark.parametrize(
    "example",
    [
        "Die Schadensmeldung liegt im Büro.",  # only inside a compound
        "Der Schaden und noch ein Schaden.",  # the answer would still be visible
    ],
)
def test_gap_sentence_skips_what_it_cannot_blank(example: str) -> None:
    item = VocabularyItem(lemma="Schaden", pos="noun", article="der", plural="Schäden", example="x",
                          practice=example)
    assert gap_sentence(item) is None


def test_matching_pairs_phrases_with_functions(module: Module) -> None:
    phrases = {phrase.text: phrase.function for phrase in module.phrases}
    exercise = next(e for e in by_kind(exercises_for(module), "matching") if e.id == "zuordnung-redemittel")
    assert all(phrases[item.prompt] == item.answer for item in exercise.items)
    assert set(exercise.options) == {item.answer for item in exercise.items}


def test_word_matching_uses_definitions(module: Module) -> None:
    exercise = next(e for e in by_kind(exercises_for(module), "matching") if e.id == "zuordnung-wortschatz")
    assert Item("Palette", "Ein flaches Gestell aus Holz, auf dem Ware steht.") in exercise.items


def test_ordering_uses_the_longest_dialogue(module: Module) -> None:
    exercise = by_kind(exercises_for(module), "ordering")[0]
    dialogue = module.scenario.steps[1].dialogue
    assert exercise.title == f"Dialog ordnen: {module.scenario.steps[1].title}"
    assert sorted(int(item.answer) for item in exercise.items) == list(range(1, len(dialogue) + 1))
    in_order = sorted(exercise.items, key=lambda item: int(item.answer))
    assert [item.prompt for item in in_order] == [f"{line.speaker}: {line.text}" for line in dialogue]
    assert [item.answer for item in exercise.items] != [str(n) for n in range(1, len(dialogue) + 1)]


def test_register_keys_are_the_counterparts(module: Module) -> None:
    counterparts = {phrase.text: phrase.counterpart for phrase in module.phrases if phrase.counterpart}
    exercise = by_kind(exercises_for(module), "register")[0]
    assert len(exercise.items) == len(counterparts)
    for item in exercise.items:
        text = item.prompt.removesuffix(" (→ du)").removesuffix(" (→ Sie)")
        assert counterparts[text] == item.answer


def test_generated_ids_give_way_to_hand_written_ones(module: Module) -> None:
    clash = Exercise(id="artikel", type="free", title="Eigene Übung", instruction="Lesen Sie.", answer="Frei.")
    exercises = exercises_for(module.model_copy(update={"exercises": [clash]}))
    assert exercises[0].id == "artikel" and not exercises[0].generated
    assert by_kind(exercises, "article")[0].id == "artikel-2"


def test_modules_without_material_get_no_empty_exercises(module: Module) -> None:
    verbs_only = [item for item in module.vocabulary if item.pos == "verb"]
    bare = module.model_copy(update={"vocabulary": verbs_only, "exercises": []})
    kinds = {exercise.kind for exercise in exercises_for(bare)}
    assert "article" not in kinds and "plural" not in kinds
    assert all(exercise.items for exercise in exercises_for(bare))
