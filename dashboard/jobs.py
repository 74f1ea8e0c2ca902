"""Background jobs: a fixed set of worker processes, a bounded queue with positions, cancel, shutdown.

The server never forks: :class:`JobManager` starts its workers from a forkserver when the app is
created (``dashboard.worker``), and a dispatcher thread hands each queued request to the next
idle worker, so at most ``workers`` simulations run at once and the rest wait in line (each job
knows its place). The same request asked twice (two users opening the default comparison) is one
job with two watchers. Cancelling the last watcher of a running job kills its worker, which is
replaced; :meth:`JobManager.shutdown` stops every worker, and workers also exit on their own if
the server dies.
"""

from __future__ import annotations

import multiprocessing
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from dashboard import worker
from dashboard.config import DashboardConfig

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
KEEP_FINISHED = 1000  # finished jobs remembered (their result keys), oldest forgotten first
STOP_TIMEOUT_S = 3.0


class Busy(RuntimeError):
    """The queue is full: the message says so in plain words."""


@dataclass
class Job:
    """One request in the queue or running, and what became of it."""

    id: str
    kind: str
    request: dict[str, Any]
    key: str
    state: str = QUEUED
    done: int = 0
    total: int = 0
    result: str | None = None
    message: str = ""
    watchers: int = 1


@dataclass(frozen=True)
class Status:
    """What the page shows of a job: state, place in the queue, progress, result key or message."""

    state: str
    position: int = 0  # 1 = next to start; 0 when not queued
    queued: int = 0
    done: int = 0
    total: int = 0
    result: str | None = None
    message: str = ""


@dataclass
class _Worker:
    process: Any
    conn: Connection
    job: str | None = None
    ready: bool = False
    alive_w: Connection | None = field(default=None, repr=False)


def _context() -> multiprocessing.context.BaseContext:
    """A forkserver that has imported the worker (and so the simulator) once; safe beside threads."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dashboard.worker"])
    return context


class JobManager:
    """Runs requests in ``workers`` processes; ``max_queued`` more may wait (then :class:`Busy`)."""

    def __init__(self, config: DashboardConfig, workers: int = 2, max_queued: int = 50):
        if workers < 1 or max_queued < 0:
            raise ValueError("a job manager needs at least one worker and a non-negative queue")
        self.config = config
        self.max_queued = max_queued
        self._context = _context()
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._by_key: dict[str, str] = {}
        self._queue: deque[str] = deque()
        self._stopping = False
        self._wake_r, self._wake_w = os.pipe()  # one-byte writes: atomic from any thread
        self._workers = [self._start_worker() for _ in range(workers)]
        self._thread = threading.Thread(target=self._dispatch, name="spinesim-jobs", daemon=True)
        self._thread.start()

    # --- what the callbacks call ------------------------------------------------------------

    def submit(self, kind: str, request: dict[str, Any], key: str) -> str:
        """Queue ``request`` (planned, with result ``key``); return its job id (the same for a pending twin)."""
        with self._lock:
            twin = self._by_key.get(key)
            if twin and self._jobs[twin].state in (QUEUED, RUNNING):
                self._jobs[twin].watchers += 1
                return twin
            if self._stopping:
                raise Busy("The server is stopping: try again in a moment.")
            if len(self._queue) >= self.max_queued:
                raise Busy(f"The server is busy: {len(self._queue)} runs are waiting already. Try again shortly.")
            job = Job(secrets.token_hex(12), kind, dict(request), key)
            self._jobs[job.id] = job
            self._by_key[key] = job.id
            self._queue.append(job.id)
            self._forget_old()
        self._wake()
        return job.id

    def status(self, job_id: Any) -> Status | None:
        """The job's status, or None for an unknown id (ids come back from the browser)."""
        with self._lock:
            job = self._jobs.get(job_id) if isinstance(job_id, str) else None
            if job is None:
                return None
            position = self._queue.index(job.id) + 1 if job.state == QUEUED else 0
            return Status(job.state, position, len(self._queue), job.done, job.total, job.result, job.message)

    def cancel(self, job_id: Any) -> bool:
        """Drop one watcher; the last one stops the job (a running one's worker is killed). True if stopped."""
        with self._lock:
            job = self._jobs.get(job_id) if isinstance(job_id, str) else None
            if job is None or job.state not in (QUEUED, RUNNING):
                return False
            job.watchers -= 1
            if job.watchers > 0:
                return False
            if job.state == QUEUED:
                self._queue.remove(job.id)
            else:
                for w in self._workers:
                    if w.job == job.id:
                        w.process.kill()  # the dispatcher sees it die and starts a new worker
            job.state, job.message = CANCELLED, "Cancelled: the run was stopped."
        self._wake()
        return True

    def wait_ready(self, timeout_s: float = 60.0) -> bool:
        """Wait until every worker has started (imported the model); True if they all did in time."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if all(w.ready for w in self._workers):
                    return True
            time.sleep(0.05)
        return False

    def running(self) -> int:
        """How many jobs are running now."""
        with self._lock:
            return sum(w.job is not None for w in self._workers)

    def pids(self) -> list[int]:
        """Process ids of the workers (for tests and the load test)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid]

    def shutdown(self) -> None:
        """Stop accepting jobs, stop every worker (terminate, then kill) and the dispatcher."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            for job in self._jobs.values():
                if job.state in (QUEUED, RUNNING):
                    job.state, job.message = CANCELLED, "The server stopped."
            self._queue.clear()
            workers = list(self._workers)
        self._wake()
        for w in workers:
            _stop(w)
        self._thread.join(timeout=STOP_TIMEOUT_S)
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    # --- the dispatcher thread ---------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        conn, child = self._context.Pipe()
        alive_r, alive_w = self._context.Pipe(duplex=False)
        process = self._context.Process(target=worker.main, args=(child, alive_r, self.config),
                                        name="spinesim-job-worker", daemon=True)
        process.start()
        child.close()
        alive_r.close()
        return _Worker(process, conn, alive_w=alive_w)

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass

    def _dispatch(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                self._hand_out()
                waitables: list[Any] = [self._wake_r]
                for w in self._workers:
                    waitables += [w.conn, w.process.sentinel]
            for ready in wait(waitables):
                if ready == self._wake_r:
                    os.read(self._wake_r, 4096)
                else:
                    self._on_ready(ready)

    def _hand_out(self) -> None:
        for w in self._workers:
            if self._queue and w.ready and w.job is None:
                job = self._jobs[self._queue.popleft()]
                job.state, w.job = RUNNING, job.id
                try:
                    w.conn.send((job.id, job.kind, job.request))
                except OSError:
                    w.process.kill()

    def _on_ready(self, ready: Any) -> None:
        with self._lock:
            if self._stopping:
                return
            for i, w in enumerate(self._workers):
                if ready is w.conn:
                    try:
                        message = w.conn.recv()
                    except (EOFError, OSError):
                        message = None
                    if message is not None:
                        self._record(w, message)
                        return
                    w.ready = False
                    w.process.kill()  # its pipe broke: it cannot take work any more
                if ready in (w.conn, w.process.sentinel) and not w.process.is_alive():
                    self._replace(i)
                    return

    def _record(self, w: _Worker, message: tuple[Any, ...]) -> None:
        kind, job_id = message[0], message[1]
        if kind == "ready":
            w.ready = True
            return
        job = self._jobs.get(job_id)
        if job is None or job.state != RUNNING:
            return
        if kind == "progress":
            job.done, job.total = message[2]
            return
        job.state = DONE if kind == "done" else FAILED
        job.result, job.message = (message[2], "") if kind == "done" else (None, message[2])
        w.job = None

    def _replace(self, index: int) -> None:
        old = self._workers[index]
        job = self._jobs.get(old.job) if old.job else None
        if job is not None and job.state == RUNNING:
            job.state, job.message = FAILED, "The simulation stopped unexpectedly (its process ended). Run it again."
        _stop(old)
        self._workers[index] = self._start_worker()

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state not in (QUEUED, RUNNING)]
        for job in finished[:max(0, len(self._jobs) - KEEP_FINISHED)]:
            del self._jobs[job.id]
            if self._by_key.get(job.key) == job.id:
                del self._by_key[job.key]


def _stop(w: _Worker) -> None:
    """Close a worker's pipes and end its process (terminate, then kill), reaping it."""
    for conn in (w.conn, w.alive_w):
        if conn is not None:
            conn.close()
    if w.process.is_alive():
        w.process.terminate()
        w.process.join(STOP_TIMEOUT_S)
    if w.process.is_alive():
        w.process.kill()
    w.process.join(STOP_TIMEOUT_S)
