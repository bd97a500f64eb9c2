"""The build plan: which targets exist, and that a target's digest changes exactly when one of its inputs does.

Runs the planner alone (no kernels, no Sphinx) on a private copy of the fixture curriculum and of the
project's templates, editing one input at a time.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import kurswerk.plan
from conftest import ROOT, copy_fixture_curricula
from kurswerk.load import load_catalogue
from kurswerk.plan import Manifest, Project, Target, plan_build

MODULES = ("kommissionieren", "schichtwechsel", "wareneingang")
TRAINING = "vielfalt-im-lager"


def planned(project: Project, editions: tuple[str, ...] = ("public", "trainer")) -> list[Target]:
    return plan_build(project, load_catalogue(project.curricula), editions, pdf=False)  # type: ignore[arg-type]


def of_item(ids: set[str], item: str) -> set[str]:
    """The targets of one module or training: its page in each edition and its handouts."""
    return {target for target in ids if target.split(":")[-1] == item or target.split(":")[-1].startswith(f"{item}-")}


@pytest.fixture()
def project(tmp_path: Path) -> Project:
    root = tmp_path / "root"
    for name in ("modules", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    return Project.at(root, curricula=copy_fixture_curricula(tmp_path / "curricula"), build=tmp_path / "build")


def digests(project: Project) -> dict[str, str]:
    return {target.id: target.digest for target in planned(project)}


@pytest.fixture()
def groups(project: Project) -> dict[str, set[str]]:
    """The fixture's targets in groups: each module's and the training's, the sector-wide handouts, all."""
    every = set(digests(project))
    items = {item: of_item(every, item) for item in (*MODULES, TRAINING)}
    sector_wide = every - {"lager:profil"} - set().union(*items.values())
    handouts = {target for target in every if target.count(":") == 2 and "." in target.rsplit(":", 1)[1]}
    return {**items, "sector-wide": sector_wide, "every": every, "handouts": handouts,
            "pages": {target for target in every if target not in handouts}}


def test_targets_of_the_fixture(project: Project, groups: dict[str, set[str]]) -> None:
    targets = planned(project)
    assert len(targets) == len(groups["every"]), "no target twice"
    assert targets[0].id == "lager:profil" and targets[0].shared
    for item in (*MODULES, TRAINING):
        assert {f"public:lager:{item}", f"trainer:lager:{item}"} <= groups[item], item
    for module in MODULES:
        assert {f"public:lager:{module}-1-input.docx", f"trainer:lager:{module}-3-karten.docx",
                f"trainer:lager:{module}-4-lehrkraft.docx"} <= groups[module]
    assert {"public:lager:glossar.docx", "public:lager:unternehmen.docx"} <= groups["sector-wide"]
    by_id = {target.id: target for target in targets}
    book, handouts = project.book_dir("trainer") / "lager", project.work / "handouts" / "public" / "lager"
    assert by_id["trainer:lager:schichtwechsel"].output == str(book / "schichtwechsel.ipynb")
    assert by_id["public:lager:glossar.docx"].output == str(handouts / "glossar.docx")
    assert by_id["public:lager:kommissionieren"].parameters["module"] == "kommissionieren"
    assert by_id["public:lager:vielfalt-im-lager"].parameters["training"] == TRAINING
    assert planned(project, ()) == []
    assert {target.id for target in planned(project, ("public",))} == {
        target for target in groups["every"] if not target.startswith("trainer:")}


NOTEBOOKS = {f"{edition}:lager:{item}" for edition in ("public", "trainer") for item in MODULES}
EDITS: dict[str, tuple[Callable[[Project], Path], bytes, Callable[[dict[str, set[str]]], set[str]]]] = {
    "module": (lambda p: p.curricula / "lager" / "modules" / "schichtwechsel.yml", b"\n# x\n",
               lambda g: g["schichtwechsel"]),
    "training": (lambda p: p.curricula / "lager" / "trainings" / f"{TRAINING}.yml", b"\n# x\n",
                 lambda g: g[TRAINING] | g["sector-wide"]),
    "glossary": (lambda p: p.curricula / "lager" / "glossary.yml", b"\n# x\n", lambda g: g["sector-wide"]),
    "sector": (lambda p: p.curricula / "lager" / "sector.yml", b"\n# x\n", lambda g: g["every"]),
    "translations": (lambda p: p.curricula / "lager" / "uebersetzungen" / "en.yml", b"\n# x\n",
                     lambda g: g["every"] - {"lager:profil"}),
    "sector word list": (lambda p: p.curricula / "lager" / "wortliste.txt", b"\nWort\n", lambda g: set()),
    "word list": (lambda p: p.curricula / "wortliste.txt", b"\nWort\n", lambda g: set()),
    "data CSV": (lambda p: next((p.curricula / "data").glob("*.csv")), b"\n",
                 lambda g: {"lager:profil"} | g["sector-wide"]),
    "data sources": (lambda p: p.curricula / "data" / "sources.yml", b"\n# x\n",
                     lambda g: {"lager:profil"} | g["sector-wide"]),
    "module notebook": (lambda p: p.modules / "daa_szenario.ipynb", b"\n", lambda g: NOTEBOOKS),
    "training notebook": (lambda p: p.modules / "ikoe_training.ipynb", b"\n",
                          lambda g: {f"public:lager:{TRAINING}", f"trainer:lager:{TRAINING}"}),
    "profile notebook": (lambda p: p.modules / "sektor_profil.ipynb", b"\n", lambda g: {"lager:profil"}),
    "handout template": (lambda p: p.templates / "handout.docx", b"\0", lambda g: g["handouts"]),
    "mplstyle": (lambda p: p.templates / "kurswerk.mplstyle", b"\n# x\n",
                 lambda g: {"lager:profil"} | g["sector-wide"]),
    "book static file": (lambda p: p.templates / "book" / "_static" / "kurswerk.css", b"\n/* x */\n",
                         lambda g: set()),
    "_config.yml": (lambda p: p.root / "_config.yml", b"\n# x\n", lambda g: set()),
}


@pytest.fixture()
def edited(project: Project) -> Iterator[Callable[[str], set[str]]]:
    """Edit one input by name; returns the ids whose digest changed (the file is restored afterwards)."""
    restore: list[tuple[Path, bytes]] = []

    def edit(name: str) -> set[str]:
        locate, addition, _ = EDITS[name]
        path = locate(project)
        before = digests(project)
        restore.append((path, path.read_bytes()))
        path.write_bytes(path.read_bytes() + addition)
        after = digests(project)
        return {target for target in after if after[target] != before.get(target)}

    yield edit
    for path, data in reversed(restore):
        path.write_bytes(data)


SCHICHTWECHSEL = ("lager", "modules", "schichtwechsel.yml")
SECTOR_WIDE = {"glossary": "glossar.docx", "company": "unternehmen.docx", "word lists": "wortliste-"}
CONTENT_EDITS: dict[str, tuple[str, str, set[str]]] = {
    "dialogue line": ("text: Welche denn?", "text: Welche Aufträge denn?", set()),
    "can-do statement": ("can_do:\n  - ", "can_do:\n  - Ich kann jetzt ", set()),
    "vocabulary definition": ("definition: Ein Fahrzeug, das Paletten hebt.",
                              "definition: Ein Fahrzeug, das Paletten hebt und trägt.", {"glossary", "word lists"}),
    "phrase": ("text: Die Bremse quietscht.", "text: Die Bremse quietscht laut.", {"company"}),
    "module title": ("title: Die Schicht übergeben", "title: Die Schicht an die Spätschicht übergeben",
                     {*SECTOR_WIDE, "sector profile"}),
}
"""Module edit → which sector-wide handouts show what changed (besides the module's own targets)."""


@pytest.mark.parametrize("name", list(CONTENT_EDITS))
def test_a_module_edit_rebuilds_the_sector_wide_handouts_only_where_they_show_it(
        project: Project, groups: dict[str, set[str]], name: str) -> None:
    old, new, shown = CONTENT_EDITS[name]
    path = project.curricula.joinpath(*SCHICHTWECHSEL)
    before = digests(project)
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    after = digests(project)
    changed = {target for target in after if after[target] != before[target]}
    expected = {target for target in groups["sector-wide"]
                if any(target.split(":")[-1].startswith(SECTOR_WIDE[kind]) for kind in shown if kind in SECTOR_WIDE)}
    expected |= {"lager:profil"} if "sector profile" in shown else set()
    assert changed - groups["schichtwechsel"] == expected
    assert {"public:lager:schichtwechsel", "trainer:lager:schichtwechsel"} <= changed


@pytest.mark.parametrize("name", list(EDITS))
def test_a_digest_changes_exactly_when_an_input_changes(project: Project, groups: dict[str, set[str]],
                                                        edited: Callable[[str], set[str]], name: str) -> None:
    assert edited(name) == EDITS[name][2](groups)


def test_a_reverted_edit_gives_the_same_digests(project: Project) -> None:
    before = digests(project)
    path = project.curricula / "lager" / "glossary.yml"
    original = path.read_bytes()
    path.write_bytes(original + b"\n# x\n")
    assert digests(project) != before
    path.write_bytes(original)
    assert digests(project) == before


def test_kurswerk_code_changes_every_digest(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    before = digests(project)
    monkeypatch.setattr(kurswerk.plan, "code_fingerprint", lambda: "another version")
    after = digests(project)
    assert set(after) == set(before) and all(after[target] != before[target] for target in after)


def drop_from_course(project: Project, module: str) -> None:
    """Take a module out of every track of the fixture's ``sector.yml`` (flow lists, never its last item)."""
    sector = project.curricula / "lager" / "sector.yml"
    text = sector.read_text(encoding="utf-8")
    sector.write_text(text.replace(f"{module}, ", ""), encoding="utf-8")


def test_deleting_and_renaming_a_module(project: Project, groups: dict[str, set[str]]) -> None:
    before = digests(project)
    modules = project.curricula / "lager" / "modules"
    (modules / "wareneingang.yml").unlink()
    drop_from_course(project, "wareneingang")
    after = digests(project)
    assert set(before) - set(after) == groups["wareneingang"] and set(after) <= set(before)
    assert all(after[target] != before[target] for target in after), "the sector changed: everything is redone"
    text = (modules / "schichtwechsel.yml").read_text(encoding="utf-8")
    (modules / "schichtwechsel.yml").unlink()
    (modules / "uebergabe.yml").write_text(text.replace("id: schichtwechsel", "id: uebergabe"), encoding="utf-8")
    sector = project.curricula / "lager" / "sector.yml"
    sector.write_text(sector.read_text(encoding="utf-8").replace("schichtwechsel]", "uebergabe]"), encoding="utf-8")
    renamed = digests(project)
    assert set(after) - set(renamed) == groups["schichtwechsel"]
    assert set(renamed) - set(after) == {t.replace("schichtwechsel", "uebergabe") for t in groups["schichtwechsel"]}


def test_the_manifest_records_forgets_and_survives_a_broken_file(project: Project) -> None:
    [target] = [t for t in planned(project, ("public",)) if t.id == "public:lager:glossar.docx"]
    manifest = Manifest(project.work / "manifest.json")
    assert not manifest.is_current(target)
    manifest.record(target)
    assert not manifest.is_current(target), "not current while the output file is missing"
    Path(target.output).parent.mkdir(parents=True)
    Path(target.output).write_bytes(b"docx")
    assert manifest.is_current(target)
    manifest.save()
    assert Manifest(project.work / "manifest.json").is_current(target)
    manifest.forget(target.id)
    assert not manifest.is_current(target)
    (project.work / "manifest.json").write_text("{kaputt", encoding="utf-8")
    assert Manifest(project.work / "manifest.json").digests == {}
