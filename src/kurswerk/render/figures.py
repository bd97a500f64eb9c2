"""Model → matplotlib figures: one function per chart, shared by notebooks and DOCX handouts.

Every chart prints its source and year under the plot; the data come from ``curricula/data``
(CSV files listed with their sources in ``sources.yml``). A chart shows one year of its table and
only rows that exist there; drawn for a sector, it must highlight a figure about that sector
(:mod:`kurswerk.chartdata`, the same rules ``kurswerk check`` applies). PNG output is deterministic.

Two layouts: ``print`` (wide, for the A4 company handout) and ``screen`` (for the book), drawn for
a phone: narrow, with every text at least :data:`SCREEN_MIN_POINTS` so that it still reads at 9 pt
when a phone shows the picture :data:`PHONE_WIDTH_PX` CSS pixels wide. The book shows the screen
picture at its own size on a desktop and scaled to the column on a phone.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from kurswerk.chartdata import ChartDataError, ChartSource, chart_rows, chart_year, read_rows
from kurswerk.errors import InputError, Location
from kurswerk.load import read_yaml
from kurswerk.model import Chart, SectorCurriculum

STYLE = Path(__file__).resolve().parents[3] / "templates" / "kurswerk.mplstyle"
"""The style of the kit's own checkout; a build passes the project's ``templates/kurswerk.mplstyle``."""
ACCENT = "#1F5C99"
MUTED = "#B8C4D0"
Layout = Literal["print", "screen"]
SCREEN_DPI = 150
SCREEN_WIDTH_INCHES = 3.8
SCREEN_MIN_POINTS = 11.5
"""Smallest text of a screen chart, in points of the drawing."""
PHONE_WIDTH_PX = 340
"""The narrowest column a phone gives the picture (390 px screen minus the page's margins)."""
PRINT_TEXT_POINTS = 8.0
BASELINE = "alle Branchen"
"""The row of the foreign-employees table every sector is compared with."""


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


def _source(chart: Chart, data_dir: Path) -> ChartSource:
    where = Location(str(data_dir / "sources.yml"), None, chart.chart)
    entry = _sources(data_dir).get(chart.chart)
    if not isinstance(entry, dict):
        raise InputError(where, f"kein Eintrag für das Diagramm „{chart.chart}“", code="E-DATA-MISSING")
    try:
        return ChartSource.from_entry(chart.chart, entry)
    except ValueError as error:
        raise InputError(where, str(error), code="E-DATA-MISSING") from error


def _rows(chart: Chart, data_dir: Path, sector: str | None) -> tuple[ChartSource, list[dict[str, str]], str]:
    """The source, the rows to draw (one year) and that year; refuses a chart that breaks the data rules."""
    source = _source(chart, data_dir)
    try:
        rows = read_rows(data_dir, source)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(Location(str(data_dir / source.file)), f"nicht lesbar ({error})",
                         code="E-DATA-MISSING") from error
    try:
        return source, chart_rows(chart, source, rows, sector), chart_year(chart, source, rows)
    except ChartDataError as error:
        first = error.problems[0]
        raise InputError(Location(str(data_dir / source.file), None, chart.chart), str(error),
                         code=first.code) from error


def chart_info(chart: Chart, data_dir: Path) -> ChartInfo:
    """Return title, source, the one year the chart shows, and alt text."""
    source, _, year = _rows(chart, data_dir, None)
    alt = chart.alt or f"Balkendiagramm: {source.title}. {source.source}, {year}."
    return ChartInfo(title=source.title, source=source.source, year=year, alt=alt)


def _skills_gap(axes: Any, rows: list[dict[str, str]], highlight: list[str], text: float) -> None:
    rows = sorted(rows, key=lambda row: int(row["fachkraefteluecke"]))
    labels = [row["beruf"] for row in rows]
    values = [int(row["fachkraefteluecke"]) for row in rows]
    colours = [ACCENT if label in highlight else MUTED for label in labels]
    bars = axes.barh(labels, values, color=colours)
    axes.bar_label(bars, labels=[f"{value:,}".replace(",", ".") for value in values], padding=3, fontsize=text)
    axes.set_xlabel("Offene Stellen ohne passend qualifizierte Arbeitslose")
    axes.set_xlim(0, max(values) * 1.15)


def _recognitions(axes: Any, rows: list[dict[str, str]], highlight: list[str], text: float) -> None:
    """One year's occupations; the year's total goes into the axis label, not beside them as a bar."""
    total = next((row for row in rows if row["kategorie"].startswith("Gesamt")), None)
    rows = [row for row in rows if row is not total]
    labels = [row["kategorie"] for row in rows]
    values = [int(row["anzahl"]) for row in rows]
    colours = [ACCENT if row["kategorie"] in highlight else MUTED for row in rows]
    bars = axes.barh(labels[::-1], values[::-1], color=colours[::-1])
    axes.bar_label(bars, labels=[f"{value:,}".replace(",", ".") for value in values[::-1]], padding=3, fontsize=text)
    label = "Positiv beschiedene Anerkennungsverfahren"
    if total is not None:
        label += f" (alle Berufe zusammen: {int(total['anzahl']):,})".replace(",", ".")
    axes.set_xlabel(label)
    axes.set_xlim(0, max(values) * 1.18)


def _foreign_share(axes: Any, rows: list[dict[str, str]], highlight: list[str], text: float) -> None:
    """The sector's share of foreign employees against all sectors: two bars (or one more per highlight)."""
    shown = [row for row in rows if row["bereich"] in highlight]
    shown += [row for row in rows if row["bereich"] == BASELINE]
    labels = [row["bereich"] for row in shown]
    values = [float(row["anteil_prozent"]) for row in shown]
    colours = [MUTED if label == BASELINE else ACCENT for label in labels]
    bars = axes.barh(labels[::-1], values[::-1], color=colours[::-1], height=0.55)
    axes.bar_label(bars, labels=[f"{_german_number(value)} %" for value in values[::-1]], padding=3, fontsize=text)
    axes.set_xlabel("Anteil an den sozialversicherungspflichtig Beschäftigten in Prozent")
    axes.set_xlim(0, max(values) * 1.25)


def _migration_background(axes: Any, rows: list[dict[str, str]], highlight: list[str], text: float) -> None:
    country = next(row for row in rows if row["land"] == "Deutschland")
    rows = sorted((row for row in rows if row["land"] != "Deutschland"), key=lambda row: float(row["anteil_prozent"]))
    labels = [row["land"] for row in rows]
    values = [float(row["anteil_prozent"]) for row in rows]
    colours = [ACCENT if label in highlight else MUTED for label in labels]
    bars = axes.barh(labels, values, color=colours)
    axes.bar_label(bars, labels=[f"{value:.1f} %".replace(".", ",") for value in values], padding=3, fontsize=text)
    share = float(country["anteil_prozent"])
    axes.axvline(share, color="#E07A1F", linewidth=1.2, linestyle="--")
    # The screen layout is narrow: its label goes left of the line, inside the plot.
    narrow = text >= SCREEN_MIN_POINTS
    axes.text(share, len(rows) - 0.3, f" Deutschland {share:.1f} % ".replace(".", ","), color="#B35A0C", fontsize=text,
              ha="right" if narrow else "left")
    axes.set_xlabel("Anteil an der Bevölkerung in Prozent")
    axes.set_xlim(0, max(values) * 1.18)


def _german_number(value: float, position: object = None) -> str:
    """Format an axis tick the German way: 10.000, 2,5."""
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:.1f}".replace(".", ",")


DRAWERS: dict[str, Callable[[Any, list[dict[str, str]], list[str], float], None]] = {
    "fachkraefteluecke": _skills_gap,
    "anerkennungen": _recognitions,
    "auslaenderanteil": _foreign_share,
    "migrationshintergrund": _migration_background,
}


HEIGHTS = {"migrationshintergrund": 4.6, "anerkennungen": 3.2, "auslaenderanteil": 2.4}
"""Print height in inches where it differs from 4.2 (the number of bars differs)."""


def draw_chart(chart: Chart, data_dir: Path, layout: Layout = "print", style: Path = STYLE,
               sector: str | None = None) -> Figure:
    """Draw one sector chart with its source line; the caller closes the figure.

    With ``sector`` (an id), a chart that highlights no figure about that sector is refused.
    """
    info = chart_info(chart, data_dir)
    _, rows, _ = _rows(chart, data_dir, sector)
    screen = layout == "screen"
    text = SCREEN_MIN_POINTS if screen else PRINT_TEXT_POINTS
    rc = {"font.size": text, "axes.labelsize": text, "xtick.labelsize": text, "ytick.labelsize": text} if screen else {}
    with plt.style.context([str(style), rc]):
        figure, axes = plt.subplots(figsize=(7.5, HEIGHTS.get(chart.chart, 4.2)))
        DRAWERS[chart.chart](axes, rows, list(chart.highlight), text)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5))
        axes.xaxis.set_major_formatter(FuncFormatter(_german_number))
        if screen:
            # Every bar carries its value; a narrow axis would only crowd its numbers.
            axes.tick_params(axis="x", which="both", bottom=False, labelbottom=False)
            axes.grid(False)
        title, caption = info.title, info.caption
        if screen:
            figure.canvas.draw()
            labels = [_wrap(label.get_text(), 19) for label in axes.get_yticklabels()]
            axes.set_yticks(axes.get_yticks(), labels)
            lines = max(label.count("\n") + 1 for label in labels)
            figure.set_size_inches(SCREEN_WIDTH_INCHES, 2.2 + max(0.36, 0.19 * lines + 0.1) * len(labels))
            axes.set_xlabel(_wrap(axes.get_xlabel(), 34))
            title, caption = _wrap(title, 30), _wrap(caption, 40)
        figure.suptitle(title, x=0.0, ha="left", fontweight="bold", fontsize=13 if screen else 12)
        figure.text(0.0, -0.02, caption, fontsize=text, color="#444444", ha="left", va="top",
                    transform=figure.transFigure)
        figure.tight_layout()
    return figure


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def smallest_text_points(figure: Figure) -> float:
    """The size of the smallest visible text of a figure, in points of the drawing."""
    sizes = [float(artist.get_fontsize()) for artist in figure.findobj(matplotlib.text.Text)
             if artist.get_visible() and artist.get_text().strip()]
    return min(sizes)


def chart_png(chart: Chart, data_dir: Path, layout: Layout = "screen", style: Path = STYLE,
              sector: str | None = None) -> bytes:
    """Return the chart as PNG bytes, identical for identical input (``screen``: the book's layout)."""
    figure = draw_chart(chart, data_dir, layout, style, sector)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SCREEN_DPI, metadata={"Software": None}, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def sector_chart_png(curriculum: SectorCurriculum, chart: Chart, style: Path = STYLE) -> bytes:
    """Return one of a sector's charts as PNG bytes for print (the company handout)."""
    return chart_png(chart, data_folder(curriculum), "print", style, curriculum.sector.id)
