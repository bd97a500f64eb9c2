"""Model → matplotlib figures: one function per chart, shared by notebooks and DOCX handouts.

Every chart prints its source and year under the plot; the data come from ``curricula/data``
(CSV files listed with their sources in ``sources.yml``). PNG output is deterministic.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kurswerk.errors import InputError, Location
from kurswerk.load import read_yaml
from kurswerk.model import Chart, SectorCurriculum

STYLE = Path(__file__).resolve().parents[3] / "templates" / "kurswerk.mplstyle"
ACCENT = "#1F5C99"
MUTED = "#B8C4D0"


@dataclass(frozen=True)
class ChartInfo:
    """What a reader needs beside the picture: title, source line and alt text."""

    title: str
    source: str
    year: str
    alt: str

    @property
    def caption(self) -> str:
        return f"Quelle: {self.source}, {self.year}."


def data_folder(curriculum: SectorCurriculum) -> Path:
    """The reference data folder beside the sector folders (``curricula/data``)."""
    return Path(curriculum.files["sector"]).parent.parent / "data"


def _sources(data_dir: Path) -> dict[str, Any]:
    document = read_yaml(data_dir / "sources.yml")
    if not isinstance(document.data, dict):
        raise InputError(Location(str(data_dir / "sources.yml"), 1),
                         "muss jedem Diagrammnamen seine Quelle zuordnen („name: …“)")
    return document.data


def _rows(data_dir: Path, entry: dict[str, Any]) -> list[dict[str, str]]:
    with (data_dir / entry["file"]).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def chart_info(chart: Chart, data_dir: Path) -> ChartInfo:
    """Return title, source, year and alt text of a chart."""
    entry = _sources(data_dir)[chart.chart]
    alt = chart.alt or f"Balkendiagramm: {entry['title']}. {entry['source']}, {entry['year']}."
    return ChartInfo(title=str(entry["title"]), source=str(entry["source"]), year=str(entry["year"]), alt=alt)


def _skills_gap(axes: Any, rows: list[dict[str, str]], highlight: list[str]) -> None:
    rows = sorted(rows, key=lambda row: int(row["fachkraefteluecke"]))
    labels = [row["beruf"] for row in rows]
    values = [int(row["fachkraefteluecke"]) for row in rows]
    colours = [ACCENT if label in highlight else MUTED for label in labels]
    bars = axes.barh(labels, values, color=colours)
    axes.bar_label(bars, labels=[f"{value:,}".replace(",", ".") for value in values], padding=3, fontsize=8)
    axes.set_xlabel("Offene Stellen ohne passend qualifizierte Arbeitslose")
    axes.set_xlim(0, max(values) * 1.15)


def _recognitions(axes: Any, rows: list[dict[str, str]], highlight: list[str]) -> None:
    rows = [row for row in rows if not row["kategorie"].startswith("Gesamt")]
    labels = [f"{row['kategorie']} ({row['jahr']})" for row in rows]
    values = [int(row["anzahl"]) for row in rows]
    colours = [ACCENT if row["kategorie"] in highlight else MUTED for row in rows]
    bars = axes.barh(labels[::-1], values[::-1], color=colours[::-1])
    axes.bar_label(bars, labels=[f"{value:,}".replace(",", ".") for value in values[::-1]], padding=3, fontsize=8)
    axes.set_xlabel("Positiv beschiedene Anerkennungsverfahren")
    axes.set_xlim(0, max(values) * 1.18)


def _migration_background(axes: Any, rows: list[dict[str, str]], highlight: list[str]) -> None:
    country = next(row for row in rows if row["land"] == "Deutschland")
    rows = sorted((row for row in rows if row["land"] != "Deutschland"), key=lambda row: float(row["anteil_prozent"]))
    labels = [row["land"] for row in rows]
    values = [float(row["anteil_prozent"]) for row in rows]
    colours = [ACCENT if label in highlight else MUTED for label in labels]
    bars = axes.barh(labels, values, color=colours)
    axes.bar_label(bars, labels=[f"{value:.1f} %".replace(".", ",") for value in values], padding=3, fontsize=8)
    share = float(country["anteil_prozent"])
    axes.axvline(share, color="#E07A1F", linewidth=1.2, linestyle="--")
    axes.text(share, len(rows) - 0.3, f" Deutschland {share:.1f} %".replace(".", ","), color="#B35A0C", fontsize=8)
    axes.set_xlabel("Anteil an der Bevölkerung in Prozent")
    axes.set_xlim(0, max(values) * 1.18)


def _german_number(value: float, position: object = None) -> str:
    """Format an axis tick the German way: 10.000, 2,5."""
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


DRAWERS: dict[str, Callable[[Any, list[dict[str, str]], list[str]], None]] = {
    "fachkraefteluecke": _skills_gap,
    "anerkennungen": _recognitions,
    "migrationshintergrund": _migration_background,
}


def draw_chart(chart: Chart, data_dir: Path) -> Figure:
    """Draw one sector chart with its source line; the caller closes the figure."""
    entry = _sources(data_dir)[chart.chart]
    info = chart_info(chart, data_dir)
    with plt.style.context(str(STYLE)):
        figure, axes = plt.subplots(figsize=(7.5, 4.6 if chart.chart == "migrationshintergrund" else 4.2))
        DRAWERS[chart.chart](axes, _rows(data_dir, entry), list(chart.highlight))
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.xaxis.set_major_formatter(FuncFormatter(_german_number))
        figure.suptitle(info.title, x=0.0, ha="left", fontweight="bold", fontsize=12)
        figure.text(0.0, -0.02, info.caption, fontsize=8, color="#444444", ha="left", va="top",
                    transform=figure.transFigure)
        figure.tight_layout()
    return figure


def chart_png(chart: Chart, data_dir: Path) -> bytes:
    """Return the chart as PNG bytes, identical for identical input."""
    figure = draw_chart(chart, data_dir)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def sector_chart_png(curriculum: SectorCurriculum, chart: Chart) -> bytes:
    """Return one of a sector's charts as PNG bytes."""
    return chart_png(chart, data_folder(curriculum))
