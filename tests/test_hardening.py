"""Inputs that used to crash, hang or leak: deep nesting, FIFOs, devices, links out of the project,
huge numbers, invisible titles, bidi overrides, device names, reserved and clashing ids, paths as
command arguments. Each runs the real ``kurswerk`` command in a subprocess with a wall-clock bound.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kurswerk.errors import InputError
from kurswerk.load import load_file, read_yaml
from kurswerk.model import Module

ROOT = Path(__file__).resolve().parents[1]
KURSWERK = Path(sys.executable).with_name("kurswerk")
FIXTURE = ROOT / "tests" / "data" / "check" / "good"
GOOD_MODULE = ROOT / "tests" / "data" / "good" / "module.yml"
YAML_SAFE = YAML(typ="safe")


def check(curricula: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KURSWERK), "check", "--curricula", str(curricula)], capture_output=True, text=True,
                          timeout=timeout, check=False, cwd=ROOT)


@pytest.fixture
def curricula(tmp_path: Path) -> Path:
    target = tmp_path / "curricula"
    shutil.copytree(FIXTURE, target)
    return target


def a_module_folder(curricula: Path) -> Path:
    return next(path for path in sorted(curricula.glob("*/modules")) if path.is_dir())


@pytest.mark.parametrize("text", [
    "title: " + "[" * 32_000 + "]" * 32_000 + "\n",
    "title: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n",
    "title:\n" + "".join("  " * depth + "- \n" for depth in range(300)),
    "title: " + "- " * 200_000 + "x\n",
], ids=["flow-lists", "flow-maps", "block-lists", "dash-chain"])
def test_deep_nesting_is_refused_quickly(curricula: Path, text: str) -> None:
    (a_module_folder(curricula) / "tief.yml").write_text(text, encoding="utf-8")
    result = check(curricula, timeout=30)
    assert result.returncode == 2, result.stderr[-500:]
    assert "Traceback" not in result.stderr and "tief.yml" in result.stdout
    assert "E-YAML" in result.stdout


def test_fifo_device_and_links_out_of_the_project_are_refused(curricula: Path, tmp_path: Path) -> None:
    modules = a_module_folder(curricula)
    os.mkfifo(modules / "pipe.yml")
    (modules / "null.yml").symlink_to("/dev/zero")
    secret = tmp_path / "zugangsdaten.yml"
    secret.write_text("passwort: Geheimwortxyz\n", encoding="utf-8")
    (modules / "link.yml").symlink_to(secret)
    (modules / "passwd.yml").symlink_to("/etc/passwd")
    result = check(curricula, timeout=60)
    assert result.returncode == 2
    for name in ("pipe.yml", "null.yml", "link.yml", "passwd.yml"):
        [line] = [line for line in result.stdout.splitlines() if f"/{name}:" in line]
        assert "E-READ" in line, line
    assert "benannte Pipe" in result.stdout and "außerhalb" in result.stdout
    assert "Geheimwortxyz" not in result.stdout + result.stderr
    assert "root:" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_link_inside_the_project_is_read(curricula: Path) -> None:
    modules = a_module_folder(curricula)
    original = next(modules.glob("*.yml"))
    shutil.move(original, curricula / "abgelegt.yml")
    (modules / original.name).symlink_to(curricula / "abgelegt.yml")
    result = check(curricula)
    assert "E-READ" not in result.stdout, result.stdout


def test_oversized_file_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "c" / "s" / "modules" / "gross.yml"
    big.parent.mkdir(parents=True)
    with big.open("wb") as handle:
        handle.truncate(3_000_000_000)  # sparse: 3 GB that take no disk
    with pytest.raises(InputError, match="höchstens") as caught:
        read_yaml(big)
    assert caught.value.code == "E-SIZE"


def module_text(**changes: str) -> str:
    text = GOOD_MODULE.read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old.replace("_", " ") in text or old in text
        text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize(("old", "new", "words"), [
    ("duration_ue: 2", "duration_ue: " + "9" * 5000, "Wert"),
    ("title: Ein Telefonat mit der Ärztin", "title: \"\u200b\u200b \"", "sichtbaren"),
    ("title: Ein Telefonat mit der Ärztin", "title: \"   \"", "sichtbaren"),
    ("title: Ein Telefonat mit der Ärztin", "title: Ein Telefonat \u202emit der Ärztin", "Richtungszeichen"),
    ("id: telefonat", "id: con", "Gerätename"),
    ("id: telefonat", "id: nul", "Gerätename"),
])
def test_bad_values_get_a_german_message(tmp_path: Path, old: str, new: str, words: str) -> None:
    path = tmp_path / "c" / "s" / "modules" / "telefonat.yml"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD_MODULE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_file(path, Module)
    assert words in str(caught.value) or any(words in str(each) for each in getattr(caught.value, "errors", []))


def test_reserved_and_clashing_ids_are_found_by_check(curricula: Path) -> None:
    sector = next(path.parent for path in sorted(curricula.glob("*/sector.yml")))
    module = next((sector / "modules").glob("*.yml"))
    text = module.read_text(encoding="utf-8")
    old_id = module.stem
    (sector / "modules" / "glossar.yml").write_text(text.replace(f"id: {old_id}", "id: glossar", 1), encoding="utf-8")
    training = next((sector / "trainings").glob("*.yml"))
    (sector / "trainings" / f"{old_id}.yml").write_text(
        training.read_text(encoding="utf-8").replace(f"id: {training.stem}", f"id: {old_id}", 1), encoding="utf-8")
    result = check(curricula, timeout=300)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert any("modules/glossar.yml" in line and "E-ID" in line for line in lines), result.stdout
    assert any(f"trainings/{old_id}.yml" in line and "E-DUPLICATE-ID" in line for line in lines), result.stdout


def test_a_sector_named_like_another_sectors_module_page_is_found_by_check(curricula: Path) -> None:
    sector = next(path.parent for path in sorted(curricula.glob("*/sector.yml")))
    module_id = next((sector / "modules").glob("*.yml")).stem
    clash = curricula / f"{sector.name}-{module_id}"
    shutil.copytree(sector, clash)
    sector_file = clash / "sector.yml"
    sector_file.write_text(sector_file.read_text(encoding="utf-8").replace(f"id: {sector.name}", f"id: {clash.name}",
                                                                           1), encoding="utf-8")
    result = check(curricula, timeout=300)
    assert result.returncode == 2
    assert any(f"{clash.name}/sector.yml" in line and "E-DUPLICATE-ID" in line
               for line in result.stdout.splitlines()), result.stdout


def test_module_command_takes_no_path_as_sector(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([str(KURSWERK), "module", "../curricula/pflege", "x", "-o", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2 and "keine Kennung" in result.stderr
    assert not out.exists()


nested = st.recursive(st.one_of(st.none(), st.integers(), st.text(max_size=5)),
                      lambda children: st.one_of(st.lists(children, max_size=3),
                                                 st.dictionaries(st.text(max_size=3), children, max_size=3)),
                      max_leaves=20)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(depth=st.integers(min_value=1, max_value=60_000), width=st.integers(min_value=1, max_value=50),
       flow=st.booleans(), leaf=nested)
def test_fuzz_deep_and_wide_yaml_never_crashes(tmp_path_factory: pytest.TempPathFactory, depth: int, width: int,
                                               flow: bool, leaf: object) -> None:
    """Deep and wide documents end in the kit's own error (or load) in a bounded time, in a subprocess."""
    folder = tmp_path_factory.mktemp("fuzz") / "c" / "s" / "modules"
    folder.mkdir(parents=True)
    path = folder / "x.yml"
    inner = repr(leaf).replace("None", "~")
    body = ("[" * depth + ", ".join([inner] * width) + "]" * depth) if flow else ("- " * min(depth, 5000) + "x")
    path.write_text(f"title: {body}\n", encoding="utf-8")
    program = ("import sys; from pathlib import Path; from kurswerk.load import load_file\n"
               "from kurswerk.model import Module; from kurswerk.errors import InputError\n"
               "try:\n    load_file(Path(sys.argv[1]), Module)\nexcept InputError as error:\n    print(error.code)\n")
    result = subprocess.run([sys.executable, "-c", program, str(path)], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr[-800:]
    assert "Traceback" not in result.stderr


def test_charts_use_the_projects_style_not_the_kits(tmp_path: Path) -> None:
    """The profile notebook gets the project's mplstyle, and the company handout uses the one beside its template."""
    import io
    import zipfile

    import matplotlib.image

    from kurswerk.load import load_sector
    from kurswerk.packets import plan_parts
    from kurswerk.plan import Project, profile_target
    from kurswerk.render.docx import write_part
    from kurswerk.render.figures import chart_png, data_folder

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    style = templates / "kurswerk.mplstyle"
    style.write_text(style.read_text(encoding="utf-8") + "\nfigure.facecolor: ff00ff\n", encoding="utf-8")
    curriculum = load_sector(ROOT / "curricula" / "pflege")

    def corner(png: bytes) -> tuple[float, ...]:
        return tuple(round(float(value), 2) for value in matplotlib.image.imread(io.BytesIO(png))[2, 2][:3])

    chart = curriculum.sector.charts[0]
    assert corner(chart_png(chart, data_folder(curriculum), "screen", style)) == (1.0, 0.0, 1.0)
    assert corner(chart_png(chart, data_folder(curriculum), "screen")) != (1.0, 0.0, 1.0)
    project = Project.at(tmp_path, curricula=ROOT / "curricula", build=tmp_path / "build")
    assert profile_target(project, curriculum).parameters["style"] == str(project.templates / "kurswerk.mplstyle")
    company = next(part for part in plan_parts(curriculum, "public") if part.kind == "company")
    written = write_part(curriculum, company, tmp_path, templates / "handout.docx")
    with zipfile.ZipFile(written) as package:
        images = [name for name in package.namelist() if name.startswith("word/media/")]
        assert images and corner(package.read(images[0])) == (1.0, 0.0, 1.0)


def test_check_finds_missing_or_broken_chart_data_before_the_build(curricula: Path) -> None:
    shutil.copytree(ROOT / "curricula" / "data", curricula / "data")
    sector = next(path for path in sorted(curricula.glob("*/sector.yml")))
    # The fixture sector has no figure of its own; here the skills-gap table gets one row for it.
    sources_file = curricula / "data" / "sources.yml"
    sources = YAML_SAFE.load(sources_file.read_text(encoding="utf-8"))
    chart, row = "fachkraefteluecke", "Maschinenbau- und Betriebstechnik"
    sources[chart]["sectors"][row] = [sector.parent.name]
    with sources_file.open("w", encoding="utf-8") as handle:
        YAML_SAFE.dump(sources, handle)
    text = sector.read_text(encoding="utf-8")
    assert "charts: []" in text
    sector.write_text(text.replace("charts: []", f"charts:\n  - chart: {chart}\n    highlight: [{row}]"), encoding="utf-8")
    data_file = curricula / "data" / sources[chart]["file"]
    assert check(curricula).returncode == 0
    data_file.write_bytes(b"\xff\xfe kaputt")
    result = check(curricula)
    assert result.returncode == 2 and "E-DATA-MISSING" in result.stdout and "sector.yml:" in result.stdout
    data_file.unlink()
    result = check(curricula)
    assert result.returncode == 2 and "E-DATA-MISSING" in result.stdout and "Traceback" not in result.stderr


def test_chart_alt_text_with_quotes_and_hash_stays_text() -> None:
    from kurswerk.render.markdown_text import quoted_option

    value = '"Zitat" am Anfang #1: Werte \\ und mehr'
    from myst_parser.parsers.options import options_to_items

    items, _ = options_to_items(f"alt: {quoted_option(value)}")
    assert items == [("alt", value)]
