"""Shared fixtures: SimPy's ``env`` and ``log``, the bundled baseline, a tiny scenario, hand-built patients.

Scenario values are always read from the scenario (never restated here): the baseline is being
calibrated while these tests are written, and a test that copies its numbers would go stale.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import simpy

from simulator import Results, Scenario, load_scenario, run_experiment
from simulator.model.course import Course, Decline
from simulator.model.patient import INF, Patient
from simulator.vocabulary import DAYS_PER_YEAR, Cause, Grade

#: Under mutmut's stats run, credit import- and fixture-time calls to every test (see mutation_stats.py).
_MUTMUT_STATS = os.environ.get("MUTANT_UNDER_TEST") == "stats"
if _MUTMUT_STATS:
    pytest_plugins = ["mutation_stats"]

#: Seed used by tests that need "a" fixed seed and do not care which.
SEED = 20260


@pytest.fixture
def env() -> simpy.Environment:
    """A fresh SimPy environment (clock in days), as in SimPy's own test suite."""
    return simpy.Environment()


@pytest.fixture
def log() -> list[tuple[Any, ...]]:
    """An event log that processes append ``(who, what, day)`` tuples to (SimPy's ``log`` fixture)."""
    return []


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The bundled baseline scenario."""
    return load_scenario("baseline")


@pytest.fixture(scope="session")
def tiny_scenario(baseline: Scenario) -> Scenario:
    """Baseline with every spinal lesion symptomatic, so a few hundred patients give many diagnoses."""
    return baseline.with_overrides({"natural_history.p_symptomatic": 1.0}, name="tiny")


_RUNS: dict[tuple[Any, ...], Results] = {}


@pytest.fixture(scope="session")
def run_cached() -> Callable[..., Results]:
    """``run_cached(scenarios, patients, replications, seed)``: run_experiment, memoised for the session.

    Several test modules look at the same small runs; the results must be treated as read-only.
    """
    def run(scenarios: list[Scenario], patients: int, replications: int, seed: int) -> Results:
        key = (tuple((s.name, s.digest()) for s in scenarios), patients, replications, seed)
        if key not in _RUNS or _MUTMUT_STATS:  # under mutmut's stats run every reader runs it, and is credited
            _RUNS[key] = run_experiment(list(scenarios), patients, replications, seed)
        return _RUNS[key]
    return run


#: A hand-built patient's untreated decline (days at D unaided, D with aid, C, B): distinct values, so a test
#: can tell which grade a day falls in without reading the scenario.
DECLINE_DAYS = (10.0, 20.0, 30.0, 40.0)


def make_patient(**fields: Any) -> Patient:
    """A hand-built patient: a spinal lesion that causes pain from day 0, no compression, no care.

    Every latent field the model reads gets a neutral value (``inf`` = never); ``fields`` override
    them. The neurological course is the untreated one of the latent days: Frankel E until
    ``motor_day``, then the patient's own ``decline`` (``DECLINE_DAYS`` unless given); pass
    ``course`` to set it by hand. ``speed`` 0 (the median decline) and a cancer diagnosed five years
    before entry make her the reference patient of the response model. The death day is ``inf``
    unless given (refresh it with :func:`simulator.model.survival.refresh_death`).
    """
    p = Patient(pid=fields.pop("pid", 0), entry_day=fields.pop("entry_day", 0.0),
                end_day=fields.pop("end_day", 10_000.0))
    course = fields.pop("course", None)
    decline = fields.pop("decline", None) or Decline(*DECLINE_DAYS)
    defaults: dict[str, Any] = dict(
        age=60.0, subtype="hr_positive", ecog=1, visceral=False, other_bone=0, bone_agent=False, prior_rt=False,
        cancer_dx_day=p.entry_day - 5 * DAYS_PER_YEAR, sphincter_u=0.5, death_u=0.5,
        bone_mets_day=p.entry_day, met_start=p.entry_day, spine_day=p.entry_day, symptomatic=True,
        onset_day=p.entry_day, first_symptom="pain", level="thoracic", junctional=False, multilevel=False,
        lesion_type="lytic", posterolateral="none", escc_onset=0, escc2_day=INF, motor_day=INF, speed=0.0,
        fracture_day=INF, collapse_over_half=False, body_over_half=False, radicular=False, benign_day=INF,
        death_day=INF,
    )
    defaults.update(fields)
    for name, value in defaults.items():
        setattr(p, name, value)
    p.decline = decline
    if course is None:
        course = Course(Grade.E)
        if p.motor_day < INF:
            for change in decline.from_grade(p.motor_day, Grade.D_UNAIDED, Cause.NATURAL):
                course.append(*change)
    p.course = course
    return p


@pytest.fixture
def patient_factory() -> Callable[..., Patient]:
    """The :func:`make_patient` helper as a fixture."""
    return make_patient

