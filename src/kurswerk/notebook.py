"""What the module notebooks call: load one item and display its page as Markdown and figures.

The notebooks in ``modules/`` stay thin: a ``parameters`` cell, then one call into this module.
"""

from __future__ import annotations

from pathlib import Path

from kurswerk.errors import InputError, Location
from kurswerk.load import load_sector
from kurswerk.model import EDITIONS, Edition, SectorCurriculum
from kurswerk.render.figures import chart_info, chart_png, data_folder
from kurswerk.render.markdown import module_sections, training_sections
from kurswerk.render.pages import profile_sections


def _display(sections: list[str]) -> None:
    from IPython.display import Markdown, display

    for section in sections:
        display(Markdown(section))


def _sector(curricula: str | Path, sector: str) -> SectorCurriculum:
    return load_sector(Path(curricula) / sector)


def _edition(edition: str) -> Edition:
    if edition not in EDITIONS:
        raise InputError(Location("parameters"), f"edition must be one of {', '.join(EDITIONS)}, not {edition!r}")
    return edition  # type: ignore[return-value]


def show_module(curricula: str | Path, sector: str, module: str, edition: str = "public") -> None:
    """Display a DaA module page; raises :class:`InputError` for an unknown sector or module."""
    curriculum = _sector(curricula, sector)
    try:
        item = curriculum.module(module)
    except KeyError:
        raise InputError(Location(f"{curricula}/{sector}/modules"), f"there is no module {module!r}") from None
    _display(module_sections(curriculum, item, _edition(edition)))


def show_training(curricula: str | Path, sector: str, training: str, edition: str = "public") -> None:
    """Display an intercultural-opening training page."""
    curriculum = _sector(curricula, sector)
    try:
        item = curriculum.training(training)
    except KeyError:
        raise InputError(Location(f"{curricula}/{sector}/trainings"), f"there is no training {training!r}") from None
    _display(training_sections(curriculum, item, _edition(edition)))


def show_profile(curricula: str | Path, sector: str, figures: str | Path = "_figures") -> None:
    """Display the sector overview; writes its charts as PNG files into ``figures``."""
    curriculum = _sector(curricula, sector)
    folder = Path(figures)
    folder.mkdir(parents=True, exist_ok=True)
    shown = []
    for chart in curriculum.sector.charts:
        path = folder / f"{sector}-{chart.chart}.png"
        path.write_bytes(chart_png(chart, data_folder(curriculum)))
        shown.append((path.as_posix(), chart_info(chart, data_folder(curriculum))))
    _display(profile_sections(curriculum, shown))
