"""Handouts as DOCX and PDF, set so that no handout ends on a nearly empty page.

Each part is written at the loosest setting first and converted with LibreOffice; a handout whose
last page holds less than :data:`MIN_LAST_PAGE` of a page of text is set again, tighter or with its
last section on a new page (see :data:`~kurswerk.render.docx_base.FITS`), and converted again. All
handouts of a round go to LibreOffice in one call. The result depends only on the input and the
LibreOffice version, so it is as deterministic as the PDF itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kurswerk.model import SectorCurriculum
from kurswerk.packets import Part
from kurswerk.render.docx import TEMPLATE, write_part
from kurswerk.render.docx_base import FITS
from kurswerk.render.pdf import convert_to_pdf, page_fill

MIN_LAST_PAGE = 0.25
"""The last page of a handout holds at least this share of a page of text."""


def last_page_fill(pdf: Path) -> float:
    """Return how full the last page is (1.0 for a one-page handout: nothing to move)."""
    fills = page_fill(pdf)
    return 1.0 if len(fills) <= 1 else fills[-1]


def write_handouts(curriculum: SectorCurriculum, parts: Sequence[Part], folder: Path, template: Path = TEMPLATE,
                   *, profile: Path | None = None) -> list[Path]:
    """Write every part as DOCX and PDF into ``folder``; returns the DOCX paths, then the PDF paths.

    Raises :class:`~kurswerk.errors.BuildError` if the template cannot be opened or LibreOffice fails.
    """
    tried = {part.file_name: 0 for part in parts}
    fills: dict[str, dict[int, float]] = {part.file_name: {} for part in parts}
    settled: set[str] = set()
    pending = list(parts)
    while pending:
        written = [write_part(curriculum, part, folder, template, FITS[tried[part.file_name]]) for part in pending]
        pdfs = convert_to_pdf(written, folder, profile=profile)
        again = []
        for part, pdf in zip(pending, pdfs, strict=True):
            name = part.file_name
            fills[name][tried[name]] = last_page_fill(pdf)
            if fills[name][tried[name]] >= MIN_LAST_PAGE or name in settled:
                continue
            if tried[name] + 1 < len(FITS):
                tried[name] += 1
                again.append(part)
                continue
            settled.add(name)
            best = max(fills[name], key=lambda fit: (fills[name][fit], -fit))
            if best != tried[name]:
                tried[name] = best
                again.append(part)
        pending = again
    return [folder / part.file_name for part in parts] + [folder / part.pdf_name for part in parts]
