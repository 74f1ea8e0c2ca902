"""Limited services as SimPy priority resources: MRI, spinal theatre, radiotherapy.

Created per replication (the model never writes onto the scenario). Lower priority values are
served first (:class:`simulator.vocabulary.Priority`): ``EMERGENCY`` (warning signs or a new
neurological deficit; NICE QS56: MRI within 24 h) before ``URGENT`` (fast-track imaging of new back
pain in known cancer) before ``ROUTINE``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from simulator.parameters.schema import Services as ServiceParams
from simulator.vocabulary import SERVICE_KINDS, Priority

EMERGENCY, URGENT, ROUTINE = Priority.EMERGENCY, Priority.URGENT, Priority.ROUTINE


class Service:
    """One limited service: a SimPy ``PriorityResource`` plus the counters planners ask about."""

    def __init__(self, env: simpy.Environment, name: str, capacity: int, window_day: float):
        self.env = env
        self.window_day = window_day  # utilisation is measured over [0, window_day)
        self.name = name
        self.resource = simpy.PriorityResource(env, capacity=capacity)
        self.capacity = capacity
        self.waits: list[float] = []
        self.busy_days = 0.0
        self.max_queue = 0

    def use(self, priority: int, hold_days: float, give_up_day: float,
            on_start: Callable[[float], None] | None = None) -> Generator[Any, Any, float | None]:
        """Queue, then hold the service for ``hold_days``; return the wait (days), or None if given up.

        ``give_up_day`` (days on the clock) is when the patient leaves the queue (death, end of
        follow-up, or an emergency that overtakes a routine booking). ``on_start(wait)`` runs when
        the service starts (so what happens then is recorded at its own time, in order).
        """
        env = self.env
        req = self.resource.request(priority=int(priority))
        self.max_queue = max(self.max_queue, len(self.resource.queue))
        requested = env.now
        if not req.triggered:
            patience = give_up_day - env.now
            if patience <= 0:
                req.cancel()
                return None
            yield req | env.timeout(patience)
            if not req.triggered:
                req.cancel()
                return None
        wait = env.now - requested
        self.waits.append(wait)
        if on_start is not None:
            on_start(wait)
        yield env.timeout(hold_days)
        if env.now <= self.window_day:
            self.busy_days += hold_days
        self.resource.release(req)
        return wait


class Services:
    """The services of one replication."""

    def __init__(self, env: simpy.Environment, params: ServiceParams, window_day: float):
        self.by_name = {k.name: Service(env, k.name, getattr(params, k.capacity_parameter.rpartition(".")[2]),
                                        window_day) for k in SERVICE_KINDS}
        self.mri, self.theatre, self.radiotherapy = (self.by_name[n] for n in ("mri", "theatre", "radiotherapy"))
        self.mri_scan_days = 1.0 / params.mri_slots_per_scanner_day  # one scanner holds one scan this long

    def all(self) -> tuple[Service, ...]:
        """Every service, in the vocabulary's order."""
        return tuple(self.by_name.values())
