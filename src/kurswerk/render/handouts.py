"""Handouts as DOCX and PDF, set so that no handout ends on a nearly empty page.

Each part is written at the loosest setting first and converted with LibreOffice; a handout whose
last page holds less than :data:`MIN_LAST_PAGE` of a page of text is set again, tighter or with its
last section on a new page (see :data:`~kurswerk.render.docx_base.FITS`), and converted again, one
setting per round, until it passes (or the setting with the fullest last page is kept). All
handouts of a round go to LibreOffice in one call: trying one setting a round converts far fewer
files than trying several at once, which costs more than the extra start of LibreOffice. The
result depends only on the input and the LibreOffice version, so it is as deterministic as the PDF
itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kurswerk.model import SectorCurriculum
from kurswerk.packets import Part
from kurswerk.programme import Network
from kurswerk.render.docx import TEMPLATE, write_part
from kurswerk.render.docx_base import FITS
from kurswerk.render.pdf import convert_to_pdf, last_lines, page_fill, prepare_office

MIN_LAST_PAGE = 0.25
"""The last page of a handout holds at least this share of a page of text."""


def last_page_fill(pdf: Path) -> float:
    """Return how full the last page is (1.0 for a one-page handout: nothing to move)."""
    fills = page_fill(pdf)
    return 1.0 if len(fills) <= 1 else fills[-1]


def _try_settings(curriculum: SectorCurriculum, parts: Sequence[Part], tries: range, folder: Path, template: Path,
                  profile: Path | None, network: Network | None = None, cache: Path | None = None
                  ) -> dict[tuple[str, int], float]:
    """Write every part at every setting in ``tries`` into ``.fit/<stem>.<setting>.docx``, convert all in one call.

    Returns (file name, setting) → how full the last page is.
    """
    scratch = folder / ".fit"
    scratch.mkdir(exist_ok=True)
    written = []
    for part in parts:
        for fit in tries:
            path = write_part(curriculum, part, scratch, template, FITS[fit], network)
            written.append((part.file_name, fit, path.replace(scratch / f"{part.stem}.{fit}.docx")))
            if profile is not None:
                prepare_office(written[-1][2], profile, cache)
    pdfs = convert_to_pdf([path for _, _, path in written], scratch, profile=profile, cache=cache)
    return {(name, fit): last_page_fill(pdf) for (name, fit, _), pdf in zip(written, pdfs, strict=True)}


def headings_at_page_foot(docx_file: Path, pdf: Path) -> frozenset[str]:
    """Return the headings that end a page of the PDF (the word processor left them alone there)."""
    import docx

    document = docx.Document(str(docx_file))
    headings = {" ".join(p.text.split()) for p in document.paragraphs
                if p.style is not None and p.style.name.startswith("Heading") and p.text.strip()}
    found = set()
    for line in last_lines(pdf)[:-1]:
        line = " ".join(line.split())
        found |= {heading for heading in headings if line and heading.endswith(line) and len(line) > 3}
    return frozenset(found)


def _keep_headings_with_text(curriculum: SectorCurriculum, parts: Sequence[Part], settings: dict[str, int],
                             folder: Path, template: Path, profile: Path | None, network: Network | None = None,
                             cache: Path | None = None) -> None:
    """Set again, with a page break before each, the parts whose headings end a page; twice at most."""
    breaks = {part.file_name: frozenset[str]() for part in parts}
    pending = list(parts)
    for _ in range(2):
        again = []
        for part in pending:
            found = headings_at_page_foot(folder / part.file_name, folder / part.pdf_name)
            if not found <= breaks[part.file_name]:
                breaks[part.file_name] |= found
                again.append(part)
        pending = again
        if not pending:
            return
        written = [write_part(curriculum, part, folder, template,
                              replace(FITS[settings[part.file_name]], break_before=breaks[part.file_name]), network)
                   for part in pending]
        convert_to_pdf(written, folder, profile=profile, cache=cache)


def write_handouts(curriculum: SectorCurriculum, parts: Sequence[Part], folder: Path, template: Path = TEMPLATE,
                   *, profile: Path | None = None, network: Network | None = None,
                   cache: Path | None = None) -> list[Path]:
    """Write every part as DOCX and PDF into ``folder``; returns the DOCX paths, then the PDF paths, then
    the parts that are no document (Anki deck, Moodle quiz). ``cache``: a PDF cache folder (see
    :mod:`kurswerk.render.pdf_cache`), so an unchanged DOCX is not converted again.

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened or LibreOffice fails.
    """
    exports = [write_part(curriculum, part, folder, template, network=network) for part in parts if not part.is_document]
    parts = [part for part in parts if part.is_document]
    if not parts:
        return exports
    settings: dict[str, int] = {}
    rounds = [range(fit, fit + 1) for fit in range(len(FITS))]
    pending = list(parts)
    for tries in rounds:
        if not pending:
            break
        fills = _try_settings(curriculum, pending, tries, folder, template, profile, network, cache)
        for part in pending:
            passing = [fit for fit in tries if fills[(part.file_name, fit)] >= MIN_LAST_PAGE]
            settings[part.file_name] = passing[0] if passing else max(
                tries, key=lambda fit: (fills[(part.file_name, fit)], -fit))
        pending = [part for part in pending if fills[(part.file_name, settings[part.file_name])] < MIN_LAST_PAGE]
    scratch = folder / ".fit"
    for part in parts:
        chosen = scratch / f"{part.stem}.{settings[part.file_name]}.docx"
        chosen.replace(folder / part.file_name)
        chosen.with_suffix(".pdf").replace(folder / part.pdf_name)
    shutil.rmtree(scratch, ignore_errors=True)
    _keep_headings_with_text(curriculum, parts, settings, folder, template, profile, network, cache)
    return [folder / part.file_name for part in parts] + [folder / part.pdf_name for part in parts] + exports
