"""Build benchmark: kurswerk against the naive pipeline, on the shipped curricula and a larger copy.

Measures in one run, for each catalogue size, each figure the median of ``--runs`` runs (min, max kept):
  naive                 the papermill CLI serially over the same notebooks, the same DOCX handouts written
                        one after the other, each converted with its own ``soffice --convert-to pdf`` call
                        (as a user would script it), then ``jupyter-book build`` of each edition from clean
  cold                  ``kurswerk build`` into an empty build folder (notebooks, DOCX and PDF handouts,
                        both editions)
  no-op                 ``kurswerk build`` again with nothing changed
  edit one module       after editing one module's text
  edit glossary term    after editing one glossary definition
  edit handout template after changing a style (the Heading 1 colour) of the Word template every
                        handout is made from
  networks cold, no-op  with ``--networks``: ``kurswerk build --netzwerk alle`` (every regional edition)
with kurswerk's stage timings (``kurswerk build --timings``) and peak memory (whole process tree).
Prints a table, writes JSON and, with ``--readme``, the README's speed table and
``benchmarks/results/readme.json``, the JSON the table is made from (kept in git; ``--readme-only``
rewrites the table from it, and a test checks that the two agree).

    .venv/bin/python benchmarks/bench_build.py                         # sizes 1 and 5, naive on size 1, 3 runs
    .venv/bin/python benchmarks/bench_build.py --sizes 1 --runs 1      # a quick look
    .venv/bin/python benchmarks/bench_build.py --readme-only           # README table from results/readme.json
    .venv/bin/python benchmarks/bench_build.py --sizes 5 --runs 1 --json five.json   # size 5 alone, then:
    .venv/bin/python benchmarks/bench_build.py --merge one.json five.json --readme   # one table from both
    .venv/bin/python benchmarks/bench_build.py --sizes 1 --runs 0 --naive-runs 3 --json naive.json  # naive alone
    .venv/bin/python benchmarks/bench_build.py --sizes 5 --runs 1 --large-cold-only --json five.json  # size 5 cold
    .venv/bin/python benchmarks/bench_build.py --growth --runs 3 --json growth.json  # sizes 1 and 5 taking turns
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
README_JSON = ROOT / "benchmarks" / "results" / "readme.json"
"""The results the README's speed table shows (``--readme`` writes it, ``--readme-only`` reads it)."""


@dataclass
class Measurement:
    size: int
    step: str
    seconds: float
    """The median of the runs."""
    peak_mib: float
    notebooks: int
    runs: list[float] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    """Median seconds of each stage and kind of work (kurswerk's ``--timings``; the naive pipeline's parts)."""

    @property
    def low(self) -> float:
        return min(self.runs, default=self.seconds)

    @property
    def high(self) -> float:
        return max(self.runs, default=self.seconds)


def measurement(size: int, step: str, notebooks: int, samples: list[tuple[float, float, dict[str, float]]]
                ) -> Measurement:
    """The median of several runs (seconds, peak MiB, stage timings) of one step."""
    seconds = [s for s, _, _ in samples]
    stages = sorted({name for _, _, timing in samples for name in timing})
    return Measurement(size, step, statistics.median(seconds), max(m for _, m, _ in samples), notebooks,
                       runs=[round(s, 2) for s in seconds],
                       stages={name: round(statistics.median(timing.get(name, 0.0) for _, _, timing in samples), 2)
                               for name in stages})


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
    if size > 1:  # the copies' rows in the chart data: a chart must show a row of its own sector
        sources = target / "data" / "sources.yml"
        text = re.sub(r": \[([^\]]*)\]", lambda found: ": [" + ", ".join(
            [name.strip() for name in found.group(1).split(",") if name.strip()]
            + [f"{name.strip()}-{copy}" for copy in range(2, size + 1)
               for name in found.group(1).split(",") if name.strip()]) + "]", sources.read_text(encoding="utf-8"))
        sources.write_text(text, encoding="utf-8")
    return target


def notebook_targets(curricula: Path, build: Path) -> list[tuple[str, str, dict[str, str]]]:
    """The notebooks kurswerk executes, as (template, output, parameters) for the naive pipeline."""
    sys.path.insert(0, str(ROOT / "src"))
    from kurswerk.load import load_catalogue
    from kurswerk.plan import Project, plan_build

    project = Project.at(ROOT, curricula=curricula, build=build)
    targets = plan_build(project, load_catalogue(curricula), ["public", "trainer"])
    return [(t.template, t.output, t.parameters) for t in targets if t.kind == "notebook"]


def naive(curricula: Path, work: Path) -> tuple[float, float, dict[str, float]]:
    """The naive pipeline: papermill CLI per notebook, serially; the DOCX handouts one after the other;
    one ``soffice`` call per DOCX; then jupyter-book build of each edition from clean."""
    from kurswerk.book import write_pages
    from kurswerk.load import load_catalogue
    from kurswerk.packets import plan_parts
    from kurswerk.plan import Project
    from kurswerk.render.docx import TEMPLATE, write_part

    shutil.rmtree(work, ignore_errors=True)
    project = Project.at(ROOT, curricula=curricula, build=work)
    parts: dict[str, float] = {"notebooks": 0.0, "handouts": 0.0, "pdf": 0.0, "sphinx": 0.0}
    peak = 0.0
    for template, output, parameters in notebook_targets(curricula, work):
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        command = [str(BIN / "papermill"), template, output, "-k", "python3", "--no-progress-bar"]
        for key, value in parameters.items():
            command += ["-p", key, value]
        spent, memory = run_measured(command)
        parts["notebooks"] += spent
        peak = max(peak, memory)
    catalogue = load_catalogue(curricula)
    began = time.perf_counter()
    documents = []
    for curriculum in catalogue.sectors:
        for edition in ("public", "trainer"):
            folder = project.work / "handouts" / edition / curriculum.sector.id
            folder.mkdir(parents=True, exist_ok=True)
            for part in plan_parts(curriculum, edition):  # type: ignore[arg-type]
                path = write_part(curriculum, part, folder, TEMPLATE)
                if part.is_document:
                    documents.append(path)
    parts["handouts"] = time.perf_counter() - began
    profile = work / "office-profile"
    for document in documents:
        spent, memory = run_measured(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                                      "--convert-to", "pdf", "--outdir", str(document.parent), str(document)])
        parts["pdf"] += spent
        peak = max(peak, memory)
    for edition in ("public", "trainer"):
        write_pages(project, catalogue, edition, project.work / "handouts")  # type: ignore[arg-type]
        spent, memory = run_measured([str(BIN / "jupyter-book"), "build", str(project.book_dir(edition)),  # type: ignore[arg-type]
                                      "--path-output", str(work / f"naive-{edition}"), "-q"])
        parts["sphinx"] += spent
        peak = max(peak, memory)
    return sum(parts.values()), peak, parts


EDITS = {
    "edit one module": ("pflege/modules", "- Ich kann ", "- Ich kann jetzt{n} "),
    "edit glossary term": ("pflege/glossary.yml", "definition: ", "definition: Auch{n} "),
}
"""Step → (file or folder of the first YAML file, text, replacement with the run number): a real change each run."""


def edit_file(curricula: Path, where: str, old: str, new: str) -> None:
    path = curricula / where
    if path.is_dir():
        path = sorted(path.glob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_template(root: Path, number: int) -> None:
    """Change the colour of the template's first-level headings (a visible change of a style every handout
    uses: every DOCX changes and every PDF is converted again)."""
    import zipfile

    template = root / "templates" / "handout.docx"
    changed = template.with_suffix(".new")
    colour = f"1A{0x5A + number % 32:02X}72".encode()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                data, found = re.subn(rb'(w:styleId="Heading1".*?<w:color w:val=")[0-9A-Fa-f]{6}',
                                      rb"\g<1>" + colour, data, count=1, flags=re.S)
                assert found == 1, "the template has no colour in its Heading 1 style"
            target.writestr(item, data)
    changed.replace(template)


def kurswerk_steps(curricula: Path, build: Path, jobs: int | None, runs: int, scratch: Path, edits: bool = True,
                   template: bool = True) -> dict[str, list[tuple[float, float, dict[str, float]]]]:
    """Cold (into an empty folder each run), no-op, and (with ``edits``) each edit, ``runs`` times each;
    the handout template edit only with ``template``."""
    root = scratch / "root"
    if not root.is_dir():
        for name in ("modules", "templates"):
            shutil.copytree(ROOT / name, root / name)
        shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    timings = scratch / "timings.json"
    command = [str(BIN / "kurswerk"), "build", "--root", str(root), "--curricula", str(curricula),
               "--build-dir", str(build), "-q", "--timings", str(timings)] + (["--jobs", str(jobs)] if jobs else [])

    def measured() -> tuple[float, float, dict[str, float]]:
        seconds, peak = run_measured(command)
        report = json.loads(timings.read_text(encoding="utf-8"))
        return seconds, peak, {**report["stages"], **{f"work: {k}": v for k, v in report["work"].items()}}

    results: dict[str, list[tuple[float, float, dict[str, float]]]] = {"cold": [], "no-op": []}
    if edits:
        results.update({step: [] for step in EDITS})
        if template:
            results["edit handout template"] = []
    for number in range(1, runs + 1):
        shutil.rmtree(build, ignore_errors=True)
        results["cold"].append(measured())
        results["no-op"].append(measured())
        if not edits:
            continue
        for step, (where, old, new) in EDITS.items():
            edit_file(curricula, where, old, new.format(n=number))
            results[step].append(measured())
        if "edit handout template" in results:
            edit_template(root, number)
            results["edit handout template"].append(measured())
    return results


def network_steps(curricula: Path, build: Path, jobs: int | None, runs: int
                  ) -> dict[str, list[tuple[float, float, dict[str, float]]]]:
    """Every regional edition (``--netzwerk alle``) into an empty folder, then again with nothing changed."""
    command = [str(BIN / "kurswerk"), "build", "--root", str(ROOT), "--curricula", str(curricula),
               "--build-dir", str(build), "--netzwerk", "alle", "-q"] + (["--jobs", str(jobs)] if jobs else [])
    results: dict[str, list[tuple[float, float, dict[str, float]]]] = {"networks cold": [], "networks no-op": []}
    for _ in range(runs):
        shutil.rmtree(build, ignore_errors=True)
        for step in results:
            seconds, peak = run_measured(command)
            results[step].append((seconds, peak, {}))
    return results


def table(measurements: list[Measurement]) -> str:
    lines = [f"{'size':>4}  {'step':<22} {'runs':>4} {'median s':>8} {'min–max s':>13} {'peak MiB':>9} "
             f"{'notebooks':>9}  ratio"]
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
        spread = f"{m.low:.1f}–{m.high:.1f}"
        lines.append(f"{m.size:>4}  {m.step:<22} {len(m.runs) or 1:>4} {m.seconds:>8.1f} {spread:>13}"
                     f" {m.peak_mib:>9.0f} {m.notebooks:>9}  "
                     f"{ratio}".rstrip())
    colds = sorted((m.size, m.seconds, m.notebooks) for m in measurements if m.step == "cold")
    if len(colds) > 1:
        (s1, t1, n1), (s2, t2, n2) = colds[0], colds[-1]
        lines.append(f"growth: {s2 / s1:.0f}× the catalogue ({n2} vs {n1} notebooks) took {t2 / t1:.2f}× the cold time")
    return "\n".join(lines)


def stage_table(measurements: list[Measurement]) -> str:
    """Median seconds of each stage of the size-1 steps (wall time; ``work:`` rows are summed over workers)."""
    rows = [m for m in measurements if m.size == min(x.size for x in measurements) and m.stages]
    names = list(dict.fromkeys(name for m in rows for name in m.stages))
    lines = [f"{'stage':<26}" + "".join(f" {m.step[:14]:>14}" for m in rows)]
    for name in names:
        lines.append(f"{name:<26}" + "".join(f" {m.stages.get(name, 0.0):>14.1f}" for m in rows))
    return "\n".join(lines)


README_START = "<!-- speed table: benchmarks/bench_build.py writes what follows -->"
README_END = "<!-- end of speed table -->"


def runs_text(runs: object) -> str:
    """``{size: runs}`` (or one number for every size) as README text."""
    if not isinstance(runs, dict):
        return f"the median of {runs} runs"
    counts = {int(size): int(count) for size, count in runs.items()}
    if len(set(counts.values())) == 1:
        return f"the median of {next(iter(counts.values()))} runs"
    return "the median of " + ", ".join(f"{count} run{'s' if count > 1 else ''} at size {size}"
                                        for size, count in sorted(counts.items()))


def readme_section(data: dict[str, object]) -> str:
    """The README's speed figures, from the benchmark's JSON."""
    machine = data["machine"]
    assert isinstance(machine, dict)
    return (f"{README_START}\n"
            f"Measured {data['date']} on {machine['cores']} cores, Python {machine['python']}; each figure "
            f"{runs_text(data['runs'])} (column runs; min–max beside it); size 5 = every sector copied five times; "
            f"notebooks counted "
            f"per run of both editions; peak memory is the whole process tree.\n\n"
            f"```\n{data['table']}\n```\n\nStages of the size-1 runs (median seconds; `work:` rows are worker time "
            f"summed over both workers):\n\n```\n{data['stages']}\n```\n{README_END}")


def write_readme(data: dict[str, object], readme: Path = ROOT / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise SystemExit(f"{readme}: the markers of the speed table are missing ({README_START!r} … {README_END!r})")
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    readme.write_text(before + readme_section(data) + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--naive-sizes", type=int, nargs="*", default=[1])
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (the median is reported)")
    parser.add_argument("--naive-runs", type=int, default=None,
                        help="runs of the naive pipeline (default: --runs; one run converts each handout with its "
                             "own soffice call and takes about 20 minutes on 2 cores)")
    parser.add_argument("--large-runs", type=int, default=None,
                        help="runs of each step at sizes above 1 (default: --runs)")
    parser.add_argument("--large-cold-only", action="store_true",
                        help="at sizes above 1 measure cold and no-op only (the growth figures), not the edits")
    parser.add_argument("--growth", action="store_true",
                        help="measure only cold and no-op, the sizes taking turns in each run (1, 5, 1, 5, …), so that "
                             "a machine that gets slower or faster during the benchmark changes both sizes alike")
    parser.add_argument("--no-template", action="store_true",
                        help="leave out the handout template edit (a later --merge keeps an earlier run's figure)")
    parser.add_argument("--merge", type=Path, nargs="+", default=None,
                        help="combine the results of earlier runs (JSON files) into one table and --json")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--networks", action="store_true", help="also build every regional edition (--netzwerk alle)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    parser.add_argument("--readme", action="store_true", help="write the README's speed table from the results")
    parser.add_argument("--readme-only", action="store_true",
                        help=f"only rewrite the README's table from {README_JSON.relative_to(ROOT)}")
    arguments = parser.parse_args()
    if arguments.readme_only:
        write_readme(json.loads(README_JSON.read_text(encoding="utf-8")))
        return
    if arguments.merge:
        merged = merge([json.loads(path.read_text(encoding="utf-8")) for path in arguments.merge],
                       [path.name for path in arguments.merge])
        print(merged["table"], merged["stages"], sep="\n\n")
        save(merged, arguments.json, arguments.readme)
        return
    sys.path.insert(0, str(ROOT / "src"))
    measurements: list[Measurement] = []
    runs_of: dict[int, int] = {}
    with tempfile.TemporaryDirectory(prefix="kurswerk-bench-") as scratch_name:
        scratch = Path(scratch_name)
        if arguments.growth:
            measurements, runs_of = growth(arguments.sizes, arguments.runs, arguments.jobs, scratch)
        for size in [] if arguments.growth else arguments.sizes:
            curricula = make_catalogue(scratch / f"curricula-{size}", size)
            count = len(notebook_targets(curricula, scratch / "unused"))
            if size in arguments.naive_sizes:
                samples = []
                for _ in range(arguments.naive_runs or arguments.runs):
                    seconds, peak, parts = naive(curricula, scratch / f"naive-{size}")
                    samples.append((seconds, peak, parts))
                    print(f"size {size}: naive {seconds:.1f} s", flush=True)
                measurements.append(measurement(size, "naive", count, samples))
            runs = arguments.runs if size == 1 or arguments.large_runs is None else arguments.large_runs
            runs_of[size] = runs
            if not runs:  # --runs 0: the naive pipeline alone (merge it with a later run)
                continue
            steps = kurswerk_steps(curricula, scratch / f"build-{size}", arguments.jobs, runs, scratch / f"work-{size}",
                                   edits=size == 1 or not arguments.large_cold_only,
                                   template=not arguments.no_template)
            if arguments.networks:
                steps.update(network_steps(curricula, scratch / f"networks-{size}", arguments.jobs, runs))
            for step, samples in steps.items():
                measurements.append(measurement(size, step, count, samples))
                print(f"size {size}: {step} {[round(s, 1) for s, _, _ in samples]} s", flush=True)
    report, stages = table(measurements), stage_table(measurements)
    print(report, stages, sep="\n\n")
    data: dict[str, object] = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "date": time.strftime("%Y-%m-%d"),
        "runs": {str(size): runs for size, runs in runs_of.items()},
        "measurements": [asdict(m) for m in measurements],
        "table": report,
        "stages": stages,
    }
    save(data, arguments.json, arguments.readme)


def growth(sizes: list[int], runs: int, jobs: int | None, scratch: Path) -> tuple[list[Measurement], dict[int, int]]:
    """Cold and no-op at each size, ``runs`` times, the sizes taking turns within each run."""
    catalogues = {size: make_catalogue(scratch / f"curricula-{size}", size) for size in sizes}
    samples: dict[int, dict[str, list[tuple[float, float, dict[str, float]]]]] = {size: {} for size in sizes}
    for number in range(1, runs + 1):
        for size in sizes:
            steps = kurswerk_steps(catalogues[size], scratch / f"build-{size}", jobs, 1, scratch / f"work-{size}",
                                   edits=False)
            for step, got in steps.items():
                samples[size].setdefault(step, []).extend(got)
            print(f"run {number}, size {size}: cold {steps['cold'][0][0]:.1f} s", flush=True)
    measurements = [measurement(size, step, len(notebook_targets(catalogues[size], scratch / "unused")), got)
                    for size in sizes for step, got in samples[size].items()]
    return measurements, dict.fromkeys(sizes, runs)


def save(data: dict[str, object], path: Path, readme: bool) -> None:
    """Write the results to ``path`` and, with ``readme``, to :data:`README_JSON` and the README's table."""
    for target in [path, README_JSON] if readme else [path]:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if readme:
        write_readme(data)


def merge(results: list[dict[str, object]], names: list[str] | None = None) -> dict[str, object]:
    """One result from several runs of this benchmark (a later file's step replaces an earlier one's).

    ``sources`` names each file with the steps it gave and its ``note`` (what was measured when), if any.
    """
    by_step: dict[tuple[int, str], Measurement] = {}
    given: dict[tuple[int, str], int] = {}
    runs: dict[str, object] = {}
    for number, result in enumerate(results):
        for item in result["measurements"]:  # type: ignore[attr-defined]
            measured = Measurement(**item)
            by_step[(measured.size, measured.step)] = measured
            given[(measured.size, measured.step)] = number
        counts = result["runs"]
        sizes = {str(item["size"]) for item in result["measurements"]}  # type: ignore[attr-defined]
        runs.update(counts if isinstance(counts, dict) else dict.fromkeys(sizes, counts))
    measurements = sorted(by_step.values(), key=lambda m: m.size)
    dates = sorted(str(result["date"]) for result in results)
    sources = []
    for number, result in enumerate(results):
        steps = [f"size {size}: {step}" for (size, step), source in given.items() if source == number]
        if steps:
            source: dict[str, object] = {"file": names[number] if names else f"#{number + 1}", "date": result["date"],
                                         "steps": steps}
            if result.get("note"):
                source["note"] = result["note"]
            sources.append(source)
    return {"machine": results[-1]["machine"], "date": dates[-1] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}",
            "runs": runs, "sources": sources, "measurements": [asdict(m) for m in measurements],
            "table": table(measurements), "stages": stage_table(measurements)}


if __name__ == "__main__":
    main()
