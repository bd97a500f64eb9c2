"""Definite articles in running text: wrong pairs are found, right ones (in any case) are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from kurswerk.check.articles import article_findings_in_folder, article_problems
from kurswerk.check.lines import Documents

ROOT = Path(__file__).resolve().parents[1]

WRONG = [
    ("Das Rezeption ist ab sechs Uhr besetzt.", "Das Rezeption"),
    ("Bitte stellen Sie die Tisch an die Wand.", "die Tisch"),
    ("Der Bett in Zimmer 12 ist frisch bezogen.", "Der Bett"),
    ("Wir brauchen das Leiter aus dem Keller.", "das Leiter"),
    ("Wir bringen das Patientin in ihr Zimmer.", "das Patientin"),
    ("Die Kollegin holt das Pflegekraft.", "das Pflegekraft"),  # a compound, by its last part
    ("Ich bringe die Lieferschein ins Büro.", "die Lieferschein"),
]
RIGHT = [
    "Die Kinder spielen im Garten.",  # plural
    "Der Station fehlt heute eine Pflegekraft.",  # dative feminine
    "Das ist die Aufgabe der Kinder.",  # genitive plural
    "Die Leiter steht im Keller, der Leiter der Schicht auch.",  # two genders, two meanings
    "Patientinnen, die Fieber haben, trinken mehr.",  # relative pronoun
    "Ein Draht, durch die Strom fließt.",  # relative pronoun after a preposition
    "Für mich das Wiener Schnitzel, bitte.",  # adjective from a place name
    "Sie arbeitet bei der Küstenland Versicherung.",  # a company name
    "Der Check-out ist bis elf Uhr.",  # last part is no noun of its own
    "Bitte reinigen Sie die Fettfilter.",  # plural of a compound
    "Das Essen steht auf dem Tisch.",
]


@pytest.mark.parametrize(("sentence", "pair"), WRONG)
def test_a_wrong_article_is_found(sentence: str, pair: str) -> None:
    problems = list(article_problems(sentence, ("text",)))
    assert [problem.code for problem in problems] == ["E-ARTICLE-TEXT"]
    assert pair in problems[0].message


@pytest.mark.parametrize("sentence", RIGHT)
def test_a_right_article_is_not_reported(sentence: str) -> None:
    assert list(article_problems(sentence, ("text",))) == []


def test_no_false_alarm_on_the_shipped_curricula() -> None:
    findings = [finding for folder in sorted((ROOT / "curricula").glob("*/sector.yml"))
                for finding in article_findings_in_folder(folder.parent, Documents())]
    assert findings == []


def test_findings_name_file_line_and_key(tmp_path: Path) -> None:
    folder = tmp_path / "gastro"
    (folder / "modules").mkdir(parents=True)
    (folder / "sector.yml").write_text("id: gastro\nsummary: >-\n  Das Rezeption ist offen.\n", encoding="utf-8")
    [finding] = article_findings_in_folder(folder, Documents())
    assert (finding.code, finding.line, finding.key_path) == ("E-ARTICLE-TEXT", 2, "summary")
