"""Articles and plurals of nouns against Wiktionary (the german-nouns data), and ``ausnahmen.yml``.

A sector may list nouns that deliberately differ from Wiktionary in ``ausnahmen.yml``; each
exception needs a reason. Codes: ``E-ARTICLE``, ``E-PLURAL``, ``W-PLURAL-UNKNOWN``,
``E-EXCEPTION-REASON``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from pathlib import Path

from pydantic import Field

from kurswerk.check.findings import Finding, KeyPath, Problem, finding_from_input_error
from kurswerk.check.lines import Documents
from kurswerk.errors import InputError, InputErrors
from kurswerk.load import validate_document
from kurswerk.model import Article, GlossaryEntry, SectorCurriculum, Strict, Text, VocabularyItem

EXCEPTIONS_FILE = "ausnahmen.yml"


@dataclass(frozen=True)
class NounData:
    """What Wiktionary knows about a noun lemma: its articles and its plural forms."""

    articles: frozenset[str]
    plurals: frozenset[str]


GENUS_ARTICLE = {"m": "der", "f": "die", "n": "das"}
NO_PLURAL = {"–", "-", "—", ""}


@cache
def _noun_rows() -> tuple[dict[str, list[tuple[str, ...]]], int]:
    """Return german-nouns' rows of nouns by lemma (only genus and plural cells), and the genus count.

    Adjectival nouns are also filed under their weak form (``der Angehörige`` next to ``Angehöriger``).
    Loaded once per process (about half a second).
    """
    from german_nouns.config import CSV_FILE_PATH

    rows_by_lemma: defaultdict[str, list[tuple[str, ...]]] = defaultdict(list)
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        genus = [i for i, name in enumerate(header) if name.startswith("genus")]
        plural = [i for i, name in enumerate(header) if name.startswith("nominativ plural")]
        weak = [i for i, name in enumerate(header) if name in {"nominativ singular schwach", "nominativ singular gemischt"}]
        cells = itemgetter(*genus, *plural)
        for row in rows:
            if "Substantiv" not in row[1]:
                continue
            entry = cells(row)
            rows_by_lemma[row[0]].append(entry)
            if "adjektivisch" in row[1]:
                for lemma in {row[i] for i in weak if row[i]} - {row[0]}:
                    rows_by_lemma[lemma].append(entry)
    return dict(rows_by_lemma), len(genus)


@cache
def noun_data(lemma: str) -> NounData | None:
    """Return what Wiktionary (german-nouns) knows about a noun, or ``None`` if it does not know it.

    Homographs are merged: every article and every plural of the lemma counts.
    """
    rows_by_lemma, genus_count = _noun_rows()
    entries = rows_by_lemma.get(lemma)
    if not entries:
        return None
    articles = {GENUS_ARTICLE[cell] for entry in entries for cell in entry[:genus_count] if cell in GENUS_ARTICLE}
    plurals = {cell for entry in entries for cell in entry[genus_count:] if cell}
    return NounData(frozenset(articles), frozenset(plurals))


MIN_HEAD = 4
MIN_MODIFIER = 3


@cache
def compound_data(lemma: str) -> tuple[str, NounData] | None:
    """For a compound Wiktionary does not list, return its head noun and what the compound inherits.

    German compounds take gender and plural from their last part: ``Dienstübergabe`` is feminine
    like ``Übergabe`` and forms ``Dienstübergaben``. The longest known last part wins, and only if
    the first part is a known noun too (with its linking ``s``, ``n``, ``en`` or ``e``): so
    ``Kundschaft`` is no kind of ``Schaft`` and ``Housekeeping`` no kind of ``Ping``.
    """
    for start in range(MIN_MODIFIER, len(lemma) - MIN_HEAD + 1):
        head = lemma[start].upper() + lemma[start + 1:]
        if lemma[start - 1] == "-":
            head = lemma[start:]
        known = noun_data(head)
        if known is not None and _is_modifier(lemma[:start].rstrip("-")):
            modifier = lemma[:start]
            plurals = {modifier + (form if modifier.endswith("-") else form[0].lower() + form[1:])
                       for form in known.plurals if form}
            return head, NounData(known.articles, frozenset(plurals))
    return None


def _is_modifier(text: str) -> bool:
    """True when ``text`` is a known noun, allowing for a linking element (``Arbeits`` → ``Arbeit``)."""
    stems = {text, text.removesuffix("s"), text.removesuffix("es"), text.removesuffix("en"),
             text.removesuffix("n"), text.removesuffix("e")}
    return any(len(stem) >= MIN_MODIFIER and noun_data(stem[0].upper() + stem[1:]) is not None for stem in stems)


def plural_forms(plural: str) -> list[str]:
    """Return the plural forms an author wrote (``die Kommas / Kommata`` → two), none for ``–``."""
    text = plural.strip()
    if text in NO_PLURAL:
        return []
    forms = re.split(r"\s*(?:/|,|\boder\b)\s*", text)
    return [form.removeprefix("die ").strip() for form in forms if form.strip()]


class NounException(Strict):
    """A documented exception in ``ausnahmen.yml``: a noun that deliberately differs from Wiktionary."""

    lemma: Text
    article: Article | None = None
    plural: Text | None = None
    reason: str | None = None


class NounExceptions(Strict):
    """The contents of ``ausnahmen.yml``: a list of noun exceptions."""

    nouns: list[NounException] = Field(default_factory=list)


def noun_exceptions(folder: Path, documents: Documents) -> tuple[dict[str, NounException], list[Finding]]:
    """Return the exceptions with a reason by lemma, and the findings about the file itself."""
    path = folder / EXCEPTIONS_FILE
    if not path.exists():
        return {}, []
    try:
        document = documents.get(path)
        exceptions: NounExceptions = validate_document(document, NounExceptions)
    except InputErrors as error:
        return {}, [finding_from_input_error(each) for each in error.errors]
    except InputError as error:
        return {}, [finding_from_input_error(error)]
    valid: dict[str, NounException] = {}
    problems = []
    for number, exception in enumerate(exceptions.nouns):
        if exception.reason and exception.reason.strip():
            valid[exception.lemma] = exception
        else:
            problems.append(Problem("E-EXCEPTION-REASON", ("nouns", number),
                                    f"die Ausnahme für „{exception.lemma}“ braucht eine Begründung (reason)"))
    return valid, documents.findings(path, problems)


def noun_problems(lemma: str, article: str | None, plural: str | None, key_path: KeyPath,
                  exception: NounException | None) -> Iterator[Problem]:
    """Yield article and plural problems of one noun against Wiktionary, unless an exception covers them."""
    known = noun_data(lemma)
    basis = ""
    if known is None:
        compound = compound_data(lemma)
        if compound is None:
            return
        basis = f" (nach dem letzten Wortteil „{compound[0]}“)"
        known = compound[1]
    if article is None:
        return
    if known.articles and article not in known.articles and not (exception and exception.article == article):
        expected = " oder ".join(f"„{known_article} {lemma}“" for known_article in sorted(known.articles))
        yield Problem("E-ARTICLE", (*key_path, "article"),
                      f"„{article} {lemma}“: laut Wiktionary heißt es {expected}{basis}")
    forms = plural_forms(plural or "")
    if not forms or (exception and exception.plural is not None and exception.plural == plural):
        return
    if not known.plurals:
        if basis:
            return
        yield Problem("W-PLURAL-UNKNOWN", (*key_path, "plural"),
                      f"Wiktionary kennt keinen Plural von „{lemma}“; prüfen Sie „{plural}“ oder schreiben Sie „–“")
    elif any(form not in known.plurals for form in forms):
        expected = ", ".join(sorted(known.plurals))
        yield Problem("E-PLURAL", (*key_path, "plural"),
                      f"„{plural}“ ist kein Plural von „{lemma}“; Wiktionary nennt: {expected}{basis}")


def noun_findings(curriculum: SectorCurriculum, exceptions: dict[str, NounException] | None = None,
                  documents: Documents | None = None) -> list[Finding]:
    """Return article and plural findings for the nouns of the modules and the glossary."""
    documents = documents or Documents()
    exceptions = exceptions or {}
    findings: list[Finding] = []
    for module in curriculum.modules:
        vocabulary = [(item, ("vocabulary", number)) for number, item in enumerate(module.vocabulary)]
        findings += documents.findings(Path(curriculum.files[f"module:{module.id}"]),
                                       _nouns_problems(vocabulary, exceptions))
    if "glossary" in curriculum.files:
        terms = [(term, ("terms", number)) for number, term in enumerate(curriculum.glossary.terms)]
        findings += documents.findings(Path(curriculum.files["glossary"]), _nouns_problems(terms, exceptions))
    return findings


def _nouns_problems(items: Iterable[tuple[VocabularyItem | GlossaryEntry, KeyPath]],
                    exceptions: dict[str, NounException]) -> Iterator[Problem]:
    """Yield the article and plural problems of the nouns among ``items`` (each with its key path)."""
    for item, key_path in items:
        if item.pos == "noun":
            yield from noun_problems(item.lemma, item.article, item.plural, key_path, exceptions.get(item.lemma))
