"""The dask.distributed executor produces the same outputs as the local process pool."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIRST_OUTPUTS, ROOT, build_outputs, copy_fixture_curricula
from kurswerk.build import BuildReport, build
from kurswerk.plan import Project

pytestmark = pytest.mark.slow


def test_local_cluster_matches_local_executor(built_fixture: tuple[Project, BuildReport], tmp_path: Path) -> None:
    """A two-worker LocalCluster build of the fixture curriculum (with PDFs) writes the same notebooks and
    handouts as the session's build of it with the local process pool."""
    pytest.importorskip("distributed")
    local, _ = built_fixture
    cluster = Project.at(ROOT, curricula=copy_fixture_curricula(tmp_path / "curricula"), build=tmp_path / "cluster")
    report = build(cluster, ["public", "trainer"], scheduler="local:2")
    assert report.rebuilt == report.total
    assert (cluster.html_dir("public") / "lager" / "kommissionieren.html").is_file()
    handouts = cluster.build / "handouts"
    documents = sorted(str(path.relative_to(handouts).with_suffix("")) for path in handouts.rglob("*.docx"))
    assert documents and sorted(str(path.relative_to(handouts).with_suffix(""))
                                for path in handouts.rglob("*.pdf")) == documents, "the workers convert too"
    expected, produced = FIRST_OUTPUTS[local.build], build_outputs(cluster)
    assert len(expected) > 10
    assert produced.keys() == expected.keys()
    differing = [name for name in expected if produced[name] != expected[name]]
    assert not differing
