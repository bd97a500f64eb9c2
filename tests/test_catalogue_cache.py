"""The build keeps its loaded catalogue while the curricula stay the same, and loads afresh on any change."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

import kurswerk.catalogue_cache as kept_module
from conftest import copy_fixture_curricula
from kurswerk.catalogue_cache import load_catalogue_kept
from kurswerk.errors import InputErrors


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real load of a catalogue (the folder it read)."""
    seen: list[Path] = []
    real = kept_module.load_catalogue

    def counting(root: Path, only: list[str] | None = None, drafts: bool = True, **load):  # type: ignore[no-untyped-def]
        seen.append(root)
        return real(root, only, drafts=drafts, **load)

    monkeypatch.setattr(kept_module, "load_catalogue", counting)
    return seen


def test_the_same_curricula_are_loaded_once_and_a_change_loads_them_again(tmp_path: Path, loads: list[Path]) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    kept = tmp_path / "work" / "catalogue.pickle"
    first = load_catalogue_kept(curricula, None, False, kept)
    again = load_catalogue_kept(curricula, None, False, kept)
    assert len(loads) == 1 and kept.is_file()
    assert again == first and again is not first
    module = curricula / "lager" / "modules" / "schichtwechsel.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Spätschicht", "Nachtschicht", 1), encoding="utf-8")
    edited = load_catalogue_kept(curricula, None, False, kept)
    assert len(loads) == 2 and edited != first
    assert "Nachtschicht" in edited.model_dump_json()
    load_catalogue_kept(curricula, None, True, kept)
    assert len(loads) == 3, "another drafts setting is another load"
    load_catalogue_kept(curricula, ["lager"], True, kept)
    assert len(loads) == 4, "another choice of sectors is another load"


@pytest.fixture
def sector_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every sector folder read from its YAML files (its name)."""
    seen: list[str] = []
    real = kept_module.load_sector

    def counting(folder: Path, drafts: bool = True):  # type: ignore[no-untyped-def]
        seen.append(folder.name)
        return real(folder, drafts)

    monkeypatch.setattr(kept_module, "load_sector", counting)
    return seen


def test_an_edit_reads_again_only_the_sector_it_changed(tmp_path: Path, loads: list[Path],
                                                        sector_loads: list[str]) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    shutil.copytree(curricula / "lager", curricula / "zweitlager")
    sector_file = curricula / "zweitlager" / "sector.yml"
    sector_file.write_text(re.sub(r"^id: .*$", "id: zweitlager", sector_file.read_text(encoding="utf-8"), count=1,
                                  flags=re.M), encoding="utf-8")
    sectors = ["lager", "zweitlager"]
    kept = tmp_path / "work" / "catalogue.pickle"
    first = load_catalogue_kept(curricula, None, False, kept)
    assert sorted(sector_loads) == sectors
    module = curricula / "lager" / "modules" / "schichtwechsel.yml"
    module.write_text(module.read_text(encoding="utf-8").replace("Spätschicht", "Nachtschicht", 1), encoding="utf-8")
    edited = load_catalogue_kept(curricula, None, False, kept)
    assert sector_loads[len(sectors):] == ["lager"], "the other sectors come from the kept file"
    assert [s.sector.id for s in edited.sectors] == [s.sector.id for s in first.sectors]
    assert "Nachtschicht" in edited.model_dump_json() and edited != first
    fresh = kept_module.load_catalogue(curricula, None, drafts=False)
    assert edited == fresh, "the kept sectors and the one read again make the catalogue a full load makes"
    (curricula / "programm.yml").write_text((curricula / "programm.yml").read_text(encoding="utf-8") + "\n",
                                            encoding="utf-8")
    load_catalogue_kept(curricula, None, False, kept)
    assert sector_loads[len(sectors) + 1:] == [], "a file outside every sector folder reads no sector again"
    load_catalogue_kept(curricula, None, True, kept)
    assert sorted(sector_loads[len(sectors) + 1:]) == sectors, "another drafts setting reads every sector"


def test_a_failed_load_is_never_kept(tmp_path: Path, loads: list[Path]) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    kept = tmp_path / "work" / "catalogue.pickle"
    load_catalogue_kept(curricula, None, False, kept)
    sector = curricula / "lager" / "sector.yml"
    good = sector.read_text(encoding="utf-8")
    sector.write_text(good + "\n  falsch: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputErrors):
            load_catalogue_kept(curricula, None, False, kept)
    assert len(loads) == 3, "a broken file is read and reported each time"
    sector.write_text(good, encoding="utf-8")
    load_catalogue_kept(curricula, None, False, kept)
    assert len(loads) == 3, "the same good files as before: the catalogue kept from them"


def test_a_folder_with_a_link_is_always_loaded_afresh(tmp_path: Path, loads: list[Path]) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    os.symlink(curricula / "programm.yml", curricula / "verweis.yml")
    kept = tmp_path / "work" / "catalogue.pickle"
    for _ in range(2):
        load_catalogue_kept(curricula, None, False, kept)
    assert len(loads) == 2 and not kept.exists()


def test_a_damaged_kept_file_is_loaded_over(tmp_path: Path, loads: list[Path]) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    kept = tmp_path / "work" / "catalogue.pickle"
    first = load_catalogue_kept(curricula, None, False, kept)
    kept.write_bytes(b"not a pickle")
    assert load_catalogue_kept(curricula, None, False, kept) == first
    assert len(loads) == 2 and load_catalogue_kept(curricula, None, False, kept) == first and len(loads) == 2
