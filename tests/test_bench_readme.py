"""The README's speed table is the benchmark's output: made by ``bench_build.py`` from the JSON kept beside it."""

from __future__ import annotations

import importlib.util
import json
import sys

from conftest import ROOT

spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "bench_build.py")
assert spec and spec.loader
bench = importlib.util.module_from_spec(spec)
sys.modules["bench_build"] = bench
spec.loader.exec_module(bench)


def test_the_readme_speed_table_is_written_from_the_kept_json() -> None:
    data = json.loads(bench.README_JSON.read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert bench.readme_section(data) in readme


def test_the_kept_tables_follow_from_the_measurements() -> None:
    data = json.loads(bench.README_JSON.read_text(encoding="utf-8"))
    measurements = [bench.Measurement(**item) for item in data["measurements"]]
    assert data["table"] == bench.table(measurements)
    assert data["stages"] == bench.stage_table(measurements)
    for m in measurements:
        assert m.low - 0.01 <= m.seconds <= m.high + 0.01, m  # the runs are kept rounded to 0.01 s
        assert len(m.runs) == int(data["runs"][str(m.size)]) or m.step == "naive", m
    steps = {(m.size, m.step) for m in measurements}
    assert {(1, "naive"), (1, "cold"), (1, "no-op"), (1, "edit one module"), (5, "cold")} <= steps


def test_merge_names_where_each_row_comes_from() -> None:
    one = {"machine": {"cores": 2, "python": "3.11", "system": "x"}, "date": "2026-01-01", "runs": {"1": 1},
           "note": "morning", "measurements": [
               {"size": 1, "step": "cold", "seconds": 10.0, "peak_mib": 5.0, "notebooks": 8, "runs": [10.0]},
               {"size": 1, "step": "no-op", "seconds": 1.0, "peak_mib": 5.0, "notebooks": 8, "runs": [1.0]}]}
    two = {**one, "date": "2026-01-02", "note": "", "measurements": [
        {"size": 1, "step": "cold", "seconds": 20.0, "peak_mib": 5.0, "notebooks": 8, "runs": [20.0]}]}
    merged = bench.merge([one, two], ["a.json", "b.json"])
    assert merged["date"] == "2026-01-01 – 2026-01-02"
    assert merged["sources"] == [
        {"file": "a.json", "date": "2026-01-01", "steps": ["size 1: no-op"], "note": "morning"},
        {"file": "b.json", "date": "2026-01-02", "steps": ["size 1: cold"]}]
    assert "5.0% of cold" in merged["table"]  # the later file's cold replaced the earlier one's
