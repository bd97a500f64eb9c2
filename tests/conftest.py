"""Shared fixtures: the repository root, and a small fixture curriculum built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kurswerk.build import BuildReport, build
from kurswerk.plan import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "check" / "good"


def copy_fixture_curricula(target: Path) -> Path:
    """Copy the fixture curriculum and the reference data into ``target``; returns it."""
    shutil.copytree(FIXTURE, target)
    shutil.copytree(ROOT / "curricula" / "data", target / "data")
    return target


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The fixture curriculum built end to end (both editions) with real kernels and Sphinx."""
    base = tmp_path_factory.mktemp("fixture")
    project = Project.at(ROOT, curricula=copy_fixture_curricula(base / "curricula"), build=base / "build")
    report = build(project, ["public", "trainer"], jobs=2)
    return project, report
