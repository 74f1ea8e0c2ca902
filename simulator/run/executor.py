"""One executor for every independent unit of work (replications, sweep values, PSA draws).

Local processes by default; results always come back in unit order, so outputs are identical to
the byte whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Cancelled(RuntimeError):
    """The caller cancelled the run before every unit finished."""


def execute(fn: Callable[[T], R], units: Sequence[T], workers: int = 1, progress: Progress | None = None,
            cancel: Cancel | None = None, **options: Any) -> list[R]:
    """Run ``fn`` on every unit and return the results in unit order.

    ``workers`` > 1 uses local processes (forkserver: safe beside threads such as a web server).
    """
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
    context = multiprocessing.get_context("forkserver")
    results: dict[int, R] = {}
    with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=context) as pool:
        pending: dict[Future[R], int] = {pool.submit(fn, unit): i for i, unit in enumerate(units)}
        while pending:
            done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            if cancel and cancel():
                for future in pending:
                    future.cancel()
                raise Cancelled("run cancelled")
            for future in done:
                results[pending.pop(future)] = future.result()
            if progress and done:
                progress(len(results), total)
    return [results[i] for i in range(total)]
