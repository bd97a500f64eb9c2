"""The content model: typed, validated classes for sectors, modules, trainings and glossaries.

This module knows nothing of YAML, notebooks, Word or Sphinx. The loader turns YAML into these
classes; every renderer reads only these classes. Field names are English, content is German.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from kurswerk.errors import listing

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
"""Bidi embeddings, overrides and isolates: they can make text read differently from how it is stored."""
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")


def _no_control_characters(value: str) -> str:
    """Reject characters that Word cannot store (XML 1.0 forbids them), bidi overrides and invisible-only text."""
    match = _CONTROL.search(value)
    if match:
        raise ValueError(
            f"enthält das Steuerzeichen U+{ord(match.group()):04X}, das Word nicht speichern kann; löschen Sie es"
        )
    match = _BIDI.search(value)
    if match:
        raise ValueError(f"enthält das unsichtbare Richtungszeichen U+{ord(match.group()):04X}, das die Leserichtung "
                         "umkehren kann; löschen Sie es")
    if not _INVISIBLE.sub("", value):
        raise ValueError("enthält keinen sichtbaren Text (nur Leerzeichen oder unsichtbare Zeichen)")
    return value


def _number_as_text(value: object) -> object:
    """Accept a bare YAML number where text is expected (``value: 120``), but not a boolean."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[
    str,
    BeforeValidator(_number_as_text),
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_no_control_characters),
]
"""A non-empty line or paragraph of user text (kept literal: never markup)."""

DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                          *(f"lpt{n}" for n in range(10))})
"""Names Windows reserves for devices: a file called ``nul.docx`` cannot be opened there."""


def _no_device_name(value: str) -> str:
    if value in DEVICE_NAMES:
        raise ValueError(f"„{value}“ ist unter Windows ein Gerätename und kann kein Dateiname sein; wählen Sie "
                         "eine andere Kennung")
    return value


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64),
                 AfterValidator(_no_device_name)]
"""An identifier: lower-case letters, digits and single hyphens (no path characters, no device name)."""

Language = Literal["ar", "uk", "tr", "fa", "ru", "ro", "pl", "en"]
"""A learners' language the kit translates vocabulary into (see :data:`kurswerk.labels.LANGUAGES`)."""

Level = Literal["A2", "B1", "B2", "C1"]
Register = Literal["formal", "informal", "neutral"]
Address = Literal["du", "Sie"]
"""A form of address: du or Sie."""
ADDRESS_OF: dict[str, Address] = {"formal": "Sie", "informal": "du"}
"""The form of address a register speaks in (a neutral phrase has none)."""
Mode = Literal["oral", "written"]
Article = Literal["der", "die", "das"]
FieldOfAction = Literal["I", "II", "III", "IV", "V", "VI", "VII", "A", "B", "C", "D"]
IkoeLevel = Literal["organisation", "staff", "services", "cooperation"]
Edition = Literal["public", "trainer"]
EDITIONS: tuple[Edition, ...] = ("public", "trainer")


class Strict(BaseModel):
    """Base for every content class: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True)


class Source(Strict):
    """A publication the content relies on."""

    title: Text
    publisher: Text | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: Text | None = None


class Fact(Strict):
    """A figure about the sector; always with source and year."""

    label: Text
    value: float | int | Text
    unit: str = ""
    source: Text
    year: Annotated[str, BeforeValidator(_number_as_text), StringConstraints(pattern=r"^(19|20)\d\d([/–-](19|20)?\d\d)?$")]


class Chart(Strict):
    """A sector chart drawn from the reference data (see ``render.figures`` and ``chartdata``).

    ``highlight`` names rows of the chart's table; at least one must be a figure about the sector
    (``curricula/data/sources.yml``, ``sectors``). ``year`` picks one year of a table that holds several.
    """

    chart: Literal["fachkraefteluecke", "anerkennungen", "auslaenderanteil", "migrationshintergrund"]
    highlight: list[Text] = []
    year: int | None = Field(default=None, ge=1900, le=2100)
    alt: Text | None = None


LEVELS: tuple[Level, ...] = ("A2", "B1", "B2", "C1")
"""The CEFR levels in ascending order."""


def level_rank(level: Level) -> int:
    """Return the position of a level in :data:`LEVELS` (A2 = 0)."""
    return LEVELS.index(level)


class Track(Strict):
    """A course a group of one level can take: from its entry level to its target level (the same or the
    next), the modules in teaching order. Its teaching units are not written down but added up from the
    modules' ``duration_ue`` (:meth:`SectorCurriculum.track_units`)."""

    id: Slug
    title: Text
    from_level: Level
    to_level: Level
    modules: list[Slug] = Field(min_length=1)

    @property
    def band(self) -> str:
        """The levels of the track: „A2 → B1“, or „B1“ for a track within one level."""
        return self.from_level if self.from_level == self.to_level else f"{self.from_level} → {self.to_level}"

    @property
    def heading(self) -> str:
        """The track as a trainer reads it: „Kurs A2 → B1: Ankommen im Lager“ (or „Kurs B1: …“)."""
        return f"Kurs {self.band}: {self.title}"


def _no_single_sequence(data: object) -> object:
    """Explain the course format to a ``sector.yml`` written for one sequence of all modules."""
    if isinstance(data, dict) and "tracks" not in data and {"modules", "level", "teaching_units"} & set(data):
        raise ValueError("schreiben Sie die Kurse unter „tracks“: einen je Niveau der Gruppe, jeden mit id, title, "
                         "from_level, to_level und modules (die Module in Unterrichtsreihenfolge); „level“, "
                         "„modules“ und „teaching_units“ entfallen, die UE zählt kurswerk aus den Modulen zusammen")
    return data


class Course(Strict):
    """The sector's courses, one per group level (e.g. A2 → B1 and B1 → B2); a module may be in several."""

    tracks: list[Track] = Field(min_length=1)

    _one_sequence = model_validator(mode="before")(_no_single_sequence)

    @property
    def module_ids(self) -> list[str]:
        """Every module id of the tracks once, in the order of first appearance."""
        return list(dict.fromkeys(module_id for track in self.tracks for module_id in track.modules))


class RegisterRule(Strict):
    """Who speaks to whom in the sector (a relation) and which forms of address occur in it.

    A phrase names its relation; a du ↔ Sie counterpart, and with it a register-change exercise,
    exists only where the relation allows both.
    """

    relation: Slug
    label: Text
    allowed: list[Address] = Field(min_length=1, max_length=2)

    @model_validator(mode="after")
    def _distinct(self) -> RegisterRule:
        if len(set(self.allowed)) != len(self.allowed):
            raise ValueError("nennen Sie jede Anrede in „allowed“ nur einmal: [du], [Sie] oder [du, Sie]")
        return self

    @property
    def both(self) -> bool:
        """Whether du and Sie both occur in this relation."""
        return set(self.allowed) == {"du", "Sie"}


COMPANY_POINTS_MAX = 5
"""At most this many key points, and as many next steps: the box must fit on the handout's first page."""
COMPANY_SENTENCE_MAX = 160
"""The longest key point or next step in characters (about twenty words: one plain sentence)."""
COURSE_WORDS = re.compile(r"\b(UE|Unterrichtseinheit(?:en)?|Curricul(?:um|ums|a)|Kursmodul(?:e|en|s)?|Modul(?:e|en|s)?|"
                          r"Lehrkr(?:aft|äfte)|Redemittel[n]?|Szenario-Ansatz|GER)\b")
"""Words of the course, not of a company: a company text says what a thing means for the company instead."""
_SENTENCE_BREAK = re.compile(r"(\S+?)[.!?]\s+(?=[„\"(]?[A-ZÄÖÜ])")
_ABBREVIATIONS = frozenset({"abs", "bzw", "ca", "dr", "etc", "evtl", "ggf", "inkl", "max", "min", "nr", "std", "str",
                            "tel", "usw", "vgl"})


def company_sentence_problem(text: str) -> str | None:
    """Return why ``text`` is no single plain sentence for a company (too long, several sentences, no full
    stop, a course word), or ``None`` if it is one."""
    if len(text) > COMPANY_SENTENCE_MAX:
        return (f"ist mit {len(text)} Zeichen zu lang für einen Punkt auf einen Blick; erlaubt sind höchstens "
                f"{COMPANY_SENTENCE_MAX} (etwa 20 Wörter). Kürzen Sie, oder machen Sie zwei Punkte daraus")
    if not text.endswith((".", "!", "?")):
        return "muss ein ganzer Satz sein und mit einem Punkt enden"
    for match in _SENTENCE_BREAK.finditer(text):
        word = match.group(1).lstrip("(„\"")
        if len(word) > 1 and "." not in word and word.lower() not in _ABBREVIATIONS:
            return "enthält mehr als einen Satz; schreiben Sie genau einen Satz je Punkt"
    word = COURSE_WORDS.search(text)
    if word:
        return (f"„{word.group()}“ ist ein Wort aus dem Kurs, das ein Unternehmen nicht braucht; sagen Sie, "
                "was es für den Betrieb bedeutet")
    return None


def _company_sentence(value: str) -> str:
    problem = company_sentence_problem(value)
    if problem:
        raise PydanticCustomError("E-COMPANY-SENTENCE", "{message}", {"message": problem})
    return value


def _counted_points(code: str, name: str, unit: tuple[str, str]) -> AfterValidator:
    """Return a check that a list has one to :data:`COMPANY_POINTS_MAX` entries; its errors carry ``code``."""

    def check(items: list[str]) -> list[str]:
        if not items:
            message = (f"ist leer; „{name}“ braucht mindestens einen {unit[0]} (höchstens {COMPANY_POINTS_MAX}), "
                       "je einen kurzen Satz")
        elif len(items) > COMPANY_POINTS_MAX:
            message = (f"hat {len(items)} {unit[1]}; „{name}“ hat höchstens {COMPANY_POINTS_MAX}, damit das "
                       "Handout für Unternehmen kurz bleibt. Fassen Sie zusammen oder streichen Sie")
        else:
            return items
        raise PydanticCustomError(code, "{message}", {"message": message})

    return AfterValidator(check)


CompanySentence = Annotated[Text, AfterValidator(_company_sentence),
                            Field(json_schema_extra={"maxLength": COMPANY_SENTENCE_MAX})]
"""One plain sentence for a company: at most :data:`COMPANY_SENTENCE_MAX` characters, no course words."""
_POINTS_SCHEMA = Field(json_schema_extra={"minItems": 1, "maxItems": COMPANY_POINTS_MAX})


class CompanySummary(Strict):
    """What the company handout (and the book's section for companies) opens and ends with."""

    key_points: Annotated[list[CompanySentence], _counted_points("E-KEY-POINTS", "Das Wichtigste auf einen Blick",
                                                                  ("Punkt", "Punkte")), _POINTS_SCHEMA]
    """„Das Wichtigste auf einen Blick“: one to five sentences a company must know first."""
    next_steps: Annotated[list[CompanySentence], _counted_points("E-NEXT-STEPS", "Nächste Schritte",
                                                                  ("Schritt", "Schritte")), _POINTS_SCHEMA]
    """„Nächste Schritte“: one to five things the company does next, each a sentence in the Sie-form."""


class Sector(Strict):
    """An economic sector with its communication situations (``sector.yml``)."""

    id: Slug
    name: Text
    title: Text
    summary: Text
    occupations: list[Text] = Field(min_length=1)
    regulated: bool
    language_requirement: Text
    register_note: Text = Field(alias="register")
    registers: list[RegisterRule] = Field(min_length=1)
    """The register rule as data: each relation and the forms of address that occur in it."""
    facts: list[Fact] = []
    charts: list[Chart] = []
    situations: list[Text] = Field(min_length=1)
    text_types: list[Text] = Field(min_length=1)
    course: Course
    company: CompanySummary
    """The key points and next steps of the company handout."""
    sources: list[Source] = []
    languages: list[Language] = []
    """The learners' languages the book and handouts show translations in (from ``uebersetzungen/``)."""
    draft: bool = False
    """A sector in progress: completeness findings are warnings, and the book leaves it out unless
    ``kurswerk build --drafts``."""


class Person(Strict):
    """The protagonist of a scenario."""

    name: Text
    role: Text
    background: Text | None = None


class DialogueLine(Strict):
    speaker: Text
    text: Text


class Step(Strict):
    """One step of a scenario: a task in one mode and register, optionally with dialogue."""

    title: Text
    mode: Mode
    speech_register: Literal["formal", "informal"] = Field(alias="register")
    partner: Text
    task: Text
    dialogue: list[DialogueLine] = []


class Scenario(Strict):
    """Scenario approach: one protagonist works through 3–5 linked steps."""

    protagonist: Person
    setting: Text
    steps: list[Step] = Field(min_length=3, max_length=5)


class Phrase(Strict):
    """A Redemittel: a phrase for a communicative function in a register.

    ``counterpart`` is the same phrase in the other register (du ↔ Sie), if it has one; it needs the
    ``relation`` (from the sector's ``registers``) the phrase is used in, and that relation must
    allow both forms of address.
    """

    function: Text
    speech_register: Register = Field(alias="register")
    text: Text
    counterpart: Text | None = None
    relation: Slug | None = None
    relation_allows: SkipJsonSchema[tuple[Address, ...]] = ()
    """Filled by the loader from the sector's ``registers``: the forms of address of ``relation``."""

    @model_validator(mode="before")
    @classmethod
    def _rule_from_sector(cls, data: object) -> object:
        if isinstance(data, dict) and "relation_allows" in data:
            raise ValueError("welche Anrede in einer Beziehung üblich ist, steht in sector.yml unter „registers“; "
                             "nennen Sie hier nur die Beziehung (relation)")
        return data

    @property
    def changes_register(self) -> bool:
        """Whether the phrase may become a du ↔ Sie exercise: a counterpart in a relation where both occur."""
        return (bool(self.counterpart) and self.speech_register != "neutral"
                and set(self.relation_allows) == {"du", "Sie"})


def _translations_elsewhere(data: object) -> object:
    """Refuse translations written into a curriculum file: they live in ``uebersetzungen/<lang>.yml``."""
    if isinstance(data, dict) and "translations" in data:
        raise ValueError("Übersetzungen stehen nicht hier, sondern in uebersetzungen/<sprache>.yml der Branche "
                         "(ein Eintrag „Wort: Übersetzung“ je Zeile)")
    return data


class VocabularyItem(Strict):
    """A word of the module: nouns with article and plural, verbs with principal parts."""

    lemma: Text
    pos: Literal["noun", "verb", "adjective", "adverb", "phrase"]
    article: Article | None = None
    plural: Text | None = None
    forms: Text | None = None
    example: Text
    practice: Text | None = None
    """A second sentence with the word, printed only as a gap-fill item of the practice sheet."""
    definition: Text | None = None
    translations: SkipJsonSchema[dict[str, str]] = {}
    """Filled by the loader from ``uebersetzungen/<lang>.yml`` for the sector's languages."""

    _no_inline = model_validator(mode="before")(_translations_elsewhere)

    @model_validator(mode="after")
    def _grammar_complete(self) -> VocabularyItem:
        if self.pos == "noun" and self.article is None:
            raise ValueError("ein Nomen braucht einen Artikel (article: der, die oder das)")
        if self.pos == "noun" and self.plural is None:
            raise ValueError("ein Nomen braucht einen Plural (plural; schreiben Sie „–“, wenn es keinen hat)")
        if self.pos == "verb" and self.forms is None:
            raise ValueError("ein Verb braucht seine Stammformen unter „forms“ (misst – maß – hat gemessen)")
        return self

    @property
    def headword(self) -> str:
        """The word as a dictionary shows it: ``die Übergabe`` or ``messen``."""
        return f"{self.article} {self.lemma}" if self.article else self.lemma


class DocumentField(Strict):
    label: Text
    value: Text


DocumentKind = Literal["form", "letter", "list", "notice", "plan"]
"""How a workplace document looks: a form with fields, a letter or e-mail, a list with a header
(delivery note, pick list), a notice (Aushang) or a plan (schedule grid)."""


class WorkplaceDocument(Strict):
    """A fictitious but realistic workplace text (Übergabeprotokoll, Lieferschein, …).

    What a kind needs: ``form`` fields (and optionally rows and a text); ``letter`` subject,
    salutation, text and closing (sender, recipient and date optional); ``list`` and ``plan``
    columns and rows (a list may have header fields); ``notice`` a text.
    """

    kind: DocumentKind
    type: Text
    title: Text
    note: Text = "Fiktives Beispiel für den Unterricht."
    sender: Text | None = None
    recipient: Text | None = None
    date: Text | None = None
    subject: Text | None = None
    salutation: Text | None = None
    closing: Text | None = None
    fields: list[DocumentField] = []
    columns: list[Text] = []
    rows: list[list[Text]] = []
    text: Text | None = None

    @model_validator(mode="after")
    def _has_content(self) -> WorkplaceDocument:
        needs: dict[str, tuple[str, ...]] = {"form": ("fields",), "letter": ("subject", "salutation", "text", "closing"),
                                             "list": ("columns", "rows"), "plan": ("columns", "rows"),
                                             "notice": ("text",)}
        missing = [name for name in needs[self.kind] if not getattr(self, name)]
        if missing:
            raise ValueError(f"ein Dokument der Art „{self.kind}“ braucht {listing(missing)}")
        letter_only = [name for name in ("sender", "recipient", "subject", "salutation", "closing")
                       if getattr(self, name) and self.kind != "letter"]
        if letter_only:
            raise ValueError(f"{listing(letter_only)} gibt es nur bei einem Brief (kind: letter), "
                             f"nicht bei der Art „{self.kind}“")
        for number, row in enumerate(self.rows):
            if self.columns and len(row) != len(self.columns):
                raise ValueError(f"rows[{number}] hat {len(row)} Zellen, es gibt aber {len(self.columns)} Spalten")
        return self


class ExerciseItem(Strict):
    """One task and its answer; ``explanation`` says why (trainer key only), so the answer stays a bare choice."""

    prompt: Text
    answer: Text
    explanation: Text | None = None


class RoleCard(Strict):
    """One role of a role play: who the person is and what only this person knows (cut out, never shared)."""

    role: Text
    text: Text


class Exercise(Strict):
    """A hand-written exercise with its answer key.

    A role play has two to four ``roles`` (one cut-out card each). A writing task may give its
    expected length as ``words`` or ``lines``; ``fills_document`` means the product is the module's
    document, so the practice sheet prints a blank copy of it to fill in.
    """

    id: Slug
    type: Literal["gap_fill", "matching", "ordering", "register", "role_play", "writing", "reading", "free"]
    title: Text
    instruction: Text
    items: list[ExerciseItem] = []
    roles: list[RoleCard] = []
    words: int | None = Field(default=None, gt=0, le=1000)
    lines: int | None = Field(default=None, gt=0, le=40)
    fills_document: bool = False
    answer: Text | None = None

    @model_validator(mode="after")
    def _has_key(self) -> Exercise:
        if not self.items and self.answer is None:
            raise ValueError("eine Übung braucht „items“ mit Lösungen oder eine „answer“ (Lösung oder Musterlösung)")
        if self.roles and self.type != "role_play":
            raise ValueError("„roles“ gibt es nur bei einem Rollenspiel (type: role_play)")
        if self.type == "role_play" and not 2 <= len(self.roles) <= 4:
            raise ValueError("ein Rollenspiel braucht zwei bis vier Rollen, je eine Karte (roles: [{role: …, text: …}, …])")
        if self.words and self.lines:
            raise ValueError("geben Sie die erwartete Länge entweder mit „words“ oder mit „lines“ an, nicht mit beidem")
        return self


class Strategy(Strict):
    title: Text
    text: Text


class Transfer(Strict):
    """A task to do at the real workplace."""

    task: Text
    support: Text | None = None


class TimingPhase(Strict):
    phase: Text
    minutes: int = Field(gt=0)
    social_form: Text
    material: Text = ""


class TrainerNotes(Strict):
    timing: list[TimingPhase] = Field(min_length=1)
    material: list[Text] = []
    variations: dict[Level, Text] = {}
    notes: list[Text] = []


class Module(Strict):
    """A German-at-the-workplace module in the scenario approach (``template: daa_szenario``)."""

    template: Literal["daa_szenario"]
    id: Slug
    title: Text
    level: Level
    field_of_action: list[FieldOfAction] = Field(min_length=1)
    duration_ue: int = Field(gt=0)
    summary: Text
    needs: Text
    can_do: list[Annotated[str, StringConstraints(pattern=r"^Ich kann ")]] = Field(min_length=1)
    scenario: Scenario
    phrases: list[Phrase] = Field(min_length=1)
    vocabulary: list[VocabularyItem] = Field(min_length=1)
    document: WorkplaceDocument
    exercises: list[Exercise] = []
    strategies: list[Strategy] = Field(min_length=1)
    transfer: Transfer
    trainer_notes: TrainerNotes
    sources: list[Source] = []
    draft: bool = False
    """A module in progress: completeness findings are warnings; the book leaves it out unless asked."""


class AgendaItem(Strict):
    time: Annotated[str, StringConstraints(pattern=r"^\d\d:\d\d$")]
    minutes: int = Field(gt=0)
    block: Text
    method: Text
    material: Text = ""


class Goals(Strict):
    knowledge: list[Text] = Field(min_length=1)
    attitude: list[Text] = Field(min_length=1)
    action: list[Text] = Field(min_length=1)


class Rewrite(Strict):
    """A plain-language rewrite of a work instruction."""

    before: Text
    after: Text


class TrainingExercise(Strict):
    id: Slug
    type: Literal["critical_incident", "perspective", "plain_language", "reflection", "action_plan"]
    title: Text
    instruction: Text
    situation: Text | None = None
    questions: list[Text] = []
    rewrites: list[Rewrite] = []
    answer: Text | None = None


class Checklist(Strict):
    id: Slug
    title: Text
    items: list[Text] = Field(min_length=1)


class Training(Strict):
    """An intercultural-opening training for companies (``template: ikoe_training``)."""

    template: Literal["ikoe_training"]
    id: Slug
    title: Text
    summary: Text
    audience: list[Text] = Field(min_length=1)
    format: Text
    duration_min: int = Field(gt=0)
    ikoe_level: list[IkoeLevel] = Field(min_length=1)
    goals: Goals
    agenda: list[AgendaItem] = Field(min_length=1)
    exercises: list[TrainingExercise] = Field(min_length=1)
    checklists: list[Checklist] = Field(min_length=1)
    evaluation: list[Text] = Field(min_length=1)
    trainer_notes: list[Text] = []
    sources: list[Source] = []
    draft: bool = False
    """A training in progress: completeness findings are warnings; the book leaves it out unless asked."""


class GlossaryEntry(Strict):
    """A term of the sector glossary (the modules' vocabulary joins these)."""

    lemma: Text
    pos: Literal["noun", "verb", "adjective", "adverb", "phrase"]
    article: Article | None = None
    plural: Text | None = None
    forms: Text | None = None
    definition: Text
    example: Text | None = None
    translations: SkipJsonSchema[dict[str, str]] = {}
    """Filled by the loader from ``uebersetzungen/<lang>.yml`` for the sector's languages."""

    _no_inline = model_validator(mode="before")(_translations_elsewhere)

    @property
    def headword(self) -> str:
        return f"{self.article} {self.lemma}" if self.article else self.lemma


class Glossary(Strict):
    terms: list[GlossaryEntry] = []


class TranslationFile(Strict):
    """The translations of a sector's words into one learners' language (``uebersetzungen/<lang>.yml``)."""

    language: Language
    reviewed: bool
    """True once a person with this first language has checked every entry; until then the book and
    the handouts mark the translations as „ungeprüfte Übersetzung“."""
    reviewer: Text | None = None
    words: dict[Text, Text] = Field(min_length=1)
    """German lemma (as in the vocabulary or glossary) → translation."""


class SectorCurriculum(BaseModel):
    """Everything loaded for one sector. ``origins`` maps each object id to its source file."""

    model_config = ConfigDict(frozen=True)

    sector: Sector
    modules: list[Module]
    trainings: list[Training]
    glossary: Glossary
    files: dict[str, str] = {}
    translation_files: dict[str, TranslationFile] = {}
    """Every translation file of the sector by language (shown or not: the check reports coverage)."""

    def unreviewed(self) -> list[str]:
        """Return the shown languages whose translations nobody has checked yet."""
        return [code for code in self.sector.languages
                if code in self.translation_files and not self.translation_files[code].reviewed]

    def module(self, module_id: str) -> Module:
        """Return the module with this id; raises ``KeyError`` if there is none."""
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def training(self, training_id: str) -> Training:
        """Return the training with this id; raises ``KeyError`` if there is none."""
        for training in self.trainings:
            if training.id == training_id:
                return training
        raise KeyError(training_id)

    def without_drafts(self) -> SectorCurriculum:
        """Return the curriculum without its draft modules and trainings (and without them in the course)."""
        drafts = {module.id for module in self.modules if module.draft}
        drafts |= {training.id for training in self.trainings if training.draft}
        if not drafts:
            return self
        tracks = [track.model_copy(update={"modules": [m for m in track.modules if m not in drafts]})
                  for track in self.sector.course.tracks]
        course = self.sector.course.model_copy(update={"tracks": [track for track in tracks if track.modules]})
        return self.model_copy(update={
            "sector": self.sector.model_copy(update={"course": course}),
            "modules": [module for module in self.modules if not module.draft],
            "trainings": [training for training in self.trainings if not training.draft],
            "files": {key: value for key, value in self.files.items() if key.split(":", 1)[-1] not in drafts
                      or not key.startswith(("module:", "training:"))},
        })

    @property
    def ordered_modules(self) -> list[Module]:
        """Modules in the order of their first appearance in the tracks of ``sector.yml``, then any in no track."""
        rank = {module_id: number for number, module_id in enumerate(self.sector.course.module_ids)}
        return sorted(self.modules, key=lambda module: (rank.get(module.id, len(rank)), module.id))

    def track_modules(self, track: Track) -> list[Module]:
        """Return the modules of a track in its order (ids without a module are left out)."""
        known = {module.id: module for module in self.modules}
        return [known[module_id] for module_id in track.modules if module_id in known]

    def track_units(self, track: Track) -> int:
        """Return the teaching units of a track: the sum of its modules' ``duration_ue``."""
        return sum(module.duration_ue for module in self.track_modules(track))


class Catalogue(BaseModel):
    """All sectors of a curricula folder."""

    model_config = ConfigDict(frozen=True)

    sectors: list[SectorCurriculum]

    def sector(self, sector_id: str) -> SectorCurriculum:
        """Return one sector's curriculum; raises ``KeyError`` if there is none."""
        for curriculum in self.sectors:
            if curriculum.sector.id == sector_id:
                return curriculum
        raise KeyError(sector_id)
