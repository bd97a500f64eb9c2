"""JSON Schema of the curriculum files, for completion and validation in editors.

One schema per file kind (``sector.yml``, ``modules/*.yml``, ``trainings/*.yml``, ``glossary.yml``),
generated from the pydantic content model with the YAML keys (``register``, not ``register_note``)
and German descriptions for hovers. The output is JSON Schema draft-07 (``definitions``, no
``$ref`` with siblings), because the YAML language server behind VS Code and JupyterLab validates
draft-07. This module owns the generation and writing of the files; the descriptions live in
:data:`GERMAN` and :data:`COMMON`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from kurswerk.model import Glossary, Module, Sector, Training, TranslationFile, _number_as_text
from kurswerk.programme import Network, Programme

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
DEFINITIONS = "definitions"


@dataclass(frozen=True)
class SchemaKind:
    """One kind of curriculum file: its model, where such files live and its German title."""

    name: str
    model: type[BaseModel]
    glob: str
    title: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.schema.json"


KINDS: tuple[SchemaKind, ...] = (
    SchemaKind("sector", Sector, "curricula/*/sector.yml", "kurswerk: Beschreibung einer Branche (sector.yml)"),
    SchemaKind("module", Module, "curricula/*/modules/*.yml", "kurswerk: Modul Deutsch am Arbeitsplatz (modules/*.yml)"),
    SchemaKind("training", Training, "curricula/*/trainings/*.yml",
               "kurswerk: Training zur Interkulturellen Öffnung (trainings/*.yml)"),
    SchemaKind("glossary", Glossary, "curricula/*/glossary.yml", "kurswerk: Glossar einer Branche (glossary.yml)"),
    SchemaKind("translations", TranslationFile, "curricula/*/uebersetzungen/*.yml",
               "kurswerk: Übersetzungen der Fachwörter in eine Sprache (uebersetzungen/*.yml)"),
    SchemaKind("programme", Programme, "curricula/programm.yml",
               "kurswerk: Förderprogramm, Förderphase und Förderhinweis (programm.yml)"),
    SchemaKind("network", Network, "curricula/netzwerke/*.yml",
               "kurswerk: Regionales Netzwerk mit Beratungsstellen (netzwerke/*.yml)"),
)

COMMON: dict[str, str] = {
    "id": "Kennung: Kleinbuchstaben, Ziffern und einzelne Bindestriche, z. B. dienstuebergabe.",
    "title": "Titel, wie er im Kursbuch und im Handout steht.",
    "summary": "Zusammenfassung in wenigen Sätzen.",
    "sources": "Quellen: Titel, Herausgeber, Jahr, Adresse.",
    "template": "Die Notebook-Vorlage, nach der kurswerk die Seite baut.",
    "answer": "Lösung oder Musterlösung (nur in der Ausgabe für Lehrkräfte).",
    "instruction": "Arbeitsanweisung an die Teilnehmenden.",
    "lemma": "Grundform: Nomen im Nominativ Singular ohne Artikel, Verben im Infinitiv.",
    "pos": "Wortart: noun (Nomen), verb, adjective, adverb oder phrase (Wendung).",
    "article": "Artikel des Nomens: der, die oder das.",
    "plural": "Pluralform mit Artikel, z. B. „die Übergaben“; „–“, wenn es keinen Plural gibt.",
    "forms": "Stammformen des Verbs: „misst – maß – hat gemessen“ (Präsens – Präteritum – Perfekt).",
    "example": "Beispielsatz aus der Branche.",
    "translations": "Übersetzungen, nach Sprachcode: en, tr, ar, uk …",
    "material": "Material, z. B. Arbeitsblatt, Rollenkarten, Folien.",
    "minutes": "Dauer in Minuten.",
    "level": "Niveau nach dem Gemeinsamen Europäischen Referenzrahmen: A2, B1, B2 oder C1.",
    "register": "Register: formal (Sie), informal (du) oder neutral.",
    "text": "Der Text.",
    "items": "Die Einträge.",
    "label": "Beschriftung.",
    "value": "Wert.",
}
"""Descriptions of keys that mean the same wherever they occur."""

GERMAN: dict[str, dict[str, str]] = {
    "Programme": {"": "Das Förderprogramm: Namen, Förderphase, Fördergeber und die Texte, die Buch und Handouts zeigen.",
                  "name": "Voller Name des Programms, wie ihn Fußzeilen und die Autorenzeile des Buchs zeigen.",
                  "short_name": "Kurzname, z. B. in der Überschrift „Das Förderprogramm …“.",
                  "phase": "Förderphase oder Förderrunde, z. B. „Förderrunde 2026–2028“; steht in jeder Fußzeile.",
                  "funders": "Fördergeber: Name, Kurzname, Internetadresse.",
                  "administered_by": "Die Stelle, die das Programm umsetzt.",
                  "funding_line": "Förderhinweis in der Fußzeile jedes Handouts und jeder Buchseite (ohne Förderphase).",
                  "emblem_text": "Text der Förderlogos (Alternativtext und Text, wo kein Logo steht).",
                  "url": "Internetadresse des Programms.",
                  "description": "Absatz über das Programm auf der Startseite des Buchs.",
                  "company_note": "Absatz über das Programm im Handout für Unternehmen.",
                  "national_offers": "Bundesweite Angebote für Unternehmen, wenn keine regionale Ausgabe gebaut wird.",
                  "sources": "Woher die Angaben stammen: Titel, Herausgeber, Jahr, Adresse."},
    "Network": {"": "Ein Regionales Integrationsnetzwerk: nur öffentliche Angaben von Organisationen, mit Quellen.",
                "id": "Kennung wie der Dateiname, z. B. nrw; kurswerk build --netzwerk nrw baut diese Ausgabe.",
                "name": "Name des Netzwerks, wie es sich selbst nennt.",
                "land": "Bundesland, geschrieben wie in der Mikrozensus-Tabelle (z. B. Nordrhein-Westfalen).",
                "coordination": "Koordinierende Stelle (Organisation, keine Person).",
                "url": "Internetadresse des Netzwerks.",
                "sources": "Woher die Angaben stammen: Titel, Herausgeber, Jahr, Adresse.",
                "offices": "Beratungsstellen nach Art: anerkennung, faire-integration, unternehmen (je mindestens eine).",
                "logos": "Logo-Dateien, die das Netzwerk selbst liefert (in netzwerke/logos/<id>/), mit Alternativtext.",
                "note": "Worauf die Angaben beruhen und was fehlt (für die Pflege der Datei)."},
    "Office": {"": "Eine Beratungsstelle: Art, Organisation, Angebot, öffentliche Internetadresse.",
               "kind": "Art: anerkennung, faire-integration oder unternehmen.",
               "name": "Name der Organisation oder des Angebots (keine Namen von Mitarbeitenden).",
               "offer": "Was die Stelle für einen Betrieb tut, in einem Satz.",
               "url": "Öffentliche Internetadresse."},
    "Organisation": {"": "Eine Organisation: Name, Kurzname, Internetadresse.", "name": "Voller Name.",
                     "short": "Kurzname, unter dem die Organisation bekannt ist.", "url": "Internetadresse."},
    "Logo": {"": "Eine Logo-Datei des Netzwerks.", "file": "Dateiname im Ordner netzwerke/logos/<id>/.",
             "alt": "Alternativtext: was das Logo zeigt."},
    "Sector": {"": "Eine Branche mit ihren Kommunikationssituationen.",
               "languages": "Sprachen der Lernenden (ar, uk, tr, fa, ru, ro, pl, en), in die Buch und Handouts den "
                            "Wortschatz übersetzen; die Übersetzungen stehen in uebersetzungen/<sprache>.yml.",
               "draft": "Entwurf: Unvollständiges meldet kurswerk check als Warnung; das Buch zeigt die Branche "
                        "nur mit kurswerk build --drafts.", "name": "Kurzer Name, z. B. „Pflege“.",
               "occupations": "Berufe der Branche, geschlechtergerecht.",
               "regulated": "true, wenn der Beruf reglementiert ist (Berufszulassung nötig).",
               "language_requirement": "Verlangtes Sprachniveau, oder „keine gesetzliche Vorgabe“.",
               "register": "Wie Sie und du in der Branche üblich sind, in Worten (mit Begründung).",
               "registers": "Die Regel zu du und Sie als Daten: je Beziehung (wer spricht mit wem), welche "
                            "Anrede vorkommt. Nur wo du und Sie vorkommen, entsteht die Übung „Du oder Sie?“.",
               "facts": "Zahlen zur Branche, jede mit Quelle und Jahr (mindestens zwei).",
               "charts": "Diagramme aus curricula/data über die eigene Branche; keines, wenn es keine Zahl der "
                         "Branche gibt.",
               "situations": "Typische Kommunikationssituationen.", "text_types": "Typische Texte der Branche.",
               "course": "Die Kurse der Branche, einer je Niveau der Gruppe (tracks).",
               "company": "Anfang und Ende des Handouts für Unternehmen: das Wichtigste auf einen Blick und die "
                          "nächsten Schritte."},
    "RegisterRule": {"": "Eine Beziehung am Arbeitsplatz und die Anrede, die darin vorkommt.",
                     "relation": "Kennung der Beziehung, z. B. team, leitung, kunden; Redemittel nennen sie unter "
                                 "„relation“.",
                     "label": "Wer mit wem spricht, z. B. „Kolleginnen und Kollegen im Team“.",
                     "allowed": "Welche Anrede vorkommt: [du], [Sie] oder [du, Sie]."},
    "CompanySummary": {"": "Was Personalabteilung und Teamleitung zuerst und zuletzt lesen.",
                       "key_points": "„Das Wichtigste auf einen Blick“: ein bis fünf Punkte, je ein Satz in einfacher "
                                     "Sprache (höchstens 160 Zeichen, ohne Wörter aus dem Kurs wie Modul oder UE).",
                       "next_steps": "„Nächste Schritte“: ein bis fünf Dinge, die das Unternehmen als Nächstes tut, "
                                     "je ein Satz in der Sie-Form (höchstens 160 Zeichen)."},
    "Fact": {"": "Eine Zahl zur Branche, immer mit Quelle und Jahr.", "label": "Was die Zahl angibt.",
             "value": "Die Zahl.", "unit": "Einheit, z. B. „%“ oder „Stellen“.", "source": "Quelle der Zahl.",
             "year": "Jahr oder Zeitraum, in Anführungszeichen: \"2023\" oder \"2023/24\"."},
    "Chart": {"": "Ein Diagramm aus den Referenzdaten in curricula/data.",
              "chart": "Welches Diagramm: fachkraefteluecke, anerkennungen, auslaenderanteil oder "
                       "migrationshintergrund (Länder, für keine Branche).",
              "highlight": "Zeilen der CSV-Datei, die farbig hervorgehoben werden; mindestens eine muss eine Zahl "
                           "über die eigene Branche sein (curricula/data/sources.yml, sectors).",
              "year": "Das eine Jahr, das das Diagramm zeigt, wenn die Tabelle mehrere Jahre enthält (z. B. 2024).",
              "alt": "Alternativtext: beschreibt in Worten, was das Diagramm zeigt."},
    "Course": {"": "Die Kurse der Branche; die Unterrichtseinheiten zählt kurswerk aus den Modulen zusammen.",
               "tracks": "Ein Kurs je Niveau der Gruppe, z. B. A2 → B1 und B1 → B2."},
    "Track": {"": "Ein Kurs, den eine Gruppe auf einem Niveau belegen kann.",
              "id": "Kennung des Kurses, z. B. a2-b1.",
              "title": "Worum es im Kurs geht; das Kursbuch zeigt „Kurs A2 → B1: Titel“.",
              "from_level": "Niveau der Gruppe zu Beginn: A2, B1, B2 oder C1.",
              "to_level": "Zielniveau: dasselbe wie from_level oder das nächsthöhere.",
              "modules": "Ids der Module in Unterrichtsreihenfolge, jedes auf from_level oder to_level; "
                         "ein Modul darf in mehreren Kursen stehen."},
    "Source": {"": "Eine Quelle.", "title": "Titel der Veröffentlichung.", "publisher": "Herausgeber.",
               "year": "Erscheinungsjahr.", "url": "Internetadresse."},
    "Module": {"": "Ein Modul Deutsch am Arbeitsplatz im Szenario-Ansatz.",
               "draft": "Entwurf: Unvollständiges ist nur eine Warnung; das Buch zeigt das Modul nur mit --drafts.",
               "field_of_action": "Handlungsfelder des Lernzielkatalogs: I–VII und A–D.",
               "duration_ue": "Dauer in Unterrichtseinheiten (1 UE = 45 Minuten).",
               "needs": "Welcher Bedarf am Arbeitsplatz hinter dem Modul steht (Bedarfsanalyse, Quelle).",
               "can_do": "Drei bis fünf Kann-Beschreibungen, jede beginnt mit „Ich kann “.",
               "scenario": "Das Szenario: eine Person, 3 bis 5 verbundene Schritte.",
               "phrases": "Redemittel: mindestens 8, in mindestens 3 kommunikativen Funktionen.",
               "vocabulary": "Wortschatz: mindestens 15 Wörter mit Beispielsatz.",
               "document": "Ein erfundenes, realistisches Dokument vom Arbeitsplatz.",
               "exercises": "Selbst geschriebene Übungen mit Lösung (mindestens vier).",
               "strategies": "Zwei bis drei Lernstrategien.", "transfer": "Aufgabe für den echten Arbeitsplatz.",
               "trainer_notes": "Hinweise für Lehrkräfte: Zeitplan, Sozialform, Material, Varianten."},
    "Scenario": {"": "Szenario-Ansatz: eine Person erledigt eine echte Aufgabe in 3 bis 5 Schritten.",
                 "protagonist": "Die Hauptperson.", "setting": "Ort, Zeit und Ausgangslage.",
                 "steps": "3 bis 5 Schritte; mündlich und schriftlich gemischt, mit Wechsel des Registers."},
    "Person": {"": "Die Hauptperson des Szenarios.", "name": "Vor- und Nachname.", "role": "Rolle im Betrieb.",
               "background": "Hintergrund: Ausbildung, Erfahrung, Situation."},
    "Step": {"": "Ein Schritt des Szenarios.", "title": "Titel des Schritts.",
             "mode": "oral (mündlich) oder written (schriftlich).",
             "register": "formal (Sie) oder informal (du).", "partner": "Mit wem oder für wen.",
             "task": "Die Aufgabe für die Teilnehmenden.",
             "dialogue": "Dialogzeilen (3 bis 8 bei mündlichen Schritten)."},
    "DialogueLine": {"": "Eine Zeile des Dialogs.", "speaker": "Wer spricht.", "text": "Was die Person sagt."},
    "Phrase": {"": "Ein Redemittel.", "function": "Kommunikative Funktion, z. B. nachfragen, bitten, informieren.",
               "text": "Das Redemittel.",
               "counterpart": "Dasselbe im anderen Register (du ↔ Sie); nur, wo die Beziehung (relation) du und "
                              "Sie kennt.",
               "relation": "In welcher Beziehung das Redemittel gesagt wird: eine Kennung aus „registers“ in "
                           "sector.yml (z. B. team). Pflicht bei einem Gegenstück (counterpart)."},
    "VocabularyItem": {"": "Ein Wort des Moduls.", "definition": "Erklärung in einfachem Deutsch.",
                       "practice": "Übungssatz: ein neuer Satz mit dem Wort, nur für den Lückentext des Übungsblatts "
                                   "(steht sonst nirgends im Modul, damit niemand die Lücke abschreiben kann)."},
    "WorkplaceDocument": {"": "Ein erfundenes, realistisches Dokument vom Arbeitsplatz.",
                          "kind": "Wie das Dokument aussieht: form (Formular mit Feldern), letter (Brief oder "
                                  "E-Mail), list (Liste mit Kopf, z. B. Lieferschein), notice (Aushang) oder plan "
                                  "(Plan als Raster, z. B. Schichtplan).",
                          "sender": "Briefkopf (nur letter): Absender, eine Zeile pro Angabe.",
                          "recipient": "Empfänger (nur letter).", "date": "Datum (letter).",
                          "subject": "Betreff (nur letter).", "salutation": "Anrede, z. B. „Liebe Eltern,“ (nur letter).",
                          "closing": "Gruß und Name (nur letter).",
                          "type": "Art des Dokuments, z. B. Übergabeprotokoll oder Lieferschein.",
                          "note": "Hinweis unter dem Dokument.", "fields": "Felder mit Beschriftung und Wert.",
                          "columns": "Spaltenköpfe einer Tabelle.", "rows": "Zeilen der Tabelle.",
                          "text": "Fließtext des Dokuments."},
    "DocumentField": {"": "Ein Feld des Dokuments."},
    "Exercise": {"": "Eine selbst geschriebene Übung mit Lösung.",
                 "type": "Art: reading, role_play, writing, matching, gap_fill, ordering, register oder free.",
                 "items": "Aufgaben (prompt) mit Lösung (answer).",
                 "roles": "Rollenspiel: 2 bis 4 Rollenkarten; jede Person liest nur ihre eigene Karte.",
                 "words": "Erwartete Länge in Wörtern (Schreibaufgabe); bestimmt die Zahl der Schreiblinien.",
                 "lines": "Erwartete Länge in Zeilen (z. B. Stichworte); statt words.",
                 "fills_document": "true, wenn das Produkt das Dokument des Moduls ist: das Übungsblatt druckt "
                                   "eine leere Vorlage zum Ausfüllen."},
    "RoleCard": {"": "Eine Rollenkarte zum Ausschneiden.", "role": "Wer die Person ist, z. B. „Kundin“.",
                 "text": "Was nur diese Person weiß und tun soll (in der Sie-Form)."},
    "ExerciseItem": {"": "Eine Aufgabe mit Lösung.", "prompt": "Die Aufgabe.",
                     "answer": "Die Lösung: bei einer Zuordnung nur die Wahl selbst, ohne Begründung.",
                     "explanation": "Warum die Lösung stimmt (steht nur im Lösungsschlüssel für Lehrkräfte)."},
    "Strategy": {"": "Eine Lernstrategie.", "text": "Was Lernende tun können."},
    "Transfer": {"": "Eine Aufgabe für den echten Arbeitsplatz.", "task": "Die Aufgabe.",
                 "support": "Wer hilft, z. B. die Sprachmentorin oder der Sprachmentor."},
    "TrainerNotes": {"": "Hinweise für Lehrkräfte.", "timing": "Phasen; ihre Minuten ergeben duration_ue × 45.",
                     "variations": "Varianten je Niveau (A2, B1, B2, C1).", "notes": "Weitere Hinweise."},
    "TimingPhase": {"": "Eine Phase des Unterrichts.", "phase": "Was in der Phase passiert.",
                    "social_form": "Sozialform: Plenum, Partnerarbeit, Gruppenarbeit, Einzelarbeit."},
    "Training": {"": "Ein Training zur Interkulturellen Öffnung für Unternehmen.",
                 "draft": "Entwurf: Unvollständiges ist nur eine Warnung; das Buch zeigt das Training nur mit --drafts.",
                 "audience": "Zielgruppen.",
                 "format": "Form und Umfang in einem Satz.",
                 "duration_min": "Dauer in Minuten; die Minuten der agenda ergeben zusammen diese Zahl.",
                 "ikoe_level": "Ebenen der Interkulturellen Öffnung: organisation, staff, services, cooperation.",
                 "goals": "Ziele: Wissen, Haltung, Handeln.", "agenda": "Ablauf des Trainings.",
                 "exercises": "Übungen: kritische Situationen, einfache Sprache, Aktionsplan …",
                 "checklists": "Checklisten, darunter eine zum Onboarding.",
                 "evaluation": "Fragen für die Auswertung.", "trainer_notes": "Hinweise für die Leitung."},
    "Goals": {"": "Ziele in drei Bereichen.", "knowledge": "Wissen.", "attitude": "Haltung.", "action": "Handeln."},
    "AgendaItem": {"": "Ein Block des Ablaufs.", "time": "Uhrzeit in Anführungszeichen, z. B. \"09:00\".",
                   "block": "Thema des Blocks.", "method": "Methode."},
    "TrainingExercise": {"": "Eine Übung des Trainings.",
                         "type": "critical_incident, perspective, plain_language, reflection oder action_plan.",
                         "situation": "Die Situation aus dem Arbeitsalltag (bei critical_incident).",
                         "questions": "Fragen zur Situation.",
                         "rewrites": "Umschreibungen in einfache Sprache: before → after."},
    "Rewrite": {"": "Eine Arbeitsanweisung, umgeschrieben in einfache Sprache.", "before": "Die Anweisung vorher.",
                "after": "Die Anweisung in einfacher Sprache."},
    "Checklist": {"": "Eine Checkliste.", "items": "Die Punkte der Checkliste."},
    "Glossary": {"": "Das Glossar einer Branche.", "terms": "Die Fachwörter."},
    "TranslationFile": {"": "Die Übersetzungen der Fachwörter einer Branche in eine Sprache der Lernenden.",
                        "language": "Sprachcode, wie der Dateiname: ar, uk, tr, fa, ru, ro, pl oder en.",
                        "reviewed": "true, sobald eine Person mit dieser Erstsprache alle Einträge geprüft hat; bis "
                                    "dahin steht „ungeprüfte Übersetzung“ dabei.",
                        "reviewer": "Wer geprüft hat (freiwillig).",
                        "words": "Deutsches Wort (wie lemma im Wortschatz oder Glossar) → Übersetzung."},
    "GlossaryEntry": {"": "Ein Fachwort des Glossars.", "definition": "Erklärung in einfachem Deutsch (ein Satz, B1)."},
}
"""German descriptions by model class: ``""`` describes the class, other keys its fields."""


class CurriculumSchemaGenerator(GenerateJsonSchema):
    """Pydantic's generator, adjusted to what the YAML loader really accepts."""

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        """Text fields accept a bare YAML number (``value: 120``), as the model does."""
        inner = super().function_before_schema(schema)
        if schema["function"].get("function") is _number_as_text:
            return {"anyOf": [inner, {"type": "number"}]}
        return inner

    def chain_schema(self, schema: core_schema.ChainSchema) -> JsonSchemaValue:
        """Keep a pattern that pydantic checks in a later step of a chain (``Fact.year``)."""
        result = super().chain_schema(schema)
        for step in schema["steps"][1:]:
            inner: Any = step.get("schema", {})
            if inner.get("type") == "str" and "pattern" in inner:
                result = {**result, "pattern": inner["pattern"]}
        return result


def schema_for(kind: SchemaKind) -> dict[str, Any]:
    """Return the draft-07 JSON Schema of one file kind, with German descriptions."""
    raw = kind.model.model_json_schema(by_alias=True, ref_template=f"#/{DEFINITIONS}/{{model}}",
                                       schema_generator=CurriculumSchemaGenerator)
    definitions = raw.pop("$defs", {})
    root = _describe(kind.model.__name__, raw)
    result: dict[str, Any] = {"$schema": DRAFT_07, "title": kind.title, **root}
    if definitions:
        result[DEFINITIONS] = {name: _describe(name, definition) for name, definition in sorted(definitions.items())}
    return result


def _describe(class_name: str, definition: dict[str, Any]) -> dict[str, Any]:
    """Return a model's schema with German descriptions, without English titles, draft-07 ``$ref``s."""
    german = GERMAN.get(class_name, {})
    described = {key: value for key, value in definition.items() if key not in ("title", "description")}
    if "" in german:
        described["description"] = german[""]
    properties = {}
    for key, value in definition.get("properties", {}).items():
        text = german.get(key) or COMMON.get(key)
        properties[key] = _property(value, text)
    if properties:
        described["properties"] = properties
    return described


def _property(schema: dict[str, Any], description: str | None) -> dict[str, Any]:
    """Return a property's schema without title, with a description; a ``$ref`` moves into ``allOf``."""
    result = {key: value for key, value in schema.items() if key != "title"}
    if "$ref" in result and (len(result) > 1 or description):
        result = {"allOf": [{"$ref": result.pop("$ref")}], **result}
    if description:
        result["description"] = description
    return result


def schema_text(kind: SchemaKind) -> str:
    """Return the schema file's text: stable key order, two-space indent, UTF-8, final newline."""
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write one ``<kind>.schema.json`` per file kind into ``folder``; returns the paths (rewrites only changes)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = folder / kind.file_name
        text = schema_text(kind)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def stale_schemas(folder: Path) -> list[Path]:
    """Return the schema files in ``folder`` that are missing or differ from what the model gives."""
    return [folder / kind.file_name for kind in KINDS
            if not (folder / kind.file_name).is_file()
            or (folder / kind.file_name).read_text(encoding="utf-8") != schema_text(kind)]
