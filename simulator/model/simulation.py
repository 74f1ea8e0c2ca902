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

from simulator.model.cohort import DISEASE_SLOTS, Cohort, draw_cohort, patient
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
    """What one replication produced: the cohort's columns, the records of the patients who were
    simulated (a symptomatic spinal lesion or a benign back-pain episode), and the services."""

    cohort: Cohort
    simulated: dict[int, Patient]  # block index -> record (the others never left their natural course)
    services: Services
    window_day: float  # demand is steady over [0, window_day): the utilisation window
    events_simulated: int
    params: Parameters

    def patient(self, i: int) -> Patient:
        """Patient ``i``: her simulated record, or one built from the columns (untouched by care)."""
        return self.simulated[i] if i in self.simulated else patient(self.params, self.cohort, i)

    @property
    def patients(self) -> list[Patient]:
        """Every patient as a record, in index order (builds records for the unsimulated: for tests and journeys)."""
        return [self.patient(i) for i in range(len(self.cohort))]


def entry_days(params: Parameters, seed: int, replication: int, n: int) -> np.ndarray:
    """Entry days of ``n`` patients: Poisson arrivals, or all at day 0 for a cohort.

    The first ``k`` entry days do not depend on ``n`` (a prefix of one stream).
    """
    if params.cohort.arrivals == "cohort":
        return np.zeros(n)
    gaps = cohort_rng(seed, replication).exponential(DAYS_PER_YEAR / params.cohort.arrivals_per_year, n)
    return np.cumsum(gaps)


def draw_replication_cohort(params: Parameters, seed: int, replication: int, n: int) -> Cohort:
    """Attributes and latent disease course of every patient, as columns (no SimPy)."""
    days = entry_days(params, seed, replication, n)
    return draw_cohort(params, patient_blocks(seed, replication, Purpose.DISEASE, n, DISEASE_SLOTS), days)


def simulate(params: Parameters, seed: int, replication: int, n: int) -> Replication:
    """Run one replication of ``n`` patients under ``params``."""
    env = simpy.Environment()
    cohort = draw_replication_cohort(params, seed, replication, n)
    last_entry = float(cohort.entry_day[-1]) if n else 0.0
    window = last_entry if n and params.cohort.arrivals == "poisson" else params.cohort.follow_up_days
    services = Services(env, params.services, max(window, 1.0))
    onset = np.nonzero(cohort.onset_day < INF)[0]
    benign = np.nonzero(cohort.benign_day < INF)[0]
    days = np.concatenate([cohort.onset_day[onset], cohort.benign_day[benign]])
    kinds = np.concatenate([np.zeros(len(onset), np.int8), np.ones(len(benign), np.int8)])
    who = np.concatenate([onset, benign])
    order = np.lexsort((kinds, who, days))  # by day, then patient, then kind (as sorted tuples)
    starts = list(zip(days[order].tolist(), who[order].tolist(), kinds[order].tolist(), strict=True))
    responses = patient_blocks(seed, replication, Purpose.RESPONSE, n, EPISODE_SLOTS)
    simulated: dict[int, Patient] = {}
    env.process(_starter(env, starts, cohort, simulated, services, params, seed, replication, responses))
    env.run()
    return Replication(cohort, simulated, services, max(window, 1.0), _scheduled_events(env), params)


def _scheduled_events(env: simpy.Environment) -> int:
    """How many events SimPy scheduled (its internal event-id counter; 0 if unavailable)."""
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else 0


def _starter(env: simpy.Environment, starts: list[tuple[float, int, int]], cohort: Cohort,
             simulated: dict[int, Patient], services: Services, params: Parameters, seed: int, replication: int,
             responses: np.ndarray) -> Generator[Any, Any, None]:
    """Start each patient's process on the day it is needed (few processes alive at once)."""
    for day, i, kind in starts:
        if day > env.now:
            yield env.timeout(day - env.now)
        p = simulated[i] = patient(params, cohort, i)
        care = Draws(patient_rng(seed, replication, i, Purpose.CARE), CARE_BATCH)
        if kind == 0:
            env.process(spinal_pathway(env, p, services, params, care, responses[i].tolist()))
        else:
            env.process(benign_episode(env, p, services, params, care))
