"""Invariants of the RAW event log: ``p.events`` exactly as the model appended it, before any sorting.

The exported event table sorts each patient's events by day (``tables.patient_events``), which would
hide an event logged at the wrong time; these checks read the list the SimPy processes wrote. They
run as Hypothesis properties over seeds and levers (the levers of ``test_invariants``, drawn within
the schema's ranges) and over one seeded baseline cohort, and a deliberately misplaced diagnosis
(logged 50 days early) shows that the check itself catches a misplaced event.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from test_invariants import BASELINE, LEVERS, SEEDS, SLOW_SCANS

from simulator.model import pathway
from simulator.model.simulation import Replication, simulate
from simulator.output.tables import events_table

PATIENTS = 150
WAITS = ("patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days",
         "mri_wait_days")


def log_problems(p) -> list[str]:
    """Everything wrong with one patient's raw log (empty if nothing)."""
    problems = []
    for (day_a, event_a, _), (day_b, event_b, _) in zip(p.events, p.events[1:], strict=False):
        if day_b < day_a:
            problems.append(f"patient {p.pid}: {event_b} on day {day_b} logged after {event_a} on day {day_a}")
    kinds = [event for _, event, _ in p.events]
    onsets = [day for day, event, _ in p.events if event == "symptom_onset"]
    diagnoses = [day for day, event, _ in p.events if event == "diagnosis"]
    if p.diagnosed:
        if len(diagnoses) != 1:
            problems.append(f"patient {p.pid}: {len(diagnoses)} diagnosis events")
        elif len(onsets) != 1 or kinds.index("symptom_onset") > kinds.index("diagnosis"):
            problems.append(f"patient {p.pid}: the diagnosis is not logged after one symptom_onset")
        elif diagnoses[0] != p.diagnosis_day or diagnoses[0] < onsets[0]:
            problems.append(f"patient {p.pid}: diagnosis logged on day {diagnoses[0]}, diagnosed on "
                            f"{p.diagnosis_day}, onset {onsets[0]}")
    elif diagnoses:
        problems.append(f"patient {p.pid}: a diagnosis event but not diagnosed")
    stop = min(p.death_day, p.end_day)
    problems += [f"patient {p.pid}: {event} on day {day} outside [entry, death or end]"
                 for day, event, _ in p.events if not p.entry_day <= day <= stop]
    waits = [(name, getattr(p, name)) for name in WAITS]
    waits += [(f"episode {i} {name}", getattr(e, name)) for i, e in enumerate(p.episodes)
              for name in ("surgery_wait_days", "rt_wait_days")]
    problems += [f"patient {p.pid}: {name} = {value}" for name, value in waits if value < 0]
    return problems


def assert_raw_logs_hold(rep: Replication) -> None:
    problems = [problem for p in rep.patients for problem in log_problems(p)]
    problems += [f"{s.name}: negative wait {w}" for s in rep.services.all() for w in s.waits if w < 0]
    assert problems == [], problems[:10]


@settings(max_examples=25, deadline=None)
@example(seed=0, levers=SLOW_SCANS)
@given(seed=SEEDS, levers=LEVERS)
def test_raw_logs_hold_whatever_the_seed_and_levers(seed, levers):
    rep = simulate(BASELINE.with_overrides(levers).params, seed, 0, PATIENTS)
    assert_raw_logs_hold(rep)


@pytest.fixture(scope="module")
def cohort():
    return simulate(BASELINE.params, 41, 0, 3000)


def test_raw_logs_of_a_seeded_baseline_cohort(cohort):
    assert_raw_logs_hold(cohort)
    diagnosed = [p for p in cohort.patients if p.diagnosed]
    assert len(diagnosed) > 300  # the checks met many diagnoses, treatments and relapses
    assert sum(bool(p.episodes) for p in cohort.patients) > 200
    assert sum(any(e == "relapse" for _, e, _ in p.events) for p in cohort.patients) > 10
    assert all(not math.isnan(p.mri_wait_days) for p in diagnosed if p.route == "emergency")


def test_a_diagnosis_logged_50_days_early_is_caught(monkeypatch):
    """The check must fail on a misplaced event, even where the exported (sorted) table hides it."""
    diagnose = pathway._diagnose

    def early(env, p):
        diagnose(env, p)
        day, event, detail = p.events[-1]
        assert event == "diagnosis"
        p.events[-1] = (day - 50.0, event, detail)

    monkeypatch.setattr(pathway, "_diagnose", early)
    rep = simulate(BASELINE.params, 41, 0, 600)
    assert sum(p.diagnosed for p in rep.patients) > 20
    with pytest.raises(AssertionError, match="logged after"):
        assert_raw_logs_hold(rep)
    caught = [p for p in rep.patients if p.diagnosed and log_problems(p)]
    assert len(caught) == sum(p.diagnosed for p in rep.patients)  # every misplaced diagnosis, not just some
    # the exported table sorts each patient's events, so an order check on it cannot see the fault
    table = events_table(rep, "early", 0)
    assert (table.groupby("patient_id", sort=False)["day"].diff().dropna() >= 0).all()
