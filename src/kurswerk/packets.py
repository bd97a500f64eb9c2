"""The handout plan: which parts each module, training and sector yields, and what goes on each.

A DaA module yields a learner packet and trainer material, each part its own file:

=====================================  ========  =====================================================
file                                   edition   part
=====================================  ========  =====================================================
``<module>-1-input``                   public    input sheet: scenario with transcripts, Redemittel,
                                                 Wortschatz, workplace document, strategies
``<module>-2-uebungen-mit-hilfe``      public    practice sheet with help (word box, first letters,
                                                 fewer items)
``<module>-2-uebungen-ohne-hilfe``     public    practice sheet without help (no word box, all items)
``<module>-3-karten``                  trainer   cut-out role cards, observation sheet, phrase and word cards
``<module>-4-lehrkraft``               trainer   lesson plan, compact answer key, model texts, transcripts
``<training>-teilnehmende``            public    participants' handout of an IKÖ training
``<training>-leitung``                 trainer   leader's edition with answers and notes
``<training>-material``                trainer   cut-out situation cards and the feedback sheet
``unternehmen``, ``glossar``           public    company handout, the sector's word list
=====================================  ========  =====================================================

The parts of one module sort together by name. Each part is a tuple of :mod:`blocks
<kurswerk.blocks>` that the DOCX and the book renderers draw; this module knows nothing of Word or
Sphinx. Which edition shows which answer is decided once, in :data:`ANSWERS_IN`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from kurswerk import blocks as b
from kurswerk.exercises import BLANK, Item, WorkedExercise, exercises_for, role_names
from kurswerk.model import EDITIONS, Edition, Exercise, Module, SectorCurriculum, Training

HelpLevel = Literal["mit-hilfe", "ohne-hilfe"]
HELP_LEVELS: tuple[HelpLevel, ...] = ("mit-hilfe", "ohne-hilfe")
HELP_LABELS: dict[HelpLevel, str] = {"mit-hilfe": "mit Hilfen", "ohne-hilfe": "ohne Hilfen"}
PartKind = Literal["input", "practice", "cards", "trainer", "participants", "leader", "training-material",
                   "company", "glossary", "wordlist", "flashcards", "quiz"]
EXPORT_SUFFIXES: dict[str, str] = {"flashcards": ".apkg", "quiz": ".xml"}
"""Parts that are no Word document: an Anki deck and a Moodle quiz (no PDF either)."""

ANSWERS_IN: dict[str, Edition] = {
    "exercise-key": "trainer",
    "model-text": "trainer",
    "role-cards": "trainer",
    "rewrite-after": "public",
    "training-answer": "trainer",
    "trainer-notes": "trainer",
}
"""Which edition shows each answer-bearing field: decided once, followed by book and handouts.

The IKÖ rewrites' "Nachher" is a plain-language tip for companies: public everywhere (company
handout, book, participants' handout), but always after the exercise, as a suggestion to compare
with, never in the space where participants write their own version. Role cards are handed out by
the trainer, so neither the public book nor a learner's file shows them.
"""

WITH_HELP_ITEMS = 6
"""Generated exercises with help have at most this many items; without help all (up to 10)."""
WORDS_PER_LINE = 9
"""Handwritten words that fit on one writing line of the sheet."""
DEFAULT_LINES = {"writing": 10, "role_play": 4, "free": 5, "reading": 5}
REASONING = re.compile(r"^(warum|wieso|weshalb|begründen|erklären|was würden|wie würden|was sollte|was können|"
                       r"was kann|was muss|wie können|was bedeutet)|\bbegründen sie\b|\bwarum\b", re.IGNORECASE)
SHORT_OPTION = 30
"""Options up to this many characters go into a word box; longer ones become a lettered list."""
SHORT_ANSWER_KINDS = {"article", "plural", "gap_fill", "matching", "ordering"}
"""Kinds whose answers are short enough for a table cell and a one-line key."""


def shows(edition: Edition, field: str) -> bool:
    """True when ``edition`` shows the answer-bearing ``field`` (see :data:`ANSWERS_IN`)."""
    return ANSWERS_IN[field] == "public" or edition == "trainer"


@dataclass(frozen=True)
class Part:
    """One file of a packet: what it is, its file stem, how downloads list it, and its blocks."""

    kind: PartKind
    edition: Edition
    item: str
    """The module or training id; the sector id for the company handout and the glossary."""
    stem: str
    title: str
    subtitle: str
    label: str
    description: str
    help: HelpLevel | None = None
    language: str | None = None
    """The learners' language of a word list."""

    @property
    def is_document(self) -> bool:
        """Whether the part is a Word document (and so also a PDF)."""
        return self.kind not in EXPORT_SUFFIXES

    @property
    def file_name(self) -> str:
        return f"{self.stem}{EXPORT_SUFFIXES.get(self.kind, '.docx')}"

    @property
    def pdf_name(self) -> str:
        return f"{self.stem}.pdf"


# --- the plan of files ----------------------------------------------------------------------------


def module_parts(curriculum: SectorCurriculum, module: Module, edition: Edition,
                 help_levels: Sequence[HelpLevel] = HELP_LEVELS) -> list[Part]:
    """Return the parts a module yields in ``edition``, in file-name order."""
    base = f"{curriculum.sector.name} · Niveau {module.level}"
    if edition == "public":
        parts = [Part("input", edition, module.id, f"{module.id}-1-input", module.title,
                      f"Inputblatt · Deutsch am Arbeitsplatz · {base}", f"Inputblatt: {module.title}",
                      "Szenario mit Dialogen, Redemittel, Wortschatz, Dokument aus dem Arbeitsalltag, Strategien.")]
        parts += [Part("practice", edition, module.id, f"{module.id}-2-uebungen-{level}", module.title,
                       f"Übungsblatt {HELP_LABELS[level]} · {base}",
                       f"Übungsblatt {HELP_LABELS[level]}: {module.title}", _practice_description(level), level)
                  for level in help_levels]
        parts.append(Part("flashcards", edition, module.id, f"{module.id}-5-karteikarten", module.title,
                          f"Karteikarten (Anki) · {base}", f"Karteikarten für Anki: {module.title}",
                          "Der Wortschatz als Anki-Stapel: Artikel, Plural, Beispiel und Übersetzungen, für das "
                          "Handy (AnkiDroid, AnkiMobile) und den Computer."))
        return parts
    return [Part("cards", edition, module.id, f"{module.id}-3-karten", module.title,
                 f"Material zum Ausschneiden · {base}", f"Karten zum Ausschneiden: {module.title}",
                 "Rollenkarten, Beobachtungsbogen, Redemittelkarten und Wortkarten mit Schnittlinien."),
            Part("trainer", edition, module.id, f"{module.id}-4-lehrkraft", module.title,
                 f"Für Lehrkräfte · {base} · {module.duration_ue} UE", f"Für Lehrkräfte: {module.title}",
                 "Unterrichtsplan, Lösungsschlüssel, Mustertexte und Transkripte."),
            # The quiz holds every answer (Moodle grades with them): trainers only, like the key.
            Part("quiz", edition, module.id, f"{module.id}-6-moodle", module.title,
                 f"Moodle-Test · {base}", f"Moodle-Fragen: {module.title}",
                 "Die Übungen mit Lösungen als Moodle-XML (Fragensammlung → Import) für Lernplattformen.")]


def _practice_description(level: HelpLevel) -> str:
    if level == "mit-hilfe":
        return "Übungen mit Wörterkasten und Anfangsbuchstaben, weniger Aufgaben; Selbsteinschätzung, Transfer."
    return "Übungen ohne Wörterkasten, alle Aufgaben offen; Selbsteinschätzung, Transfer."


def training_parts(curriculum: SectorCurriculum, training: Training, edition: Edition) -> list[Part]:
    """Return the parts a training yields in ``edition``."""
    from kurswerk.render.docx_training import training_subtitle

    if edition == "public":
        return [Part("participants", edition, training.id, f"{training.id}-teilnehmende", training.title,
                     training_subtitle(curriculum, training, edition), f"Handout für Teilnehmende: {training.title}",
                     "Ablauf, Ziele, Übungen, Checklisten und Auswertung des Trainings.")]
    parts = [Part("leader", edition, training.id, f"{training.id}-leitung", training.title,
                  training_subtitle(curriculum, training, edition), f"Für die Leitung: {training.title}",
                  "Trainingsmaterial mit Lösungshinweisen und Hinweisen für die Leitung.")]
    parts.append(Part("training-material", edition, training.id, f"{training.id}-material", training.title,
                      f"Material zum Ausschneiden · Interkulturelle Öffnung · {curriculum.sector.name}",
                      f"Material: {training.title}", "Situationskarten zum Ausschneiden und Feedbackbogen."))
    return parts


def plan_parts(curriculum: SectorCurriculum, edition: Edition,
               help_levels: Sequence[HelpLevel] = HELP_LEVELS) -> list[Part]:
    """Return every part of a sector in ``edition``, in the order they are written and listed."""
    sector = curriculum.sector
    parts = [part for module in curriculum.ordered_modules
             for part in module_parts(curriculum, module, edition, help_levels)]
    parts += [part for training in curriculum.trainings for part in training_parts(curriculum, training, edition)]
    if edition == "public":
        parts.append(Part("company", edition, sector.id, "unternehmen", f"Handout für Unternehmen: {sector.name}",
                          f"Für Unternehmen · {sector.name}", f"Handout für Unternehmen: {sector.name}",
                          "Zahlen, wichtige Fachwörter, Redemittel, Onboarding-Checkliste und Tipps für einfache "
                          "Sprache."))
        parts.append(Part("glossary", edition, sector.id, "glossar", f"Glossar {sector.name}",
                          f"Glossar · {sector.name}", f"Glossar {sector.name}",
                          "Alle Fachwörter mit Artikel, Plural, Erklärung, Beispiel und Übersetzungen."))
        parts += [word_list_part(curriculum, code) for code in sector.languages if code in curriculum.translation_files]
    return parts


def word_list_part(curriculum: SectorCurriculum, language: str) -> Part:
    """The word list of the sector in one learners' language (German | translation, to fold)."""
    from kurswerk.labels import LANGUAGES, language_name

    sector = curriculum.sector
    name = language_name(language)
    reviewed = "" if curriculum.translation_files[language].reviewed else " (ungeprüfte Übersetzung)"
    return Part("wordlist", "public", sector.id, f"wortliste-{language}", f"Wortliste Deutsch – {LANGUAGES[language][0]}",
                f"Wortliste · {sector.name} · {name}", f"Wortliste Deutsch – {name}",
                f"Alle Wörter der Module mit Artikel, Plural, Beispiel und der Übersetzung{reviewed}; zum Falten "
                "und Üben.", language=language)


# --- the practice sheet ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PracticeExercise:
    """An exercise as one practice sheet prints it."""

    number: int
    exercise: WorkedExercise
    word_box: tuple[str, ...]
    """Options printed in a box (word box with help; matching options at both levels)."""
    layout: Literal["table", "lines", "open"]
    """Items in a table with short answer cells; items each with writing lines; no items, open space."""
    lines: int
    """Writing lines per item (``lines``) or in all (``open``)."""
    blank_document: bool = False
    role_cards: tuple[str, ...] = ()
    """The roles of a role play, named (never their cards) so learners know who plays whom."""

    @property
    def letters(self) -> dict[str, str]:
        """Option → letter (A, B, …) when the options are too long for a word box, else ``{}``.

        Learners then write the letter, and the key gives it too.
        """
        if not self.word_box or max(len(option) for option in self.word_box) <= SHORT_OPTION:
            return {}
        return {option: chr(ord("A") + number) for number, option in enumerate(self.word_box)}


def practice_exercises(module: Module, level: HelpLevel) -> list[PracticeExercise]:
    """Return the practice sheet's exercises at a level of help; none answerable from the sheet itself.

    Both levels keep the same exercises with the same numbers; with help, a generated exercise
    shows the first :data:`WITH_HELP_ITEMS` of its items. Items are dropped when the fullest sheet
    (with help and every item) would give them away, so neither sheet can.
    """
    written = {exercise.id: exercise for exercise in module.exercises}
    candidates = [exercise for exercise in exercises_for(module) if exercise.items or not exercise.generated]
    fullest = [_laid_out(number, _at_level(exercise, "mit-hilfe", limit=False), written.get(exercise.id))
               for number, exercise in enumerate(candidates, start=1)]
    kept = _unanswerable_items(fullest, _sheet_extras(module, fullest))
    result: list[PracticeExercise] = []
    for exercise in candidates:
        items = tuple(item for index, item in enumerate(exercise.items) if index in kept[exercise.id])
        if items or not exercise.generated:
            shaped = _at_level(replace(exercise, items=items), level)
            result.append(_laid_out(len(result) + 1, shaped, written.get(exercise.id)))
    return result


def _at_level(exercise: WorkedExercise, level: HelpLevel, *, limit: bool = True) -> WorkedExercise:
    """Return the exercise with the items and help of ``level``.

    Generated exercises lose items and first letters without help; a hand-written gap fill loses
    its word box. A matching task whose answers repeat says so.
    """
    return _repeats_said(_helped(exercise, level, limit=limit))


def _helped(exercise: WorkedExercise, level: HelpLevel, *, limit: bool) -> WorkedExercise:
    if not exercise.generated:
        if level == "ohne-hilfe" and exercise.kind == "gap_fill":
            return replace(exercise, options=(), instruction=_open_instruction(exercise.instruction))
        return exercise
    if exercise.kind == "ordering":
        return _ordering_helped(exercise) if level == "mit-hilfe" else exercise
    items = exercise.items[:WITH_HELP_ITEMS] if level == "mit-hilfe" and limit else exercise.items
    options = tuple(option for option in exercise.options if option in {item.answer for item in items}) \
        if exercise.kind != "article" else exercise.options
    if exercise.kind == "gap_fill":
        if level == "mit-hilfe":
            items = tuple(_first_letter(item) for item in items)
            instruction = "Ergänzen Sie die Sätze. Die Wörter stehen im Kasten, der erste Buchstabe hilft."
        else:
            options, instruction = (), "Ergänzen Sie die Sätze mit einem passenden Wort aus dem Modul."
        return replace(exercise, items=items, options=options, instruction=instruction)
    return replace(exercise, items=items, options=options)


def _ordering_helped(exercise: WorkedExercise) -> WorkedExercise:
    """Return a dialogue to put in order with every line (a dialogue with gaps makes no sense), and its start."""
    first = next((item for item in exercise.items if item.answer.strip() == "1"), None)
    if first is None:
        return exercise
    opening = " ".join(first.prompt.split()[:6])
    return replace(exercise, instruction=f"{exercise.instruction} Tipp: Das Gespräch beginnt mit „{opening} …“.")


def _repeats_said(exercise: WorkedExercise) -> WorkedExercise:
    """Add "Manche Antworten passen mehrmals." to a matching task whose options serve several items."""
    repeated = len({item.answer for item in exercise.items}) < len(exercise.items)
    if exercise.kind == "matching" and exercise.options and repeated and "mehrmals" not in exercise.instruction:
        return replace(exercise, instruction=f"{exercise.instruction} Manche Antworten passen mehrmals.")
    return exercise


def _open_instruction(instruction: str) -> str:
    return re.sub(r"\s*mit den Wörtern aus dem Kasten", "", instruction)


def _first_letter(item: Item) -> Item:
    """Return the gap with the answer's first letter: ``Die ___`` → ``Die Ü___``."""
    return Item(item.prompt.replace(BLANK, item.answer[0] + BLANK, 1), item.answer)


def writing_lines(exercise: Exercise | None, kind: str) -> int:
    """Return the writing lines a task gets: from ``words`` or ``lines``, else a default by kind."""
    if exercise and exercise.lines:
        return exercise.lines
    if exercise and exercise.words:
        return -(-exercise.words // WORDS_PER_LINE) + 1
    return DEFAULT_LINES.get(kind, 5)


def answer_lines(prompt: str) -> int:
    """Return the lines for an open item's answer: 3 for reasoning (Warum …? Begründen Sie), else 2."""
    return 3 if REASONING.search(prompt) else 2


def _laid_out(number: int, exercise: WorkedExercise, written: Exercise | None) -> PracticeExercise:
    if exercise.items and exercise.kind in SHORT_ANSWER_KINDS:
        return PracticeExercise(number, exercise, exercise.options, "table", 1)
    if exercise.items:
        lines = max(answer_lines(item.prompt) for item in exercise.items)
        return PracticeExercise(number, exercise, exercise.options, "lines", lines)
    roles = tuple(role_names(written)) if written else ()
    fills = bool(written and written.fills_document)
    lines = 0 if fills and not (written and (written.words or written.lines)) else writing_lines(written, exercise.kind)
    return PracticeExercise(number, exercise, (), "open", lines, fills, roles)


# --- what a learner could copy from the sheet -----------------------------------------------------


def answer_signature(exercise: WorkedExercise, item: Item) -> str | None:
    """Return the text that, found elsewhere on a sheet, gives an item's answer away; ``None`` if nothing can.

    Article: ``die Übergabe``; plural: the plural; gap fill: the whole sentence with its gap filled;
    register and open items: the answer text (when longer than a word). A matching item has none:
    its answer stands in its own options by design, and only prompt and answer side by side give it
    away (see :func:`_answerable`).
    """
    if exercise.kind == "article":
        return f"{item.answer} {item.prompt.replace(BLANK, '').strip()}"
    if exercise.kind == "plural":
        return item.answer
    if exercise.kind == "gap_fill":
        prompt = re.sub(r"\w?" + re.escape(BLANK), BLANK, item.prompt, count=1)
        return prompt.replace(BLANK, item.answer, 1)
    if exercise.kind in {"ordering", "matching"}:
        return None
    return item.answer if len(item.answer.split()) >= 2 else None


def sheet_texts(exercises: Iterable[PracticeExercise]) -> list[tuple[int, int | None, str]]:
    """Return (exercise number, item index or ``None``, text) for everything the exercises print."""
    texts: list[tuple[int, int | None, str]] = []
    for practice in exercises:
        exercise = practice.exercise
        texts += [(practice.number, None, exercise.title), (practice.number, None, exercise.instruction)]
        texts += [(practice.number, None, option) for option in practice.word_box]
        texts += [(practice.number, index, item.prompt) for index, item in enumerate(exercise.items)]
    return texts


def found_in(signature: str, text: str) -> bool:
    """True when ``signature`` stands in ``text`` as whole words (case-insensitive)."""
    pattern = r"(?<![\w-])" + re.escape(signature.strip().rstrip(".!?")) + r"(?![\w-])"
    return re.search(pattern, re.sub(r"\s+", " ", text), re.IGNORECASE) is not None


def _sheet_extras(module: Module, exercises: list[PracticeExercise]) -> list[str]:
    """Return what a practice sheet prints besides its exercises' items: title, blank document, self-assessment."""
    extras = [module.title, *module.can_do, module.transfer.task, module.transfer.support or ""]
    extras += [name for practice in exercises for name in practice.role_cards]
    if any(practice.blank_document for practice in exercises):
        document = module.document
        extras += [document.title, *(field.label for field in document.fields), *document.columns]
        extras += [row[0] for row in document.rows] if document.kind == "plan" else []
    return [text for text in extras if text]


def _unanswerable_items(exercises: list[PracticeExercise], extras: Sequence[str] = ()) -> dict[str, set[int]]:
    """Return exercise id → indices of the items the rest of the sheet does not give away.

    Hand-written exercises keep every item: their authors wrote them for this sheet, so a generated
    item that would show a hand-written item's answer goes instead.
    """
    texts = [*sheet_texts(exercises), *((0, None, text) for text in extras)]
    written = [signature for practice in exercises if not practice.exercise.generated
               for item in practice.exercise.items if (signature := answer_signature(practice.exercise, item))]
    return {practice.exercise.id: {index for index, item in enumerate(practice.exercise.items)
                                   if not practice.exercise.generated
                                   or not (_answerable(practice.exercise, item, practice.number, index, texts)
                                           or any(found_in(signature, item.prompt) for signature in written))}
            for practice in exercises}


def _answerable(exercise: WorkedExercise, item: Item, number: int, index: int,
                texts: list[tuple[int, int | None, str]]) -> bool:
    others = [text for other, other_index, text in texts if not (other == number and other_index == index)]
    if exercise.kind == "matching":
        return any(found_in(item.prompt, text) and found_in(item.answer, text) for text in others)
    signature = answer_signature(exercise, item)
    return signature is not None and any(found_in(signature, text) for text in others)


# --- blocks of each part --------------------------------------------------------------------------


def part_blocks(curriculum: SectorCurriculum, part: Part) -> tuple[b.Block, ...]:
    """Return the blocks of a module part (input, practice, cards, trainer) in reading order."""
    module = curriculum.module(part.item)
    builders = {"input": lambda: b.input_blocks(module),
                "practice": lambda: b.practice_blocks(module, practice_exercises(module, part.help or "ohne-hilfe")),
                "cards": lambda: b.card_blocks(module),
                "trainer": lambda: b.trainer_blocks(module, practice_exercises(module, "ohne-hilfe"),
                                                    file_names_of(curriculum, module))}
    return tuple(builders[part.kind]())


def file_names_of(curriculum: SectorCurriculum, module: Module) -> dict[str, str]:
    """Return part kind → file name of a module's parts in both editions (for the trainer's material list)."""
    names: dict[str, str] = {}
    for edition in EDITIONS:
        for part in module_parts(curriculum, module, edition):
            names.setdefault(part.kind if part.kind != "practice" else f"practice-{part.help}", part.file_name)
    return names
