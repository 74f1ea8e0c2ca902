"""Budget impact: each cost lands in the calendar year it is paid, from the same lines as the costs table.

Hand-built patients, events and state histories with known days; the unit costs are read from the
bundled baseline (never restated), so the expected amounts follow the scenario.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulator.economics.budget import (
    BUDGET_ITEMS,
    block_budget,
    budget_rows,
    by_year,
    capacity_by_year,
    replication_budget,
    summarise_budget,
    year_edges,
)
from simulator.economics.patient import office_hours, patient_economics
from simulator.vocabulary import DAYS_PER_YEAR

KEYS = {"scenario": "s", "replication": 0}


def test_year_edges_stop_at_the_horizon():
    assert year_edges(5).tolist() == [k * DAYS_PER_YEAR for k in range(6)]
    assert year_edges(2.5).tolist() == [0.0, DAYS_PER_YEAR, 2 * DAYS_PER_YEAR, 2.5 * DAYS_PER_YEAR]
    assert len(year_edges(0.1)) == 2


def test_an_instant_counts_whole_in_its_year_and_a_span_is_split_by_its_days():
    edges = year_edges(3)
    # an event on day 400 is in year 2; one exactly on the first boundary starts year 2; one at the horizon is out
    events = by_year(np.array([400.0, DAYS_PER_YEAR, 3 * DAYS_PER_YEAR]), np.array([400.0, DAYS_PER_YEAR,
                                                                                    3 * DAYS_PER_YEAR]),
                     np.array([10.0, 1.0, 99.0]), edges)
    assert events.tolist() == [0.0, 11.0, 0.0]
    # 130 over days [300, 430): 65.25 days in year 1, 64.75 in year 2
    span = by_year(np.array([300.0]), np.array([430.0]), np.array([130.0]), edges)
    np.testing.assert_allclose(span, [65.25, 64.75, 0.0], rtol=1e-12)


def _patients(rows: list[dict]) -> pd.DataFrame:
    base = {**KEYS, "death_day": math.nan, "end_day": 3000.0, "treatment": "none", "treatment_day": math.nan}
    return pd.DataFrame([{**base, **r} for r in rows])


def _frames(baseline):
    """Patient 0: enters on day 200, MRI (weekday office hours) on day 500.4, not walking from day 300 to 430.

    Patient 1: enters on day 10, first treated (radiotherapy) on day 800; patient 2 enters on day 20 and gets
    supportive care only (not counted as treated).
    """
    patients = _patients([{"patient_id": 0, "entry_day": 200.0},
                          {"patient_id": 1, "entry_day": 10.0, "treatment": "rt", "treatment_day": 800.0},
                          {"patient_id": 2, "entry_day": 20.0, "treatment": "supportive", "treatment_day": 90.0}])
    events = pd.DataFrame([{**KEYS, "patient_id": 0, "day": 500.4, "event": "imaging", "detail": "mri:positive"}])
    neuro = [{**KEYS, "patient_id": 0, "kind": "neuro", "state": s, "walking": w, "start_day": a, "stop_day": b}
             for s, w, a, b in (("E", "unaided", 200.0, 300.0), ("C", "not walking", 300.0, 430.0),
                                ("E", "unaided", 430.0, 3000.0))]
    return patients, events, pd.DataFrame(neuro), baseline.params


def test_an_mri_in_year_2_is_costed_in_year_2(baseline):
    patients, events, trajectories, params = _frames(baseline)
    economics = patient_economics(patients, events, trajectories, params)
    budget = block_budget(economics.lines, patients, params.economics.horizon_years)
    assert office_hours(np.array([500.4]))[0]  # so the MRI costs its in-hours price
    assert budget["imaging"].tolist() == [0.0, params.costs.event.mri, 0.0, 0.0, 0.0]


def test_a_state_cost_is_split_between_the_years_it_spans(baseline):
    patients, events, trajectories, params = _frames(baseline)
    economics = patient_economics(patients, events, trajectories, params)
    budget = block_budget(economics.lines, patients, params.economics.horizon_years)
    daily = params.costs.state.not_walking
    np.testing.assert_allclose(budget["community_care"][:2], [daily * (DAYS_PER_YEAR - 300.0),
                                                              daily * (430.0 - DAYS_PER_YEAR)], rtol=1e-9)
    assert budget["community_care"][2:].tolist() == [0.0, 0.0, 0.0]


def test_the_budget_adds_up_to_the_costs_table_inside_the_horizon(baseline):
    """The two read the same costed lines: every undiscounted category total agrees."""
    patients, events, trajectories, params = _frames(baseline)
    economics = patient_economics(patients, events, trajectories, params)
    budget = block_budget(economics.lines, patients, params.economics.horizon_years)
    totals = economics.costs.groupby("category")["cost"].sum()
    assert len(totals) >= 2
    for category, cost in totals.items():
        assert budget[category].sum() == pytest.approx(cost, rel=1e-9), category


def test_patients_entered_and_treated_count_in_their_years(baseline):
    patients, events, trajectories, params = _frames(baseline)
    economics = patient_economics(patients, events, trajectories, params)
    budget = block_budget(economics.lines, patients, 5)
    assert budget["patients_entered"].tolist() == [3.0, 0.0, 0.0, 0.0, 0.0]
    assert budget["patients_treated"].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]  # day 800 is in year 3


def test_capacity_is_paid_evenly_over_the_arrival_window():
    resources = pd.DataFrame({"capacity_cost": [1000.0, 500.0], "window_days": [500.0, 500.0]})
    np.testing.assert_allclose(capacity_by_year(resources, 2), [1500 * DAYS_PER_YEAR / 500,
                                                                1500 * (500 - DAYS_PER_YEAR) / 500], rtol=1e-12)


def test_a_replication_adds_its_blocks_capacity_and_total():
    years = 2
    block = {item: np.zeros(years) for item in BUDGET_ITEMS if item not in ("capacity", "total")}
    block["imaging"] = np.array([100.0, 50.0])
    block["patients_treated"] = np.array([3.0, 1.0])
    resources = pd.DataFrame({"capacity_cost": [2 * DAYS_PER_YEAR], "window_days": [2 * DAYS_PER_YEAR]})
    out = replication_budget([block, block], resources, years)
    assert out["imaging"].tolist() == [200.0, 100.0]
    assert out["capacity"].tolist() == [DAYS_PER_YEAR, DAYS_PER_YEAR]
    assert out["total"].tolist() == [200.0 + DAYS_PER_YEAR, 100.0 + DAYS_PER_YEAR]  # patients are not money
    assert out["patients_treated"].tolist() == [6.0, 2.0]


def test_the_budget_table_pairs_replications_and_a_copy_of_the_reference_has_zero_impact():
    rows = []
    for r, (a, b) in enumerate(((10.0, 14.0), (20.0, 22.0), (30.0, 36.0))):
        for name, value in (("ref", a), ("same", a), ("more", b)):
            budget = {item: np.full(1, value if item == "total" else 0.0) for item in BUDGET_ITEMS}
            rows += budget_rows(name, r, budget)
    table = summarise_budget(pd.DataFrame(rows), ["ref", "same", "more"])
    total = table[table["item"] == "total"].set_index("scenario")
    assert total.loc["ref", "estimate"] == 20.0 and math.isnan(total.loc["ref", "difference"])
    assert (total.loc["same", ["difference", "difference_low", "difference_high"]] == 0.0).all()
    assert total.loc["more", "difference"] == 4.0  # the mean of 4, 2 and 6: paired, replication by replication
    assert total.loc["more", "difference_low"] < 4.0 < total.loc["more", "difference_high"]
    assert list(table.columns) == ["scenario", "year", "item", "unit", "estimate", "ci_low", "ci_high", "difference",
                                   "difference_low", "difference_high", "reference"]
    assert set(table.loc[table["item"] == "patients_treated", "unit"]) == {"patients"}


def test_a_strategy_that_changes_nothing_has_zero_budget_impact_and_kpi_differences(baseline, run_cached):
    """Common random numbers: the same patients under the same parameters give exactly zero differences."""
    same = baseline.with_overrides({}, name="same")
    results = run_cached([baseline, same], 400, 2, 11)
    for table in (results.budget, results.kpis):
        rows = table[table["scenario"] == "same"]
        assert len(rows) and rows["difference"].notna().any()
        known = rows[rows["difference"].notna()]
        assert (known[["difference", "difference_low", "difference_high"]] == 0.0).all().all()
    money = results.budget[(results.budget["scenario"] == "baseline") & (results.budget["item"] == "total")]
    assert len(money) == math.ceil(baseline.params.economics.horizon_years) and (money["estimate"] > 0).all()
