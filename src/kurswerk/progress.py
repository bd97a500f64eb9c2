"""Progress display for builds: a rich live view, or silence with a failure list for CI logs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kurswerk.build import Progress
from kurswerk.execute import TaskResult
from kurswerk.plan import Target


@contextmanager
def progress_display(quiet: bool) -> Iterator[Progress]:
    """Yield a progress callback: targets done of total, current target, cache hits, failures."""
    if quiet:
        yield lambda event, target, result: None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    counts = {"cached": 0, "failed": 0}
    with Bar(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
             TextColumn("{task.fields[status]}"), console=console, transient=False) as bar:
        task = bar.add_task("Bauen", total=0, status="")

        def update(event: str, target: Target | None, result: TaskResult | None) -> None:
            if event in ("cached", "start"):
                bar.update(task, total=(bar.tasks[0].total or 0) + 1)
            if event == "cached":
                counts["cached"] += 1
                bar.advance(task)
            elif event == "start" and target is not None:
                bar.update(task, description=f"Bauen: {target.sector}/{target.item}")
            elif event == "done" and result is not None:
                bar.advance(task)
                if not result.ok:
                    counts["failed"] += 1
                    console.print(f"[red]fehlgeschlagen[/red] {escape(result.target)}: {escape(result.message)}")
            elif event == "stage" and result is not None:
                bar.update(task, description=f"Buch: {result.target}")
            bar.update(task, status=f"Cache: {counts['cached']}, Fehler: {counts['failed']}")

        yield update
