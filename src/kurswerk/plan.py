"""The build matrix: one target per (sector × module|training|profile|handouts × edition).

Each target carries a content hash of everything it depends on: its curriculum files, the
notebook or Word template, the reference data and the kit's own code. A target whose hash is
unchanged since the last successful build is not redone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

from kurswerk.model import Catalogue, Edition, SectorCurriculum
from kurswerk.packets import HELP_LEVELS, HelpLevel, plan_parts
from kurswerk.programme import input_files

TargetKind = Literal["notebook", "handouts", "pages"]
TRAINING_PARTS = ("participants", "leader", "training-material")
NETWORKS = "netzwerke"
"""The folder under ``build/`` that holds the regional editions."""
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live."""

    root: Path
    curricula: Path
    modules: Path
    templates: Path
    build: Path
    network: str | None = None
    """The regional network of this edition (``curricula/netzwerke/<id>.yml``), or None: the national one."""

    @classmethod
    def at(cls, root: Path, curricula: Path | None = None, build: Path | None = None,
           network: str | None = None) -> Project:
        """Return the standard layout under ``root``, with optional other curricula or build folders.

        A regional edition (``network``) is built into ``<build>/netzwerke/<network>/``, with a cache of its own.
        """
        root = _resolved(root)
        folder = _resolved(build or root / "build")
        return cls(
            root=root,
            curricula=_resolved(curricula or root / "curricula"),
            modules=root / "modules",
            templates=root / "templates",
            build=folder / NETWORKS / network if network else folder,
            network=network,
        )

    def for_network(self, network: str | None) -> Project:
        """The same project for another regional network (None: the national edition), in its own folder."""
        base = self.build.parent.parent if self.network else self.build
        return replace(self, build=base / NETWORKS / network if network else base, network=network)

    def book_dir(self, edition: Edition) -> Path:
        return self.build / ("book" if edition == "public" else "book-trainer")

    def html_dir(self, edition: Edition) -> Path:
        return self.build / ("html" if edition == "public" else "html-trainer")

    @property
    def work(self) -> Path:
        return self.build / ".work"


def _resolved(path: Path) -> Path:
    """``path`` made absolute; a symlink loop is a :class:`~kurswerk.errors.BuildError` naming it."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        from kurswerk.errors import BuildError

        raise BuildError(f"{path}: symbolische Links verweisen im Kreis (Symlink-Schleife).") from None


@dataclass(frozen=True)
class Target:
    """One unit of build work with its inputs and their content hash."""

    id: str
    kind: TargetKind
    sector: str
    item: str
    edition: Edition
    template: str = ""
    output: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    digest: str = ""
    shared: bool = False
    """Used by every edition (the sector overview), built once."""


def _digest(paths: Iterable[Path], extra: object = None) -> str:
    hasher = hashlib.sha256()
    for path in sorted(set(paths)):
        hasher.update(str(path).encode())
        hasher.update(path.read_bytes() if path.is_file() else b"<missing>")
    hasher.update(json.dumps(extra, sort_keys=True, default=str).encode())
    hasher.update(code_fingerprint().encode())
    return hasher.hexdigest()[:24]


@cache
def code_fingerprint() -> str:
    """A hash of the kit's own source, so a code change invalidates every target."""
    hasher = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def _files(curriculum: SectorCurriculum, prefix: str = "") -> list[Path]:
    return [Path(path) for key, path in curriculum.files.items() if key.startswith(prefix)]


def sector_targets(project: Project, curriculum: SectorCurriculum, edition: Edition,
                   help_levels: Sequence[HelpLevel] = HELP_LEVELS, *, pdf: bool = True,
                   drafts: bool = False) -> list[Target]:
    """Return the notebook and handout targets of one sector in one edition.

    ``curriculum`` holds what is built (without drafts unless ``drafts``); the workers load the
    sector again and leave drafts out the same way.
    """
    return (_notebook_targets(project, curriculum, edition)
            + _handout_targets(project, curriculum, edition, help_levels, pdf, drafts))


def _course_outline(curriculum: SectorCurriculum) -> list[list[object]]:
    """What the sector overview shows of its modules and trainings (titles, levels, units)."""
    outline: list[list[object]] = [[m.id, m.title, m.level, m.duration_ue] for m in curriculum.modules]
    return outline + [[t.id, t.title] for t in curriculum.trainings]


def _notebook_targets(project: Project, curriculum: SectorCurriculum, edition: Edition) -> list[Target]:
    sector = curriculum.sector.id
    book = project.book_dir(edition) / sector
    base = {"curricula": str(project.curricula), "sector": sector, "edition": edition}
    sector_file = [Path(curriculum.files["sector"])]
    targets = []
    for kind, items, template in (("module", curriculum.modules, "daa_szenario.ipynb"),
                                  ("training", curriculum.trainings, "ikoe_training.ipynb")):
        for item in items:
            inputs = [*sector_file, Path(curriculum.files[f"{kind}:{item.id}"]), project.modules / template,
                      *_files(curriculum, "translations:")]
            targets.append(_notebook(f"{edition}:{sector}:{item.id}", sector, item.id, edition,
                                     project.modules / template, book / f"{item.id}.ipynb",
                                     {**base, kind: item.id}, inputs))
    return targets


def _handout_targets(project: Project, curriculum: SectorCurriculum, edition: Edition,
                     help_levels: Sequence[HelpLevel], pdf: bool, drafts: bool = False) -> list[Target]:
    sector = curriculum.sector.id
    folder = project.work / "handouts" / edition / sector
    common = [Path(curriculum.files["sector"]), project.templates / "handout.docx", *_files(curriculum, "translations:"),
              *input_files(project.curricula, project.network)]  # footers and the company handout show them
    # Sector-wide parts read every file but the modules, and of the modules only what SECTOR_PARTS
    # names: an edit to a dialogue or an exercise leaves the glossary, word lists and company handout alone.
    sector_wide = [*_files_but_modules(curriculum), *sorted((project.curricula / "data").glob("*")), *common,
                   project.templates / "kurswerk.mplstyle"]
    targets = []
    for part in plan_parts(curriculum, edition, help_levels):
        source = curriculum.files.get(f"{'training' if part.kind in TRAINING_PARTS else 'module'}:{part.item}")
        if part.kind in SECTOR_PARTS or not source:
            inputs, extra = sector_wide, [_course_outline(curriculum), _module_share(curriculum, part.kind)]
        else:
            inputs, extra = [*common, Path(source)], []
        targets.append(Target(id=f"{edition}:{sector}:{part.file_name}", kind="handouts", sector=sector,
                              item=part.file_name, edition=edition, output=str(folder / part.file_name),
                              parameters={"pdf": "yes" if pdf else "no", "drafts": "yes" if drafts else "no"},
                              digest=_digest(inputs, [edition, part.kind, part.item, part.help, pdf, *extra])))
    return targets


SECTOR_PARTS: dict[str, tuple[str, ...]] = {
    "company": ("title", "phrases"),
    "glossary": ("title", "vocabulary"),
    "wordlist": ("title", "vocabulary"),
}
"""Part made from the whole sector → the module fields it shows (its builder in render/ reads no other)."""


def _files_but_modules(curriculum: SectorCurriculum) -> list[Path]:
    return [Path(path) for key, path in curriculum.files.items() if not key.startswith("module:")]


def _module_share(curriculum: SectorCurriculum, kind: str) -> list[object]:
    """The module content a sector-wide part shows, in the order the part shows it (every field for
    a kind not in SECTOR_PARTS)."""
    fields = set(SECTOR_PARTS[kind]) if kind in SECTOR_PARTS else None
    return [[module.id, module.model_dump(mode="json", include=fields)] for module in curriculum.ordered_modules]


def _notebook(target_id: str, sector: str, item: str, edition: Edition, template: Path, output: Path,
              parameters: dict[str, str], inputs: list[Path], extra: object = None) -> Target:
    return Target(id=target_id, kind="notebook", sector=sector, item=item, edition=edition, template=str(template),
                  output=str(output), parameters=parameters, digest=_digest(inputs, [parameters, extra]))


def profile_target(project: Project, curriculum: SectorCurriculum, drafts: bool = False) -> Target:
    """The sector overview: the same page in every edition, so it is executed once and shared."""
    sector = curriculum.sector.id
    folder = project.work / "profiles" / sector
    profile = project.modules / "sektor_profil.ipynb"
    inputs = [Path(curriculum.files["sector"]), *sorted((project.curricula / "data").glob("*")), profile,
              project.templates / "kurswerk.mplstyle"]
    parameters = {"curricula": str(project.curricula), "sector": sector, "edition": "public",
                  "figures": str(folder / "_figures"), "figures_url": "_figures", "drafts": "yes" if drafts else "no",
                  "style": str(project.templates / "kurswerk.mplstyle")}
    target = _notebook(f"{sector}:profil", sector, "profil", "public", profile, folder / "index.ipynb", parameters,
                       inputs, _course_outline(curriculum))
    return replace(target, shared=True)


def plan_build(project: Project, catalogue: Catalogue, editions: Iterable[Edition],
               help_levels: Sequence[HelpLevel] = HELP_LEVELS, *, pdf: bool = True,
               drafts: bool = False) -> list[Target]:
    """Return every target of a build, in a stable order: shared profiles first, then per edition.

    Reads the project's ``_config.yml`` first: a broken one stops the build before any work, with
    file and line (:class:`~kurswerk.errors.InputError`).
    """
    from kurswerk.book import read_book_config  # book imports this module

    editions = list(editions)
    if editions:
        read_book_config(project)
    profiles = [profile_target(project, curriculum, drafts) for curriculum in catalogue.sectors] if editions else []
    return profiles + [target for edition in editions for curriculum in catalogue.sectors
                       for target in sector_targets(project, curriculum, edition, help_levels, pdf=pdf,
                                                    drafts=drafts)]


class Manifest:
    """The digests of the targets that last completed, stored as JSON in the work folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.digests: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.digests = {}

    def is_current(self, target: Target) -> bool:
        """True when the target's output exists and its digest matches the last completed build."""
        output = Path(target.output)
        needs_pdf = target.parameters.get("pdf") == "yes" and output.suffix == ".docx"  # decks and quizzes have none
        made = output.exists() and (not needs_pdf or output.with_suffix(".pdf").exists())
        return self.digests.get(target.id) == target.digest and made

    def record(self, target: Target) -> None:
        self.digests[target.id] = target.digest

    def forget(self, target_id: str) -> None:
        self.digests.pop(target_id, None)

    def save(self) -> None:
        """Write atomically, so a killed build never leaves a half-written manifest."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".tmp")
        scratch.write_text(json.dumps(self.digests, indent=1, sort_keys=True), encoding="utf-8")
        scratch.replace(self.path)
