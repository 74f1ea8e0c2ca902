"""One patient's journey, day by day: for teaching what a delay does to one person."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.model.course import INF
from simulator.model.pain import vas_at
from simulator.model.simulation import Replication, simulate
from simulator.output.tables import events_table, patients_table
from simulator.parameters.scenario import Scenario
from simulator.vocabulary import WALKING_VALUES, frankel, grade_label, walking, walks


@dataclass(frozen=True)
class Journey:
    """A patient's record (one row), events and daily states."""

    patient: pd.Series
    events: pd.DataFrame
    states: pd.DataFrame


def patient_journey(scenario: Scenario, seed: int, replication: int, patient_id: int, patients: int,
                    days_after_diagnosis: float = 365.0) -> Journey:
    """Simulate the replication and return patient ``patient_id``'s journey (daily from symptom onset).

    The whole replication is simulated because services are shared: the queue the patient met
    depends on everyone else.
    """
    if not 0 <= patient_id < patients:
        raise ValueError(f"patient_id {patient_id} is outside 0 to {patients - 1}")
    rep = simulate(scenario.params, seed, replication, patients)
    p = rep.patient(patient_id)
    one = Replication(rep.cohort.take(np.array([patient_id])), {0: p}, rep.services, rep.window_day, 0, rep.params)
    row = patients_table(one, scenario.name, replication, scenario.params).iloc[0]
    events = events_table(one, scenario.name, replication)
    start = p.onset_day if p.onset_day < INF else p.entry_day
    stop = min(p.stop_day, (p.diagnosis_day if p.diagnosed else start) + days_after_diagnosis)
    days = [start + d for d in range(int(max(0.0, stop - start)) + 1)]
    grades = [p.grade_at(d) for d in days]
    states = pd.DataFrame({
        "day": days,
        "days_since_onset": [d - start for d in days],
        "frankel": [frankel(g) for g in grades],
        "grade": [grade_label(g) for g in grades],
        "ambulatory_level": [WALKING_VALUES[walking(g)] for g in grades],
        "ambulatory": [walks(g) for g in grades],
        "vas": [vas_at(p, d, scenario.params.pain, scenario.params.treatment) for d in days],
    })
    return Journey(patient=row, events=events, states=states)
