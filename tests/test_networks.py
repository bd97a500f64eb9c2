"""Programme data in one file and regional networks as data.

Real loads of the shipped ``curricula/programm.yml`` and ``curricula/netzwerke/*.yml``, ``kurswerk
check`` findings with file, line and key path, company handouts written and read back with
python-docx, and real builds (DOCX only) of the fixture curriculum in which an edit of the funding
phase reaches every output that shows it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import ROOT, copy_fixture_curricula
from kurswerk.build import build
from kurswerk.check.run import run_checks
from kurswerk.load import load_catalogue, load_sector
from kurswerk.packets import plan_parts
from kurswerk.plan import Project, plan_build
from kurswerk.programme import OFFICE_KINDS, load_network, load_networks, load_programme
from kurswerk.render.docx import TEMPLATE, write_part

CURRICULA = ROOT / "curricula"
NAMES = re.compile(r"BMAS|ESF|Bundesministerium|Integration durch Qualifizierung|BAMF|Bundesamt für Migration|"
                   r"Sozialfonds|Europäische Union")
SHIPPED = ("bw", "hh", "nrw", "sn")


# --- programme and network files ----------------------------------------------------------------


def test_shipped_programme_holds_names_phase_and_funders() -> None:
    programme = load_programme(CURRICULA)
    assert programme is not None
    assert "Integration durch Qualifizierung" in programme.name
    assert {funder.short for funder in programme.funders} == {"BMAS", "ESF Plus"}
    assert programme.administered_by.short == "BAMF"
    assert programme.phase in programme.footer and programme.funding_line in programme.footer
    assert {office.kind for office in programme.national_offers} == set(OFFICE_KINDS)


def test_shipped_networks_have_every_office_kind_sources_and_no_phone_numbers() -> None:
    networks = load_networks(CURRICULA)
    assert [network.id for network in networks] == sorted(SHIPPED)
    lands = (CURRICULA / "data" / "mikrozensus2018_migrationshintergrund_laender.csv").read_text(encoding="utf-8")
    for network in networks:
        assert {office.kind for office in network.offices} == set(OFFICE_KINDS), network.id
        assert network.sources and network.note, network.id
        assert f"\n{network.land}," in lands, network.id
        text = (CURRICULA / "netzwerke" / f"{network.id}.yml").read_text(encoding="utf-8")
        assert not re.search(r"\+49|\b0\d{2,4}[ /-]?\d{4,}", text), network.id
        assert all(office.url.startswith(("https://", "http://")) for office in network.offices)


def test_no_programme_or_funder_name_in_code_templates_or_book_config() -> None:
    # The scaffold of a new sector is curriculum data (it cites the programme as a source) and
    # ``kurswerk new`` copies it into curricula/; the authoring guide explains programm.yml.
    skipped = {ROOT / "templates" / "neuer-sektor", ROOT / "templates" / "book" / "autorenleitfaden.md"}
    hits = []
    for path in [*sorted((ROOT / "src").rglob("*")), *sorted((ROOT / "templates").rglob("*")), ROOT / "_config.yml"]:
        if not path.is_file() or any(path == skip or skip in path.parents for skip in skipped):
            continue
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                text = " ".join(package.read(name).decode("utf-8", "replace") for name in package.namelist()
                                if name.endswith(".xml"))
        elif path.suffix in (".py", ".md", ".yml", ".html", ".css", ".js", ".po", ".txt", ".mplstyle"):
            text = path.read_text(encoding="utf-8")
        else:
            continue
        hits += [f"{path.relative_to(ROOT)}: {match.group()}" for match in NAMES.finditer(text)]
    assert not hits, hits


def test_unknown_network_names_the_shipped_ones() -> None:
    with pytest.raises(Exception) as raised:
        load_network(CURRICULA, "by")
    assert "kein Netzwerk „by“" in str(raised.value) and "nrw" in str(raised.value)


# --- kurswerk check -----------------------------------------------------------------------------


def _curricula_with(tmp_path: Path, files: dict[str, str]) -> Path:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    for name, text in files.items():
        path = curricula / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return curricula


NETWORK = """id: xy
name: IQ Netzwerk Beispiel
land: Hamburg
url: https://example.org
offices:
  - kind: anerkennung
    name: Anerkennungsberatung Beispiel
    url: https://example.org/anerkennung
  - kind: faire-integration
    name: Faire Integration Beispiel
    url: https://example.org/fi
sources:
  - title: Seite des Netzwerks
    url: https://example.org
"""


def test_check_reports_a_network_without_an_office_of_a_required_kind(tmp_path: Path) -> None:
    curricula = _curricula_with(tmp_path, {"netzwerke/xy.yml": NETWORK})
    findings = [f for f in run_checks(curricula) if f.file.endswith("xy.yml")]
    assert [(f.code, f.severity, f.line, f.key_path) for f in findings] == [
        ("E-NETWORK-OFFICE", "error", 5, "offices")]
    assert "Beratung für Unternehmen" in findings[0].message


def test_check_reports_schema_errors_of_network_and_programme_with_line_and_key_path(tmp_path: Path) -> None:
    broken = NETWORK.replace("kind: faire-integration", "kind: fair").replace("id: xy", "id: yz")
    programme = (CURRICULA / "programm.yml").read_text(encoding="utf-8").replace(
        "phase: Förderrunde 2026–2028", "phase: []")
    curricula = _curricula_with(tmp_path, {"netzwerke/xy.yml": broken, "programm.yml": programme})
    findings = {(Path(f.file).name, f.code, f.key_path): f for f in run_checks(curricula)}
    kind = findings[("xy.yml", "E-SCHEMA", "offices[1].kind")]
    assert kind.line == broken.splitlines().index("  - kind: fair") + 1 and "anerkennung" in kind.message
    phase = findings[("programm.yml", "E-SCHEMA", "phase")]
    assert phase.line == programme.splitlines().index("phase: []") + 1


def test_check_reports_a_wrong_network_id_and_a_missing_logo(tmp_path: Path) -> None:
    logo = (NETWORK + "logos:\n  - file: logo.png\n    alt: Logo des Netzwerks Beispiel\n").replace(
        "  - kind: faire-integration", "  - kind: unternehmen\n    name: Betriebe\n    url: https://example.org/b\n"
        "  - kind: faire-integration")
    curricula = _curricula_with(tmp_path, {"netzwerke/xy.yml": logo, "netzwerke/ab.yml": NETWORK})
    findings = {(Path(f.file).name, f.code, f.key_path): f for f in run_checks(curricula)}
    assert findings[("xy.yml", "E-NETWORK-LOGO", "logos[0].file")].line == logo.splitlines().index(
        "  - file: logo.png") + 1
    assert not any(key[0] == "xy.yml" and key[1] == "E-NETWORK-OFFICE" for key in findings)
    assert findings[("ab.yml", "E-ID", "id")].line == 1


def test_shipped_curricula_check_clean() -> None:
    findings = [f for f in run_checks(CURRICULA) if "programm" in f.file or "netzwerke" in f.file]
    assert findings == []


# --- company handout ----------------------------------------------------------------------------


def _company_handout(curricula: Path, out: Path, network_id: str | None) -> docx.document.Document:
    curriculum = load_sector(curricula / "lager")
    part = next(part for part in plan_parts(curriculum, "public") if part.kind == "company")
    network = load_network(curricula, network_id) if network_id else None
    return docx.Document(str(write_part(curriculum, part, out, TEMPLATE, network=network)))


def _section_after(document: docx.document.Document, heading: str) -> list[str]:
    texts = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    start = next(index for index, (_, text) in enumerate(texts) if text == heading)
    return [text for _, text in texts[start + 1:start + 3]]


def test_company_handout_names_the_networks_contacts_and_the_programme_footer(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    shutil.copytree(CURRICULA / "netzwerke", curricula / "netzwerke")
    document = _company_handout(curricula, tmp_path / "out", "hh")
    network = load_network(curricula, "hh")
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "Wen Sie ansprechen können" in headings
    assert (headings.index("Sätze aus dem Arbeitsalltag") < headings.index("Wen Sie ansprechen können")
            < headings.index("Nächste Schritte"))
    assert any("IQ Netzwerk Hamburg" in text and "Hamburg" in text for text in
               _section_after(document, "Wen Sie ansprechen können"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Beratung")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [row[0] for row in rows] == list(OFFICE_KINDS.values())
    assert [row[2] for row in rows] == [office.url for office in network.offices]
    assert all(office.name in row[1] for office, row in zip(network.offices, rows, strict=True))
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    programme = load_programme(curricula)
    assert programme is not None and programme.footer in footer and "CC BY-SA 4.0" in footer
    assert "programm.yml" not in footer
    assert document.core_properties.keywords.startswith(programme.name)


def test_national_company_handout_points_to_the_programmes_national_offers(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    document = _company_handout(curricula, tmp_path / "out", None)
    programme = load_programme(curricula)
    assert programme is not None
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Beratung")
    assert [row.cells[2].text for row in table.rows[1:]] == [office.url for office in programme.national_offers]
    paragraphs = [p.text for p in document.paragraphs]
    heading = paragraphs.index(f"Das Förderprogramm {programme.short_name}")
    assert paragraphs[heading + 1:heading + 3] == [programme.company_note, programme.emblem_text]


def test_without_programme_file_the_handout_has_no_funding_line_and_no_contacts(tmp_path: Path) -> None:
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    (curricula / "programm.yml").unlink()
    document = _company_handout(curricula, tmp_path / "out", None)
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert not any("programm.yml" in text or "gefördert" in text for text in footer)
    assert any("CC BY-SA 4.0" in text for text in footer)
    assert "Wen Sie ansprechen können" not in [p.text for p in document.paragraphs]


# --- a real build -------------------------------------------------------------------------------


def _footers(folder: Path) -> dict[str, str]:
    return {path.name: " ".join(p.text for p in docx.Document(str(path)).sections[0].footer.paragraphs)
            for path in sorted(folder.rglob("*.docx"))}


@pytest.mark.slow
def test_an_edit_of_the_funding_phase_rebuilds_every_output_that_shows_it(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in ("modules", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    project = Project.at(root, curricula=copy_fixture_curricula(tmp_path / "curricula"), build=tmp_path / "build")
    build(project, ["public"], jobs=2, pdf=False)
    handouts = project.build / "handouts" / "public"
    html = project.build / "html"
    assert all("Förderrunde 2026–2028" in text for text in _footers(handouts).values())
    start = (html / "intro.html").read_text(encoding="utf-8")
    assert "Förderrunde 2026–2028" in start and "Das Förderprogramm IQ" in start
    sector_page = (html / "lager" / "index.html").read_text(encoding="utf-8")
    assert "Wen Sie ansprechen können" in sector_page and "https://www.faire-integration.de" in sector_page
    contacts = sector_page.split("Wen Sie ansprechen können", 1)[1].split("</ul>", 1)[0]
    assert "<table" not in contacts and contacts.count("<li>") >= 2, "a list of offices reads on a phone, a table did not"

    programme = project.curricula / "programm.yml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("Förderrunde 2026–2028", "Förderrunde 2029–2031"),
                         encoding="utf-8")
    started: set[str] = set()
    report = build(project, ["public"], jobs=2, pdf=False,
                   progress=lambda event, target, result: started.add(target.id) if event == "start" and target else None)
    assert report.sphinx_runs == ["public"]
    kinds = {target.id: target.kind for target in plan_build(project, load_catalogue(project.curricula), ["public"],
                                                             pdf=False)}
    assert started and {kinds[target] for target in started} == {"handouts"}
    footers = _footers(handouts)
    assert footers and all("Förderrunde 2029–2031" in text for text in footers.values()), footers
    for page in (html / "intro.html", html / "lager" / "index.html"):
        text = page.read_text(encoding="utf-8")
        assert "Förderrunde 2029–2031" in text and "Förderrunde 2026–2028" not in text, page.name

    # A regional edition takes the module and training pages from the national build: no notebook runs again.
    shutil.copytree(CURRICULA / "netzwerke", project.curricula / "netzwerke")
    regional = project.for_network("hh")
    started.clear()
    build(regional, ["public"], jobs=2, pdf=False,
          progress=lambda event, target, result: started.add(target.id) if event == "start" and target else None)
    assert started and all(kinds[target] == "handouts" or target.endswith(":profil") for target in started), started
    pages = sorted(path.name for path in (html / "lager").glob("*.html"))
    assert sorted(path.name for path in (regional.build / "html" / "lager").glob("*.html")) == pages
    assert (regional.build / "html" / "intro.html").read_text(encoding="utf-8").count("Regionale Ausgabe für Hamburg") == 1


def test_book_config_takes_author_and_footer_from_the_programme(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    from kurswerk.book import book_config

    root = tmp_path / "projekt"
    root.mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "templates").symlink_to(ROOT / "templates")
    project = Project.at(root, curricula=copy_fixture_curricula(tmp_path / "curricula"), build=tmp_path / "build")
    programme = load_programme(project.curricula)
    assert programme is not None
    config = YAML(typ="safe").load(book_config(project, "public"))
    assert config["author"] == programme.name
    footer = config["html"]["extra_footer"]
    assert programme.footer in footer and f'href="{programme.url}"' in footer and "kurswerk:" not in footer
    assert programme.emblem_text in footer
    (project.curricula / "programm.yml").unlink()
    config = YAML(typ="safe").load(book_config(project, "public"))
    assert config["author"] == "" and "gefördert" not in config["html"]["extra_footer"]


# --- regional editions --------------------------------------------------------------------------


@pytest.mark.slow
def test_netzwerk_alle_builds_each_network_into_its_own_folder_and_caches_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kurswerk.cli import main

    curricula = copy_fixture_curricula(tmp_path / "curricula")
    (curricula / "netzwerke").mkdir()
    for network in ("hh", "nrw"):
        shutil.copy(CURRICULA / "netzwerke" / f"{network}.yml", curricula / "netzwerke")
    build_dir = tmp_path / "build"
    arguments = ["build", "--root", str(ROOT), "--curricula", str(curricula), "--build-dir", str(build_dir),
                 "--edition", "public", "--no-pdf", "-q", "-j", "2"]
    result = CliRunner().invoke(main, [*arguments, "--netzwerk", "alle"])
    assert result.exit_code == 0, result.output
    assert not (build_dir / "html").exists()  # the national edition is not touched
    built = [int(number) for number in re.findall(r"(\d+) Ziele gebaut", result.output)]
    assert len(built) == 2 and built[1] < built[0]  # the second network takes the module pages of the first
    for network_id in ("hh", "nrw"):
        network = load_network(curricula, network_id)
        folder = build_dir / "netzwerke" / network_id
        start = (folder / "html" / "intro.html").read_text(encoding="utf-8")
        assert f"Regionale Ausgabe für {network.land}" in start and network.url in start
        sector_page = (folder / "html" / "lager" / "index.html").read_text(encoding="utf-8")
        assert "Wen Sie ansprechen können" in sector_page
        assert all(office.url in sector_page for office in network.offices)
        assert "Statistisches Bundesamt (Destatis), Mikrozensus 2018" in sector_page
        lands = {line.split(",")[0]: line.split(",")[3] for line in (
            CURRICULA / "data" / "mikrozensus2018_migrationshintergrund_laender.csv").read_text().splitlines()[1:]}
        assert f"{float(lands[network.land]):.1f} %".replace(".", ",") in sector_page and "25,5 %" in sector_page
        company = docx.Document(str(folder / "handouts" / "public" / "lager" / "unternehmen.docx"))
        table = next(t for t in company.tables if t.rows[0].cells[0].text == "Beratung")
        assert [row.cells[2].text for row in table.rows[1:]] == [office.url for office in network.offices]
        assert any(network.land in p.text and network.name in p.text for p in company.paragraphs)

    again = CliRunner().invoke(main, [*arguments, "--netzwerk", "nrw"])
    assert again.exit_code == 0, again.output
    assert "0 Ziele gebaut" in again.output and "Sphinx: nicht nötig" in again.output

    unknown = CliRunner().invoke(main, [*arguments, "--netzwerk", "by"])
    assert unknown.exit_code != 0 and "kein Netzwerk „by“" in unknown.output


def test_a_networks_logos_appear_in_the_handout_footer_and_the_web_footer_with_alt_text(tmp_path: Path) -> None:
    from PIL import Image
    from ruamel.yaml import YAML

    from kurswerk.book import book_config

    curricula = copy_fixture_curricula(tmp_path / "curricula")
    logos = curricula / "netzwerke" / "logos" / "xy"
    logos.mkdir(parents=True)
    Image.new("RGB", (120, 40), (0, 90, 140)).save(logos / "logo.png")
    text = NETWORK.replace("  - kind: faire-integration", "  - kind: unternehmen\n    name: Betriebe\n"
                           "    url: https://example.org/b\n  - kind: faire-integration")
    (curricula / "netzwerke" / "xy.yml").write_text(
        text + "logos:\n  - file: logo.png\n    alt: Logo des IQ Netzwerks Beispiel\n", encoding="utf-8")
    assert [f for f in run_checks(curricula) if "netzwerke" in f.file] == []

    document = _company_handout(curricula, tmp_path / "out", "xy")
    footer = document.sections[0].footer._element
    pictures = footer.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    assert [picture.get("descr") for picture in pictures] == ["Logo des IQ Netzwerks Beispiel"]

    root = tmp_path / "projekt"
    root.mkdir()
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    (root / "templates").symlink_to(ROOT / "templates")
    project = Project.at(root, curricula=curricula, build=tmp_path / "build", network="xy")
    assert project.build == tmp_path / "build" / "netzwerke" / "xy"
    web = YAML(typ="safe").load(book_config(project, "public"))["html"]["extra_footer"]
    assert 'alt="Logo des IQ Netzwerks Beispiel"' in web and "data:image/png;base64," in web
    national = YAML(typ="safe").load(book_config(project.for_network(None), "public"))["html"]["extra_footer"]
    assert "<img" not in national and project.for_network(None).build == tmp_path / "build"
