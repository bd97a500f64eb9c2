"""Tests for kurswerk.check, driven by data.

``tests/data/check/good/`` is a small complete curriculum that passes every check. Each folder in
``tests/data/check/bad/`` holds only the files that differ from it; a test copies the good curriculum,
lays the variant over it and compares the findings with the table below.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kurswerk.check import (
    Finding,
    completeness_findings,
    format_line,
    format_lines,
    has_errors,
    noun_data,
    plural_forms,
    run_checks,
    severity_of,
    spelling_findings,
    unknown_words,
)
from kurswerk.errors import InputError
from kurswerk.load import load_sector
from kurswerk.model import Course, Track

DATA = Path(__file__).parent / "data" / "check"
GOOD = DATA / "good"
BAD = DATA / "bad"

EXPECTED: dict[str, set[tuple[str, str, int]]] = {
    "wrong-article": {("E-ARTICLE", "lager/modules/schichtwechsel.yml", 87)},
    "wrong-plural": {("E-PLURAL", "lager/modules/wareneingang.yml", 137)},
    "misspelled-word": {("E-SPELLING", "lager/modules/wareneingang.yml", 145)},
    "fact-without-source": {("E-MISSING", "lager/sector.yml", 18)},
    "invalid-article": {
        # the module that does not load is not named a second time (no follow-on E-REFERENCE)
        ("E-SCHEMA", "lager/modules/kommissionieren.yml", 122),
    },
    "exception-without-reason": {
        ("E-EXCEPTION-REASON", "lager/ausnahmen.yml", 3),
        ("E-ARTICLE", "lager/glossary.yml", 71),
        # the variant adds a glossary word that the translation files do not have yet
        ("W-TRANSLATION-MISSING", "lager/glossary.yml", 69),
    },
    "exception-with-reason": {("W-TRANSLATION-MISSING", "lager/glossary.yml", 69)},
    "too-few-vocabulary": {("E-VOCABULARY-FEW", "lager/modules/kommissionieren.yml", 84)},
    "timing-off": {("W-TIMING-SUM", "lager/modules/schichtwechsel.yml", 242)},
    "flat-scenario": {
        ("E-SCENARIO-REGISTER", "lager/modules/kommissionieren.yml", 19),
        ("E-DIALOGUE-MISSING", "lager/modules/kommissionieren.yml", 25),
    },
    "thin-training": {
        ("W-AGENDA-MINUTES", "lager/trainings/vielfalt-im-lager.yml", 14),
        ("E-CRITICAL-INCIDENTS", "lager/trainings/vielfalt-im-lager.yml", 35),
        ("E-REWRITES-FEW", "lager/trainings/vielfalt-im-lager.yml", 35),
        ("E-ONBOARDING-MISSING", "lager/trainings/vielfalt-im-lager.yml", 63),
    },
    "duplicates": {
        ("E-DUPLICATE-LEMMA", "lager/glossary.yml", 69),
        ("E-DUPLICATE-ID", "lager/modules/wareneingang.yml", 237),
    },
    "word-without-definition": {("E-GLOSSARY-DEFINITION", "lager/modules/wareneingang.yml", 148)},
    "term-without-example": {("W-GLOSSARY-EXAMPLE", "lager/glossary.yml", 57)},
    "answer-with-reason": {("E-ANSWER-REASON", "lager/modules/wareneingang.yml", 247)},
    "no-word-list": {
        ("E-SPELLING", "lager/modules/kommissionieren.yml", 8),
        ("E-SPELLING", "lager/modules/kommissionieren.yml", 17),
        ("E-SPELLING", "lager/modules/wareneingang.yml", 96),
        ("E-SPELLING", "lager/sector.yml", 5),
        ("E-SPELLING", "lager/sector.yml", 11),
        ("E-SPELLING", "lager/sector.yml", 34),
    },
}
"""Per variant in tests/data/check/bad/: every expected finding as (code, file, line)."""


def curricula_with(tmp_path: Path, variant: str | None = None) -> Path:
    """Return a copy of the good curricula with a bad variant laid over it."""
    root = tmp_path / "curricula"
    shutil.copytree(GOOD, root)
    shutil.copytree(GOOD.parents[2].parent / "curricula" / "data", root / "data")  # the charts' reference data
    if variant:
        shutil.copytree(BAD / variant, root, dirs_exist_ok=True)
    return root


def located(findings: list[Finding], root: Path) -> set[tuple[str, str, int]]:
    return {
        (finding.code, Path(finding.file).resolve().relative_to(root.resolve()).as_posix(), finding.line or 0)
        for finding in findings
    }


def test_every_variant_has_an_expectation() -> None:
    assert {path.name for path in BAD.iterdir()} == set(EXPECTED)


def test_good_curriculum_passes_every_check(tmp_path: Path) -> None:
    findings = run_checks(curricula_with(tmp_path))
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_bad_variant(tmp_path: Path, variant: str) -> None:
    root = curricula_with(tmp_path, variant)
    findings = run_checks(root)
    assert located(findings, root) == EXPECTED[variant], "\n".join(map(str, findings))


def test_findings_name_key_path_and_message(tmp_path: Path) -> None:
    (finding,) = run_checks(curricula_with(tmp_path, "wrong-article"))
    assert finding.key_path == "vocabulary[0].article"
    assert finding.severity == "error"
    assert "die Übergabe" in finding.message
    assert finding.message == "„der Übergabe“: laut Wiktionary heißt es „die Übergabe“"


def test_disabled_codes_are_dropped(tmp_path: Path) -> None:
    root = curricula_with(tmp_path, "thin-training")
    findings = run_checks(root, disabled={"E-REWRITES-FEW", "W-AGENDA-MINUTES"})
    assert {finding.code for finding in findings} == {"E-CRITICAL-INCIDENTS", "E-ONBOARDING-MISSING"}


def test_sectors_filter_and_unknown_sector(tmp_path: Path) -> None:
    root = curricula_with(tmp_path, "wrong-plural")
    assert run_checks(root, sectors=["lager"]) != []
    with pytest.raises(InputError, match="enthält keine Branche „kita“"):
        run_checks(root, sectors=["kita"])


def test_folder_without_sector_file(tmp_path: Path) -> None:
    root = curricula_with(tmp_path)
    (root / "kita" / "modules").mkdir(parents=True)
    assert (root / "data").is_dir()  # a folder without sector.yml that is no sector either
    (finding,) = run_checks(root)
    assert finding.code == "E-SECTOR-MISSING"
    assert Path(finding.file).resolve() == (root / "kita" / "sector.yml").resolve()
    assert run_checks(root, sectors=["lager"]) == []


def test_one_name_in_two_sectors_clashes(tmp_path: Path) -> None:
    root = curricula_with(tmp_path)
    shutil.copytree(root / "lager", root / "lagerhalle")
    sector_file = root / "lagerhalle" / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace("id: lager\n", "id: lagerhalle\n", 1),
                           encoding="utf-8")
    protagonists = {"kommissionieren": ("Olena Kovalenko", 14), "schichtwechsel": ("Kwame Mensah", 14),
                    "wareneingang": ("Amina Haddad", 18)}
    findings = run_checks(root)
    assert located(findings, root) == {
        ("E-NAME-CLASH", f"{sector}/modules/{module}.yml", line)
        for sector in ("lager", "lagerhalle") for module, (_, line) in protagonists.items()
    }, "\n".join(map(str, findings))
    for finding in findings:
        assert finding.key_path == "scenario"
        assert protagonists[Path(finding.file).stem][0] in finding.message
    assert {Path(finding.file).parts[-3] for finding in run_checks(root, sectors=["lagerhalle"])} == {"lagerhalle"}

    renamed = root / "lagerhalle" / "modules" / "wareneingang.yml"
    renamed.write_text(renamed.read_text(encoding="utf-8").replace("Amina", "Samira"), encoding="utf-8")
    assert {Path(finding.file).stem for finding in run_checks(root)} == {"kommissionieren", "schichtwechsel"}
    for module, first_name, new_name in [("kommissionieren", "Olena", "Halyna"), ("schichtwechsel", "Kwame", "Kofi")]:
        path = root / "lagerhalle" / "modules" / f"{module}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace(first_name, new_name), encoding="utf-8")
    findings = run_checks(root)
    assert findings == [], "\n".join(map(str, findings))


def test_shared_word_list_is_used(tmp_path: Path) -> None:
    root = curricula_with(tmp_path)
    (root / "wortliste.txt").write_text("# leer\n", encoding="utf-8")
    codes = {(finding.code, finding.message) for finding in run_checks(root)}
    assert ("E-SPELLING", "unbekanntes Wort: Destatis") in codes


def test_spelling_findings_keeps_its_interface(tmp_path: Path) -> None:
    root = curricula_with(tmp_path, "misspelled-word")
    (finding,) = spelling_findings(load_sector(root / "lager"), root)
    assert (finding.code, finding.key_path) == ("E-SPELLING", "vocabulary[6].example")


def test_unknown_words_accepts_names_abbreviations_and_hyphen_parts() -> None:
    import enchant

    dictionary = enchant.Dict("de_DE")
    text = ("Nr. 4 geht an Gesundheits- und Krankenpflege, sagt Olena. Olenas Kinderbetreuung und -erziehung "
            "im Amselweg, Bon-Nr. 12. Das ist Quatschwortt.")
    assert unknown_words(text, dictionary, {"Olena"}) == ["Quatschwortt"]
    assert unknown_words(text, dictionary) == ["Olena", "Olenas", "Quatschwortt"]


def test_sector_rules_count_modules_levels_and_facts() -> None:
    curriculum = load_sector(GOOD / "lager")
    b2_only = [module.model_copy(update={"level": "B2"}) for module in curriculum.modules[:2]]
    track = Track(id="b2", title="Nur B2", from_level="B2", to_level="B2", modules=[m.id for m in b2_only])
    sector = curriculum.sector.model_copy(update={"facts": curriculum.sector.facts[:1],
                                                  "course": Course(tracks=[track])})
    thin = curriculum.model_copy(update={"modules": b2_only, "sector": sector, "trainings": []})
    codes = sorted(finding.code for finding in completeness_findings(thin))
    assert codes == ["E-FACTS-FEW", "E-GLOSSARY-FEW", "E-LEVEL-B1", "E-MODULES-FEW", "E-TRAINING-MISSING"]


def test_phrase_rules() -> None:
    curriculum = load_sector(GOOD / "lager")
    module = curriculum.module("wareneingang")
    phrases = [phrase.model_copy(update={"function": "nachfragen", "counterpart": None})
               for phrase in module.phrases[:5]]
    thin = curriculum.model_copy(update={"modules": [module.model_copy(update={"phrases": phrases})]})
    codes = {finding.code for finding in completeness_findings(thin) if "wareneingang" in finding.file}
    assert codes == {"E-PHRASES-FEW", "E-PHRASE-FUNCTIONS", "W-COUNTERPARTS-FEW"}


def test_a_reason_belongs_in_the_explanation() -> None:
    from kurswerk.check.content import answer_reason_problems
    from kurswerk.check.findings import KeyPath
    from kurswerk.model import ExerciseItem

    module = load_sector(GOOD / "lager").module("wareneingang")
    number, exercise = next((n, e) for n, e in enumerate(module.exercises) if e.type == "matching")
    first = exercise.items[0].model_copy(update={"prompt": "Drei Kartons sind nass.", "answer": "Reklamation"})
    reason = "Reklamation – die Ware hat einen Mangel."
    written_twice = [first, first.model_copy(update={"prompt": "Im Karton fehlen zwei Flaschen.", "answer": reason})]
    explained = [first, written_twice[1].model_copy(update={"answer": "Reklamation",
                                                            "explanation": "Die Ware hat einen Mangel."})]

    def codes(items: list[ExerciseItem]) -> list[tuple[str, KeyPath]]:
        exercises = list(module.exercises)
        exercises[number] = exercise.model_copy(update={"items": items})
        return [(problem.code, problem.key_path)
                for problem in answer_reason_problems(module.model_copy(update={"exercises": exercises}))]

    assert codes(written_twice) == [("E-ANSWER-REASON", ("exercises", number, "items"))]
    assert codes(explained) == []


def test_noun_data_merges_homographs_and_adjectival_nouns() -> None:
    leiter = noun_data("Leiter")
    assert leiter is not None and leiter.articles == {"der", "die"} and "Leitern" in leiter.plurals
    angehoerige = noun_data("Angehörige")
    assert angehoerige is not None and angehoerige.articles == {"der", "die"}
    assert noun_data("Gabelstaplerfahrerinnenausweis") is None


@pytest.mark.parametrize(
    ("written", "forms"),
    [("Paletten", ["Paletten"]), ("die Paletten", ["Paletten"]), ("–", []), ("Kommas / Kommata", ["Kommas", "Kommata"]),
     ("Lkw, Lkws", ["Lkw", "Lkws"])],
)
def test_plural_forms(written: str, forms: list[str]) -> None:
    assert plural_forms(written) == forms


def test_severity_and_has_errors() -> None:
    warning = Finding("W-TIMING-SUM", severity_of("W-TIMING-SUM"), "a.yml", 3, "x", "m")
    error = Finding("E-ARTICLE", severity_of("E-ARTICLE"), "a.yml", 4, "y", "n")
    assert (warning.severity, error.severity) == ("warning", "error")
    assert not has_errors([warning])
    assert has_errors([warning, error])
    assert not has_errors([])


def test_a_finding_is_one_line_an_editor_reads() -> None:
    finding = Finding("E-ARTICLE", "error", "lager/modules/x.yml", 12, "vocabulary[0].article", "falsch", 7)
    assert format_line(finding) == "lager/modules/x.yml:12:7: E-ARTICLE vocabulary[0].article: falsch"
    draft = Finding("E-MODULES-FEW", "warning", "lager/sector.yml", None, "", "zu wenige\nModule")
    assert format_line(draft) == "lager/sector.yml:1:1: E-MODULES-FEW: zu wenige Module (Entwurf)"
    coloured = format_lines([finding], colour=True)
    assert "\033[31m" in coloured and "lager/modules/x.yml:12:7:" in coloured
    assert "\033[" not in format_lines([finding])


def test_compounds_take_article_and_plural_from_their_last_part() -> None:
    from kurswerk.check.nouns import compound_data, noun_problems

    head, data = compound_data("Dienstübergabe") or ("", None)
    assert head == "Übergabe" and data is not None
    assert data.articles == {"die"} and "Dienstübergaben" in data.plurals
    assert compound_data("Housekeeping") is None and compound_data("Kundschaft") is None
    wrong = list(noun_problems("Dienstübergabe", "der", "Dienstübergabes", ("vocabulary", 0), None))
    assert [problem.code for problem in wrong] == ["E-ARTICLE", "E-PLURAL"]
    assert "letzten Wortteil „Übergabe“" in wrong[0].message
    assert not list(noun_problems("Dienstübergabe", "die", "Dienstübergaben", ("vocabulary", 0), None))
