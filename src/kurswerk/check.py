"""Content checks: schema, spelling, articles and plurals, completeness.

Each check returns :class:`Finding` objects with a code a user can switch off, the file, line and
key path. ``kurswerk check`` prints them as a table and exits non-zero on errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from kurswerk.load import display_path, format_key_path, read_yaml
from kurswerk.model import SectorCurriculum

Severity = Literal["error", "warning"]

WORD = re.compile(r"[A-Za-zÄÖÜäöüßẞ]+(?:-[A-Za-zÄÖÜäöüßẞ]+)*")

NOT_PROSE = {"id", "template", "pos", "level", "register", "mode", "url", "chart", "type", "time",
             "field_of_action", "ikoe_level", "translations", "modules", "year", "unit", "publisher",
             "title_en"}
"""Keys whose values are codes, names of other languages or references, not German prose."""


@dataclass(frozen=True)
class Finding:
    """One result of a content check."""

    code: str
    severity: Severity
    file: str
    line: int | None
    key_path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.key_path}:" if self.key_path else ""
        return f"{where}{key} [{self.code}] {self.message}"


def word_list_paths(curricula: Path, sector_id: str) -> list[Path]:
    """The reviewed word lists that apply to a sector: the shared one and the sector's own."""
    return [path for path in (curricula / "wortliste.txt", curricula / sector_id / "wortliste.txt") if path.exists()]


@cache
def _dictionary(word_lists: tuple[Path, ...]) -> Any:
    import enchant

    dictionary = enchant.Dict("de_DE")
    for path in word_lists:
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                dictionary.add_to_session(word)
    return dictionary


def _strings(data: Any, key_path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_PROSE:
                yield from _strings(value, (*key_path, key))
    elif isinstance(data, list):
        for number, value in enumerate(data):
            yield from _strings(value, (*key_path, number))
    elif isinstance(data, str):
        yield key_path, data


def _is_known(dictionary: Any, word: str) -> bool:
    if len(word) < 2 or word.isupper() or dictionary.check(word):
        return True
    if "-" in word:
        return all(_is_known(dictionary, part) for part in word.split("-") if part)
    return False


def spelling_findings(curriculum: SectorCurriculum, curricula: Path) -> list[Finding]:
    """Return one finding per unknown word per text field of a sector's files."""
    sector_id = curriculum.sector.id
    dictionary = _dictionary(tuple(word_list_paths(curricula, sector_id)))
    findings: list[Finding] = []
    for path in _sector_files(curricula / sector_id):
        document = read_yaml(path)
        for key_path, text in _strings(document.data):
            unknown = sorted({word for word in WORD.findall(text) if not _is_known(dictionary, word)})
            if unknown:
                findings.append(
                    Finding(
                        code="W-SPELLING",
                        severity="error",
                        file=display_path(path),
                        line=document.line_of(key_path),
                        key_path=format_key_path(key_path),
                        message="unknown word(s): " + ", ".join(unknown),
                    )
                )
    return findings


def _sector_files(folder: Path) -> list[Path]:
    files = [folder / "sector.yml", folder / "glossary.yml"]
    files += sorted((folder / "modules").glob("*.yml")) + sorted((folder / "trainings").glob("*.yml"))
    return [path for path in files if path.exists()]
