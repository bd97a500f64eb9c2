"""Exercises with answer keys: a module's hand-written ones plus those generated from its content.

Generators (articles, plurals, gap fill, matching, dialogue ordering, register du ↔ Sie) are
registered in :data:`GENERATORS` and read only the content model. Every shuffle is seeded from a
hash of module id and exercise kind, so the same module always yields the same exercises.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kurswerk.model import Exercise, Module, Phrase, VocabularyItem

BLANK = "___"
MAX_ITEMS = 10
"""At most this many items per generated exercise."""
MIN_CHOICES = 3
"""A generated matching task offers at least this many different answers."""

NO_PLURAL = {"–", "-", "—", ""}
"""How authors write that a noun has no plural."""

AUXILIARIES = {"hat", "ist", "haben", "sein", "wird", "werden", "sich"}
PARTICLES = {"ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "fest", "her", "hin", "los", "mit",
             "nach", "um", "vor", "weg", "weiter", "zu", "zurück", "zusammen", "über", "unter"}
"""Words of the principal parts that must not become a gap on their own."""

T = TypeVar("T")


@dataclass(frozen=True)
class Item:
    """One task of an exercise and its key (``explanation``: why, for the trainer)."""

    prompt: str
    answer: str
    explanation: str = ""


@dataclass(frozen=True)
class WorkedExercise:
    """An exercise ready to render: items with keys, optional word bank, model answer."""

    id: str
    kind: str
    title: str
    instruction: str
    items: tuple[Item, ...]
    options: tuple[str, ...] = ()
    answer: str | None = None
    generated: bool = True


Generator = Callable[[Module], list[WorkedExercise]]


def exercises_for(module: Module) -> list[WorkedExercise]:
    """Return the module's hand-written exercises, then the generated ones (ids unique)."""
    exercises = [_from_exercise(module, exercise) for exercise in module.exercises]
    for generate in GENERATORS.values():
        exercises.extend(generate(module))
    return _unique_ids(exercises)


def _from_exercise(module: Module, exercise: Exercise) -> WorkedExercise:
    """Return a hand-written exercise ready to render; an ordering task's items are shuffled.

    Authors write the steps of an ordering task in the right order, or in any order with each
    step's position as its answer; printed in the right order, the task would answer itself, so the
    sheet never prints that order.
    """
    items = tuple(Item(item.prompt, item.answer, item.explanation or "") for item in exercise.items)
    if exercise.type == "ordering" and len(items) > 1:
        in_order = sorted(items, key=lambda item: ordering_position(item.answer) or 0)
        items = tuple(_out_of_order(in_order, module, f"ordering:{exercise.id}"))
    with_word_bank = exercise.type in {"gap_fill", "matching"}
    options = _sorted_options(item.answer for item in items) if with_word_bank else ()
    return WorkedExercise(
        id=exercise.id,
        kind=exercise.type,
        title=exercise.title,
        instruction=exercise.instruction,
        items=items,
        options=options,
        answer=exercise.answer,
        generated=False,
    )


def _unique_ids(exercises: list[WorkedExercise]) -> list[WorkedExercise]:
    seen: set[str] = set()
    result = []
    for exercise in exercises:
        candidate, number = exercise.id, 2
        while candidate in seen:
            candidate, number = f"{exercise.id}-{number}", number + 1
        seen.add(candidate)
        result.append(exercise if candidate == exercise.id else _with_id(exercise, candidate))
    return result


def _with_id(exercise: WorkedExercise, new_id: str) -> WorkedExercise:
    return WorkedExercise(new_id, exercise.kind, exercise.title, exercise.instruction, exercise.items,
                          exercise.options, exercise.answer, exercise.generated)


def _rng(module: Module, kind: str) -> random.Random:
    """Return a random generator seeded from module id and exercise kind (never from time)."""
    digest = hashlib.sha256(f"{module.id}:{kind}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _shuffled(values: Sequence[T], module: Module, kind: str) -> list[T]:
    result = list(values)
    _rng(module, kind).shuffle(result)
    return result


def _out_of_order(values: list[T], module: Module, kind: str) -> list[T]:
    """Return the values shuffled (seeded), never in their original order."""
    shuffled = _shuffled(values, module, kind)
    return shuffled[1:] + shuffled[:1] if shuffled == values else shuffled


def ordering_position(answer: str) -> int | None:
    """Return the position an ordering answer gives (``3`` or ``3 (…)`` → 3), or ``None`` if it gives none."""
    digits = re.match(r"\s*(\d+)(?!\d)", answer)
    return int(digits.group(1)) if digits else None


def _sorted_options(answers: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(answers), key=lambda text: (text.casefold(), text)))


def _nouns(module: Module) -> list[VocabularyItem]:
    seen: set[str] = set()
    nouns = []
    for item in module.vocabulary:
        if item.pos == "noun" and item.article and item.lemma not in seen:
            seen.add(item.lemma)
            nouns.append(item)
    return nouns


def _exercise(kind: str, id_: str, title: str, instruction: str, items: list[Item],
              options: tuple[str, ...] = ()) -> list[WorkedExercise]:
    """Return a one-element list with the exercise, or an empty list if it has no items."""
    if not items:
        return []
    return [WorkedExercise(id_, kind, title, instruction, tuple(items[:MAX_ITEMS]), options)]


# --- articles and plurals --------------------------------------------------------------------


def _drill_nouns(module: Module) -> tuple[list[VocabularyItem], list[VocabularyItem]]:
    """Split the nouns into one half for the article drill and one for the plural drill.

    The plural drill prints ``der Herd → die ___``, which would answer an article item for the same
    noun on the same sheet; nouns without a plural go to the article drill.
    """
    nouns = _shuffled(_nouns(module), module, "nouns")
    with_plural = [noun for noun in nouns if plural_form(noun)]
    plural = with_plural[1::2]
    return [noun for noun in nouns if noun not in plural], plural


def article_exercise(module: Module) -> list[WorkedExercise]:
    """Return the article exercise (``___ Übergabe`` → ``die``) over up to 10 nouns."""
    nouns = _shuffled(_drill_nouns(module)[0], module, "article")[:MAX_ITEMS]
    items = [Item(f"{BLANK} {noun.lemma}", str(noun.article)) for noun in nouns]
    return _exercise("article", "artikel", "Artikel: der, die oder das?",
                     "Ergänzen Sie den bestimmten Artikel: der, die oder das.", items,
                     ("das", "der", "die") if items else ())


def plural_form(noun: VocabularyItem) -> str | None:
    """Return the plural with its article (``die Übergaben``), or ``None`` if there is none."""
    plural = (noun.plural or "").strip()
    if plural in NO_PLURAL:
        return None
    return plural if plural.startswith("die ") else f"die {plural}"


def plural_exercise(module: Module) -> list[WorkedExercise]:
    """Return the plural exercise (``die Übergabe → die ___``); skips nouns without plural."""
    nouns = _shuffled(_drill_nouns(module)[1], module, "plural")[:MAX_ITEMS]
    items = [Item(f"{noun.headword} → die {BLANK}", str(plural_form(noun))[len("die "):]) for noun in nouns]
    return _exercise("plural", "plural", "Plural: Wie heißt die Mehrzahl?",
                     "Schreiben Sie die Pluralform. Der Artikel im Plural ist immer „die“.", items)


# --- gap fill ------------------------------------------------------------------------------


def word_forms(item: VocabularyItem) -> list[str]:
    """Return the forms of a word that may appear in a sentence, longest first."""
    lemma = item.lemma.strip()
    forms = {lemma}
    if item.pos == "noun":
        plural = plural_form(item)
        if plural:
            forms |= {plural[len("die "):], plural[len("die "):] + "n"}
        forms |= {lemma + ending for ending in ("s", "es", "n", "en")}
    elif item.pos == "verb":
        forms |= _verb_forms(lemma, item.forms or "")
    elif item.pos == "adjective":
        forms |= {lemma + ending for ending in ("e", "em", "en", "er", "es")}
    return sorted(forms, key=lambda form: (-len(form), form))


def _verb_forms(lemma: str, principal_parts: str) -> set[str]:
    stem = lemma[:-2] if lemma.endswith("en") else lemma[:-1] if lemma.endswith("n") else lemma
    forms = {stem + ending for ending in ("e", "st", "t", "et", "en", "te", "ten", "test", "tet")}
    for part in re.split(r"\s*[–—/,;]\s*|\s+-\s+", principal_parts):
        forms |= {word for word in part.split() if len(word) > 2 and word not in AUXILIARIES | PARTICLES}
    return forms


def gap_sentence(item: VocabularyItem) -> Item | None:
    """Return the item's practice sentence with the word blanked, or ``None`` if it has none or the word is not in it.

    Only the practice sentence is used: the example sentence is printed in the Wortschatz table, so
    a gap in it could be filled by copying. The item is also skipped when the answer would still be
    visible in the prompt.
    """
    if not item.practice:
        return None
    alternatives = "|".join(re.escape(form) for form in word_forms(item))
    flags = 0 if item.pos == "noun" else re.IGNORECASE
    match = re.search(rf"(?<![\w-])(?:{alternatives})(?![\w-])", item.practice, flags)
    if match is None:
        return None
    prompt = item.practice[: match.start()] + BLANK + item.practice[match.end():]
    if match.group().casefold() in prompt.casefold():
        return None
    return Item(prompt, match.group())


def gap_fill_exercise(module: Module) -> list[WorkedExercise]:
    """Return the gap fill over the vocabulary's example sentences, with the answers as word bank."""
    items: list[Item] = []
    sentences: set[str] = set()
    for vocabulary_item in _shuffled(module.vocabulary, module, "gap_fill"):
        item = gap_sentence(vocabulary_item)
        if item and item.prompt not in sentences and item.answer not in {other.answer for other in items}:
            sentences.add(item.prompt)
            items.append(item)
        if len(items) == MAX_ITEMS:
            break
    return _exercise("gap_fill", "lueckentext", "Lückentext: Welches Wort passt?",
                     "Ergänzen Sie die Sätze mit den Wörtern aus dem Kasten.", items,
                     _sorted_options(item.answer for item in items))


# --- matching ------------------------------------------------------------------------------


def phrase_matching_exercise(module: Module) -> list[WorkedExercise]:
    """Return phrase → communicative function, if the phrases have at least two functions."""
    if len({phrase.function for phrase in module.phrases}) < 2:
        return []
    phrases = [phrase for phrase in module.phrases if not _names_its_function(phrase)]
    phrases = _shuffled(phrases, module, "matching-phrases")[:MAX_ITEMS]
    if len({phrase.function for phrase in phrases}) < MIN_CHOICES:
        return []  # with one or two functions left, every answer would be the same
    items = [Item(phrase.text, phrase.function) for phrase in phrases]
    return _exercise("matching", "zuordnung-redemittel", "Redemittel: Was will die Person sagen?",
                     "Ordnen Sie jedem Satz die passende Sprachhandlung zu.", items,
                     _sorted_options(item.answer for item in items))


def _names_its_function(phrase: Phrase) -> bool:
    """True when the phrase says its function itself ("Da muss ich widersprechen" → widersprechen)."""
    stems = [word[:-2] if word.endswith("en") else word for word in re.findall(r"\w{5,}", phrase.function.casefold())]
    text = phrase.text.casefold()
    return any(stem in text for stem in stems)


def word_matching_exercise(module: Module) -> list[WorkedExercise]:
    """Return noun → definition, or noun → English translation, if at least three nouns have one.

    The noun is shown without its article, so the item does not answer the article drill.
    """
    nouns = _nouns(module)
    with_definition = [noun for noun in nouns if noun.definition]
    with_english = [noun for noun in nouns if "en" in noun.translations]
    if len(with_definition) >= 3:
        pairs = [(noun.lemma, str(noun.definition)) for noun in with_definition]
        instruction = "Ordnen Sie jedem Wort die passende Erklärung zu."
    elif len(with_english) >= 3:
        pairs = [(noun.lemma, noun.translations["en"]) for noun in with_english]
        instruction = "Ordnen Sie jedem Wort die englische Übersetzung zu."
    else:
        return []
    pairs = [(word, meaning) for word, meaning in pairs if word.casefold() not in meaning.casefold()]
    items = [Item(word, meaning) for word, meaning in _shuffled(pairs, module, "matching-words")[:MAX_ITEMS]]
    return _exercise("matching", "zuordnung-wortschatz", "Wortschatz: Was bedeutet das Wort?", instruction,
                     items, _sorted_options(item.answer for item in items))


# --- ordering and register -----------------------------------------------------------------


def ordering_exercise(module: Module) -> list[WorkedExercise]:
    """Return the longest scenario dialogue (at least 3 lines) shuffled; each key is its position."""
    steps = [step for step in module.scenario.steps if len(step.dialogue) >= 3]
    if not steps:
        return []
    step = max(steps, key=lambda candidate: len(candidate.dialogue))
    lines = [(number, line) for number, line in enumerate(step.dialogue[:MAX_ITEMS], start=1)]
    shuffled = _out_of_order(lines, module, "ordering")
    items = [Item(f"{line.speaker}: {line.text}", str(number)) for number, line in shuffled]
    return _exercise("ordering", "dialog-ordnen", f"Dialog ordnen: {step.title}",
                     "Bringen Sie die Sätze des Gesprächs in die richtige Reihenfolge. "
                     "Schreiben Sie die Nummer (1, 2, 3 …) zu jedem Satz.", items)


def _register_prompt(phrase: Phrase) -> str:
    target = {"formal": " (→ du)", "informal": " (→ Sie)"}.get(phrase.speech_register, "")
    return phrase.text + target


def register_exercise(module: Module) -> list[WorkedExercise]:
    """Return du ↔ Sie: each phrase with a counterpart becomes a prompt, the counterpart its key.

    Only phrases of a relation in which the sector's rule lets both du and Sie occur take part
    (see :attr:`Phrase.changes_register`): a nurse never says du to a resident, so an exercise
    must not teach it.
    """
    phrases = [phrase for phrase in module.phrases if phrase.changes_register]
    phrases = _shuffled(phrases, module, "register")[:MAX_ITEMS]
    items = [Item(_register_prompt(phrase), str(phrase.counterpart)) for phrase in phrases]
    return _exercise("register", "du-und-sie", "Du oder Sie? Register wechseln",
                     "Formulieren Sie die Sätze im anderen Register: aus „Sie“ wird „du“, "
                     "aus „du“ wird „Sie“.", items)


GENERATORS: dict[str, Generator] = {
    "article": article_exercise,
    "plural": plural_exercise,
    "gap_fill": gap_fill_exercise,
    "matching-phrases": phrase_matching_exercise,
    "matching-words": word_matching_exercise,
    "ordering": ordering_exercise,
    "register": register_exercise,
}
"""Exercise generators in the order their exercises follow the hand-written ones."""


_ROLE_LETTER = re.compile(r"^\(?[A-D]\)?\s*[:–—-]\s*")


def role_names(exercise: Exercise) -> list[str]:
    """Return the roles of a role play as ``A: Pflegefachkraft``, ``B: Stationsärztin`` (letters by position)."""
    return [f"{chr(ord('A') + number)}: {_ROLE_LETTER.sub('', role.role)}" for number, role in enumerate(exercise.roles)]
