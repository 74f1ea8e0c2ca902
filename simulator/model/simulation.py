"""One replication of one scenario: draw the cohort, run the SimPy processes, return the records.

Only what waits for a resource or a decision is simulated as events: a patient's process starts
at symptom onset (or at a benign back-pain episode), so few processes are alive at once and the
event queue stays short. Everything else (attributes, the latent disease course) is computed.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from simulator.model.natural_history import DISEASE_SLOTS, draw_patient
from simulator.model.pathway import benign_episode, spinal_pathway
from simulator.model.patient import INF, Patient
from simulator.model.services import Services
from simulator.model.treatment import EPISODE_SLOTS
from simulator.parameters.schema import Parameters
from simulator.streams import Draws, Purpose, cohort_rng, patient_blocks, patient_rng
from simulator.vocabulary import DAYS_PER_YEAR

CARE_BATCH = 24


@dataclass
class Replication:
    """What one replication produced: the patients (with their event logs) and the services."""

    patients: list[Patient]
    services: Services
    window_day: float  # demand is steady over [0, window_day): the utilisation window
    events_simulated: int


def entry_days(params: Parameters, seed: int, replication: int, n: int) -> np.ndarray:
    """Entry days of ``n`` patients: Poisson arrivals, or all at day 0 for a cohort.

    The first ``k`` entry days do not depend on ``n`` (a prefix of one stream).
    """
    if params.cohort.arrivals == "cohort":
        return np.zeros(n)
    gaps = cohort_rng(seed, replication).exponential(DAYS_PER_YEAR / params.cohort.arrivals_per_year, n)
    return np.cumsum(gaps)


def draw_cohort(params: Parameters, seed: int, replication: int, n: int) -> list[Patient]:
    """Attributes and latent disease course of every patient (no SimPy)."""
    days = entry_days(params, seed, replication, n).tolist()
    rows = patient_blocks(seed, replication, Purpose.DISEASE, n, DISEASE_SLOTS).tolist()
    return [draw_patient(params, u, i, day) for i, (u, day) in enumerate(zip(rows, days, strict=True))]


def simulate(params: Parameters, seed: int, replication: int, n: int) -> Replication:
    """Run one replication of ``n`` patients under ``params``."""
    env = simpy.Environment()
    cohort = draw_cohort(params, seed, replication, n)
    window = cohort[-1].entry_day if cohort and params.cohort.arrivals == "poisson" else params.cohort.follow_up_days
    services = Services(env, params.services, max(window, 1.0))
    starts = sorted(
        [(p.onset_day, p.pid, 0) for p in cohort if p.onset_day < INF]
        + [(p.benign_day, p.pid, 1) for p in cohort if p.benign_day < INF]
    )
    responses = patient_blocks(seed, replication, Purpose.RESPONSE, n, EPISODE_SLOTS)
    env.process(_starter(env, starts, cohort, services, params, seed, replication, responses))
    env.run()
    events = _scheduled_events(env)
    return Replication(cohort, services, max(window, 1.0), events)


def _scheduled_events(env: simpy.Environment) -> int:
    """How many events SimPy scheduled (its internal event-id counter; 0 if unavailable)."""
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else 0


def _starter(env: simpy.Environment, starts: list[tuple[float, int, int]], cohort: list[Patient],
             services: Services, params: Parameters, seed: int, replication: int,
             responses: np.ndarray) -> Generator[Any, Any, None]:
    """Start each patient's process on the day it is needed (few processes alive at once)."""
    for day, pid, kind in starts:
        if day > env.now:
            yield env.timeout(day - env.now)
        p = cohort[pid]
        care = Draws(patient_rng(seed, replication, pid, Purpose.CARE), CARE_BATCH)
        if kind == 0:
            response = responses[pid].tolist()
            env.process(spinal_pathway(env, p, services, params, care, response))
        else:
            env.process(benign_episode(env, p, services, params, care))
