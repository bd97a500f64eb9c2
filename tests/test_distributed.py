"""The dask.distributed executor produces the same outputs as the local process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, copy_fixture_curricula
from kurswerk.build import build
from kurswerk.plan import Project

pytestmark = pytest.mark.slow


def outputs(project: Project) -> dict[str, bytes]:
    """Executed notebooks and handouts of a build, by path relative to the build folder.

    The notebooks name the build folder in their parameters; that path is normalised.
    """
    files = [*project.book_dir("public").rglob("*.ipynb"), *(project.build / "handouts").rglob("*.docx")]
    return {str(path.relative_to(project.build)): path.read_bytes().replace(str(project.build).encode(), b"BUILD")
            for path in files}


def test_local_cluster_matches_local_executor(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    curricula = copy_fixture_curricula(tmp_path / "curricula")
    local = Project.at(ROOT, curricula=curricula, build=tmp_path / "local")
    cluster = Project.at(ROOT, curricula=curricula, build=tmp_path / "cluster")
    build(local, ["public"], jobs=2)
    report = build(cluster, ["public"], scheduler="local:2")
    assert report.rebuilt == report.total
    assert (cluster.html_dir("public") / "lager" / "kommissionieren.html").is_file()
    expected, produced = outputs(local), outputs(cluster)
    assert len(expected) > 10
    assert produced.keys() == expected.keys()
    differing = [name for name in expected if produced[name] != expected[name]]
    assert not differing
