"""Content checks: schema, completeness, duplicates, spelling, articles and plurals.

Each check returns :class:`Finding` objects with a code a user can switch off, the file, line and
key path. A code starting with ``E-`` is an error, one starting with ``W-`` a warning.
``kurswerk check`` prints them with :func:`format_lines` (or :func:`findings_json`) and exits non-zero if
:func:`has_errors`. :mod:`~kurswerk.check.codes` is the registry of every code.

The completeness rules follow the content guide and ``docs/CONTENT_BRIEF.md``; requirements that the
schema already enforces (a key for every exercise, source and year on every fact, transfer and
trainer notes present) surface as schema findings from the loader (``E-SCHEMA``, ``E-MISSING`` …).

The package re-exports the public API of its modules:

- :mod:`~kurswerk.check.run` runs every check over the curricula or one sector folder;
- :mod:`~kurswerk.check.findings` holds :class:`Finding`, severities and the table;
- :mod:`~kurswerk.check.lines` reads each YAML file once and finds the line of a key path;
- :mod:`~kurswerk.check.completeness` holds the completeness and duplicate rules;
- :mod:`~kurswerk.check.tracks` holds the rules for the courses of a sector (tracks per level);
- :mod:`~kurswerk.check.nouns` checks articles and plurals against Wiktionary and ``ausnahmen.yml``;
- :mod:`~kurswerk.check.spelling` checks spelling with hunspell and the reviewed word lists.

Codes of this package: schema and files ``E-SECTOR-MISSING``; modules ``E-SCENARIO-STEPS``,
``E-SCENARIO-MODES``, ``E-SCENARIO-REGISTER``, ``E-DIALOGUE-MISSING``, ``W-DIALOGUE-LENGTH``,
``E-PHRASES-FEW``, ``E-PHRASE-FUNCTIONS``, ``W-COUNTERPARTS-FEW``, ``E-VOCABULARY-FEW``,
``E-EXERCISES-FEW``, ``W-STRATEGIES-FEW``, ``W-CAN-DO-COUNT``, ``W-TIMING-SUM``, ``E-DUPLICATE-ID``,
``W-DUPLICATE-VOCABULARY``; trainings ``E-CRITICAL-INCIDENTS``, ``E-REWRITES-FEW``,
``E-ONBOARDING-MISSING``, ``W-AGENDA-MINUTES``; sector ``E-FACTS-FEW``, ``E-MODULES-FEW``,
``E-LEVEL-B1``, ``E-TRAINING-MISSING``, ``E-GLOSSARY-FEW``, ``E-DUPLICATE-LEMMA``; course tracks
``E-TRACK-BAND``, ``E-TRACK-LEVEL``, ``E-TRACK-ORDER``, ``E-TRACK-MISSING``;
language ``E-SPELLING``, ``E-ARTICLE``, ``E-ARTICLE-TEXT`` (an article in a sentence that fits its
noun in no case), ``E-PLURAL``, ``W-PLURAL-UNKNOWN``, ``E-EXCEPTION-REASON``; packet and content
``E-PRACTICE-FEW``, ``W-PRACTICE-UNUSABLE``, ``E-PRACTICE-COPY``, ``E-MATERIAL-MISSING``,
``E-GLOSSARY-DEFINITION``, ``W-GLOSSARY-EXAMPLE``, ``E-ANSWER-REASON``, ``E-NAME-CLASH``. The content
model's own rules for the company handout come from the loader with codes of their own: ``E-KEY-POINTS``,
``E-NEXT-STEPS`` and ``E-COMPANY-SENTENCE``.
"""

from __future__ import annotations

from kurswerk.check.codes import CODES, INCOMPLETE, unknown_codes
from kurswerk.check.completeness import completeness_findings
from kurswerk.check.findings import (
    Finding,
    KeyPath,
    Problem,
    Severity,
    findings_json,
    format_line,
    format_lines,
    has_errors,
    severity_of,
    summary,
)
from kurswerk.check.lines import Documents
from kurswerk.check.nouns import (
    EXCEPTIONS_FILE,
    NounData,
    NounException,
    NounExceptions,
    noun_data,
    noun_exceptions,
    noun_findings,
    noun_problems,
    plural_forms,
)
from kurswerk.check.run import check_sector, run_checks
from kurswerk.check.spelling import (
    NOT_PROSE,
    Speller,
    reviewed_words,
    spelling_findings,
    unknown_words,
    word_list_paths,
)

__all__ = [
    "CODES",
    "EXCEPTIONS_FILE",
    "INCOMPLETE",
    "NOT_PROSE",
    "Documents",
    "Finding",
    "KeyPath",
    "NounData",
    "NounException",
    "NounExceptions",
    "Problem",
    "Severity",
    "Speller",
    "check_sector",
    "completeness_findings",
    "findings_json",
    "format_line",
    "format_lines",
    "has_errors",
    "noun_data",
    "noun_exceptions",
    "noun_findings",
    "noun_problems",
    "plural_forms",
    "reviewed_words",
    "run_checks",
    "severity_of",
    "spelling_findings",
    "summary",
    "unknown_codes",
    "unknown_words",
    "word_list_paths",
]
