"""Where a cold build's time goes: cProfile over one build, every task in this process.

The build runs with the serial executor (no worker pool), so notebooks, handouts and their
LibreOffice conversions and the Sphinx runs all appear in one profile; time spent waiting for a
child process (kernel, ``soffice``, ``jupyter-book``) is counted at the call that waits. Prints
the largest costs by cumulative time and writes ``benchmarks/results/profile.prof`` (open it with
``snakeviz`` or ``python -m pstats``).

    .venv/bin/python benchmarks/profile_build.py                 # the shipped curricula, with PDFs
    .venv/bin/python benchmarks/profile_build.py --sector pflege --no-pdf
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

STAGES = {
    "notebooks (kernels)": "run_task",
    "handouts: Word files": "write_part",
    "handouts: LibreOffice": "convert_to_pdf",
    "handouts: page fill read back": "page_fill",
    "book pages": "write_pages",
    "Sphinx": "run_sphinx",
    "load and plan": "load_catalogue",
    "publish": "publish",
}
"""Stage → the function whose cumulative time is the stage's."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--curricula", type=Path, default=ROOT / "curricula")
    parser.add_argument("--sector", action="append", default=None)
    parser.add_argument("--no-pdf", dest="pdf", action="store_false")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "results" / "profile.prof")
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from kurswerk import build as building
    from kurswerk.execute import SerialExecutor
    from kurswerk.plan import Project

    building.make_executor = lambda scheduler, jobs: SerialExecutor()  # type: ignore[assignment]
    with tempfile.TemporaryDirectory(prefix="kurswerk-profile-") as scratch:
        project = Project.at(ROOT, curricula=arguments.curricula, build=Path(scratch) / "build")
        profiler = cProfile.Profile()
        profiler.enable()
        report = building.build(project, ["public", "trainer"], sectors=arguments.sector, pdf=arguments.pdf)
        profiler.disable()
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(arguments.output)
    stats = pstats.Stats(profiler)
    cumulative = {func[2]: row[3] for func, row in stats.stats.items()}  # type: ignore[attr-defined]
    calls = {func[2]: row[1] for func, row in stats.stats.items()}  # type: ignore[attr-defined]
    total = report.seconds
    print(f"cold build, one process: {total:.1f} s, {report.rebuilt} targets")
    for stage, function in sorted(STAGES.items(), key=lambda item: -cumulative.get(item[1], 0.0)):
        spent = cumulative.get(function, 0.0)
        print(f"  {stage:<32} {spent:8.1f} s  {spent / total:6.1%}   ({function}, {calls.get(function, 0)} calls)")
    print(f"\nThe {arguments.top} largest costs by cumulative time (profile: {arguments.output}):")
    stats.sort_stats("cumulative").print_stats(arguments.top)


if __name__ == "__main__":
    main()
