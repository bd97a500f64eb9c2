"""The funding programme and its regional networks as data: ``curricula/programm.yml`` and
``curricula/netzwerke/<id>.yml``.

The programme file holds what changes between funding phases (name, phase, funders, the
administering body, the funding line of every footer, the text about the programme); no renderer
writes a programme or funder name of its own. A network file holds a regional network's public
organisation data: coordinating body, web address and counselling offices by kind, each with the
source it was taken from. Both are read and validated like curricula (file, line and key path in
every error). A project without ``programm.yml`` builds without a funding line and without
contacts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from kurswerk.errors import InputError, InputErrors, Location
from kurswerk.load import display_path, load_file, read_yaml, validate_document
from kurswerk.model import Slug, Source, Strict, Text

PROGRAMME_FILE = "programm.yml"
NETWORKS_FOLDER = "netzwerke"

LAND_FIGURES = "mikrozensus2018_migrationshintergrund_laender.csv"
"""The Land figures a regional edition shows beside the national one (in ``curricula/data``)."""

OfficeKind = Literal["anerkennung", "faire-integration", "unternehmen"]
OFFICE_KINDS: dict[OfficeKind, str] = {
    "anerkennung": "Anerkennungsberatung",
    "faire-integration": "Faire Integration",
    "unternehmen": "Beratung für Unternehmen",
}
"""Every kind of counselling office, with its German name; a network needs one of each."""


class Organisation(Strict):
    """A public body: full name, the short name it is known by, its web address."""

    name: Text
    short: Text | None = None
    url: Text | None = None


class Office(Strict):
    """A counselling offer: what kind, the organisation that offers it, its public web address."""

    kind: OfficeKind
    name: Text
    offer: Text | None = None
    """What the office does for a company, in one sentence."""
    url: Text


class Programme(Strict):
    """The funding programme: names, phase, funders and the texts every output shows."""

    name: Text
    """The programme's full name as footers and the book's author line show it."""
    short_name: Text
    phase: Text
    funders: list[Organisation] = Field(min_length=1)
    administered_by: Organisation
    funding_line: Text
    """The line under every handout and book page (the phase is added to it)."""
    emblem_text: Text
    """The text of the funders' emblems: under every book page's footer and in the company handout's section on
    the programme (no emblem image is shipped)."""
    url: Text
    description: Text
    """The paragraph about the programme on the book's start page."""
    company_note: Text
    """The paragraph about the programme in the company handout."""
    national_offers: list[Office] = Field(min_length=1)
    """Contacts for companies when no regional network is chosen."""
    sources: list[Source] = Field(min_length=1)

    @property
    def footer(self) -> str:
        """The funding line with the phase: what every footer shows."""
        return f"{self.funding_line} · {self.phase}"


LogoFile = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*\.(png|jpg|jpeg)$", max_length=100)]
"""A logo's file name in ``netzwerke/logos/<id>/``: PNG or JPEG (Word and every browser show them)."""


class Logo(Strict):
    """A logo file the network supplies (in ``netzwerke/logos/<id>/``), with its alt text."""

    file: LogoFile
    alt: Text


class Network(Strict):
    """A regional integration network: public organisation data only, with sources."""

    id: Slug
    name: Text
    land: Text
    """The Land as the Mikrozensus table names it (e.g. ``Nordrhein-Westfalen``)."""
    coordination: Text | None = None
    url: Text
    offices: list[Office] = Field(min_length=1)
    logos: list[Logo] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    note: Text | None = None
    """What the data rest on and what is left out (for whoever maintains the file)."""

    def offices_of(self, kind: OfficeKind) -> list[Office]:
        return [office for office in self.offices if office.kind == kind]


def programme_path(curricula: Path) -> Path:
    return curricula / PROGRAMME_FILE


def network_paths(curricula: Path) -> list[Path]:
    """The network files under ``curricula/netzwerke/``, sorted by id."""
    folder = curricula / NETWORKS_FOLDER
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_programme(curricula: Path) -> Programme | None:
    """Return the programme of ``curricula``, or None if it has no ``programm.yml``; raises :class:`InputErrors`."""
    path = programme_path(curricula)
    if not path.exists():
        return None
    return _load_programme(path.resolve(), path.stat().st_mtime_ns)


@cache
def _load_programme(path: Path, stamp: int) -> Programme:
    programme: Programme = load_file(path, Programme)
    return programme


def load_network(curricula: Path, network_id: str) -> Network:
    """Return one network; raises :class:`InputError` naming the known ones if there is no such file."""
    path = curricula / NETWORKS_FOLDER / f"{network_id}.yml"
    if not path.is_file():
        known = [p.stem for p in network_paths(curricula)]
        shown = ", ".join(known) if known else "keines"
        raise InputError(Location(display_path(curricula / NETWORKS_FOLDER)),
                         f"enthält kein Netzwerk „{network_id}“ (vorhanden: {shown})", code="E-REFERENCE")
    document = read_yaml(path)
    network: Network = validate_document(document, Network)
    if network.id != path.stem:
        raise InputError(Location(display_path(path), document.line_of(("id",)), "id"),
                         f"die id „{network.id}“ muss dem Dateinamen „{path.stem}“ entsprechen", code="E-ID")
    return network


def load_networks(curricula: Path) -> list[Network]:
    """Return every network of ``curricula``; raises :class:`InputErrors` with all errors at once."""
    networks, errors = [], []
    for path in network_paths(curricula):
        try:
            networks.append(load_network(curricula, path.stem))
        except InputErrors as error:
            errors.extend(error.errors)
        except InputError as error:
            errors.append(error)
    if errors:
        raise InputErrors(errors)
    return networks


def curricula_of(curriculum_files: dict[str, str]) -> Path:
    """The curricula root of a loaded sector (the folder above its ``sector.yml``)."""
    return Path(curriculum_files["sector"]).resolve().parent.parent


def contacts(programme: Programme | None, network: Network | None) -> list[Office]:
    """The offices a company is pointed to: the network's, or else the programme's national offers."""
    if network is not None:
        return [office for kind in OFFICE_KINDS for office in network.offices_of(kind)]
    return list(programme.national_offers) if programme is not None else []


def logo_files(curricula: Path, network: Network | None) -> list[tuple[Path, str]]:
    """The network's logo files that exist, with their alt texts (``kurswerk check`` reports missing ones)."""
    if network is None:
        return []
    folder = curricula / NETWORKS_FOLDER / "logos" / network.id
    return [(folder / logo.file, logo.alt) for logo in network.logos if (folder / logo.file).is_file()]


def input_files(curricula: Path, network: str | None = None) -> list[Path]:
    """The programme file and the chosen network's file (with its logos): inputs of every output that shows them."""
    files = [programme_path(curricula)]
    if network:
        files.append(curricula / NETWORKS_FOLDER / f"{network}.yml")
        files.append(curricula / "data" / LAND_FIGURES)
        logos = curricula / NETWORKS_FOLDER / "logos" / network
        files += sorted(path for path in logos.rglob("*") if path.is_file()) if logos.is_dir() else []
    return files
