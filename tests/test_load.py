"""The loader: good files load, each bad file gives the expected error with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kurswerk.errors import InputError, InputErrors
from kurswerk.load import MAX_FILE_BYTES, load_catalogue, load_file, load_sector
from kurswerk.model import Module

DATA = Path(__file__).parent / "data"
EXPECTED = yaml.safe_load((DATA / "bad" / "expected.yml").read_text(encoding="utf-8"))


def errors_of(path: Path) -> list[InputError]:
    with pytest.raises(InputError) as caught:
        load_file(path, Module)
    error = caught.value
    return error.errors if isinstance(error, InputErrors) else [error]


def test_good_module_loads() -> None:
    module = load_file(DATA / "good" / "module.yml", Module)
    assert module.id == "telefonat"
    assert module.vocabulary[1].forms == "misst – maß – hat gemessen"
    assert module.scenario.steps[2].speech_register == "informal"


def test_every_bad_file_is_in_the_table() -> None:
    files = {path.name for path in (DATA / "bad").glob("*.yml")} - {"expected.yml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_expected_error(name: str) -> None:
    expected = EXPECTED[name]
    errors = errors_of(DATA / "bad" / name)
    matching = [e for e in errors if e.code == expected["code"] and expected["message"] in e.message]
    assert matching, f"{name}: got {[str(e) for e in errors]}"
    error = matching[0]
    assert error.location.line == expected["line"]
    assert error.location.key_path == expected["key"]
    assert str(error).startswith(f"{error.location.file}:{expected['line']}")
    assert name in str(error.location.file)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gross.yml"
    path.write_text("# big\nsummary: " + "x" * (MAX_FILE_BYTES + 10) + "\n", encoding="utf-8")
    [error] = errors_of(path)
    assert error.code == "E-SIZE"
    assert "höchstens" in error.message


def test_sector_collects_errors_of_all_files(tmp_path: Path) -> None:
    sector = tmp_path / "kurs"
    (sector / "modules").mkdir(parents=True)
    (sector / "modules" / "falsch.yml").write_text((DATA / "bad" / "wrong-type.yml").read_text(encoding="utf-8"))
    (sector / "sector.yml").write_text("id: kurs\nname: [\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_sector(sector)
    codes = sorted(error.code for error in caught.value.errors)
    assert codes == ["E-SCHEMA", "E-YAML"]


def test_file_name_must_match_id(tmp_path: Path) -> None:
    sector = tmp_path / "kurs"
    (sector / "modules").mkdir(parents=True)
    (sector / "modules" / "anders.yml").write_text((DATA / "good" / "module.yml").read_text(encoding="utf-8"))
    with pytest.raises(InputErrors) as caught:
        load_sector(sector)
    assert any(e.code == "E-ID" and "anders.yml" in e.message for e in caught.value.errors)


def test_empty_curricula_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="enthält keine Branche"):
        load_catalogue(tmp_path)
