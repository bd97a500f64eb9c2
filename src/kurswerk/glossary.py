"""The sector glossary: the glossary file joined with every module's vocabulary, one word per lemma.

Book and handouts draw the same list from :func:`glossary_words`. A glossary term keeps its own
entries and is completed from the vocabulary (article, plural, forms, definition, example,
translations); a word only in the vocabulary comes from there. A word without a definition or an
example has none here either: ``kurswerk check`` reports it (``E-GLOSSARY-DEFINITION``,
``W-GLOSSARY-EXAMPLE``) rather than the glossary inventing a stock text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kurswerk.model import GlossaryEntry, SectorCurriculum, VocabularyItem


def slug(text: str) -> str:
    """Return an ASCII label for anchors and filing: ``die Übergabe`` → ``die-uebergabe``."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "eintrag"


@dataclass
class GlossaryWord:
    """A word of the sector glossary with everything known about it."""

    lemma: str
    pos: str
    article: str | None = None
    plural: str | None = None
    forms: str | None = None
    definition: str | None = None
    example: str | None = None
    translations: dict[str, str] = field(default_factory=dict)
    modules: list[str] = field(default_factory=list)
    """Ids of the modules whose vocabulary has the word."""

    @property
    def headword(self) -> str:
        return f"{self.article} {self.lemma}" if self.article else self.lemma

    @property
    def in_modules(self) -> bool:
        return bool(self.modules)

    def complete_from(self, item: VocabularyItem, module_id: str) -> None:
        """Fill what the word lacks from a module's vocabulary item."""
        self.modules.append(module_id)
        self.article = self.article or item.article
        self.plural = self.plural or item.plural
        self.forms = self.forms or item.forms
        self.definition = self.definition or item.definition
        self.example = self.example or item.example
        self.translations = {**item.translations, **self.translations}


def _from_term(term: GlossaryEntry) -> GlossaryWord:
    return GlossaryWord(term.lemma, term.pos, term.article, term.plural, term.forms, term.definition, term.example,
                        dict(term.translations))


def glossary_words(curriculum: SectorCurriculum) -> list[GlossaryWord]:
    """Return the sector glossary joined with all module vocabulary, one word per lemma, A to Z."""
    words: dict[str, GlossaryWord] = {}
    for term in curriculum.glossary.terms:
        words.setdefault(slug(term.lemma), _from_term(term))
    for module in curriculum.ordered_modules:
        for item in module.vocabulary:
            words.setdefault(slug(item.lemma), GlossaryWord(item.lemma, item.pos)).complete_from(item, module.id)
    return sorted(words.values(), key=lambda word: (slug(word.lemma), word.lemma))


def initial(word: GlossaryWord) -> str:
    """Return the letter a word is filed under (``Ärztin`` under A)."""
    return slug(word.lemma)[0].upper()
