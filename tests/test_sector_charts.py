"""Charts that fit the sector: each shipped chart shows a figure about its own sector, one year of its
table, with source and year under it (in the picture, the book's figure caption and the DOCX caption);
``kurswerk check`` reports a chart that highlights a row its table lacks, a row of another sector, or
mixes years, with file, line and key path; a sector without a figure of its own reads well without one.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from matplotlib.text import Text
from ruamel.yaml import YAML

from conftest import copy_fixture_curricula
from kurswerk.chartdata import ChartSource, chart_rows, read_rows, table_years
from kurswerk.check import run_checks
from kurswerk.errors import InputError
from kurswerk.load import load_sector
from kurswerk.model import Chart, SectorCurriculum
from kurswerk.packets import plan_parts
from kurswerk.render.docx import write_part
from kurswerk.render.figures import SCREEN_MIN_POINTS, chart_info, data_folder, draw_chart, smallest_text_points
from kurswerk.render.pages import profile_sections

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "curricula" / "data"
SHIPPED = sorted(path.parent.name for path in (ROOT / "curricula").glob("*/sector.yml"))


def sources() -> dict[str, ChartSource]:
    entries = YAML(typ="safe").load((DATA / "sources.yml").read_text(encoding="utf-8"))
    return {name: ChartSource.from_entry(name, entry) for name, entry in entries.items()}


@pytest.fixture(scope="module")
def shipped() -> dict[str, SectorCurriculum]:
    return {sector: load_sector(ROOT / "curricula" / sector) for sector in SHIPPED}


def test_every_shipped_chart_shows_its_own_sector_for_one_year_with_source_and_year(
        shipped: dict[str, SectorCurriculum]) -> None:
    drawn = 0
    for sector, curriculum in shipped.items():
        for chart in curriculum.sector.charts:
            source = sources()[chart.chart]
            rows = read_rows(DATA, source)
            shown = chart_rows(chart, source, rows, sector)
            own = [row[source.category] for row in shown
                   if row[source.category] in chart.highlight and source.speaks_for(row[source.category], sector)]
            assert own, f"{sector}: {chart.chart} highlights no row about the sector"
            assert all(source.speaks_for(name, sector) for name in chart.highlight), (sector, chart.highlight)
            assert len(table_years(shown)) <= 1, (sector, chart.chart)
            info = chart_info(chart, DATA)
            assert info.year and "und" not in info.year and "," not in info.year, (sector, info.year)
            if table_years(rows):
                assert info.year == table_years(shown)[0]
            assert info.caption == f"Quelle: {source.source}, {info.year}."
            assert info.alt.startswith("Balkendiagramm") and info.alt != chart.chart
            figure = draw_chart(chart, DATA, "screen", sector=sector)
            texts = [" ".join(text.get_text().split()) for text in figure.findobj(Text)]
            assert any(source.source in text and info.year in text for text in texts), sector
            assert smallest_text_points(figure) >= SCREEN_MIN_POINTS
            drawn += 1
    assert drawn >= 6


def test_the_shipped_sectors_use_the_figures_that_speak_for_them(shipped: dict[str, SectorCurriculum]) -> None:
    """Foreign employees only for cleaning and hotels and restaurants, recognitions only for nursing,
    the skills gap for the occupations in its table, nothing for Lagerlogistik, no Land chart anywhere."""
    kinds = {sector: [(chart.chart, tuple(chart.highlight)) for chart in curriculum.sector.charts]
             for sector, curriculum in shipped.items()}
    assert kinds["gebaeudereinigung"] == [("auslaenderanteil", ("Reinigung",))]
    assert kinds["gastronomie"] == [("auslaenderanteil", ("Tourismus, Hotels und Gaststätten",))]
    assert kinds["lagerlogistik"] == []
    assert ("anerkennungen", ("Pflegefachkräfte",)) in kinds["pflege"]
    assert shipped["pflege"].sector.charts[0].year == 2024
    assert kinds["elektrohandwerk"] == [("fachkraefteluecke", ("Bauelektrik", "Elektrische Betriebstechnik"))]
    assert kinds["kita"] == [("fachkraefteluecke", ("Kinderbetreuung und -erziehung",))]
    for sector, charts in kinds.items():
        assert all(kind != "migrationshintergrund" for kind, _ in charts), sector
        assert sector == "pflege" or all(kind != "anerkennungen" for kind, _ in charts), sector


def test_the_overview_page_prints_source_and_year_under_each_chart(shipped: dict[str, SectorCurriculum]) -> None:
    for sector in ("gebaeudereinigung", "pflege", "lagerlogistik"):
        curriculum = shipped[sector]
        figures = [(f"_figures/{sector}-{chart.chart}.png", chart_info(chart, data_folder(curriculum)))
                   for chart in curriculum.sector.charts]
        page = "\n\n".join(profile_sections(curriculum, figures))
        assert page.count("```{figure}") == len(curriculum.sector.charts)
        for chart, (_, info) in zip(curriculum.sector.charts, figures, strict=True):
            block = page.split(f"{sector}-{chart.chart}.png", 1)[1].split("```", 1)[0]
            caption = re.sub(r"\\(.)", r"\1", " ".join(block.split()))  # as Markdown reads the escapes
            assert f"Quelle: {info.source}, {info.year}." in caption
    pflege = shipped["pflege"]
    recognitions = chart_info(pflege.sector.charts[0], data_folder(pflege))
    assert recognitions.year == "2024" and recognitions.caption.endswith(", 2024.")


def company_handout(curriculum: SectorCurriculum, out: Path) -> docx.document.Document:
    company = next(part for part in plan_parts(curriculum, "public") if part.kind == "company")
    return docx.Document(str(write_part(curriculum, company, out)))


def test_the_company_handout_captions_its_chart_with_source_and_year(shipped: dict[str, SectorCurriculum],
                                                                     tmp_path: Path) -> None:
    curriculum = shipped["gebaeudereinigung"]
    chart = curriculum.sector.charts[0]
    info = chart_info(chart, data_folder(curriculum))
    assert info.year == "2023"
    document = company_handout(curriculum, tmp_path / "reinigung")
    pictures = list(document.element.body.iter(qn("wp:docPr")))
    assert [picture.get("descr") for picture in pictures] == [chart.alt]
    captions = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert any(f"{info.source}, {info.year}." in caption for caption in captions), captions


def test_a_sector_without_a_figure_of_its_own_has_a_handout_without_a_chart(
        shipped: dict[str, SectorCurriculum], tmp_path: Path) -> None:
    curriculum = shipped["lagerlogistik"]
    document = company_handout(curriculum, tmp_path / "lager")
    assert not list(document.element.body.iter(qn("wp:docPr")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Abbildung" not in text and "Lagerlogistik in Zahlen" in text
    with zipfile.ZipFile(next((tmp_path / "lager").glob("*.docx"))) as package:
        assert not [name for name in package.namelist() if name.startswith("word/media/")]


def with_charts(tmp_path: Path, charts: str) -> tuple[Path, Path]:
    """The fixture curricula with ``charts`` (YAML lines) in place of its empty chart list."""
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    sector = curricula / "lager" / "sector.yml"
    text = sector.read_text(encoding="utf-8")
    assert "charts: []\n" in text
    sector.write_text(text.replace("charts: []\n", "charts:\n" + charts), encoding="utf-8")
    return curricula, sector


def line_of(path: Path, fragment: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if fragment in line)


def test_check_reports_rows_that_do_not_exist_or_belong_to_another_sector(tmp_path: Path) -> None:
    curricula, sector = with_charts(tmp_path, (
        "  - chart: auslaenderanteil\n"
        "    highlight:\n"
        "      - Hoch- und Tiefbau\n"
        "      - Lager und Logistik\n"))
    findings = [finding for finding in run_checks(curricula) if finding.code.startswith("E-CHART")]
    by_code = {finding.code: finding for finding in findings}
    assert set(by_code) == {"E-CHART-ROW", "E-CHART-SECTOR"}, findings
    missing = by_code["E-CHART-ROW"]
    assert Path(missing.file).resolve() == sector.resolve()
    assert missing.line == line_of(sector, "Lager und Logistik")
    assert missing.key_path == "charts[0].highlight[1]"
    assert "„Lager und Logistik“" in missing.message and "ba_auslaenderanteil_branchen_2023.csv" in missing.message
    other = by_code["E-CHART-SECTOR"]
    assert other.line == line_of(sector, "Hoch- und Tiefbau") and other.key_path == "charts[0].highlight[0]"
    assert "„lager“" in other.message
    assert f"{missing.file}:{missing.line}" in str(missing)


def test_check_reports_a_chart_that_would_mix_years_or_speaks_for_no_sector(tmp_path: Path) -> None:
    curricula, sector = with_charts(tmp_path, (
        "  - chart: anerkennungen\n"
        "    highlight: [Pflegefachkräfte]\n"
        "  - chart: anerkennungen\n"
        "    year: 2021\n"
        "  - chart: migrationshintergrund\n"
        "    highlight: [Deutschland]\n"))
    findings = sorted((finding for finding in run_checks(curricula) if finding.code.startswith("E-CHART")),
                      key=lambda finding: finding.line or 0)
    assert [(finding.code, finding.key_path) for finding in findings] == [
        ("E-CHART-YEAR", "charts[0].chart"), ("E-CHART-YEAR", "charts[1].year"),
        ("E-CHART-SECTOR", "charts[2].highlight[0]")], findings
    assert "2023, 2024" in findings[0].message and "year: 2024" in findings[0].message
    assert findings[1].line == line_of(sector, "year: 2021")


def test_the_shipped_curricula_pass_the_chart_checks() -> None:
    findings = [finding for finding in run_checks(ROOT / "curricula")
                if finding.code.startswith(("E-CHART", "E-DATA"))]
    assert findings == []


def test_drawing_refuses_what_the_check_reports() -> None:
    """The build cannot draw a chart of mixed years, a missing row, or another sector's figure."""
    with pytest.raises(InputError) as mixed:
        draw_chart(Chart(chart="anerkennungen", highlight=["Pflegefachkräfte"]), DATA)
    assert mixed.value.code == "E-CHART-YEAR"
    with pytest.raises(InputError) as missing:
        draw_chart(Chart(chart="fachkraefteluecke", highlight=["Lagerlogistik"]), DATA)
    assert missing.value.code == "E-CHART-ROW"
    with pytest.raises(InputError) as other:
        draw_chart(Chart(chart="auslaenderanteil", highlight=["Hoch- und Tiefbau"]), DATA, sector="elektrohandwerk")
    assert other.value.code == "E-CHART-SECTOR"
    one_year = draw_chart(Chart(chart="anerkennungen", year=2023, highlight=["Pflegefachfrau/-mann inkl. Vorgängerberufe"]),
                          DATA, "print", sector="pflege")
    labels = [label.get_text() for label in one_year.axes[0].get_yticklabels()]
    assert "Pflegefachkräfte" not in labels and "Lehrer/-in" in labels and not any("2024" in label for label in labels)


def test_the_data_table_of_foreign_employees_is_listed_with_its_source() -> None:
    entry = sources()["auslaenderanteil"]
    assert entry.source == "Bundesagentur für Arbeit, Beschäftigungsstatistik (Stand März 2023), nach Presseberichten"
    rows = read_rows(DATA, entry)
    assert {row["bereich"]: row["anteil_prozent"] for row in rows} == {
        "Reinigung": "41", "Lebensmittelherstellung": "38", "Hoch- und Tiefbau": "33",
        "Tourismus, Hotels und Gaststätten": "32", "alle Branchen": "15"}
    assert table_years(rows) == ["2023"]
    assert not any(sectors for row, sectors in entry.sectors.items() if row == "Hoch- und Tiefbau")
    listing = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert f"`{entry.file}`" in listing and entry.source in listing


@pytest.mark.slow
def test_the_book_shows_a_shipped_sectors_chart_with_alt_text_source_and_year(tmp_path: Path) -> None:
    """A real build of one shipped sector: its overview page has the chart picture with the German alt
    text of sector.yml and the caption with source and year (the fixture sector has no chart)."""
    from kurswerk.build import build
    from kurswerk.plan import Project

    project = Project.at(ROOT, curricula=ROOT / "curricula", build=tmp_path / "build")
    build(project, ["public"], sectors=["gebaeudereinigung"], jobs=1, pdf=False)
    raw = (project.html_dir("public") / "gebaeudereinigung" / "index.html").read_text(encoding="utf-8")
    figures = re.findall(r'<figure class="kurswerk-chart.*?</figure>', raw, re.S)
    curriculum = load_sector(ROOT / "curricula" / "gebaeudereinigung")
    [chart] = curriculum.sector.charts
    info = chart_info(chart, data_folder(curriculum))
    assert len(figures) == 1
    alt = re.search(r'<img alt="([^"]*)" src="([^"]+)"', figures[0])
    assert alt is not None and html.unescape(alt.group(1)) == " ".join((chart.alt or "").split())
    image = (project.html_dir("public") / "gebaeudereinigung" / alt.group(2)).resolve()
    assert image.is_file() and image.read_bytes().startswith(b"\x89PNG")
    caption = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", figures[0].split("<figcaption>", 1)[1])).split())
    assert f"{info.title}. Quelle: {info.source}, {info.year}." in caption
    # No "Abb. N": nothing refers to a chart by number (numfig is off, and stays off for HTML).
    assert "caption-number" not in figures[0] and caption.startswith(info.title), caption
