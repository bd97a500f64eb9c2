"""The reference tables behind the sector charts, without drawing: which rows a chart shows and for whom.

``curricula/data/sources.yml`` names, for every chart kind, its CSV file, title, source and either
a fixed ``year`` or a year column, the column whose values name the rows (``category``) and, under
``sectors``, which rows speak for which sector (``row: [sector id, …]``). A chart may only highlight
rows of its table, and at least one row that speaks for its own sector; a table with several years
is drawn for one year at a time (the chart's ``year``). :func:`chart_problems` finds what breaks
these rules (``kurswerk check``), :func:`chart_rows` gives the rows to draw and refuses the same.

This module reads no matplotlib, so that ``kurswerk check`` stays quick.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kurswerk.errors import quoted
from kurswerk.model import Chart

YEAR_COLUMN = "jahr"
"""A table with this column holds figures of one or more years; a chart shows one of them."""

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class ChartProblem:
    """A rule a chart breaks: finding code, key path below the chart in ``sector.yml``, German message."""

    code: str
    key_path: KeyPath
    message: str


class ChartDataError(ValueError):
    """The chart cannot be drawn from its table (the check reports the same as a finding)."""

    def __init__(self, problems: list[ChartProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


@dataclass(frozen=True)
class ChartSource:
    """One entry of ``sources.yml``: where a chart kind's figures come from and whom they speak for."""

    name: str
    file: str
    title: str
    source: str
    year: str | None
    category: str
    sectors: dict[str, tuple[str, ...]]

    @classmethod
    def from_entry(cls, name: str, entry: dict[str, Any]) -> ChartSource:
        """Read an entry of ``sources.yml``; raises :class:`ValueError` (German) if a field is missing."""
        missing = [key for key in ("file", "title", "source", "category") if not isinstance(entry.get(key), str)]
        if missing:
            raise ValueError(f"{quoted(name)} in curricula/data/sources.yml fehlt: {', '.join(missing)}")
        sectors = entry.get("sectors") or {}
        if not isinstance(sectors, dict) or not all(isinstance(ids, list) for ids in sectors.values()):
            raise ValueError(f"{quoted(name)} in curricula/data/sources.yml: „sectors“ muss jeder Zeile eine Liste "
                             "von Branchen-ids zuordnen („Zeile: [branche]“)")
        year = entry.get("year")
        return cls(name=name, file=entry["file"], title=entry["title"], source=entry["source"],
                   year=None if year is None else str(year), category=entry["category"],
                   sectors={str(row): tuple(str(sector) for sector in ids) for row, ids in sectors.items()})

    def speaks_for(self, row: str, sector: str) -> bool:
        """Whether the table's row ``row`` is a figure about the sector ``sector``."""
        return sector in self.sectors.get(row, ())


def parse_rows(text: str) -> list[dict[str, str]]:
    """Return the rows of a CSV text (raises :class:`csv.Error` on broken CSV)."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_rows(data_dir: Path, source: ChartSource) -> list[dict[str, str]]:
    """Return the rows of a chart kind's CSV file."""
    return parse_rows((data_dir / source.file).read_text(encoding="utf-8"))


def table_years(rows: list[dict[str, str]]) -> list[str]:
    """The years of a table with a ``jahr`` column, in order of appearance (empty without that column)."""
    years: list[str] = []
    for row in rows:
        year = (row.get(YEAR_COLUMN) or "").strip()
        if year and year not in years:
            years.append(year)
    return years


def chart_problems(chart: Chart, source: ChartSource, rows: list[dict[str, str]],
                   sector: str | None) -> list[ChartProblem]:
    """Return what keeps ``chart`` of sector ``sector`` from being a sourced chart about that sector.

    Without ``sector`` only the table's own rules apply (one year, highlighted rows exist)."""
    problems: list[ChartProblem] = []
    table = f"curricula/data/{source.file}"
    years = table_years(rows)
    if years and len(years) > 1 and chart.year is None:
        problems.append(ChartProblem("E-CHART-YEAR", ("chart",),
                                     f"{table} enthält mehrere Jahre ({', '.join(years)}); ein Diagramm zeigt nur "
                                     f"eines: „year: {years[-1]}“ ergänzen"))
        return problems
    if chart.year is not None and str(chart.year) not in (years or [source.year or ""]):
        shown = ", ".join(years) if years else (source.year or "ohne Jahresangabe")
        problems.append(ChartProblem("E-CHART-YEAR", ("year",),
                                     f"{chart.year} steht nicht in {table} (Jahre: {shown})"))
        return problems
    if not years and not source.year:
        problems.append(ChartProblem("E-CHART-YEAR", ("chart",),
                                     f"{quoted(chart.chart)} hat in curricula/data/sources.yml kein Jahr („year“) "
                                     f"und {table} keine Spalte „{YEAR_COLUMN}“"))
        return problems
    shown_rows = _of_year(rows, chart.year)
    if any(source.category not in row for row in shown_rows):
        problems.append(ChartProblem("E-DATA-MISSING", ("chart",),
                                     f"{table} hat keine Spalte {quoted(source.category)} (sources.yml: category)"))
        return problems
    categories = [row[source.category] for row in shown_rows]
    own = 0
    for number, name in enumerate(chart.highlight):
        if name not in categories:
            year = f" des Jahres {chart.year}" if chart.year is not None else ""
            problems.append(ChartProblem("E-CHART-ROW", ("highlight", number),
                                         f"{quoted(name)} ist keine Zeile{year} in {table} (Spalte "
                                         f"{quoted(source.category)}: {', '.join(quoted(row) for row in categories)})"))
        elif sector is not None and not source.speaks_for(name, sector):
            problems.append(ChartProblem("E-CHART-SECTOR", ("highlight", number),
                                         f"{quoted(name)} ist keine Zahl über die Branche {quoted(sector)} "
                                         "(curricula/data/sources.yml, „sectors“); ein Diagramm zeigt Zahlen der "
                                         "eigenen Branche"))
        else:
            own += 1
    if sector is not None and (not chart.highlight or (own == 0 and not problems)):
        mine = [row for row in categories if source.speaks_for(row, sector)]
        hint = (f"hervorheben: {', '.join(quoted(row) for row in mine)}" if mine
                else "die Tabelle hat keine Zeile für diese Branche; ohne eigene Zahl kein Diagramm")
        problems.append(ChartProblem("E-CHART-SECTOR", ("highlight",) if chart.highlight else ("chart",),
                                     f"{quoted(chart.chart)} hebt keine Zeile der Branche {quoted(sector)} hervor "
                                     f"({hint})"))
    return problems


def _of_year(rows: list[dict[str, str]], year: int | None) -> list[dict[str, str]]:
    if year is None:
        return rows
    return [row for row in rows if (row.get(YEAR_COLUMN) or "").strip() in ("", str(year))]


def chart_year(chart: Chart, source: ChartSource, rows: list[dict[str, str]]) -> str:
    """The one year (or period) the chart shows: its own ``year``, the table's only year or the source's."""
    if chart.year is not None:
        return str(chart.year)
    years = table_years(rows)
    if len(years) == 1:
        return years[0]
    return source.year or ""


def chart_rows(chart: Chart, source: ChartSource, rows: list[dict[str, str]],
               sector: str | None) -> list[dict[str, str]]:
    """Return the rows the chart draws (one year only); raises :class:`ChartDataError` if it breaks a rule."""
    problems = chart_problems(chart, source, rows, sector)
    if problems:
        raise ChartDataError(problems)
    return _of_year(rows, chart.year)
