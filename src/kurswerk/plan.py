"""The build matrix: one target per (sector × module|training|profile|handouts × edition).

Each target carries a content hash of everything it depends on: its curriculum files, the
notebook or Word template, the reference data and the kit's own code. A target whose hash is
unchanged since the last successful build is not redone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from kurswerk.model import Catalogue, Edition, SectorCurriculum

TargetKind = Literal["notebook", "handouts", "pages"]
PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    """Where a project's inputs and outputs live."""

    root: Path
    curricula: Path
    modules: Path
    templates: Path
    build: Path

    @classmethod
    def at(cls, root: Path, curricula: Path | None = None, build: Path | None = None) -> Project:
        """Return the standard layout under ``root``, with optional other curricula or build folders."""
        root = root.resolve()
        return cls(
            root=root,
            curricula=(curricula or root / "curricula").resolve(),
            modules=root / "modules",
            templates=root / "templates",
            build=(build or root / "build").resolve(),
        )

    def book_dir(self, edition: Edition) -> Path:
        return self.build / ("book" if edition == "public" else "book-trainer")

    def html_dir(self, edition: Edition) -> Path:
        return self.build / ("html" if edition == "public" else "html-trainer")

    @property
    def work(self) -> Path:
        return self.build / ".work"


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


def sector_targets(project: Project, curriculum: SectorCurriculum, edition: Edition) -> list[Target]:
    """Return the notebook and handout targets of one sector in one edition."""
    sector = curriculum.sector.id
    book = project.book_dir(edition) / sector
    base = {"curricula": str(project.curricula), "sector": sector, "edition": edition}
    sector_file = [Path(curriculum.files["sector"])]
    targets = []
    profile_inputs = [*_files(curriculum), *sorted((project.curricula / "data").glob("*")),
                      project.modules / "sektor_profil.ipynb", project.templates / "kurswerk.mplstyle"]
    profile = project.modules / "sektor_profil.ipynb"
    targets.append(_notebook(f"{edition}:{sector}:profil", sector, "profil", edition, profile, book / "index.ipynb",
                             {**base, "figures": str(book / "_figures"), "figures_url": "_figures"}, profile_inputs))
    for module in curriculum.modules:
        inputs = [*sector_file, Path(curriculum.files[f"module:{module.id}"]), project.modules / "daa_szenario.ipynb"]
        targets.append(_notebook(f"{edition}:{sector}:{module.id}", sector, module.id, edition,
                                 project.modules / "daa_szenario.ipynb", book / f"{module.id}.ipynb",
                                 {**base, "module": module.id}, inputs))
    for training in curriculum.trainings:
        inputs = [*sector_file, Path(curriculum.files[f"training:{training.id}"]), project.modules / "ikoe_training.ipynb"]
        targets.append(_notebook(f"{edition}:{sector}:{training.id}", sector, training.id, edition,
                                 project.modules / "ikoe_training.ipynb", book / f"{training.id}.ipynb",
                                 {**base, "training": training.id}, inputs))
    handout_inputs = [*_files(curriculum), *sorted((project.curricula / "data").glob("*")),
                      project.templates / "handout.docx", project.templates / "kurswerk.mplstyle"]
    targets.append(Target(id=f"{edition}:{sector}:handouts", kind="handouts", sector=sector, item="handouts",
                          edition=edition, output=str(project.work / "handouts" / edition / sector),
                          digest=_digest(handout_inputs, edition)))
    return targets


def _notebook(target_id: str, sector: str, item: str, edition: Edition, template: Path, output: Path,
              parameters: dict[str, str], inputs: list[Path]) -> Target:
    return Target(id=target_id, kind="notebook", sector=sector, item=item, edition=edition, template=str(template),
                  output=str(output), parameters=parameters, digest=_digest(inputs, parameters))


def plan_build(project: Project, catalogue: Catalogue, editions: Iterable[Edition]) -> list[Target]:
    """Return every target of a build, in a stable order."""
    return [target for edition in editions for curriculum in catalogue.sectors
            for target in sector_targets(project, curriculum, edition)]


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
        return self.digests.get(target.id) == target.digest and Path(target.output).exists()

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
