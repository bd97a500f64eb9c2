"""Courses a group can take: one track per group level in every sector, checked with file and line,
and shown on the sector page of a real build as one table per track."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import ROOT, copy_fixture_curricula
from kurswerk.check import format_line, run_checks
from kurswerk.check.tracks import track_problems
from kurswerk.load import load_sector
from kurswerk.model import level_rank

SHIPPED = ROOT / "curricula"
SHIPPED_SECTORS = sorted(path.parent.name for path in SHIPPED.glob("*/sector.yml"))
KURSWERK = Path(sys.executable).with_name("kurswerk")


# --- the shipped sectors ---------------------------------------------------------------------------


def test_all_eight_sectors_are_there() -> None:
    assert len(SHIPPED_SECTORS) == 8


@pytest.mark.parametrize("sector_id", SHIPPED_SECTORS)
def test_every_shipped_sector_has_level_homogeneous_tracks(sector_id: str) -> None:
    curriculum = load_sector(SHIPPED / sector_id, drafts=False)
    modules = {module.id: module for module in curriculum.modules}
    tracks = curriculum.sector.course.tracks
    assert tracks
    for track in tracks:
        start, end = level_rank(track.from_level), level_rank(track.to_level)
        assert 0 <= end - start <= 1, f"{track.id}: {track.band} is no band one group can take"
        levels = [level_rank(modules[module_id].level) for module_id in track.modules]
        assert all(start <= level <= end for level in levels), track.id
        assert levels == sorted(levels), f"{track.id} goes down in level"
        assert len(set(track.modules)) == len(track.modules), track.id
        assert curriculum.track_units(track) == sum(modules[module_id].duration_ue for module_id in track.modules)
        assert track.heading.startswith(f"Kurs {track.band}: ") and not track.title.startswith("Kurs")
    # Every module is in a track; no track runs from A2 to B2.
    assert set(curriculum.sector.course.module_ids) == set(modules)
    assert not any({"A2", "B2"} <= {modules[module_id].level for module_id in track.modules} for track in tracks)
    if {"A2", "B2"} <= {module.level for module in modules.values()}:
        assert len(tracks) >= 2
    assert list(track_problems(curriculum)) == []
    # The book orders the modules by their first appearance in the tracks.
    assert [module.id for module in curriculum.ordered_modules] == curriculum.sector.course.module_ids


def test_shipped_curricula_have_no_course_findings() -> None:
    findings = [finding for finding in run_checks(SHIPPED)
                if finding.code.startswith("E-TRACK") or finding.key_path.startswith("course")]
    assert findings == []


# --- bad tracks are check errors with file and line --------------------------------------------------


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """Return the 1-based number of the line holding ``fragment`` for the ``occurrence``-th time."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return hits[occurrence - 1]


Edit = Callable[[str], str]
CASES: list[tuple[str, Edit, str, str, tuple[str, int], str]] = [
    # name, edit of sector.yml, code, key path, (fragment, occurrence) of the line, words of the message
    ("goes down", lambda text: text.replace("      to_level: B1\n      modules: [wareneingang",
                                            "      to_level: A2\n      modules: [wareneingang"),
     "E-TRACK-BAND", "course.tracks[1].to_level", ("to_level: A2", 1), "führt abwärts"),
    ("spans A2 to B2", lambda text: text.replace("to_level: B1", "to_level: B2", 1),
     "E-TRACK-BAND", "course.tracks[0].to_level", ("to_level: B2", 1), "A2 → B1 und B1 → B2"),
    ("module below the band", lambda text: text.replace("modules: [wareneingang, schichtwechsel]",
                                                        "modules: [kommissionieren, wareneingang, schichtwechsel]"),
     "E-TRACK-LEVEL", "course.tracks[1].modules[0]", ("modules: [kommissionieren", 2), "auf Niveau A2"),
    ("level goes back", lambda text: text.replace("modules: [kommissionieren, wareneingang, schichtwechsel]",
                                                  "modules: [wareneingang, kommissionieren, schichtwechsel]"),
     "E-TRACK-ORDER", "course.tracks[0].modules[1]", ("modules: [wareneingang, kommissionieren", 1),
     "geht das Niveau zurück"),
    ("module twice", lambda text: text.replace("modules: [wareneingang, schichtwechsel]",
                                               "modules: [wareneingang, schichtwechsel, wareneingang]"),
     "E-DUPLICATE-ID", "course.tracks[1].modules[2]", ("schichtwechsel, wareneingang]", 1), "zweimal"),
    ("unknown module", lambda text: text.replace("modules: [wareneingang, schichtwechsel]",
                                                 "modules: [wareneingang, schichtwechse]"),
     "E-REFERENCE", "course.tracks[1].modules[1]", ("schichtwechse]", 1), "meinten Sie „schichtwechsel“"),
    ("one sequence as before", lambda text: text[:text.index("course:")] + (
        "course:\n  level: B1\n  modules: [kommissionieren, wareneingang, schichtwechsel]\n  teaching_units: 12\n"
    ) + text[text.index("sources:"):],
     "E-SCHEMA", "course", ("course:", 1), "unter „tracks“"),
]


@pytest.mark.parametrize(("edit", "code", "key_path", "where", "words"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_bad_track_is_an_error_with_file_and_line(tmp_path: Path, edit: Edit, code: str, key_path: str,
                                                    where: tuple[str, int], words: str) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    sector_file = curricula / "lager" / "sector.yml"
    text = edit(sector_file.read_text(encoding="utf-8"))
    sector_file.write_text(text, encoding="utf-8")
    findings = run_checks(curricula)
    assert [(finding.code, finding.severity) for finding in findings] == [(code, "error")], \
        "\n".join(map(str, findings))
    [finding] = findings
    assert Path(finding.file).resolve() == sector_file.resolve()
    assert finding.line == line_of(text, *where)
    assert finding.key_path == key_path
    assert words in finding.message
    assert format_line(finding).startswith(f"{finding.file}:{finding.line}:")


def test_a_module_in_no_track_is_an_error_in_its_own_file(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    sector_file = curricula / "lager" / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace(", schichtwechsel]", "]"),
                           encoding="utf-8")
    [finding] = run_checks(curricula)
    module_file = curricula / "lager" / "modules" / "schichtwechsel.yml"
    assert (finding.code, finding.severity, finding.key_path) == ("E-TRACK-MISSING", "error", "id")
    assert Path(finding.file).resolve() == module_file.resolve()
    assert finding.line == line_of(module_file.read_text(encoding="utf-8"), "id: schichtwechsel")
    assert "„schichtwechsel“" in finding.message and "„a2-b1“ oder „b1“" in finding.message
    # A module still in progress may wait for its track: the same finding is a warning of the draft.
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(text.replace("\ntitle:", "\ndraft: true\ntitle:", 1), encoding="utf-8")
    [finding] = run_checks(curricula)
    assert (finding.code, finding.severity) == ("E-TRACK-MISSING", "warning")


def test_a_draft_module_leaves_its_tracks_and_their_units(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    module_file = curricula / "lager" / "modules" / "wareneingang.yml"
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(text.replace("\ntitle:", "\ndraft: true\ntitle:", 1), encoding="utf-8")
    every = load_sector(curricula / "lager")
    assert [every.track_units(track) for track in every.sector.course.tracks] == [12, 8]
    published = load_sector(curricula / "lager", drafts=False)
    assert [track.modules for track in published.sector.course.tracks] == [["kommissionieren", "schichtwechsel"],
                                                                          ["schichtwechsel"]]
    assert [published.track_units(track) for track in published.sector.course.tracks] == [8, 4]


# --- the sector page ---------------------------------------------------------------------------------


def track_tables(page: Path) -> dict[str, list[list[str]]]:
    """Return each track heading of the „Kursaufbau“ section with the rows of its table (cell texts)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    section = soup.find("section", id="kursaufbau")
    assert isinstance(section, Tag)
    tables = {}
    for part in section.find_all("section"):
        heading = part.find("h3")
        table = part.find("table")
        assert isinstance(heading, Tag) and isinstance(table, Tag)
        rows = [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]
        tables[heading.get_text(" ", strip=True).rstrip("#").strip()] = rows
    return tables


@pytest.mark.slow
def test_the_built_sector_page_shows_one_table_per_track(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    build = tmp_path / "build"
    result = subprocess.run([str(KURSWERK), "build", "--root", str(ROOT), "--curricula", str(curricula),
                             "--build-dir", str(build), "--edition", "public", "--no-pdf", "-q", "-j", "2"],
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    tables = track_tables(build / "html" / "lager" / "index.html")
    header = ["Modul", "Niveau", "UE"]
    assert tables == {
        "Kurs A2 → B1: Ankommen im Lager": [
            header, ["Einen Auftrag zusammenstellen", "A2", "4"], ["Ware annehmen und prüfen", "B1", "4"],
            ["Die Schicht übergeben", "B1", "4"], ["Summe", "", "12"]],
        "Kurs B1: Wareneingang und Schichtwechsel": [
            header, ["Ware annehmen und prüfen", "B1", "4"], ["Die Schicht übergeben", "B1", "4"], ["Summe", "", "8"]],
    }
    # Each module title links to its page.
    soup = BeautifulSoup((build / "html" / "lager" / "index.html").read_text(encoding="utf-8"), "lxml")
    section = soup.find("section", id="kursaufbau")
    assert isinstance(section, Tag)
    links = [link["href"] for link in section.select("table a.reference.internal")]
    assert links == ["kommissionieren.html#lager-kommissionieren", "wareneingang.html#lager-wareneingang",
                     "schichtwechsel.html#lager-schichtwechsel", "wareneingang.html#lager-wareneingang",
                     "schichtwechsel.html#lager-schichtwechsel"]
