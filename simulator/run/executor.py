"""One executor for every independent unit of work (replications, sweep values, PSA draws).

Local processes by default, or a Dask distributed cluster (``executor="dask"``, optionally at
``scheduler="tcp://HOST:8786"``). Results always come back in unit order and each unit is seeded
only by its own (seed, replication), so outputs are identical to the byte whatever the executor
and the number of workers.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from functools import partial
from multiprocessing import forkserver
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

EXECUTORS = ("local", "dask")
SCHEDULER_TIMEOUT_S = 10.0
TASKS_PER_THREAD = 4  # Dask: units are batched into about this many tasks per worker thread
#: Dask settings of the workers a local cluster starts. Dask's statistical profiler samples every
#: worker thread each 10 ms (holding the GIL) for a dashboard tab that a local cluster here never
#: serves. Its cost is small: a median 2% of a 4 x 50,000-patient run, within this machine's noise.
LOCAL_DASK_CONFIG = {"distributed.worker.profile.enabled": False}


class Cancelled(RuntimeError):
    """The caller cancelled the run before every unit finished."""


class ExecutorError(RuntimeError):
    """The chosen executor cannot be used (unknown name, unreachable Dask scheduler, no workers)."""


def _context() -> multiprocessing.context.BaseContext:
    """Forkserver processes (safe beside threads) that fork with the model already imported."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["simulator.run.experiment", "simulator.analysis.common"])
    _start_forkserver()
    return context


def _start_forkserver() -> None:
    """Start the forkserver with Ctrl-C ignored, so that it and every worker it forks ignore it too.

    Ctrl-C in a terminal reaches the whole process group; only this process acts on it (it stops
    the workers), so no worker or forkserver prints a KeyboardInterrupt traceback. An ignored
    signal stays ignored across exec, and SIGINT is blocked meanwhile so that a Ctrl-C in this
    short window is delivered here afterwards, not lost.
    """
    if threading.current_thread() is not threading.main_thread():  # signal handlers are the main thread's
        forkserver.ensure_running()
        return
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


@contextmanager
def _interrupt_deferred() -> Iterator[None]:
    """Ctrl-C inside the block takes effect at its end: workers are started whole, or not at all.

    Starting a worker waits for the forkserver (about a second while it imports the model); a
    Ctrl-C meanwhile would leave a half-started worker that prints a traceback once this process
    has gone. Deferred, it arrives when every worker is known and can be stopped.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught and callable(previous):
        previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt here


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (not after their current units)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    workers = list((getattr(pool, "_processes", None) or {}).values())  # before 3.14: the pool's own table
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(timeout=5)


def execute(fn: Callable[[T], R], units: Sequence[T], workers: int = 1, progress: Progress | None = None,
            cancel: Cancel | None = None, executor: str = "local", scheduler: str | None = None,
            scheduler_timeout: float = SCHEDULER_TIMEOUT_S) -> list[R]:
    """Run ``fn`` on every unit and return the results in unit order.

    ``executor="local"``: ``workers`` > 1 uses local processes (forkserver: safe beside threads
    such as a web server). ``executor="dask"``: a Dask cluster at ``scheduler`` (reached within
    ``scheduler_timeout`` seconds or :class:`ExecutorError`), or a local Dask cluster of
    ``workers`` processes when no scheduler is given.
    """
    if executor not in EXECUTORS:
        raise ExecutorError(f"--executor = {executor!r} is not one of {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        raise ExecutorError(f"--scheduler {scheduler} needs --executor dask")
    if executor == "dask":
        return _execute_dask(fn, units, workers, progress, cancel, scheduler, scheduler_timeout)
    total = len(units)
    if progress:
        progress(0, total)
    if workers <= 1 or total <= 1:
        out = []
        for i, unit in enumerate(units):
            if cancel and cancel():
                raise Cancelled("run cancelled")
            out.append(fn(unit))
            if progress:
                progress(i + 1, total)
        return out
    return _execute_processes(fn, units, workers, progress, cancel)


def _execute_processes(fn: Callable[[T], R], units: Sequence[T], workers: int, progress: Progress | None,
                       cancel: Cancel | None) -> list[R]:
    """Run the units in local worker processes; stop them all on Ctrl-C, cancel or a unit's error."""
    total = len(units)
    results: dict[int, R] = {}
    pool: ProcessPoolExecutor | None = None
    try:
        with _interrupt_deferred():
            pool = ProcessPoolExecutor(max_workers=min(workers, total), mp_context=_context(),
                                       initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN))
            pending: dict[Future[R], int] = {pool.submit(fn, unit): i for i, unit in enumerate(units)}
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancel and cancel():
                raise Cancelled("run cancelled")
            for future in done:
                results[pending.pop(future)] = future.result()
            if progress and done:
                progress(len(results), total)
    except BaseException:  # Ctrl-C, cancel, or a unit's error: stop the other units too
        if pool is not None:
            _stop(pool)
        raise
    pool.shutdown()
    return [results[i] for i in range(total)]


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    """Run a batch of units in one Dask task (tasks should last >= 1 s; units may be shorter)."""
    return [fn(unit) for unit in batch]


def _execute_dask(fn: Callable[[T], R], units: Sequence[T], workers: int, progress: Progress | None,
                  cancel: Cancel | None, scheduler: str | None, timeout: float) -> list[R]:
    """Run the units as batched Dask tasks; gather the results in unit order."""
    try:
        import dask
        from distributed import Client, LocalCluster
        from distributed import wait as dask_wait
    except ImportError:  # pragma: no cover - dask is in the test extra
        raise ExecutorError("--executor dask needs dask[distributed]: pip install 'spinesim[dask]'") from None
    total = len(units)
    with ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(_connect(Client, scheduler, timeout))
        else:
            with dask.config.set(LOCAL_DASK_CONFIG):  # the worker processes inherit it when they start
                cluster = stack.enter_context(LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                                           processes=True, dashboard_address=None))
            client = stack.enter_context(Client(cluster))
        if progress:  # only once connected: a refused scheduler leaves no half-drawn bar
            progress(0, total)
        threads = sum(client.nthreads().values()) or max(1, workers)
        size = max(1, math.ceil(total / (TASKS_PER_THREAD * threads)))
        batches = [list(units[i:i + size]) for i in range(0, total, size)]
        futures = client.map(partial(_run_batch, fn), batches, pure=False)
        position = {future.key: i for i, future in enumerate(futures)}
        pending, done_units = set(futures), 0
        while pending:
            try:
                finished = dask_wait(list(pending), timeout=0.5, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                finished = set()
            if cancel and cancel():
                client.cancel(futures)
                raise Cancelled("run cancelled")
            for future in finished:
                pending.discard(future)
                future.result()  # re-raise a unit's exception here
                done_units += len(batches[position[future.key]])
            if progress and finished:
                progress(done_units, total)
        gathered = client.gather(futures)
    return [result for batch in gathered for result in batch]


def _connect(client_type: Any, scheduler: str, timeout: float) -> Any:
    """A Dask client for ``scheduler`` with at least one worker, or :class:`ExecutorError` within ``timeout`` s."""
    try:
        client = client_type(scheduler, timeout=timeout)
    except ValueError as exc:
        raise ExecutorError(f"--scheduler {scheduler!r} is not a scheduler address like tcp://HOST:8786 "
                            f"({exc})") from None
    except (OSError, TimeoutError):
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler} within {timeout:g} s "
                            f"(start one with: dask scheduler --port 8786)") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        client.close()
        raise ExecutorError(f"the Dask scheduler at {scheduler} has no workers after {timeout:g} s "
                            f"(start some with: dask worker {scheduler} --nworkers 2 --nthreads 1)") from None
    return client
