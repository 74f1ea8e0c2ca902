"""One job worker: a process that runs the dashboard's simulations, one request at a time.

Workers are started by :class:`dashboard.jobs.JobManager` from a forkserver (a clean,
single-threaded process), never forked from the threaded web server, so no lock held by a server
thread can be inherited. Each builds its own backends from the server's configuration and reads
and writes results only through the shared disk cache. A worker exits when the server goes away
(the ``alive`` pipe closes), so a killed server leaves no orphan behind.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from dashboard.analyses import AnalysisBackend, Caps
from dashboard.config import DashboardConfig
from dashboard.data import Backend, InputError
from dashboard.store import ResultStore

PROGRESS_EVERY_S = 0.25  # at most four progress messages a second


def _watch_server(alive: Connection) -> None:
    """Exit at once when the server's end of ``alive`` closes (the server stopped or died)."""
    try:
        alive.recv()
    except (EOFError, OSError):
        pass
    os._exit(0)


def _backends(config: DashboardConfig) -> dict[str, Any]:
    store = ResultStore(config.resolved_cache_dir(), config.cache_size_bytes)
    return {"experiment": Backend(store, config.max_patients, config.max_replications, config.workers,
                                  config.max_strategies),
            "analysis": AnalysisBackend(store, Caps.from_config(config), config.workers)}


def run_job(backends: dict[str, Any], kind: str, request: dict[str, Any], send: Any) -> tuple[str, str]:
    """Run one request; return ("done", result key) or ("error", message for the page)."""
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S or done >= total:
            last[0] = now
            send(done, total)

    try:
        return "done", backends[kind].run(request, progress=progress)
    except InputError as exc:
        return "error", str(exc)
    except Exception as exc:  # noqa: BLE001 - any failure of the model is reported on the page
        return "error", f"The simulation failed: {type(exc).__name__}: {exc}"


def main(conn: Connection, alive: Connection, config: DashboardConfig) -> None:
    """Serve jobs from ``conn`` until it closes: (job id, kind, request) in; progress, then the outcome out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle; it stops us
    threading.Thread(target=_watch_server, args=(alive,), daemon=True).start()
    backends = _backends(config)
    conn.send(("ready", None))
    while True:
        try:
            job_id, kind, request = conn.recv()
        except (EOFError, OSError):
            return
        outcome, value = run_job(backends, kind, request,
                                 lambda d, t, j=job_id: conn.send(("progress", j, (d, t))))
        conn.send((outcome, job_id, value))
