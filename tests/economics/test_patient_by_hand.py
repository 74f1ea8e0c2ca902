"""Costs, QALYs and life-years of patients with known logs, checked against sums done by hand.

Discounting is continuous from each patient's entry: an amount t years after entry is worth
(1 + r) ** -t, and a daily amount held over [a, b) years is worth its rate times
((1 + r) ** -a - (1 + r) ** -b) / ln(1 + r) (simulator/economics/patient.py; NICE's 3.5%).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator.economics.patient import patient_economics
from simulator.parameters.scenario import load_scenario

YEAR = 365.25
R = 0.035
KEYS = {"scenario": "s", "replication": 0}


@pytest.fixture(scope="module")
def params():
    return load_scenario("baseline").with_overrides({
        "costs.event.gp_visit": 100.0, "costs.event.mri": 200.0, "costs.event.end_of_life": 1000.0,
        "costs.state.not_walking": 10.0, "utilities.walking_unaided": 0.8, "utilities.not_walking": 0.4,
        "utilities.pain_moderate_decrement": 0.1, "economics.horizon_years": 5,
        "economics.discount_costs": R, "economics.discount_outcomes": R,
        "economics.perspective": "health-system"}).params


def _annuity(a: float, b: float) -> float:
    """Discounted length of [a, b) years."""
    return ((1 + R) ** -a - (1 + R) ** -b) / math.log(1 + R)


def _tables():
    """Patient 1: walks unaided for a year, then cannot walk, dies at 2 years; a GP visit on day 0, an
    MRI on a Monday at noon (day 364.5), moderate pain over her second year. Patient 2 enters on day
    100 and is alive and walking at her horizon (5 years), with one GP visit a year after entry."""
    patients = pd.DataFrame({**KEYS, "patient_id": [1, 2], "entry_day": [0.0, 100.0],
                             "death_day": [2 * YEAR, float("nan")], "end_day": [10 * YEAR, 10 * YEAR]})
    events = pd.DataFrame({**KEYS, "patient_id": [1, 1, 1, 2], "day": [0.0, 364.5, 2 * YEAR, 100.0 + YEAR],
                           "event": ["gp_visit", "imaging", "death", "gp_visit"],
                           "detail": ["", "mri:positive", "", ""]})
    trajectories = pd.DataFrame({**KEYS, "patient_id": [1, 1, 1, 2],
                                 "kind": ["neuro", "neuro", "pain", "neuro"],
                                 "state": ["E", "C", "moderate", "E"],
                                 "walking": ["unaided", "not walking", None, "unaided"],
                                 "start_day": [0.0, YEAR, YEAR, 100.0],
                                 "stop_day": [YEAR, 2 * YEAR, 2 * YEAR, 10 * YEAR]})
    return patients, events, trajectories


def test_costs_qalys_and_life_years_by_hand(params):
    result = patient_economics(*_tables(), params)
    one, two = (result.per_patient.set_index("patient_id").loc[i] for i in (1, 2))

    # patient 1: GP 100 at t=0, MRI 200 at 364.5 d, community care 10/day over year 2, end of life 1000 at 2 y
    assert one["cost"] == pytest.approx(100 + 200 + 10 * YEAR + 1000, abs=1e-5)
    assert one["cost_discounted"] == pytest.approx(
        100 + 200 * (1 + R) ** -(364.5 / YEAR) + 10 * YEAR * _annuity(1, 2) + 1000 * (1 + R) ** -2, abs=1e-5)
    # 0.8 for a year walking, 0.4 - 0.1 for a year not walking in moderate pain
    assert one["qalys"] == pytest.approx(0.8 + 0.3, abs=1e-6)
    assert one["qalys_discounted"] == pytest.approx(0.8 * _annuity(0, 1) + 0.3 * _annuity(1, 2), abs=1e-6)
    assert one["life_years"] == pytest.approx(2.0, abs=1e-6)
    assert one["life_years_discounted"] == pytest.approx(_annuity(0, 2), abs=1e-6)

    # patient 2: counted from her own entry, up to the 5-year horizon
    assert two["cost"] == pytest.approx(100, abs=1e-6)
    assert two["cost_discounted"] == pytest.approx(100 / (1 + R), abs=1e-5)
    assert two["qalys"] == pytest.approx(0.8 * 5, abs=1e-6)
    assert two["qalys_discounted"] == pytest.approx(0.8 * _annuity(0, 5), abs=1e-6)
    assert two["life_years"] == pytest.approx(5.0, abs=1e-6)


def test_the_costs_table_splits_the_total_by_category(params):
    result = patient_economics(*_tables(), params)
    one = result.costs[result.costs["patient_id"] == 1].set_index("category")["cost"]
    assert one.to_dict() == pytest.approx({"primary_care": 100.0, "imaging": 200.0,
                                           "community_care": 10 * YEAR, "end_of_life": 1000.0}, abs=1e-5)
    assert result.costs.groupby("patient_id")["cost"].sum().to_dict() == pytest.approx(
        result.per_patient.set_index("patient_id")["cost"].to_dict(), abs=1e-5)


def test_an_mri_out_of_hours_costs_its_factor_more(params):
    patients, events, trajectories = _tables()
    events.loc[events["event"] == "imaging", "day"] = 364.0 + 22 / 24  # Monday 22:00
    one = patient_economics(patients, events, trajectories, params).costs
    mri = one[(one["patient_id"] == 1) & (one["category"] == "imaging")]["cost"].iloc[0]
    assert mri == pytest.approx(200 * params.costs.event.mri_out_of_hours_factor)
