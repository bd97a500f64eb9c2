"""Translations into the learners' languages: coverage per language, missing and unused entries.

Every noun and verb of the module vocabularies and every glossary term needs a translation in each
language the sector shows (``languages:`` in ``sector.yml``). Codes: ``W-TRANSLATION-MISSING`` (a
word without a translation, or a shown language without a file), ``W-TRANSLATION-UNUSED`` (an
entry whose word the sector no longer has).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kurswerk.check.findings import Finding, Problem
from kurswerk.check.lines import Documents
from kurswerk.errors import listing, quoted
from kurswerk.labels import language_name
from kurswerk.model import SectorCurriculum

TRANSLATED_PARTS = ("noun", "verb")
"""Of a module's vocabulary, these parts of speech need translations (glossary terms all do)."""


@dataclass(frozen=True)
class Coverage:
    """How many of a sector's words one language translates."""

    sector: str
    language: str
    translated: int
    needed: int
    reviewed: bool

    def __str__(self) -> str:
        state = "geprüft" if self.reviewed else "ungeprüft"
        share = 100 * self.translated // self.needed if self.needed else 100
        return f"{self.sector}: {language_name(self.language)} {self.translated}/{self.needed} ({share} %, {state})"


def needed_words(curriculum: SectorCurriculum) -> list[tuple[str, Path, tuple[str | int, ...]]]:
    """Return each word that needs translations, once, with the file and key path where it is defined."""
    seen: dict[str, tuple[str, Path, tuple[str | int, ...]]] = {}
    glossary = Path(curriculum.files.get("glossary", ""))
    for number, term in enumerate(curriculum.glossary.terms):
        seen.setdefault(term.lemma, (term.lemma, glossary, ("terms", number, "lemma")))
    for module in curriculum.modules:
        path = Path(curriculum.files[f"module:{module.id}"])
        for number, item in enumerate(module.vocabulary):
            if item.pos in TRANSLATED_PARTS:
                seen.setdefault(item.lemma, (item.lemma, path, ("vocabulary", number, "lemma")))
    return list(seen.values())


def coverage(curriculum: SectorCurriculum) -> list[Coverage]:
    """Return the coverage of each language the sector shows."""
    words = {lemma for lemma, _, _ in needed_words(curriculum)}
    result = []
    for code in curriculum.sector.languages:
        file = curriculum.translation_files.get(code)
        have = len(words & set(file.words)) if file else 0
        result.append(Coverage(curriculum.sector.id, code, have, len(words), bool(file and file.reviewed)))
    return result


def translation_findings(curriculum: SectorCurriculum, documents: Documents) -> list[Finding]:
    """Return the missing and unused translations of one sector as warnings."""
    sector_file = Path(curriculum.files["sector"])
    findings = []
    shown: list[str] = [code for code in curriculum.sector.languages if code in curriculum.translation_files]
    for number, code in enumerate(curriculum.sector.languages):
        if code not in curriculum.translation_files:
            findings.append(documents.finding(sector_file, Problem(
                "W-TRANSLATION-MISSING", ("languages", number),
                f"für {language_name(code)} gibt es keine Datei uebersetzungen/{code}.yml")))
    needed = needed_words(curriculum)
    for lemma, path, key_path in needed:
        missing = [code for code in shown if lemma not in curriculum.translation_files[code].words]
        if missing and path.name:
            findings.append(documents.finding(path, Problem(
                "W-TRANSLATION-MISSING", key_path,
                f"{quoted(lemma)} ist noch nicht übersetzt: {listing(missing)} (uebersetzungen/<sprache>.yml)")))
    words = {lemma for lemma, _, _ in needed}
    for language, file in curriculum.translation_files.items():
        path = Path(curriculum.files[f"translations:{language}"])
        for lemma in file.words:
            if lemma not in words:
                findings.append(documents.finding(path, Problem(
                    "W-TRANSLATION-UNUSED", ("words", lemma),
                    f"{quoted(lemma)} steht in keinem Wortschatz und keinem Glossar der Branche; löschen Sie "
                    "den Eintrag oder prüfen Sie die Schreibweise")))
    return findings
