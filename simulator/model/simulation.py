"""One replication of one scenario: draw the cohort, run the SimPy processes, hand on the records.

Only what waits for a resource or a decision is simulated as events: a patient's process starts
at symptom onset (or at a benign back-pain episode), so few processes are alive at once and the
event queue stays short. Everything else (attributes, the latent disease course) is computed.

The cohort is drawn in blocks of patients, each when the simulation clock reaches its first
entry day, and each block is handed on as soon as every process of its patients has ended: memory
is bounded by the blocks alive at once, not by the cohort (with Poisson arrivals; a cohort that
enters on day 0 is all alive at once). The blocks read the patients' streams in order, so the
same seed gives the same patients and the same events whatever the block size.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import simpy

from simulator.model.cohort import DISEASE_SLOTS, Cohort, draw_cohort, patient, patients
from simulator.model.pathway import benign_episode, spinal_pathway
from simulator.model.patient import INF, Patient
from simulator.model.services import Services
from simulator.model.treatment import EPISODE_SLOTS
from simulator.parameters.schema import Parameters
from simulator.streams import Draws, Purpose, block_rng, cohort_rng, patient_rng
from simulator.vocabulary import DAYS_PER_YEAR

CARE_BATCH = 24
#: patients per block: the unit of memory (about 2 MiB of tables per 1,000 patients) and of output row groups
BLOCK_PATIENTS = 25_000
SPINAL, BENIGN = 0, 1  # what starts a patient's process


@dataclass
class Replication:
    """What one replication (or one block of it) produced.

    The cohort's columns, the records of the patients who were simulated (a symptomatic spinal
    lesion or a benign back-pain episode), and the services.
    """

    cohort: Cohort
    simulated: dict[int, Patient]  # index in the block -> record (the others never left their natural course)
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


OnBlock = Callable[[Replication], None]


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
    disease = block_rng(seed, replication, Purpose.DISEASE)
    return draw_cohort(params, disease.random(n * DISEASE_SLOTS), days)


def simulate(params: Parameters, seed: int, replication: int, n: int, on_block: OnBlock | None = None,
             block: int = BLOCK_PATIENTS) -> Replication:
    """Run one replication of ``n`` patients under ``params``.

    With ``on_block``, each finished block of ``block`` patients is passed to it (in patient order)
    and dropped, and the returned replication has an empty cohort (its services and counts only);
    without, the whole replication is returned.
    """
    kept: list[Replication] = []
    run = _Run(params, seed, replication, entry_days(params, seed, replication, n), block,
               on_block or kept.append)
    run.env.process(run.starter())
    run.env.run()
    run.flush_all()
    events = _scheduled_events(run.env)
    if on_block is not None:
        return Replication(_concat_cohorts([]), {}, run.services, run.window, events, params)
    simulated = {start + i: p for start, part in zip(run.block_starts, kept, strict=True)
                 for i, p in part.simulated.items()}
    return Replication(_concat_cohorts([part.cohort for part in kept]), simulated, run.services, run.window,
                       events, params)


def _scheduled_events(env: simpy.Environment) -> int:
    """How many events SimPy scheduled (its internal event-id counter; 0 if unavailable)."""
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else 0


def _concat_cohorts(parts: list[Cohort]) -> Cohort:
    if len(parts) == 1:
        return parts[0]
    names = [f.name for f in fields(Cohort)]
    if not parts:
        return Cohort(**{name: np.zeros(0) for name in names})
    return Cohort(**{name: np.concatenate([getattr(part, name) for part in parts]) for name in names})


class _Block:
    """One block of patients while it is simulated: its columns, records and response draws."""

    __slots__ = ("number", "start", "cohort", "records", "responses", "pending")

    def __init__(self, number: int, start: int, cohort: Cohort, records: dict[int, Patient], responses: np.ndarray):
        self.number, self.start, self.cohort, self.records, self.responses = number, start, cohort, records, responses
        self.pending = len(records)  # processes not yet ended


class _Run:
    """The state of one replication's simulation: the clock, the services and the blocks alive."""

    def __init__(self, params: Parameters, seed: int, replication: int, entry: np.ndarray, block: int,
                 on_block: OnBlock):
        self.params, self.seed, self.replication, self.entry, self.on_block = params, seed, replication, entry, on_block
        n = len(entry)
        self.env = simpy.Environment()
        last_entry = float(entry[-1]) if n else 0.0
        window = last_entry if n and params.cohort.arrivals == "poisson" else params.cohort.follow_up_days
        self.window = max(window, 1.0)
        self.services = Services(self.env, params.services, self.window)
        self.block_starts = list(range(0, n, max(1, block)))
        self.block = max(1, block)
        self.disease = block_rng(seed, replication, Purpose.DISEASE)
        self.response = block_rng(seed, replication, Purpose.RESPONSE)
        self.starts: list[tuple[float, int, int, _Block]] = []  # heap of (day, patient, kind, block)
        self.loaded = 0  # blocks drawn so far
        self.alive: dict[int, _Block] = {}  # blocks drawn and not yet handed on
        self.next_out = 0  # the next block to hand on (blocks are handed on in order)

    def load_next(self) -> None:
        """Draw the next block's columns and records, and queue its patients' starts."""
        number = self.loaded
        start = self.block_starts[number]
        stop = min(start + self.block, len(self.entry))
        size = stop - start
        cohort = draw_cohort(self.params, self.disease.random(size * DISEASE_SLOTS), self.entry[start:stop],
                             pid=np.arange(start, stop, dtype=np.int64))
        responses = self.response.random(size * EPISODE_SLOTS).reshape(size, EPISODE_SLOTS)
        onset = np.nonzero(cohort.onset_day < INF)[0]
        benign = np.nonzero(cohort.benign_day < INF)[0]
        who = np.concatenate([onset, benign])
        records = dict(zip(who.tolist(), patients(self.params, cohort, who), strict=True))
        part = _Block(number, start, cohort, records, responses)
        self.alive[number] = part
        self.loaded += 1
        for kind, idx, days in ((SPINAL, onset, cohort.onset_day), (BENIGN, benign, cohort.benign_day)):
            for day, i in zip(days[idx].tolist(), idx.tolist(), strict=True):
                heapq.heappush(self.starts, (day, start + i, kind, part))
        if not part.pending:
            self.flush_ready()

    def starter(self) -> Generator[Any, Any, None]:
        """Start each patient's process on the day it is needed (few processes alive at once)."""
        env, params = self.env, self.params
        starts, entry, blocks = self.starts, self.entry, self.block_starts
        while True:
            # a block is drawn before anything at or after its first entry day happens
            while self.loaded < len(blocks) and (not starts or starts[0][0] >= entry[blocks[self.loaded]]):
                self.load_next()
            if not starts:
                return
            day, pid, kind, part = heapq.heappop(starts)
            if day > env.now:
                yield env.timeout(day - env.now)
            i = pid - part.start
            p = part.records[i]
            care = Draws(patient_rng(self.seed, self.replication, pid, Purpose.CARE), CARE_BATCH)
            if kind == SPINAL:
                process = env.process(spinal_pathway(env, p, self.services, params, care, part.responses[i].tolist()))
            else:
                process = env.process(benign_episode(env, p, self.services, params, care))
            process.callbacks.append(lambda _event, part=part: self.ended(part))

    def ended(self, part: _Block) -> None:
        """One of the block's processes ended; hand on the blocks that are complete."""
        part.pending -= 1
        if not part.pending:
            self.flush_ready()

    def flush_ready(self) -> None:
        """Hand on, in order, every block whose processes have all ended."""
        while self.next_out in self.alive and not self.alive[self.next_out].pending:
            self._hand_on(self.alive.pop(self.next_out))

    def flush_all(self) -> None:
        """After the run: hand on what is left (every process has ended)."""
        while self.loaded < len(self.block_starts):
            self.load_next()
        for number in sorted(self.alive):
            self._hand_on(self.alive.pop(number))

    def _hand_on(self, part: _Block) -> None:
        self.next_out = part.number + 1
        self.on_block(Replication(part.cohort, part.records, self.services, self.window, 0, self.params))
