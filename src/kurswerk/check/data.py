"""The reference data behind the sector charts: every chart names an entry of ``curricula/data/sources.yml``
whose CSV file exists, is readable UTF-8 and has rows (``E-DATA-MISSING``), and is a chart about its
sector: one year of its table (``E-CHART-YEAR``), highlighted rows that exist (``E-CHART-ROW``), at
least one of them a figure about the sector (``E-CHART-SECTOR``; rules in :mod:`kurswerk.chartdata`).

The build draws the charts from these files; this check finds a missing or broken file, or a chart
that would show figures of another sector or mix years, with the ``sector.yml`` line that asks for it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from kurswerk.chartdata import ChartSource, chart_problems, parse_rows
from kurswerk.check.findings import Finding, Problem
from kurswerk.check.lines import Documents
from kurswerk.errors import InputError, quoted
from kurswerk.load import read_yaml
from kurswerk.model import SectorCurriculum
from kurswerk.yamlfile import Refusal, read_limited


def chart_data_problems(curriculum: SectorCurriculum) -> list[Problem]:
    """Return a problem for each chart whose reference data is missing, unreadable or empty."""
    if not curriculum.sector.charts:
        return []
    data_dir = Path(curriculum.files["sector"]).parent.parent / "data"
    try:
        sources = read_yaml(data_dir / "sources.yml", within=data_dir.parent).data
    except InputError as error:
        return [Problem("E-DATA-MISSING", ("charts",), f"die Quellen der Diagramme fehlen: {error}")]
    problems = []
    for number, chart in enumerate(curriculum.sector.charts):
        entry = sources.get(chart.chart) if isinstance(sources, dict) else None
        where = ("charts", number, "chart")
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            problems.append(Problem("E-DATA-MISSING", where,
                                    f"{quoted(chart.chart)} steht nicht mit einer Datei in curricula/data/sources.yml"))
            continue
        try:
            source = ChartSource.from_entry(chart.chart, entry)
        except ValueError as error:
            problems.append(Problem("E-DATA-MISSING", where, str(error)))
            continue
        path = data_dir / source.file
        try:
            rows = parse_rows(read_limited(path, within=data_dir.parent).decode("utf-8"))
        except Refusal as refusal:
            problems.append(Problem("E-DATA-MISSING", where, f"curricula/data/{source.file} {refusal.message}"))
            continue
        except (UnicodeDecodeError, csv.Error) as error:
            problems.append(Problem("E-DATA-MISSING", where,
                                    f"curricula/data/{source.file} ist keine lesbare CSV-Datei in UTF-8 ({error})"))
            continue
        if not rows:
            problems.append(Problem("E-DATA-MISSING", where, f"curricula/data/{source.file} enthält keine Zeilen"))
            continue
        problems += [Problem(problem.code, ("charts", number, *problem.key_path), problem.message)
                     for problem in chart_problems(chart, source, rows, curriculum.sector.id)]
    return problems


def data_findings(curriculum: SectorCurriculum, documents: Documents) -> list[Finding]:
    """Return the chart data findings of one sector, at the chart's line in ``sector.yml``."""
    return documents.findings(Path(curriculum.files["sector"]), chart_data_problems(curriculum))
