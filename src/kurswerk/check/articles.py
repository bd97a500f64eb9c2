"""Definite articles in sentences that cannot go with their noun in any case (``das Rezeption``).

``der``, ``die`` and ``das`` before a noun that Wiktionary (german-nouns) knows, directly or as the
last part of a compound, in every text field. ``das`` needs a neuter noun; ``die`` a feminine noun
or a plural; ``der`` anything but a neuter singular (dative and genitive of feminine nouns, genitive
plural). An article right after a comma (or a comma and a preposition) is a relative pronoun, and
a word followed by another capitalised word may be part of a name or an adjective (``der Küstenland
Versicherung``, ``das Wiener Schnitzel``): both are left alone. Code:
``E-ARTICLE-TEXT``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from kurswerk.check.findings import Finding, KeyPath, Problem
from kurswerk.check.lines import Documents
from kurswerk.check.nouns import NounData, _noun_rows, compound_data, noun_data
from kurswerk.check.spelling import _sector_files, _strings
from kurswerk.errors import InputError

ARTICLE_NOUN = re.compile(r"\b([Dd]er|[Dd]ie|[Dd]as)\s+([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*)\b(?![-\w])")


@cache
def all_plurals() -> frozenset[str]:
    """Return every nominative plural form Wiktionary lists (``Kinder``, ``Lehrer`` …)."""
    rows_by_lemma, genus_count = _noun_rows()
    return frozenset(cell for entries in rows_by_lemma.values() for entry in entries
                     for cell in entry[genus_count:] if cell)


def _known(word: str) -> NounData | None:
    last = word.rsplit("-", 1)[-1]
    if not last[:1].isupper():
        return None  # "Check-out": the last part is no noun of its own
    data = noun_data(last)
    if data is None:
        compound = compound_data(last)
        data = compound[1] if compound else None
    return data if data and data.articles else None


def _is_plural(word: str, data: NounData) -> bool:
    """True when ``word`` is a plural form: of any noun, or of its compound's last part (``Fettfilter``)."""
    last = word.rsplit("-", 1)[-1]
    return last in all_plurals() or any(last.endswith(plural.lower()) or last.endswith(plural)
                                        for plural in data.plurals if len(plural) >= 3)


def wrong_article(article: str, word: str) -> bool:
    """True when the definite ``article`` cannot stand before ``word`` in any case or number."""
    data = _known(word)
    if data is None:
        return False
    article = article.lower()
    plural = _is_plural(word, data)
    if article == "das":
        return "das" not in data.articles
    if article == "die":
        return "die" not in data.articles and not plural
    return data.articles == frozenset({"das"}) and not plural


def article_problems(text: str, key_path: KeyPath) -> Iterator[Problem]:
    """Yield a problem for each article–noun pair in ``text`` that cannot be right."""
    for match in ARTICLE_NOUN.finditer(text):
        before = text[:match.start()].split()[-2:]
        after = text[match.end():].split()[:1]
        if any(word.endswith(",") for word in before) or (after and after[0][:1].isupper()):
            continue  # a relative pronoun (", durch die …"), or a name or adjective ("das Wiener Schnitzel")
        article, word = match.groups()
        if wrong_article(article, word):
            yield Problem("E-ARTICLE-TEXT", key_path,
                          f"„{article} {word}“: der Artikel passt in keinem Kasus zu diesem Nomen")


def article_findings_in_folder(folder: Path, documents: Documents) -> list[Finding]:
    """Return one finding per wrong article–noun pair in the text fields of a sector's files."""
    findings: list[Finding] = []
    for path in _sector_files(folder):
        try:
            document = documents.get(path)
        except InputError:
            continue
        problems = [problem for key_path, text in _strings(document.data)
                    for problem in article_problems(text, key_path)]
        findings += documents.findings(path, problems)
    return findings
