"""A bare SimPy loop that schedules about as many events as a spinesim run, with patients arriving over time.

It is the floor that spinesim's event loop is compared with: Poisson arrivals from one source
process, and per patient one process that waits through a fixed number of timeouts. No resources,
no model logic, no tables.
"""

from __future__ import annotations

import time

import numpy as np
import simpy


def _scheduled(env: simpy.Environment) -> int:
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else 0


def bare_loop(events: int, patients: int, seed: int = 1) -> tuple[float, int]:
    """Run the bare loop; return (wall seconds, events SimPy scheduled).

    Per patient SimPy schedules: the source's arrival timeout, the process's start, its
    ``steps`` timeouts and its end, so ``steps`` is chosen to make the total close to ``events``.
    """
    steps = max(0, round(events / max(patients, 1)) - 3)
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1.0, patients).tolist()
    waits = rng.exponential(10.0, patients * max(steps, 1)).tolist()
    env = simpy.Environment()

    def patient(i: int):
        for k in range(steps):
            yield env.timeout(waits[i * steps + k])

    def source():
        for i in range(patients):
            yield env.timeout(gaps[i])
            env.process(patient(i))

    start = time.perf_counter()
    env.process(source())
    env.run()
    return time.perf_counter() - start, _scheduled(env)
