"""Running notebook targets with papermill: one task, a local process pool, a dask executor.

A task executes a module notebook with its parameters in a real Jupyter kernel, then turns the
Markdown the notebook displayed into Markdown cells, so that headings become sections of the book
page (myst-nb does not make sections from headings inside outputs). A failed notebook is kept
next to its target with the suffix ``.failed.ipynb`` for inspection.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import fcntl
import functools
import itertools
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from kurswerk.errors import BuildError, InputError, KurswerkError, Location
from kurswerk.model import Edition
from kurswerk.processes import skip_slow_optional_imports


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to execute: template, output path, parameters and working folder."""

    target: str
    sector: str
    item: str
    template: str
    output: str
    parameters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HandoutTask:
    """The stale handouts of one sector in one edition, written by one worker."""

    target: str
    curricula: str
    sector: str
    edition: str
    template: str
    folder: str
    file_names: tuple[str, ...]
    pdf: bool = True
    """Also convert each handout to PDF (``kurswerk build --no-pdf`` leaves it out)."""
    drafts: bool = False
    """Include modules and trainings marked ``draft: true`` (``kurswerk build --drafts``)."""
    network: str = ""
    """The regional network whose contacts the company handout names (``kurswerk build --netzwerk``)."""
    pdf_cache: str = ""
    """A folder of PDFs converted before, by DOCX content (:mod:`kurswerk.render.pdf_cache`); empty: none."""


Task = NotebookTask | HandoutTask


@dataclass(frozen=True)
class TaskResult:
    """The outcome of one task: ok, or the failing cell and message."""

    target: str
    ok: bool
    seconds: float
    message: str = ""
    cell: int | None = None
    kept_at: str | None = None
    pdf_seconds: float = 0.0
    """Of ``seconds``, the time LibreOffice spent converting (handout tasks)."""


def promote_markdown(notebook: Any) -> Any:
    """Return the notebook with each displayed Markdown output turned into a Markdown cell."""
    import nbformat

    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            markdown = output.get("data", {}).get("text/markdown") if output.get("output_type") == "display_data" else None
            if markdown is None:
                kept.append(output)
            else:
                text = markdown if isinstance(markdown, str) else "".join(markdown)
                cells.append(nbformat.v4.new_markdown_cell(text, id=f"{cell.get('id', 'cell')}-{len(cells)}"))
        cell["outputs"] = kept
    notebook.cells = cells
    return notebook


_warm_kernel: Any = None
"""A kernel this worker process started ahead for its next task (see :func:`run_task`)."""
_live_kernels: list[Any] = []
"""Every kernel this process started and has not shut down (ended by :func:`_end_worker`)."""


@functools.cache
def _manager_class() -> type:
    """jupyter_client's ``KernelManager``, stopping the channels of the clients it made when it shuts its
    kernel down.

    nbclient leaves a client's channels running when it was handed the kernel manager: a heartbeat
    thread that pings the dead kernel every second, its sockets and a zmq context with two threads
    of its own, per notebook. A worker that had run 200 notebooks kept 600 threads and 2000 file
    descriptors, and the heartbeats of dead kernels made every later notebook slower.
    """
    from jupyter_client import KernelManager

    class ClientStoppingKernelManager(KernelManager):
        def client(self, **kwargs: Any) -> Any:
            made = super().client(**kwargs)
            self.__dict__.setdefault("made", []).append(made)
            return made

        def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            for client in self.__dict__.pop("made", []):
                client.stop_channels()
            super().shutdown_kernel(now=now, restart=restart)

    return ClientStoppingKernelManager


def _start_kernel() -> Any:
    manager = _manager_class()(kernel_name="python3")
    _live_kernels.append(manager)
    # The kernel's own stderr carries only start-up chatter; cell errors come back as messages.
    manager.start_kernel(stderr=subprocess.DEVNULL)
    return manager


def _shutdown(manager: Any) -> None:
    manager.shutdown_kernel(now=True)
    if manager in _live_kernels:
        _live_kernels.remove(manager)


def _kill_kernels() -> None:
    """Kill this process's kernels at once and remove their connection files (safe in a signal handler)."""
    for manager in list(_live_kernels):
        pid = getattr(getattr(manager, "provisioner", None), "pid", None)
        if pid:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                    break
                except OSError:
                    continue
        with contextlib.suppress(OSError, TypeError):
            os.unlink(manager.connection_file)
    _live_kernels.clear()


def _end_worker(number: int, frame: Any) -> None:
    """SIGTERM in a worker: kill its kernels, leave at once (the build is being stopped)."""
    _kill_kernels()
    os._exit(128 + number)


def _init_worker() -> None:
    """Set up a pool worker: Ctrl-C is for the main process (which stops the workers with SIGTERM)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)


def _stop_warm_kernel() -> None:
    global _warm_kernel
    if _warm_kernel is not None:
        _shutdown(_warm_kernel)
        _warm_kernel = None


def _take_kernel(start_next: bool) -> Any:
    """Return a started kernel: the one started ahead, or a new one; start the next one ahead."""
    global _warm_kernel
    manager = _warm_kernel or _start_kernel()
    _warm_kernel = _start_kernel() if start_next else None
    return manager


# Worker processes of a pool end without running atexit handlers; multiprocessing's own
# finalizers do run, so the kernel started ahead is shut down either way.
atexit.register(_stop_warm_kernel)
multiprocessing.util.Finalize(None, _stop_warm_kernel, exitpriority=10)


KERNEL_ATTEMPTS = 3
"""How often a notebook is tried when its kernel dies before running a cell.

Kernels started at the same moment in several processes can race for the same free TCP port
(jupyter_client picks ports before the kernel binds them); the loser dies at start-up. That is
no fault of the notebook, so the task is tried again with a fresh kernel.
"""


class _RetriedKernelStart(logging.Filter):
    """Drops papermill's error line for a kernel that died before it answered: in English, on the terminal,
    though the task is tried again (:data:`KERNEL_ATTEMPTS`); what fails for good is in the result, which
    the build reports in its own words. Papermill's other warnings still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Error occurred while starting new kernel client")


_RETRIED_START = _RetriedKernelStart()


def run_task(task: NotebookTask, start_next: bool = False) -> TaskResult:
    """Execute one notebook task; never raises for a failing notebook, returns the result.

    With ``start_next`` the worker starts a kernel for its next task while this one runs, so
    kernel start-up overlaps execution. Notebooks must therefore not depend on the kernel's cwd.
    """
    start = time.perf_counter()
    output = Path(task.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    logging.getLogger("papermill").addFilter(_RETRIED_START)  # once: a filter is added only once
    result = _execute_once(task, output, _take_kernel(start_next), start)
    attempts = 1
    while not result.ok and result.cell is None and attempts < KERNEL_ATTEMPTS:
        result = _execute_once(task, output, _take_kernel(start_next), start)
        attempts += 1
    return result


def _execute_once(task: NotebookTask, output: Path, manager: Any, start: float) -> TaskResult:
    """Run the notebook once on a started kernel; a failure in a cell is kept for inspection."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    scratch = output.with_name(f".{output.stem}.{os.getpid()}.ipynb")
    try:
        papermill.execute_notebook(
            task.template, str(scratch), parameters=dict(task.parameters), km=manager,
            kernel_name="python3", progress_bar=False, log_output=False, shutdown_kernel="immediate",
        )
    except PapermillExecutionError as error:
        kept = output.with_suffix(".failed.ipynb")
        os.replace(scratch, kept)
        message = f"{error.ename}: {error.evalue}"
        return TaskResult(task.target, False, time.perf_counter() - start, message, error.exec_count, str(kept))
    except Exception as error:  # a kernel or I/O failure must not stop the other targets
        scratch.unlink(missing_ok=True)
        message = (_unexpected(error) if isinstance(error, OSError) and error.filename
                   else f"Kernel oder Dateizugriff gescheitert ({type(error).__name__}: {error})")
        return TaskResult(task.target, False, time.perf_counter() - start, message)
    finally:
        _shutdown(manager)
    notebook = nbformat.read(scratch, as_version=4)
    _strip_volatile(notebook)
    notebook = promote_markdown(notebook)
    nbformat.write(notebook, scratch)
    os.replace(scratch, output)
    output.with_suffix(".failed.ipynb").unlink(missing_ok=True)
    return TaskResult(task.target, True, time.perf_counter() - start)


def run_handout_task(task: HandoutTask) -> TaskResult:
    """Write the handouts of a task, each to a scratch name first; returns the result."""
    from kurswerk.load import load_sector
    from kurswerk.packets import plan_parts
    from kurswerk.programme import load_network
    from kurswerk.render.docx import write_part
    from kurswerk.render.handouts import write_handouts
    from kurswerk.render.pdf import CONVERTING

    start, converting = time.perf_counter(), CONVERTING[0]
    edition: Edition = "trainer" if task.edition == "trainer" else "public"
    scratch = Path(task.folder) / f".writing-{os.getpid()}"
    try:
        curriculum = load_sector(Path(task.curricula) / task.sector, task.drafts)
        parts = {part.file_name: part for part in plan_parts(curriculum, edition)}
        folder = Path(task.folder)
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        chosen = [parts[name] for name in task.file_names]
        network = load_network(Path(task.curricula), task.network) if task.network else None
        written = (write_handouts(curriculum, chosen, scratch, Path(task.template), profile=_office_profile(),
                                  network=network, cache=Path(task.pdf_cache) if task.pdf_cache else None)
                   if task.pdf else [write_part(curriculum, part, scratch, Path(task.template), network=network)
                                     for part in chosen])
        for path in written:
            path.replace(folder / path.name)
        scratch.rmdir()
    except KurswerkError as error:
        shutil.rmtree(scratch, ignore_errors=True)
        return TaskResult(task.target, False, time.perf_counter() - start, str(error))
    except Exception as error:  # a Word, LibreOffice or file failure must not stop the other targets
        shutil.rmtree(scratch, ignore_errors=True)
        return TaskResult(task.target, False, time.perf_counter() - start, _unexpected(error))
    return TaskResult(task.target, True, time.perf_counter() - start, pdf_seconds=CONVERTING[0] - converting)


OS_REASONS = {
    errno.EACCES: "keine Berechtigung (Lese- oder Schreibrecht fehlt)",
    errno.EPERM: "keine Berechtigung (Lese- oder Schreibrecht fehlt)",
    errno.EROFS: "das Dateisystem ist schreibgeschützt",
    errno.ENOSPC: "der Datenträger ist voll",
    errno.EDQUOT: "das Speicherkontingent ist erschöpft",
    errno.ELOOP: "symbolische Links verweisen im Kreis (Symlink-Schleife)",
    errno.ENOTDIR: "ein Teil dieses Pfads ist eine Datei, kein Ordner",
    errno.EISDIR: "ist ein Ordner, erwartet wird eine Datei",
    errno.ENOENT: "existiert nicht (mehr)",
    errno.ENAMETOOLONG: "der Pfad ist zu lang",
    errno.EMFILE: "zu viele offene Dateien",
    errno.EIO: "Ein-/Ausgabefehler des Datenträgers",
}



def os_reason(code: int | None, fallback: str) -> str:
    """The German reason for a refused read or write (``errno``), or ``fallback``."""
    return OS_REASONS.get(code or 0) or fallback


def _unexpected(error: BaseException) -> str:
    """A target failure message for an exception the kit did not raise on purpose."""
    if isinstance(error, OSError) and error.filename:
        return f"Dateizugriff gescheitert: {error.filename}: {os_reason(error.errno, error.strerror or str(error))}"
    return f"Unerwarteter Fehler ({type(error).__name__}: {error})"


def run_any(task: Task, start_next: bool = False) -> TaskResult:
    """Run a notebook or a handout task; any exception becomes a failed result, never a crash of the build."""
    skip_slow_optional_imports()
    try:
        if isinstance(task, HandoutTask):
            return run_handout_task(task)
        _stop_offices()
        return run_task(task, start_next)
    except Exception as error:
        return TaskResult(task.target, False, 0.0, _unexpected(error))


def _stop_offices() -> None:
    """Stop the LibreOffice this worker keeps when it moves on to notebooks.

    A build hands out every handout task before the first notebook, so a worker that takes a
    notebook converts nothing more; its LibreOffice would hold about 300 MB while the kernels run.
    """
    from kurswerk.render.office import close_offices

    close_offices()


def _run_ahead(task: Task) -> TaskResult:
    return run_any(task, start_next=True)


def _strip_volatile(notebook: Any) -> None:
    """Remove timestamps and durations so identical input gives an identical notebook."""
    notebook.metadata.pop("papermill", None)
    for number, cell in enumerate(notebook.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = f"injected-parameters-{number}"


class Executor(Protocol):
    """Runs tasks, yielding each result as it completes."""

    jobs: int
    """How many tasks it runs at once on this machine (0: on other machines only)."""

    def run(self, tasks: list[Task]) -> Iterator[TaskResult]: ...


class SerialExecutor:
    """Runs tasks one after the other in this process (tests, one-module generation)."""

    jobs = 1

    def run(self, tasks: list[Task]) -> Iterator[TaskResult]:
        for task in tasks:
            yield run_any(task)


class LocalExecutor:
    """Runs tasks in a pool of worker processes, ``jobs`` kernels at a time."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def run(self, tasks: list[Task]) -> Iterator[TaskResult]:
        if len(tasks) <= 1 or self.jobs == 1:
            yield from SerialExecutor().run(tasks)
            return
        # forkserver: workers never inherit locks held by other threads of this process.
        context = multiprocessing.get_context("forkserver")
        pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(tasks)), mp_context=context,
                                   initializer=_init_worker)
        finished = False
        try:
            # No task follows the last one: its worker starts no kernel ahead for a next.
            yield from _as_completed(pool.submit(_run_ahead if number < len(tasks) else run_any, task)
                                     for number, task in enumerate(tasks, 1))
            finished = True
        finally:
            if not finished:  # interrupted (Ctrl-C, SIGTERM) or abandoned: stop the workers now
                _terminate(pool)
            pool.shutdown(wait=finished, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers at once; each kills its kernels on SIGTERM (see :func:`_end_worker`)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    deadline = time.monotonic() + 1.0
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join(0.5)


def _as_completed(futures: Iterable[Future[TaskResult]]) -> Iterator[TaskResult]:
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            try:
                yield future.result()
            except BrokenProcessPool:
                raise BuildError("Ein Arbeitsprozess des Builds ist abgestürzt (zu wenig Arbeitsspeicher?); die "
                                 "fertigen Ziele sind gespeichert, ein neuer Build setzt dort fort.") from None


class DaskExecutor:
    """Runs tasks on a dask.distributed cluster: ``tcp://HOST:PORT`` or ``local:N`` (a LocalCluster)."""

    def __init__(self, scheduler: str) -> None:
        self.scheduler = scheduler
        self.jobs = _worker_count(scheduler) if scheduler.startswith("local:") else 0

    def run(self, tasks: list[Task]) -> Iterator[TaskResult]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            hint = "braucht das Zusatzpaket dask.distributed: pip install 'kurswerk[distributed]'"
            raise InputError(Location("--scheduler"), hint) from None
        cluster = None
        if self.scheduler.startswith("local:"):
            workers = _worker_count(self.scheduler)
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            try:
                client = Client(self.scheduler, timeout=f"{CONNECT_SECONDS}s")
            except (OSError, ValueError) as error:
                reason = " ".join(str(error).split())[:300]
                raise BuildError(f"Der dask-Scheduler {self.scheduler} ist nicht erreichbar ({reason}). "
                                 "Läuft er, und stimmen Rechner und Port? Ohne --scheduler baut "
                                 "kurswerk auf diesem Rechner.") from None
        try:
            futures = client.map(run_any, tasks, pure=False)
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


CONNECT_SECONDS = 10
"""How long a build tries to reach a ``tcp://`` scheduler before it gives up."""
SCHEDULER = re.compile(r"(tcp|tls|ucx|inproc)://[^\s/]+(:\d{1,5})?/?|local:.*")


def check_scheduler(scheduler: str | None) -> None:
    """Refuse a ``--scheduler`` value that is neither ``tcp://HOST:PORT`` nor ``local:N`` (:class:`InputError`)."""
    if scheduler is None:
        return
    if not SCHEDULER.fullmatch(scheduler):
        raise InputError(Location("--scheduler"), f"„{scheduler}“ ist keine Scheduler-Adresse: schreiben Sie "
                         "tcp://HOST:PORT (ein laufender dask-Scheduler) oder local:N (N Arbeitsprozesse "
                         "auf diesem Rechner)")
    if scheduler.startswith("local:"):
        _worker_count(scheduler)


def _worker_count(scheduler: str) -> int:
    try:
        count = int(scheduler.split(":", 1)[1])
    except ValueError:
        count = 0
    if count < 1:
        raise InputError(Location("--scheduler"), f"„{scheduler}“: schreiben Sie local:N, N ist die Zahl der "
                         "Arbeitsprozesse (eine ganze Zahl ab 1)")
    return count


EXECUTORS: dict[str, Callable[[str | None, int | None], Executor]] = {
    "serial": lambda scheduler, jobs: SerialExecutor(),
    "local": lambda scheduler, jobs: LocalExecutor(jobs),
    "dask": lambda scheduler, jobs: DaskExecutor(scheduler or "local:2"),
}


def make_executor(scheduler: str | None, jobs: int | None) -> Executor:
    """Pick the executor: dask when a scheduler is named, else the local pool."""
    if scheduler:
        check_scheduler(scheduler)
        return EXECUTORS["dask"](scheduler, jobs)
    return EXECUTORS["local"](None, jobs)


_OFFICE_SLOT: list[tuple[Path, IO[str]]] = []


def _office_profile() -> Path:
    """Return this worker's LibreOffice profile folder, reused across its tasks and across builds.

    A worker claims the first slot no running process holds (``slot-N.claim``, locked until the
    process ends): LibreOffice starts faster on a profile it has set up before, and two processes
    never share one.
    """
    if not _OFFICE_SLOT:
        base = Path(tempfile.gettempdir()) / f"kurswerk-office-{os.getuid()}"
        base.mkdir(exist_ok=True)
        for slot in itertools.count():
            claim = open(base / f"slot-{slot}.claim", "w")  # noqa: SIM115 - held for the process's lifetime
            try:
                fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                claim.close()
                continue
            _OFFICE_SLOT.append((base / f"slot-{slot}", claim))
            break
    return _OFFICE_SLOT[0][0]
