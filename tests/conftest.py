"""Shared fixtures: SimPy's ``env`` and ``log``, the bundled baseline, a tiny scenario, hand-built patients.

Scenario values are always read from the scenario (never restated here): the baseline is being
calibrated while these tests are written, and a test that copies its numbers would go stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import simpy

from simulator import Results, Scenario, load_scenario, run_experiment
from simulator.model.patient import INF, Patient

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
        if key not in _RUNS:
            _RUNS[key] = run_experiment(list(scenarios), patients, replications, seed)
        return _RUNS[key]
    return run


def make_patient(**fields: Any) -> Patient:
    """A hand-built patient: no spinal disease, no care, unless ``fields`` say otherwise.

    Every latent field the course functions read gets a neutral value (``inf`` = never).
    """
    p = Patient(pid=fields.pop("pid", 0), entry_day=fields.pop("entry_day", 0.0),
                end_day=fields.pop("end_day", 10_000.0))
    defaults: dict[str, Any] = dict(
        age=60.0, subtype="hr_positive", ecog=1, visceral=False, other_bone=0, bone_agent=False, prior_rt=False,
        bone_mets_day=0.0, spine_day=0.0, symptomatic=True, onset_day=0.0, first_symptom="pain",
        level="thoracic", junctional=False, multilevel=False, lesion_type="lytic", posterolateral="none",
        escc_onset=0, escc2_day=INF, motor_day=INF, walk_loss_day=INF, paraplegia_day=INF, complete_day=INF,
        fracture_day=INF, collapse_over_half=False, body_over_half=False, radicular=False,
        death_day=INF, benign_day=INF,
    )
    defaults.update(fields)
    for name, value in defaults.items():
        setattr(p, name, value)
    return p


@pytest.fixture
def patient_factory() -> Callable[..., Patient]:
    """The :func:`make_patient` helper as a fixture."""
    return make_patient

