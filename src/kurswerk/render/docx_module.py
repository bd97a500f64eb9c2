"""The DaA module worksheet: the sections of a module as a printable handout, with answer key for trainers.

Order follows the content guide: can-do, scenario, Redemittel, Wortschatz, workplace document,
exercises, strategies, self-assessment, transfer; the trainer edition adds "Lösungen" and
"Hinweise für Lehrkräfte", each on a new page so the worksheet part can be printed alone.
"""

from __future__ import annotations

from kurswerk.exercises import WorkedExercise, exercises_for, plural_form
from kurswerk.labels import field_of_action
from kurswerk.model import Edition, Module, Phrase, SectorCurriculum, Source, Step, VocabularyItem, WorkplaceDocument
from kurswerk.render.docx_base import CHECKBOX, Cell, HandoutDocument, Span, translation_spans

WRITE_IN_LINES = {"writing": 9, "role_play": 4, "free": 5, "reading": 5}
TRAINER_NOTICE = (
    "Ausgabe für Lehrkräfte: Nach dem Arbeitsblatt folgen die Lösungen und die Hinweise für Lehrkräfte, "
    "jeweils auf einer neuen Seite. Für die Teilnehmenden gibt es das Arbeitsblatt ohne Lösungen."
)
SHORT_OPTION = 30
"""Options up to this many characters go into a word box; longer ones become a lettered list."""
KEEP_TOGETHER_ROWS = 8
UNBROKEN = 14
"""Document cells up to this length (codes, dates, amounts) should not wrap."""
REGISTER_LABELS = {("oral", "formal"): "mündlich · per Sie", ("oral", "informal"): "mündlich · per Du",
                   ("written", "formal"): "schriftlich · formell", ("written", "informal"): "schriftlich · informell"}


def build_module_worksheet(handout: HandoutDocument, curriculum: SectorCurriculum, module: Module,
                           edition: Edition) -> None:
    """Write every section of the worksheet into ``handout``; the trainer edition adds key and notes."""
    exercises = exercises_for(module)
    _head(handout, curriculum, module, edition)
    _can_do(handout, module)
    _scenario(handout, module)
    _phrases(handout, module.phrases)
    _vocabulary(handout, module.vocabulary)
    _document(handout, module.document)
    _exercises(handout, exercises)
    _strategies(handout, module)
    _self_assessment(handout, module)
    _transfer(handout, module)
    if module.sources:
        sources_section(handout, module.sources)
    if edition == "trainer":
        _answer_key(handout, exercises)
        _trainer_notes(handout, module)


def module_subtitle(curriculum: SectorCurriculum, module: Module, edition: Edition) -> str:
    """Return the line under the title: kind, sector, level and teaching units."""
    kind = "Ausgabe für Lehrkräfte mit Lösungen" if edition == "trainer" else "Arbeitsblatt"
    return f"{kind} · Deutsch am Arbeitsplatz · {curriculum.sector.name} · Niveau {module.level} · {module.duration_ue} UE"


def _head(handout: HandoutDocument, curriculum: SectorCurriculum, module: Module, edition: Edition) -> None:
    handout.title(module.title, module_subtitle(curriculum, module, edition))
    if edition == "trainer":
        handout.text(TRAINER_NOTICE, "Kasten")
    else:
        handout.name_line()
    handout.text(module.summary)
    fields = "; ".join(field_of_action(code) for code in module.field_of_action)
    handout.labelled("Handlungsfelder (Lernzielkatalog)", fields)


def _can_do(handout: HandoutDocument, module: Module) -> None:
    handout.heading("Das lerne ich", 1)
    handout.bullets(module.can_do)


def _scenario(handout: HandoutDocument, module: Module) -> None:
    scenario = module.scenario
    handout.heading("Szenario", 1)
    handout.text(scenario.setting)
    person = scenario.protagonist
    handout.labelled("Hauptperson", f"{person.name}, {person.role}")
    if person.background:
        handout.text(person.background)
    for number, step in enumerate(scenario.steps, start=1):
        _step(handout, number, step)


def _step(handout: HandoutDocument, number: int, step: Step) -> None:
    handout.heading(f"Schritt {number}: {step.title}", 2)
    partner = "Gesprächspartner/in" if step.mode == "oral" else "Für"
    handout.spans([Span(f"{REGISTER_LABELS[(step.mode, step.speech_register)]} · {partner}: {step.partner}",
                        "Emphasis")])
    handout.labelled("Aufgabe", step.task)
    for line in step.dialogue:
        handout.spans([Span(f"{line.speaker}:", "Strong"), Span("\t" + line.text)], "Dialog")


def phrase_rows(phrases: list[Phrase]) -> list[tuple[str, str, str, bool]]:
    """Return (function, Sie-form, du-form, neutral) rows grouped by function in first-seen order."""
    functions: dict[str, list[Phrase]] = {}
    for phrase in phrases:
        functions.setdefault(phrase.function, []).append(phrase)
    rows = []
    for function, group in functions.items():
        for phrase in group:
            counterpart = phrase.counterpart or ""
            if phrase.speech_register == "formal":
                rows.append((function, phrase.text, counterpart, False))
            elif phrase.speech_register == "informal":
                rows.append((function, counterpart, phrase.text, False))
            else:
                rows.append((function, phrase.text, "", True))
    return rows


def _phrases(handout: HandoutDocument, phrases: list[Phrase]) -> None:
    handout.heading("Redemittel", 1)
    handout.text("Diese Sätze helfen in den Situationen des Szenarios. Sätze ohne Sie oder du passen in beiden Registern.")
    rows = phrase_rows(phrases)
    table = handout.table(["Sprachhandlung", "per Sie (formell)", "per Du (informell)"],
                          [[function, sie, du] for function, sie, du, _ in rows], [0.22, 0.39, 0.39])
    start = 0
    for number, (function, _, _, neutral) in enumerate(rows, start=1):
        if neutral:
            table.cell(number, 1).merge(table.cell(number, 2))
        if number == len(rows) or rows[number][0] != function:
            if number > start + 1:
                merged = table.cell(start + 1, 0).merge(table.cell(number, 0))
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            start = number


def grammar_text(item: VocabularyItem) -> str:
    """Return what the grammar column shows: the plural with article, the principal parts, or "–"."""
    if item.pos == "noun":
        return plural_form(item) or "– (kein Plural)"
    return item.forms or "–"


def _vocabulary(handout: HandoutDocument, vocabulary: list[VocabularyItem]) -> None:
    handout.heading("Wortschatz", 1)
    with_translations = any(item.translations for item in vocabulary)
    header = ["Artikel", "Wort", "Plural / Formen", "Beispiel und Übersetzungen" if with_translations else "Beispiel"]
    rows: list[list[Cell]] = []
    for item in vocabulary:
        example: list[list[Span]] = [[Span(item.example, "Emphasis")]]
        if item.translations:
            example.append(translation_spans(item.translations))
        rows.append([item.article or "", [[Span(item.lemma, "Strong")]], grammar_text(item), example])
    handout.table(header, rows, [0.09, 0.24, 0.23, 0.44])


def _document(handout: HandoutDocument, document: WorkplaceDocument) -> None:
    handout.heading(f"Dokument aus dem Arbeitsalltag: {document.type}", 1)
    handout.spans([Span(document.note, "Emphasis")])
    if document.fields:
        table = handout.table([document.title, ""], [[field.label, field.value] for field in document.fields],
                              [0.32, 0.68])
        table.cell(0, 0).merge(table.cell(0, 1))
    else:
        handout.spans([Span(document.title, "Strong")])
    if document.rows:
        columns = list(document.columns) or [f"Spalte {number}" for number in range(1, len(document.rows[0]) + 1)]
        rows = [list(row) for row in document.rows]
        handout.table(columns, rows, column_widths([columns, *rows]))
    if document.text:
        handout.text(document.text, "Kasten")


def column_widths(rows: list[list[str]]) -> list[float]:
    """Return column widths (fractions) that follow the content: its longest word and its typical length."""
    weights = []
    for column in zip(*rows, strict=True):
        longest_word = max(len(text) if len(text) <= UNBROKEN else max(map(len, text.split())) for text in column)
        typical = sum(len(text) for text in column) / len(column)
        weights.append(max(4.0, longest_word + 1.0, min(typical, 40.0) * 0.8))
    total = sum(weights)
    return [weight / total for weight in weights]


def exercise_heading(number: int, exercise: WorkedExercise) -> str:
    """Return the heading an exercise has in the worksheet and in the answer key."""
    return f"Übung {number}: {exercise.title}"


def lettered(exercise: WorkedExercise) -> dict[str, str]:
    """Return option → letter (A, B, …) when the options are too long for a word box, else ``{}``."""
    if not exercise.options or max(len(option) for option in exercise.options) <= SHORT_OPTION:
        return {}
    return {option: chr(ord("A") + number) for number, option in enumerate(exercise.options)}


def _exercises(handout: HandoutDocument, exercises: list[WorkedExercise]) -> None:
    handout.heading("Übungen", 1)
    for number, exercise in enumerate(exercises, start=1):
        handout.heading(exercise_heading(number, exercise), 2)
        handout.text(exercise.instruction)
        letters = lettered(exercise)
        _options(handout, exercise.options, letters)
        if exercise.items:
            rows: list[list[Cell]] = [[f"{index}.", item.prompt, ""] for index, item in enumerate(exercise.items, 1)]
            short = exercise.kind in {"article", "ordering"} or bool(letters)
            handout.table(["Nr.", "Aufgabe", "Ihre Antwort"], rows, [0.07, 0.75, 0.18] if short else [0.07, 0.5, 0.43],
                          min_height_cm=0.8, keep_together=len(rows) <= KEEP_TOGETHER_ROWS)
        else:
            handout.write_in_lines(WRITE_IN_LINES.get(exercise.kind, 5))


def _options(handout: HandoutDocument, options: tuple[str, ...], letters: dict[str, str]) -> None:
    if not options:
        return
    if not letters:
        handout.spans([Span("Wörter im Kasten: ", "Strong"), Span("   ·   ".join(options))], "Kasten")
        return
    label = handout.spans([Span("Zur Auswahl (schreiben Sie den Buchstaben):", "Strong")], "Kasten")
    label.paragraph_format.keep_with_next = True
    for option in options:
        paragraph = handout.spans([Span(f"{letters[option]}\t", "Strong"), Span(option)], "Kasten")
        paragraph.paragraph_format.keep_with_next = True


def _strategies(handout: HandoutDocument, module: Module) -> None:
    handout.heading("Strategien", 1)
    for strategy in module.strategies:
        handout.heading(strategy.title, 2)
        handout.text(strategy.text)


def _self_assessment(handout: HandoutDocument, module: Module) -> None:
    handout.heading("Selbsteinschätzung", 1)
    handout.text("Wie gut können Sie das jetzt? Kreuzen Sie an.")
    box: Cell = [[Span(CHECKBOX, "Kästchen")]]
    rows: list[list[Cell]] = [[statement, box, box, box] for statement in module.can_do]
    handout.table(["Kann-Beschreibung", "Das kann ich gut", "mit Hilfe", "noch nicht"], rows,
                  [0.58, 0.14, 0.14, 0.14], centred=(1, 2, 3), middle=(1, 2, 3), keep_together=True)


def _transfer(handout: HandoutDocument, module: Module) -> None:
    handout.heading("Transfer: Aufgabe für den Arbeitsplatz", 1)
    handout.text(module.transfer.task)
    if module.transfer.support:
        handout.labelled("Unterstützung", module.transfer.support)
    handout.spans([Span("Meine Notizen:", "Strong")])
    handout.write_in_lines(5)


def source_line(source: Source) -> str:
    """Return ``Titel. Herausgeber, Jahr. URL`` with the parts a source has."""
    details = ", ".join(str(part) for part in (source.publisher, source.year) if part)
    return ". ".join(part for part in (source.title, details, source.url or "") if part)


def sources_section(handout: HandoutDocument, sources: list[Source]) -> None:
    """Add a "Quellen" section listing the sources."""
    handout.heading("Quellen", 1)
    handout.bullets(source_line(source) for source in sources)


def _answer_key(handout: HandoutDocument, exercises: list[WorkedExercise]) -> None:
    handout.heading("Lösungen", 1, new_page=True)
    for number, exercise in enumerate(exercises, start=1):
        handout.heading(exercise_heading(number, exercise), 2)
        letters = lettered(exercise)
        if exercise.items:
            rows: list[list[Cell]] = [[f"{index}.", item.prompt, [[Span(_keyed(item.answer, letters), "Strong")]]]
                                      for index, item in enumerate(exercise.items, 1)]
            handout.table(["Nr.", "Aufgabe", "Lösung"], rows, [0.07, 0.5, 0.43])
        if exercise.answer:
            label = "Lösung" if exercise.items else "Lösung oder Erwartungshorizont"
            handout.spans([Span(f"{label}:", "Strong")], "Kasten")
            handout.text(exercise.answer, "Kasten")


def _keyed(answer: str, letters: dict[str, str]) -> str:
    return f"{letters[answer]}: {answer}" if answer in letters else answer


def _trainer_notes(handout: HandoutDocument, module: Module) -> None:
    notes = module.trainer_notes
    handout.heading("Hinweise für Lehrkräfte", 1, new_page=True)
    handout.heading("Bedarf", 2)
    handout.text(module.needs)
    handout.heading("Ablauf und Zeitplanung", 2)
    total = sum(phase.minutes for phase in notes.timing)
    rows: list[list[Cell]] = [[phase.phase, str(phase.minutes), phase.social_form, phase.material]
                              for phase in notes.timing]
    rows.append([[[Span("Gesamt", "Strong")]], [[Span(str(total), "Strong")]],
                 f"{_german_number(total / 45)} UE à 45 Minuten", ""])
    handout.table(["Phase", "Minuten", "Sozialform", "Material"], rows, [0.4, 0.1, 0.22, 0.28], centred=(1,),
                  keep_together=len(rows) <= KEEP_TOGETHER_ROWS)
    if notes.material:
        handout.heading("Material", 2)
        handout.bullets(notes.material)
    if notes.variations:
        handout.heading("Varianten für andere Niveaus", 2)
        handout.table(["Niveau", "Variante"], [[level, text] for level, text in notes.variations.items()], [0.12, 0.88])
    if notes.notes:
        handout.heading("Weitere Hinweise", 2)
        handout.bullets(notes.notes)


def _german_number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
