"""Spelling of the German prose in a sector's files: hunspell de_DE plus reviewed word lists.

Every string value counts as prose except those under :data:`NOT_PROSE` keys; people's names the
files declare (protagonist, dialogue speakers) count as known. Code: ``E-SPELLING``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kurswerk.check.findings import Finding, KeyPath, Problem
from kurswerk.check.lines import Documents
from kurswerk.errors import InputError
from kurswerk.model import SectorCurriculum

WORD = re.compile(r"[^\W\d_\u00b2\u00b3\u00b9]+(?:-[^\W\d_\u00b2\u00b3\u00b9]+)*")

NOT_PROSE = {"id", "template", "pos", "level", "register", "mode", "url", "chart", "type", "time",
             "field_of_action", "ikoe_level", "translations", "modules", "year", "unit", "publisher",
             "title_en", "kind", "languages", "relation", "allowed"}
"""Keys whose values are codes, names of other languages or references, not German prose."""


def word_list_paths(curricula: Path, sector_id: str) -> list[Path]:
    """The reviewed word lists that apply to a sector: the shared one and the sector's own."""
    return [path for path in (curricula / "wortliste.txt", curricula / sector_id / "wortliste.txt") if path.exists()]


def reviewed_words(word_lists: Iterable[Path]) -> frozenset[str]:
    """Return the words of reviewed word lists (one per line, ``#`` starts a comment)."""
    words: set[str] = set()
    for path in word_lists:
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word)
    return frozenset(words)


@dataclass(frozen=True)
class Speller:
    """hunspell de_DE plus reviewed words (kept apart: enchant shares session words between dicts)."""

    dictionary: Any
    words: frozenset[str]

    def check(self, word: str) -> bool:
        """Return whether the word is known (a listed word may also start a sentence capitalised)."""
        return word in self.words or word[:1].lower() + word[1:] in self.words or bool(self.dictionary.check(word))


@cache
def _hunspell() -> Any:
    """Return the enchant dictionary de_DE (hunspell), opened once per process."""
    import enchant

    return enchant.Dict("de_DE")


def _dictionary(words: frozenset[str]) -> Speller:
    """Return the speller for a sector: hunspell de_DE and the sector's reviewed words."""
    return Speller(_hunspell(), words)


def _strings(data: Any, key_path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Yield every string of parsed YAML with its key path, skipping the values of :data:`NOT_PROSE` keys."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_PROSE:
                yield from _strings(value, (*key_path, key))
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from _strings(value, (*key_path, number))
    elif isinstance(data, str):
        yield key_path, data


def _person_names(data: Any) -> set[str]:
    """Return the words of the people's names a file declares (protagonist, dialogue speakers)."""
    names: set[str] = set()
    for key_path, text in _strings(data):
        if key_path[-1:] == ("speaker",) or key_path[-2:] == ("protagonist", "name"):
            names |= set(WORD.findall(text))
    return names


STREET = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{2,}(?:straße|weg|gasse|allee)$")
"""Fictitious addresses (``Amselweg``, ``Pragstraße``): the stem is a name, not a word to check."""


def _is_known(dictionary: Any, word: str, following: str = "") -> bool:
    """Return whether hunspell or the word list knows the word (``following``: the next character).

    Parts of a hyphenated compound are checked one by one; a word right before ``.`` or ``-`` also
    counts with it (``Nr.``, ``Gesundheits-``).
    """
    if len(word) < 2 or word.isupper() or dictionary.check(word) or STREET.match(word):
        return True
    if following in {".", "-"} and dictionary.check(word + following):
        return True
    if "-" in word:
        *heads, last = word.split("-")
        return all(_is_known(dictionary, head, "-") for head in heads if head) and (
            not last or _is_known(dictionary, last, following))
    return False


def unknown_words(text: str, dictionary: Any, names: Collection[str] = frozenset()) -> list[str]:
    """Return the sorted words of ``text`` that neither the dictionary nor ``names`` know.

    A name also counts in the genitive (``Olenas``), a word after a hyphen capitalised (``-erziehung``).
    """
    unknown = set()
    for match in WORD.finditer(text):
        word, following = match.group(), text[match.end():match.end() + 1]
        if word in names or word.removesuffix("s") in names or _is_known(dictionary, word, following):
            continue
        if text[match.start() - 1:match.start()] == "-" and _is_known(dictionary, word[:1].upper() + word[1:]):
            continue  # the second half of "Kinderbetreuung und -erziehung"
        unknown.add(word)
    return sorted(unknown)


def spelling_findings(curriculum: SectorCurriculum, curricula: Path) -> list[Finding]:
    """Return one finding per unknown word per text field of a sector's files."""
    return spelling_in_folder(curricula / curriculum.sector.id, curricula, Documents())


def spelling_in_folder(folder: Path, curricula: Path, documents: Documents) -> list[Finding]:
    """Return one finding per unknown word per text field of the YAML files in a sector folder."""
    dictionary = _dictionary(reviewed_words(word_list_paths(curricula, folder.name)))
    parsed = []
    files = _sector_files(folder)
    for path in files:
        try:
            parsed.append((path, documents.get(path)))
        except InputError:
            continue  # the schema findings already report files that cannot be read
    names = set().union(*(_person_names(document.data) for _, document in parsed))
    if len(parsed) < len(files):
        # A file that does not parse may declare the people other files name: an unknown capitalised
        # word would only follow from that file's error, so only lower-case words are reported.
        names = _AnyCapitalised(names)
    findings: list[Finding] = []
    for path, document in parsed:
        problems = [
            Problem("E-SPELLING", key_path, ("unbekanntes Wort: " if len(unknown) == 1 else "unbekannte Wörter: ")
                    + ", ".join(unknown))
            for key_path, text in _strings(document.data)
            if (unknown := unknown_words(text, dictionary, names))
        ]
        findings += documents.findings(path, problems)
    return findings


class _AnyCapitalised(set[str]):
    """The known names, plus every capitalised word (while a file with names fails to parse)."""

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word[:1].isupper() or super().__contains__(word))


def _sector_files(folder: Path) -> list[Path]:
    """Return the sector's YAML files that exist: sector, glossary, modules, trainings."""
    files = [folder / "sector.yml", folder / "glossary.yml"]
    files += sorted((folder / "modules").glob("*.yml")) + sorted((folder / "trainings").glob("*.yml"))
    return [path for path in files if path.exists()]
