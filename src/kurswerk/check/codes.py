"""The registry of finding codes: every code ``kurswerk check`` can report, with what it means.

``--disable`` accepts only codes listed here; :data:`INCOMPLETE` are the codes that say a sector,
module or training is not finished yet, which a draft (``draft: true``) reports as warnings.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # files and schema (the loader)
    "E-READ": "Datei nicht lesbar, keine gewöhnliche Datei oder ein Link aus dem Projekt hinaus",
    "E-SIZE": "Datei zu groß",
    "E-ENCODING": "Datei nicht in UTF-8",
    "E-YAML": "YAML-Syntaxfehler (Einrückung, Tabulator, Doppelpunkt, Klammern) oder zu tief verschachtelt",
    "E-ALIAS": "YAML-Verweis (*name) statt ausgeschriebenem Inhalt",
    "E-SCHEMA": "Wert passt nicht zum Inhaltsmodell",
    "E-MISSING": "Pflichtfeld fehlt",
    "E-UNKNOWN-KEY": "unbekannter Schlüssel",
    "E-ID": "id passt nicht zum Datei- oder Ordnernamen",
    "E-REFERENCE": "Verweis auf ein Modul oder eine Branche, die es nicht gibt",
    "E-DUPLICATE-ID": "dieselbe id zweimal",
    "E-EMPTY": "keine Branche im Ordner",
    "E-SECTOR-MISSING": "Ordner mit Modulen oder Trainings, aber ohne sector.yml",
    "E-INPUT": "ungültige Eingabe",
    "E-EXISTS": "Ordner gibt es schon (kurswerk new)",
    "E-PORT": "Port belegt (kurswerk serve)",
    "E-CONFIG": "_config.yml des Kursbuchs fehlerhaft",
    # modules
    "E-SCENARIO-STEPS": "zu wenige Schritte im Szenario",
    "E-SCENARIO-MODES": "Szenario ohne mündliche und schriftliche Schritte",
    "E-SCENARIO-REGISTER": "Szenario ohne Wechsel des Registers",
    "E-DIALOGUE-MISSING": "Schritt ohne Dialog",
    "W-DIALOGUE-LENGTH": "Dialog sehr kurz oder sehr lang",
    "E-PHRASES-FEW": "zu wenige Redemittel",
    "E-PHRASE-FUNCTIONS": "Redemittel decken zu wenige Sprachhandlungen ab",
    "W-COUNTERPARTS-FEW": "zu wenige Gesprächspartner",
    "E-VOCABULARY-FEW": "zu wenig Wortschatz",
    "E-EXERCISES-FEW": "zu wenige Übungen",
    "W-STRATEGIES-FEW": "zu wenige Strategien",
    "W-CAN-DO-COUNT": "ungewöhnlich viele oder wenige Kann-Beschreibungen",
    "W-TIMING-SUM": "Zeitplan passt nicht zur Dauer",
    "W-DUPLICATE-VOCABULARY": "Wort zweimal im Wortschatz",
    # trainings
    "E-CRITICAL-INCIDENTS": "zu wenige kritische Ereignisse",
    "E-REWRITES-FEW": "zu wenige Umformulierungen",
    "E-ONBOARDING-MISSING": "Checkliste zur Einarbeitung fehlt",
    "W-AGENDA-MINUTES": "Ablaufplan passt nicht zur Dauer",
    # sector
    "E-FACTS-FEW": "zu wenige belegte Fakten",
    "E-MODULES-FEW": "zu wenige Module",
    "E-LEVEL-B1": "Kursniveau unter B1 ohne Begründung",
    "E-TRAINING-MISSING": "kein Training für Unternehmen",
    "E-TRACK-BAND": "Kurs führt abwärts oder über mehr als eine Niveaustufe",
    "E-TRACK-LEVEL": "Modul passt nicht zu den Niveaus des Kurses",
    "E-TRACK-ORDER": "im Kurs geht das Niveau zurück",
    "E-TRACK-MISSING": "Modul in keinem Kurs der Branche",
    "E-GLOSSARY-FEW": "Glossar zu kurz",
    "E-DUPLICATE-LEMMA": "Begriff zweimal im Glossar",
    "E-DATA-MISSING": "Referenzdaten eines Diagramms fehlen oder sind unlesbar (curricula/data)",
    "E-CHART-ROW": "hervorgehobene Zeile steht nicht in der Tabelle des Diagramms",
    "E-CHART-SECTOR": "Diagramm zeigt keine Zahl über die eigene Branche",
    "E-CHART-YEAR": "Diagramm mischt Jahre oder nennt ein Jahr, das die Tabelle nicht hat",
    "E-KEY-POINTS": "„Das Wichtigste auf einen Blick“ (company.key_points) leer oder mit mehr als fünf Punkten",
    "E-NEXT-STEPS": "„Nächste Schritte“ (company.next_steps) leer oder mit mehr als fünf Schritten",
    "E-COMPANY-SENTENCE": "Punkt für Unternehmen ist kein einzelner kurzer Satz oder enthält ein Wort aus dem Kurs",
    # language
    "E-SPELLING": "unbekanntes Wort",
    "E-ARTICLE": "falscher Artikel im Wortschatz",
    "E-ARTICLE-TEXT": "Artikel im Satz passt zu keinem Fall des Nomens",
    "E-PLURAL": "falsche Pluralform",
    "W-PLURAL-UNKNOWN": "Pluralform nicht prüfbar",
    "E-EXCEPTION-REASON": "Ausnahme ohne Begründung",
    # translations
    "W-TRANSLATION-MISSING": "Wort ohne Übersetzung in einer Sprache der Branche",
    "W-TRANSLATION-UNUSED": "Übersetzung eines Wortes, das die Branche nicht mehr hat",
    # packets and content
    "E-PRACTICE-FEW": "zu wenige Übungssätze",
    "W-PRACTICE-UNUSABLE": "Übungssatz unbrauchbar",
    "E-PRACTICE-COPY": "Antwort steht schon auf dem Übungsblatt",
    "E-MATERIAL-MISSING": "Material des Unterrichtsplans fehlt",
    "E-GLOSSARY-DEFINITION": "Glossareintrag ohne brauchbare Erklärung",
    "W-GLOSSARY-EXAMPLE": "Glossareintrag ohne Beispiel",
    "E-ANSWER-REASON": "Begründung fehlt oder steht in der Antwort",
    "E-NAME-CLASH": "derselbe Personenname in zwei Branchen",
    "E-REGISTER-RULE": "Anrede (du oder Sie), die die Regel der Branche in dieser Beziehung nicht kennt",
    "E-ORDERING-IN-ORDER": "Ordnungsaufgabe schon in der richtigen Reihenfolge gedruckt",
    "E-ORDERING-KEY": "Lösung einer Ordnungsaufgabe ist nicht 1 bis n",
    # programme and networks (programm.yml, netzwerke/*.yml)
    "E-NETWORK-OFFICE": "Netzwerk ohne Beratungsstelle einer geforderten Art",
    "E-NETWORK-LOGO": "Logo-Datei eines Netzwerks fehlt",
}

INCOMPLETE = frozenset({
    "E-SCENARIO-STEPS", "E-SCENARIO-MODES", "E-SCENARIO-REGISTER", "E-DIALOGUE-MISSING", "E-PHRASES-FEW",
    "E-PHRASE-FUNCTIONS", "E-VOCABULARY-FEW", "E-EXERCISES-FEW", "E-CRITICAL-INCIDENTS", "E-REWRITES-FEW",
    "E-ONBOARDING-MISSING", "E-FACTS-FEW", "E-MODULES-FEW", "E-TRAINING-MISSING", "E-GLOSSARY-FEW",
    "E-PRACTICE-FEW", "E-MATERIAL-MISSING", "E-LEVEL-B1", "E-TRACK-MISSING",
})
"""Codes that say something is not finished yet; in a draft they are warnings."""


def unknown_codes(codes: set[str] | tuple[str, ...]) -> list[str]:
    """Return the codes that are not in the registry, sorted."""
    return sorted(code for code in codes if code not in CODES)
