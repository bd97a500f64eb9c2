"""Build benchmark: kurswerk against the naive pipeline, on the shipped curricula and a larger copy.

Measures in one run, for each catalogue size:
  (a) naive   — the papermill CLI serially over the same notebooks, then ``jupyter-book build`` from clean
  (b) cold    — ``kurswerk build`` into an empty build folder (notebooks, every DOCX handout, both editions)
  (c) no-op   — ``kurswerk build`` again with nothing changed
  (d) edit    — ``kurswerk build`` after editing one module
  (e) networks — with ``--networks``: ``kurswerk build --netzwerk alle`` (every regional edition) cold and
                 again with nothing changed
Prints a table with ratios and peak memory (whole process tree) and writes JSON.

    .venv/bin/python benchmarks/bench_build.py                    # sizes 1 and 5, naive on size 1
    .venv/bin/python benchmarks/bench_build.py --sizes 1 --naive-sizes 1
    .venv/bin/python benchmarks/bench_build.py --sizes 1 --naive-sizes --networks
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Measurement:
    size: int
    step: str
    seconds: float
    peak_mib: float
    notebooks: int


def run_measured(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command; returns (wall seconds, peak resident memory of its process tree in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def watch() -> None:
        parent = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [parent, *parent.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, errors = process.communicate()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors[-3000:]}")
    return time.perf_counter() - started, peak[0]


def make_catalogue(target: Path, size: int) -> Path:
    """Copy the shipped curricula ``size`` times (sector ids suffixed) into ``target``; returns it."""
    source = ROOT / "curricula"
    shutil.copytree(source / "data", target / "data")
    shutil.copy(source / "programm.yml", target / "programm.yml")
    shutil.copytree(source / "netzwerke", target / "netzwerke")
    for copy in range(1, size + 1):
        for sector in sorted(path.parent for path in source.glob("*/sector.yml")):
            name = sector.name if copy == 1 else f"{sector.name}-{copy}"
            shutil.copytree(sector, target / name)
            yml = target / name / "sector.yml"
            text = re.sub(r"^id: .*$", f"id: {name}", yml.read_text(encoding="utf-8"), count=1, flags=re.M)
            if copy > 1:
                text = re.sub(r"^name: (.*)$", rf"name: \1 ({copy})", text, count=1, flags=re.M)
            yml.write_text(text, encoding="utf-8")
    return target


def notebook_targets(curricula: Path, build: Path) -> list[tuple[str, str, dict[str, str]]]:
    """The notebooks kurswerk executes, as (template, output, parameters) for the naive pipeline."""
    sys.path.insert(0, str(ROOT / "src"))
    from kurswerk.load import load_catalogue
    from kurswerk.plan import Project, plan_build

    project = Project.at(ROOT, curricula=curricula, build=build)
    targets = plan_build(project, load_catalogue(curricula), ["public", "trainer"])
    return [(t.template, t.output, t.parameters) for t in targets if t.kind == "notebook"]


def naive(curricula: Path, work: Path) -> tuple[float, float, int]:
    """(a): papermill CLI per notebook, serially, then jupyter-book build of each edition from clean."""
    from kurswerk.book import write_pages
    from kurswerk.load import load_catalogue
    from kurswerk.plan import Project

    project = Project.at(ROOT, curricula=curricula, build=work)
    notebooks = notebook_targets(curricula, work)
    seconds, peak = 0.0, 0.0
    for template, output, parameters in notebooks:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        command = [str(BIN / "papermill"), template, output, "-k", "python3", "--no-progress-bar"]
        for key, value in parameters.items():
            command += ["-p", key, value]
        spent, memory = run_measured(command)
        seconds, peak = seconds + spent, max(peak, memory)
    catalogue = load_catalogue(curricula)
    for edition in ("public", "trainer"):
        write_pages(project, catalogue, edition, project.work / "handouts")
        spent, memory = run_measured([str(BIN / "jupyter-book"), "build", str(project.book_dir(edition)),
                                      "--path-output", str(work / f"naive-{edition}"), "-q"])
        seconds, peak = seconds + spent, max(peak, memory)
    return seconds, peak, len(notebooks)


def kurswerk_steps(curricula: Path, build: Path, jobs: int | None) -> dict[str, tuple[float, float]]:
    """(b) cold, (c) no-op, (d) after editing one module."""
    command = [str(BIN / "kurswerk"), "build", "--root", str(ROOT), "--curricula", str(curricula),
               "--build-dir", str(build), "-q"] + (["--jobs", str(jobs)] if jobs else [])
    results = {"cold": run_measured(command), "no-op": run_measured(command)}
    module = sorted((curricula / "pflege" / "modules").glob("*.yml"))[0]
    text = module.read_text(encoding="utf-8")
    assert "- Ich kann " in text
    module.write_text(text.replace("- Ich kann ", "- Ich kann jetzt ", 1), encoding="utf-8")
    results["edit one module"] = run_measured(command)
    return results


def network_steps(curricula: Path, build: Path, jobs: int | None) -> dict[str, tuple[float, float]]:
    """(e) every regional edition (``--netzwerk alle``) cold, then again with nothing changed."""
    command = [str(BIN / "kurswerk"), "build", "--root", str(ROOT), "--curricula", str(curricula),
               "--build-dir", str(build), "--netzwerk", "alle", "-q"] + (["--jobs", str(jobs)] if jobs else [])
    return {"networks cold": run_measured(command), "networks no-op": run_measured(command)}


def table(measurements: list[Measurement]) -> str:
    lines = [f"{'size':>4}  {'step':<16} {'seconds':>8} {'peak MiB':>9} {'notebooks':>9}  ratio"]
    by = {(m.size, m.step): m for m in measurements}
    for m in measurements:
        cold = by.get((m.size, "cold"))
        base = by.get((m.size, "naive"))
        if m.step == "naive":
            ratio = ""
        elif m.step == "cold":
            ratio = f"naive/cold = {base.seconds / m.seconds:.2f}×" if base else ""
        else:
            ratio = f"{m.seconds / cold.seconds:.1%} of cold" if cold else ""
        lines.append(f"{m.size:>4}  {m.step:<16} {m.seconds:>8.1f} {m.peak_mib:>9.0f} {m.notebooks:>9}  {ratio}")
    colds = sorted((m.size, m.seconds, m.notebooks) for m in measurements if m.step == "cold")
    if len(colds) > 1:
        (s1, t1, n1), (s2, t2, n2) = colds[0], colds[-1]
        lines.append(f"growth: {s2 / s1:.0f}× the catalogue ({n2} vs {n1} notebooks) took {t2 / t1:.2f}× the cold time")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[1])
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--networks", action="store_true", help="also build every regional edition (--netzwerk alle)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    measurements: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="kurswerk-bench-") as scratch:
        for size in arguments.sizes:
            curricula = make_catalogue(Path(scratch) / f"curricula-{size}", size)
            count = len(notebook_targets(curricula, Path(scratch) / "unused"))
            if size in arguments.naive_sizes:
                seconds, peak, _ = naive(curricula, Path(scratch) / f"naive-{size}")
                measurements.append(Measurement(size, "naive", seconds, peak, count))
                print(f"size {size}: naive {seconds:.1f} s", flush=True)
            for step, (seconds, peak) in kurswerk_steps(curricula, Path(scratch) / f"build-{size}",
                                                        arguments.jobs).items():
                measurements.append(Measurement(size, step, seconds, peak, count))
                print(f"size {size}: {step} {seconds:.1f} s", flush=True)
            if arguments.networks:
                for step, (seconds, peak) in network_steps(curricula, Path(scratch) / f"build-{size}",
                                                           arguments.jobs).items():
                    measurements.append(Measurement(size, step, seconds, peak, count))
                    print(f"size {size}: {step} {seconds:.1f} s", flush=True)
    report = table(measurements)
    print(report)
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps({
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
        "measurements": [asdict(m) for m in measurements],
        "table": report,
    }, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
