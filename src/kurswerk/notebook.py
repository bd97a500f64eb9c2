"""What the module notebooks call: load one item and display its page as Markdown and figures.

The notebooks in ``modules/`` stay thin: a ``parameters`` cell, then one call into this module.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kurswerk.errors import InputError, Location
from kurswerk.load import load_file, load_sector, load_translation_files, with_translations
from kurswerk.model import EDITIONS, Edition, Glossary, Module, Sector, SectorCurriculum, Training
from kurswerk.render.markdown import module_sections, training_sections
from kurswerk.render.pages import profile_sections

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _display(sections: list[str]) -> None:
    from IPython.display import Markdown, display

    for section in sections:
        display(Markdown(section))


def _sector(curricula: str | Path | None, sector: str, drafts: bool = True) -> SectorCurriculum:
    return load_sector(_folder(curricula, sector), drafts)


def find_curricula(given: str | Path | None = None) -> Path:
    """Return the curricula folder: ``given`` if it is one, else the project's, from any working folder.

    Looked for in this order: ``given`` (relative to the working folder); ``$KURSWERK_CURRICULA``;
    ``curricula/`` in the working folder or one above it (a notebook in ``modules/`` runs there in
    JupyterLab); the project this package was installed from (``pip install -e``).
    """
    if given:
        return Path(given)
    candidates = [Path(os.environ["KURSWERK_CURRICULA"])] if os.environ.get("KURSWERK_CURRICULA") else []
    here = Path.cwd()
    candidates += [folder / "curricula" for folder in (here, *here.parents)]
    candidates.append(Path(__file__).resolve().parents[2] / "curricula")
    for candidate in candidates:
        if any(candidate.glob("*/sector.yml")):
            return candidate
    raise InputError(Location("parameters", key_path="curricula"),
                     "Kein Ordner curricula/ gefunden: Setzen Sie den Parameter curricula auf den Ordner mit den "
                     "Kursplänen oder die Umgebungsvariable KURSWERK_CURRICULA", code="E-READ")


def _folder(curricula: str | Path | None, sector: str) -> Path:
    if not SLUG.match(sector):
        raise InputError(Location("parameters", key_path="sector"), f"„{sector}“ ist keine gültige Kennung einer Branche")
    return find_curricula(curricula) / sector


def _single(curricula: str | Path | None, sector: str, kind: str, item_id: str) -> SectorCurriculum:
    """Load the sector file and one module or training only (a page needs no more)."""
    folder = _folder(curricula, sector)
    if not SLUG.match(item_id):
        raise InputError(Location("parameters", key_path=kind), f"„{item_id}“ ist keine gültige Kennung")
    path = folder / f"{kind}s" / f"{item_id}.yml"
    if not path.is_file():
        what = "kein Modul" if kind == "module" else "kein Training"
        raise InputError(Location(str(folder / f"{kind}s")), f"es gibt {what} „{item_id}“", code="E-REFERENCE")
    model = Module if kind == "module" else Training
    item = load_file(path, model)
    modules, trainings = ([item], []) if kind == "module" else ([], [item])
    files = {"sector": str(folder / "sector.yml"), f"{kind}:{item_id}": str(path)}
    translation_files, translation_paths = load_translation_files(folder)
    return with_translations(SectorCurriculum(
        sector=load_file(folder / "sector.yml", Sector), modules=modules, trainings=trainings, glossary=Glossary(),
        files={**files, **translation_paths}, translation_files=translation_files))


def _edition(edition: str) -> Edition:
    for known in EDITIONS:
        if edition == known:
            return known
    raise InputError(Location("parameters"), f"die Ausgabe (edition) muss {' oder '.join(EDITIONS)} sein, "
                     f"nicht „{edition}“")


def show_module(curricula: str | Path | None, sector: str, module: str, edition: str = "public") -> None:
    """Display a DaA module page; raises :class:`InputError` for an unknown sector or module."""
    curriculum = _single(curricula, sector, "module", module)
    _display(module_sections(curriculum, curriculum.modules[0], _edition(edition)))


def show_training(curricula: str | Path | None, sector: str, training: str, edition: str = "public") -> None:
    """Display an intercultural-opening training page."""
    curriculum = _single(curricula, sector, "training", training)
    _display(training_sections(curriculum, curriculum.trainings[0], _edition(edition)))


def show_profile(
    curricula: str | Path | None, sector: str, figures: str | Path = "_figures", figures_url: str | None = None,
    drafts: bool | str = True, style: str | Path | None = None,
) -> None:
    """Display the sector overview; writes its charts as PNG files into ``figures``.

    ``figures_url`` is how the page refers to that folder (default: ``figures`` as given);
    ``drafts`` ("no" or False) leaves out modules and trainings marked ``draft: true``; ``style`` is
    the project's ``kurswerk.mplstyle`` (default: the one of the kit's checkout).
    """
    from kurswerk.render.figures import STYLE, chart_info, chart_png, data_folder

    curriculum = _sector(curricula, sector, drafts not in (False, "no"))
    folder = Path(figures)
    folder.mkdir(parents=True, exist_ok=True)
    shown = []
    for chart in curriculum.sector.charts:
        path = folder / f"{sector}-{chart.chart}.png"
        path.write_bytes(chart_png(chart, data_folder(curriculum), "screen", Path(style) if style else STYLE,
                                   curriculum.sector.id))
        link = f"{figures_url or Path(figures).as_posix()}/{path.name}"
        shown.append((link, chart_info(chart, data_folder(curriculum))))
    _display(profile_sections(curriculum, shown))
