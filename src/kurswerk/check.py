"""Content checks: schema, completeness, duplicates, spelling, articles and plurals.

Each check returns :class:`Finding` objects with a code a user can switch off, the file, line and
key path. A code starting with ``E-`` is an error, one starting with ``W-`` a warning.
``kurswerk check`` prints them with :func:`format_table` and exits non-zero if :func:`has_errors`.

The completeness rules follow the content guide and ``docs/CONTENT_BRIEF.md``; requirements that the
schema already enforces (a key for every exercise, source and year on every fact, transfer and
trainer notes present) surface as schema findings from the loader (``E-SCHEMA``, ``E-MISSING`` …).

Codes of this module: schema and files ``E-SECTOR-MISSING``; modules ``E-SCENARIO-STEPS``,
``E-SCENARIO-MODES``, ``E-SCENARIO-REGISTER``, ``E-DIALOGUE-MISSING``, ``W-DIALOGUE-LENGTH``,
``E-PHRASES-FEW``, ``E-PHRASE-FUNCTIONS``, ``W-COUNTERPARTS-FEW``, ``E-VOCABULARY-FEW``,
``E-EXERCISES-FEW``, ``W-STRATEGIES-FEW``, ``W-CAN-DO-COUNT``, ``W-TIMING-SUM``, ``E-DUPLICATE-ID``,
``W-DUPLICATE-VOCABULARY``; trainings ``E-CRITICAL-INCIDENTS``, ``E-REWRITES-FEW``,
``E-ONBOARDING-MISSING``, ``W-AGENDA-MINUTES``; sector ``E-FACTS-FEW``, ``E-MODULES-FEW``,
``E-LEVEL-B1``, ``E-TRAINING-MISSING``, ``W-COURSE-ORDER``, ``E-GLOSSARY-FEW``, ``E-DUPLICATE-LEMMA``;
language ``E-SPELLING``, ``E-ARTICLE``, ``E-PLURAL``, ``W-PLURAL-UNKNOWN``, ``E-EXCEPTION-REASON``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from kurswerk.errors import InputError, InputErrors, Location
from kurswerk.load import (
    YamlDocument,
    display_path,
    format_key_path,
    load_sector,
    read_yaml,
    sector_folders,
    validate_document,
)
from kurswerk.model import Article, GlossaryEntry, Module, SectorCurriculum, Strict, Text, Training, VocabularyItem

if TYPE_CHECKING:
    from rich.table import Table

Severity = Literal["error", "warning"]
KeyPath = tuple[str | int, ...]

WORD = re.compile(r"[^\W\d_\u00b2\u00b3\u00b9]+(?:-[^\W\d_\u00b2\u00b3\u00b9]+)*")

NOT_PROSE = {"id", "template", "pos", "level", "register", "mode", "url", "chart", "type", "time",
             "field_of_action", "ikoe_level", "translations", "modules", "year", "unit", "publisher",
             "title_en"}
"""Keys whose values are codes, names of other languages or references, not German prose."""

EXCEPTIONS_FILE = "ausnahmen.yml"

MIN_PHRASES, MIN_FUNCTIONS, MIN_COUNTERPARTS = 8, 3, 3
MIN_VOCABULARY, MIN_EXERCISES, MIN_STRATEGIES = 15, 4, 2
MIN_FACTS, MIN_MODULES, MIN_CRITICAL_INCIDENTS, MIN_REWRITES, MIN_GLOSSARY = 2, 3, 2, 3, 60
MINUTES_PER_UE = 45
ONBOARDING = re.compile(r"onboarding|einarbeitung|ankommen|ankunft", re.IGNORECASE)


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


@dataclass(frozen=True)
class Problem:
    """A finding before it knows its file: code, key path inside the file, message."""

    code: str
    key_path: KeyPath
    message: str


def severity_of(code: str) -> Severity:
    """Return ``"error"`` for ``E-`` codes, ``"warning"`` for all others."""
    return "error" if code.startswith("E-") else "warning"


@dataclass
class Documents:
    """Parsed YAML files of one run, each read once; turns problems into findings with lines."""

    cache: dict[Path, YamlDocument] = field(default_factory=dict)
    lines: dict[Path, dict[KeyPath, int]] = field(default_factory=dict)

    def get(self, path: Path) -> YamlDocument:
        """Return the parsed file; raises :class:`InputError` if it cannot be read."""
        if path not in self.cache:
            self.cache[path] = read_yaml(path)
        return self.cache[path]

    def line(self, path: Path, key_path: KeyPath) -> int | None:
        """Return the line of the deepest node on ``key_path`` that exists, as ``line_of`` does.

        The lines come from libyaml's node tree (about 20 times faster than the round-trip parse,
        which matters when a sector has hundreds of findings); ``line_of`` is the fallback.
        """
        try:
            document = self.get(path)
        except InputError:
            return None
        if path not in self.lines:
            self.lines[path] = _line_index(document.text) if hasattr(document, "text") else {}
        index = self.lines[path]
        if not index:
            return document.line_of(key_path)
        for end in range(len(key_path), -1, -1):
            if key_path[:end] in index:
                return index[key_path[:end]]
        return None

    def finding(self, path: Path, problem: Problem) -> Finding:
        """Return the finding for a problem in ``path``, with the line of its key path."""
        return Finding(problem.code, severity_of(problem.code), display_path(path), self.line(path, problem.key_path),
                       format_key_path(problem.key_path), problem.message)

    def findings(self, path: Path, problems: Iterable[Problem]) -> list[Finding]:
        """Return the findings for several problems in one file."""
        return [self.finding(path, problem) for problem in problems]


def _line_index(text: str) -> dict[KeyPath, int]:
    """Return the 1-based line of every key path of a YAML text (empty if libyaml cannot parse it)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="safe").compose(text)
    except YAMLError:
        return {}
    index: dict[KeyPath, int] = {}
    if root is not None:
        index[()] = root.start_mark.line + 1
        _index_node(root, (), index)
    return index


def _index_node(node: Any, key_path: KeyPath, index: dict[KeyPath, int]) -> None:
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode):
        children = [((*key_path, str(key.value)), key, value) for key, value in node.value]
    elif isinstance(node, SequenceNode):
        children = [((*key_path, number), value, value) for number, value in enumerate(node.value)]
    else:
        return
    for child_path, marker, child in children:
        index[child_path] = marker.start_mark.line + 1
        _index_node(child, child_path, index)


# --- running ---------------------------------------------------------------------------------


def run_checks(curricula: Path, sectors: list[str] | None = None,
               disabled: set[str] | frozenset[str] = frozenset()) -> list[Finding]:
    """Return the findings of every check over the sector folders of ``curricula``.

    ``sectors`` limits the run to these folder names; findings whose code is in ``disabled`` are
    dropped. Raises :class:`InputError` if ``curricula`` is no folder or names an unknown sector.
    """
    folders = sector_folders(curricula)
    if sectors:
        missing = sorted(set(sectors) - {folder.name for folder in folders})
        if missing:
            raise InputError(Location(display_path(curricula)), f"has no sector {', '.join(missing)}",
                             code="E-REFERENCE")
        folders = [folder for folder in folders if folder.name in sectors]
    findings = [] if sectors else _folders_without_sector(curricula)
    findings += [finding for folder in folders for finding in check_sector(folder, curricula)]
    return [finding for finding in findings if finding.code not in disabled]


def _folders_without_sector(curricula: Path) -> list[Finding]:
    """Return a finding for each folder with modules or trainings but no ``sector.yml`` (never built)."""
    return [
        Finding("E-SECTOR-MISSING", "error", display_path(folder / "sector.yml"), None, "",
                "the folder has modules or trainings but no sector.yml, so nothing of it is built")
        for folder in sorted(path for path in curricula.iterdir() if path.is_dir())
        if not (folder / "sector.yml").exists() and ((folder / "modules").is_dir() or (folder / "trainings").is_dir())
    ]


def check_sector(folder: Path, curricula: Path) -> list[Finding]:
    """Return every finding for one sector folder (schema errors do not stop the other checks)."""
    documents = Documents()
    findings: list[Finding] = []
    curriculum: SectorCurriculum | None = None
    try:
        curriculum = load_sector(folder)
    except InputErrors as error:
        findings += [_from_input_error(each) for each in error.errors]
    except InputError as error:
        findings.append(_from_input_error(error))
    findings += _spelling_in_folder(folder, curricula, documents)
    exceptions, exception_findings = _noun_exceptions(folder, documents)
    findings += exception_findings
    if curriculum is not None:
        findings += completeness_findings(curriculum, documents)
        findings += noun_findings(curriculum, exceptions, documents)
    return sorted(findings, key=lambda finding: (finding.file, finding.line or 0, finding.code))


def _from_input_error(error: InputError) -> Finding:
    where = error.location
    return Finding(error.code, "error", str(where.file), where.line, where.key_path, error.message)


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return whether any finding is an error (not only warnings)."""
    return any(finding.severity == "error" for finding in findings)


def format_table(findings: Iterable[Finding]) -> Table:
    """Return a rich table with the columns Ort (file:line), Schlüssel, Code, Meldung."""
    from rich.table import Table

    table = Table(title="Inhaltsprüfung", show_lines=False)
    for name in ("Ort", "Schlüssel", "Code", "Meldung"):
        table.add_column(name, overflow="fold")
    for finding in findings:
        where = f"{finding.file}:{finding.line}" if finding.line else finding.file
        style = "red" if finding.severity == "error" else "yellow"
        table.add_row(where, finding.key_path, finding.code, finding.message, style=style)
    return table


# --- completeness: modules -------------------------------------------------------------------


def _scenario_problems(module: Module) -> Iterator[Problem]:
    steps = module.scenario.steps
    if len(steps) < 3:
        yield Problem("E-SCENARIO-STEPS", ("scenario", "steps"), f"has {len(steps)} steps; a scenario needs 3–5")
    if {step.mode for step in steps} != {"oral", "written"}:
        yield Problem("E-SCENARIO-MODES", ("scenario", "steps"), "must mix oral and written steps")
    if len({step.speech_register for step in steps}) < 2:
        yield Problem("E-SCENARIO-REGISTER", ("scenario", "steps"),
                      "needs a register change (formal ↔ informal) between steps")
    for number, step in enumerate(steps):
        lines = len(step.dialogue)
        if step.mode == "oral" and not lines:
            yield Problem("E-DIALOGUE-MISSING", ("scenario", "steps", number), "an oral step needs dialogue lines")
        elif step.mode == "oral" and not 3 <= lines <= 8:
            yield Problem("W-DIALOGUE-LENGTH", ("scenario", "steps", number, "dialogue"),
                          f"has {lines} dialogue lines; aim for 3–8")


def _phrase_problems(module: Module) -> Iterator[Problem]:
    phrases = module.phrases
    functions = {phrase.function for phrase in phrases}
    counterparts = sum(1 for phrase in phrases if phrase.counterpart)
    if len(phrases) < MIN_PHRASES:
        yield Problem("E-PHRASES-FEW", ("phrases",), f"has {len(phrases)} phrases; at least {MIN_PHRASES} needed")
    if len(functions) < MIN_FUNCTIONS:
        yield Problem("E-PHRASE-FUNCTIONS", ("phrases",),
                      f"covers {len(functions)} communicative function(s); at least {MIN_FUNCTIONS} needed")
    if counterparts < MIN_COUNTERPARTS:
        yield Problem("W-COUNTERPARTS-FEW", ("phrases",),
                      f"{counterparts} phrase(s) have a counterpart (du ↔ Sie); give at least {MIN_COUNTERPARTS} one")


def _content_problems(module: Module) -> Iterator[Problem]:
    with_example = sum(1 for item in module.vocabulary if item.example.strip())
    with_key = sum(1 for exercise in module.exercises if exercise.answer or exercise.items)
    if with_example < MIN_VOCABULARY:
        yield Problem("E-VOCABULARY-FEW", ("vocabulary",),
                      f"has {with_example} items with an example; at least {MIN_VOCABULARY} needed")
    if with_key < MIN_EXERCISES:
        yield Problem("E-EXERCISES-FEW", ("exercises",) if module.exercises else (),
                      f"has {with_key} hand-written exercises with a key; at least {MIN_EXERCISES} needed")
    if len(module.strategies) < MIN_STRATEGIES:
        yield Problem("W-STRATEGIES-FEW", ("strategies",),
                      f"has {len(module.strategies)} strategy; give {MIN_STRATEGIES}–3")
    if not 3 <= len(module.can_do) <= 5:
        yield Problem("W-CAN-DO-COUNT", ("can_do",), f"has {len(module.can_do)} can-do statements; give 3–5")


def _timing_problems(module: Module) -> Iterator[Problem]:
    total = sum(phase.minutes for phase in module.trainer_notes.timing)
    expected = module.duration_ue * MINUTES_PER_UE
    if total != expected:
        yield Problem("W-TIMING-SUM", ("trainer_notes", "timing"),
                      f"phases add up to {total} minutes, but duration_ue {module.duration_ue} × 45 = {expected}")


def _module_duplicate_problems(module: Module) -> Iterator[Problem]:
    yield from _duplicates([exercise.id for exercise in module.exercises], "exercises", "id",
                           "E-DUPLICATE-ID", "exercise id")
    keys = [f"{item.headword} ({item.pos})" for item in module.vocabulary]
    yield from _duplicates(keys, "vocabulary", "lemma", "W-DUPLICATE-VOCABULARY", "vocabulary item")


def _duplicates(values: list[str], list_key: str, item_key: str, code: str, what: str) -> Iterator[Problem]:
    """Yield a problem for every repetition of a value after its first occurrence."""
    seen: dict[str, int] = {}
    for number, value in enumerate(values):
        if value in seen:
            yield Problem(code, (list_key, number, item_key),
                          f"duplicate {what} '{value}' (first at {list_key}[{seen[value]}])")
        else:
            seen[value] = number


MODULE_RULES: list[Callable[[Module], Iterator[Problem]]] = [
    _scenario_problems, _phrase_problems, _content_problems, _timing_problems, _module_duplicate_problems,
]


# --- completeness: trainings, sector, glossary --------------------------------------------------


def _training_problems(training: Training) -> Iterator[Problem]:
    incidents = sum(1 for exercise in training.exercises if exercise.type == "critical_incident")
    rewrites = sum(len(exercise.rewrites) for exercise in training.exercises if exercise.type == "plain_language")
    if incidents < MIN_CRITICAL_INCIDENTS:
        yield Problem("E-CRITICAL-INCIDENTS", ("exercises",),
                      f"has {incidents} critical incident(s); at least {MIN_CRITICAL_INCIDENTS} needed")
    if rewrites < MIN_REWRITES:
        yield Problem("E-REWRITES-FEW", ("exercises",),
                      f"has {rewrites} plain-language rewrite(s); at least {MIN_REWRITES} needed")
    if not any(ONBOARDING.search(f"{checklist.id} {checklist.title}") for checklist in training.checklists):
        yield Problem("E-ONBOARDING-MISSING", ("checklists",),
                      "needs an onboarding checklist (id or title naming Onboarding or Einarbeitung)")
    total = sum(item.minutes for item in training.agenda)
    if total != training.duration_min:
        yield Problem("W-AGENDA-MINUTES", ("agenda",),
                      f"agenda adds up to {total} minutes, but duration_min is {training.duration_min}")
    ids = [exercise.id for exercise in training.exercises]
    yield from _duplicates(ids, "exercises", "id", "E-DUPLICATE-ID", "exercise id")
    ids = [checklist.id for checklist in training.checklists]
    yield from _duplicates(ids, "checklists", "id", "E-DUPLICATE-ID", "checklist id")


def _sector_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    sector, modules = curriculum.sector, curriculum.modules
    if len(sector.facts) < MIN_FACTS:
        yield Problem("E-FACTS-FEW", ("facts",) if sector.facts else (),
                      f"has {len(sector.facts)} fact(s) with source and year; at least {MIN_FACTS} needed")
    if len(modules) < MIN_MODULES:
        yield Problem("E-MODULES-FEW", ("course", "modules"),
                      f"the sector has {len(modules)} module(s); at least {MIN_MODULES} needed")
    if modules and not any(module.level == "B1" for module in modules):
        yield Problem("E-LEVEL-B1", ("course", "modules"), "at least one module must be at level B1")
    if not curriculum.trainings:
        yield Problem("E-TRAINING-MISSING", ("id",), "the sector needs an IKÖ training in trainings/")
    for module in curriculum.modules:
        if module.id not in sector.course.modules:
            yield Problem("W-COURSE-ORDER", ("course", "modules"), f"does not list the module '{module.id}'")


def _glossary_problems(curriculum: SectorCurriculum) -> Iterator[Problem]:
    terms = curriculum.glossary.terms
    lemmas = {term.lemma for term in terms} | {item.lemma for module in curriculum.modules for item in module.vocabulary}
    if len(lemmas) < MIN_GLOSSARY:
        yield Problem("E-GLOSSARY-FEW", ("terms",),
                      f"glossary and module vocabulary hold {len(lemmas)} terms; at least {MIN_GLOSSARY} needed")
    keys = [f"{term.headword} ({term.pos})" for term in terms]
    yield from _duplicates(keys, "terms", "lemma", "E-DUPLICATE-LEMMA", "glossary term")


def completeness_findings(curriculum: SectorCurriculum, documents: Documents | None = None) -> list[Finding]:
    """Return the findings of the completeness and duplicate rules for a loaded sector."""
    documents = documents or Documents()
    files = {key: Path(value) for key, value in curriculum.files.items()}
    sector_file = files["sector"]
    findings = documents.findings(sector_file, _sector_problems(curriculum))
    glossary_file = files.get("glossary", sector_file)
    findings += documents.findings(glossary_file, _glossary_problems(curriculum))
    for module in curriculum.modules:
        path = files[f"module:{module.id}"]
        findings += [documents.finding(path, problem) for rule in MODULE_RULES for problem in rule(module)]
    for training in curriculum.trainings:
        findings += documents.findings(files[f"training:{training.id}"], _training_problems(training))
    return findings


# --- articles and plurals (german-nouns, Wiktionary) ---------------------------------------------


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
    nouns: list[NounException] = Field(default_factory=list)


def _noun_exceptions(folder: Path, documents: Documents) -> tuple[dict[str, NounException], list[Finding]]:
    """Return the exceptions with a reason by lemma, and the findings about the file itself."""
    path = folder / EXCEPTIONS_FILE
    if not path.exists():
        return {}, []
    try:
        document = documents.get(path)
        exceptions: NounExceptions = validate_document(document, NounExceptions)
    except InputErrors as error:
        return {}, [_from_input_error(each) for each in error.errors]
    except InputError as error:
        return {}, [_from_input_error(error)]
    valid: dict[str, NounException] = {}
    problems = []
    for number, exception in enumerate(exceptions.nouns):
        if exception.reason and exception.reason.strip():
            valid[exception.lemma] = exception
        else:
            problems.append(Problem("E-EXCEPTION-REASON", ("nouns", number),
                                    f"the exception for '{exception.lemma}' needs a reason"))
    return valid, documents.findings(path, problems)


def noun_problems(lemma: str, article: str | None, plural: str | None, key_path: KeyPath,
                  exception: NounException | None) -> Iterator[Problem]:
    """Yield article and plural problems of one noun against Wiktionary, unless an exception covers them."""
    known = noun_data(lemma)
    if known is None or article is None:
        return
    if known.articles and article not in known.articles and not (exception and exception.article == article):
        expected = " or ".join(sorted(known.articles))
        yield Problem("E-ARTICLE", (*key_path, "article"),
                      f"'{article} {lemma}': Wiktionary gives {expected} {lemma}")
    forms = plural_forms(plural or "")
    if not forms or (exception and exception.plural is not None and exception.plural == plural):
        return
    if not known.plurals:
        yield Problem("W-PLURAL-UNKNOWN", (*key_path, "plural"),
                      f"Wiktionary lists no plural of '{lemma}'; check '{plural}' or write '–'")
    elif any(form not in known.plurals for form in forms):
        expected = ", ".join(sorted(known.plurals))
        yield Problem("E-PLURAL", (*key_path, "plural"),
                      f"'{plural}' is not a plural of '{lemma}'; Wiktionary gives: {expected}")


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
    for item, key_path in items:
        if item.pos == "noun":
            yield from noun_problems(item.lemma, item.article, item.plural, key_path, exceptions.get(item.lemma))


# --- spelling ------------------------------------------------------------------------------


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
    import enchant

    return enchant.Dict("de_DE")


def _dictionary(words: frozenset[str]) -> Speller:
    """Return the speller for a sector: hunspell de_DE and the sector's reviewed words."""
    return Speller(_hunspell(), words)


def _strings(data: Any, key_path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
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
    return _spelling_in_folder(curricula / curriculum.sector.id, curricula, Documents())


def _spelling_in_folder(folder: Path, curricula: Path, documents: Documents) -> list[Finding]:
    dictionary = _dictionary(reviewed_words(word_list_paths(curricula, folder.name)))
    parsed = []
    for path in _sector_files(folder):
        try:
            parsed.append((path, documents.get(path)))
        except InputError:
            continue  # the schema findings already report files that cannot be read
    names = set().union(*(_person_names(document.data) for _, document in parsed))
    findings: list[Finding] = []
    for path, document in parsed:
        problems = [
            Problem("E-SPELLING", key_path, "unknown word(s): " + ", ".join(unknown))
            for key_path, text in _strings(document.data)
            if (unknown := unknown_words(text, dictionary, names))
        ]
        findings += documents.findings(path, problems)
    return findings


def _sector_files(folder: Path) -> list[Path]:
    files = [folder / "sector.yml", folder / "glossary.yml"]
    files += sorted((folder / "modules").glob("*.yml")) + sorted((folder / "trainings").glob("*.yml"))
    return [path for path in files if path.exists()]
