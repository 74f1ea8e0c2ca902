"""Each headline metric, computed on a small patients table whose answers are worked out by hand.

The metrics are the numbers every comparison, chart and report shows; here each one's population
(diagnosed, symptomatic, treated, operated, walkers, the cohort), its treatment of empty values and
its statistic are checked against the definition in its description.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulator.output.metrics import METRIC_BY_NAME, interval, replication_metrics, summarise
from simulator.vocabulary import SERVICE_KINDS

NAN = math.nan

# Five patients: three diagnosed (walking unaided / not walking / walking with an aid at diagnosis),
# one symptomatic but never diagnosed, one never symptomatic. None / NaN = not applicable.
PATIENTS = pd.DataFrame({
    "diagnosed": [True, True, True, False, False],
    "symptomatic": [True, True, True, True, False],
    "ambulatory_at_diagnosis": [True, False, True, None, None],
    "walking_unaided_at_diagnosis": [True, False, False, None, None],
    "walking_aid_at_diagnosis": [False, False, True, None, None],
    "ambulatory_level_at_diagnosis": ["unaided", "not walking", "with aid", None, None],
    "ambulatory_1m": [True, True, False, None, None],
    "ambulatory_3m": [True, True, None, None, None],
    "ambulatory_6m": [True, False, None, None, None],
    "ambulatory_12m": [True, None, None, None, None],
    "walking_unaided_6m": [True, False, None, None, None],
    "walking_unaided_12m": [False, None, None, None, None],
    "ambulatory_onset_6m": [True, False, None, False, None],
    "ambulatory_onset_12m": [True, None, None, True, None],
    "days_ambulatory": [300.0, 100.0, 10.0, NAN, NAN],
    "days_walking_unaided": [250.0, 0.0, 0.0, NAN, NAN],
    "regained_ambulation": [None, True, None, None, None],
    "frankel_at_treatment": ["D", "C", None, None, None],
    "ambulation_loss_observed": [False, None, True, None, None],
    "grade_loss_before_referral": [0, 2, None, None, None],
    "grade_loss_referral_to_diagnosis": [0, 1, 0, None, None],
    "grade_loss_before_treatment": [0, 0, None, None, None],
    "vas_at_diagnosis": [6.0, 8.0, 3.0, NAN, NAN],
    "vas_1m": [3.0, 6.0, 4.0, NAN, NAN],
    "vas_3m": [0.0, 5.0, NAN, NAN, NAN],
    "vas_6m": [1.0, NAN, NAN, NAN, NAN],
    "vas_12m": [NAN, NAN, NAN, NAN, NAN],
    "pain_response_3m": [True, True, None, None, None],
    "pain_endpoint_3m": ["complete", "partial", None, None, None],
    "survival_days_from_diagnosis": [400.0, 200.0, 20.0, NAN, NAN],
    "dead": [False, True, True, False, False],
    "death_within_30d_of_treatment": [False, False, None, None, None],
    "diagnostic_delay_days": [10.0, 30.0, 50.0, NAN, NAN],
    "treatment_wait_days": [1.0, 3.0, NAN, NAN, NAN],
    "surgical_candidate": [False, True, None, None, None],
    "surgical_referral": [False, True, None, None, None],
    "treatment": ["rt", "surgery+rt", "none", "none", "none"],
    "treatment_day": [50.0, 60.0, NAN, NAN, NAN],
    "complication": [False, True, False, False, False],
    "relapse_day": [NAN, 150.0, NAN, NAN, NAN],
    "retreatments": [0, 1, 0, 0, 0],
    "cost_discounted": [1000.0, 3000.0, 500.0, 100.0, 0.0],
    "qalys_discounted": [1.0, 0.5, 0.1, 2.0, 3.0],
    "life_years_discounted": [1.5, 0.6, 0.1, 2.5, 3.5],
}).astype({"diagnosed": "boolean", "symptomatic": "boolean", "dead": "boolean"})

RESOURCES = pd.DataFrame({"service": [s.name for s in SERVICE_KINDS],
                          "utilisation": [0.5 + 0.1 * i for i in range(len(SERVICE_KINDS))],
                          "mean_wait_days": [2.0 * (i + 1) for i in range(len(SERVICE_KINDS))],
                          "capacity_cost": [100.0] * len(SERVICE_KINDS)})


@pytest.fixture(scope="module")
def metrics() -> dict[str, float]:
    return replication_metrics(PATIENTS, RESOURCES)


EXPECTED = {
    "diagnosed": 3.0,
    "ambulatory_at_diagnosis": 2 / 3,
    "walking_unaided_at_diagnosis": 1 / 3,
    "walking_aid_at_diagnosis": 1 / 3,
    "not_walking_at_diagnosis": 1 / 3,
    "ambulatory_1m": 2 / 3,
    "ambulatory_3m": 1.0,  # among those alive then (empty = dead or not followed)
    "ambulatory_6m": 0.5,
    "ambulatory_12m": 1.0,
    "walking_unaided_6m": 0.5,
    "walking_unaided_12m": 0.0,
    "ambulatory_onset_6m": 1 / 3,  # every symptomatic patient, the undiagnosed included
    "ambulatory_onset_12m": 1.0,
    "median_days_ambulatory": 100.0,
    "median_days_walking_unaided": 0.0,
    "regained_ambulation": 1.0,  # only those at Frankel C when treated
    "lost_ambulation": 0.5,  # walkers at diagnosis: one of two lost walking
    "grade_loss_before_referral": 0.5,
    "grade_loss_before_treatment": 0.5,  # referral to diagnosis plus diagnosis to treatment
    "vas_at_diagnosis": 6.0,
    "vas_1m": 4.0,
    "vas_3m": 2.5,
    "vas_6m": 1.0,
    "vas_12m": NAN,  # nobody alive then
    "pain_response_3m": 1.0,
    "pain_complete_response_3m": 0.5,
    "pain_overall_response_3m": 1.0,
    "pain_progression_3m": 0.0,
    "survival_median_months": 200.0 / 30.4375,  # Kaplan-Meier: S falls to 1/2 at 200 days
    "survival_12m": 1 / 3,  # alive at a year, among those whose status at a year is known (all three here)
    "death_30d_after_treatment": 0.0,
    "diagnostic_delay_median_days": 30.0,
    "diagnostic_delay_q1_days": 20.0,
    "diagnostic_delay_q3_days": 40.0,
    "treatment_wait_median_days": 2.0,
    "surgical_referral": 1.0,  # among candidates only
    "share_surgery": 1 / 3,
    "share_radiotherapy_alone": 1 / 3,
    "share_cement": 0.0,
    "share_brace": 0.0,
    "share_supportive": 0.0,
    "complications": 1.0,  # among the operated
    "relapse": 0.5,  # among the treated
    "retreated": 0.5,
    "cost_per_patient": 4600 / 5 + 100.0 * len(SERVICE_KINDS) / 5,  # the cohort's mean, plus capacity
    "qalys_per_patient": 6.6 / 5,
    "life_years_per_patient": 8.2 / 5,
    **{f"{s.name}_utilisation": 0.5 + 0.1 * i for i, s in enumerate(SERVICE_KINDS)},
    **{f"{s.name}_mean_wait_days": 2.0 * (i + 1) for i, s in enumerate(SERVICE_KINDS)},
}


def test_the_expectations_cover_every_metric():
    assert set(EXPECTED) == set(METRIC_BY_NAME)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_metric_follows_its_definition(metrics, name):
    assert metrics[name] == pytest.approx(EXPECTED[name], rel=1e-12, nan_ok=True), (name,
                                                                                    METRIC_BY_NAME[name].description)


def test_a_metric_with_nobody_to_measure_is_nan():
    """No one diagnosed: shares, medians and quantiles are empty (NaN), not 0; the count is 0."""
    nobody = PATIENTS.assign(diagnosed=pd.array([False] * 5, dtype="boolean"))
    out = replication_metrics(nobody, RESOURCES)
    assert out["diagnosed"] == 0.0
    for name in ("ambulatory_at_diagnosis", "not_walking_at_diagnosis", "median_days_ambulatory",
                 "diagnostic_delay_q1_days", "regained_ambulation", "lost_ambulation", "surgical_referral",
                 "share_surgery", "pain_complete_response_3m", "relapse", "retreated", "survival_12m"):
        assert math.isnan(out[name]), name
    assert out["ambulatory_onset_6m"] == pytest.approx(1 / 3)  # still measured on the symptomatic


def test_a_service_missing_from_the_resources_table_is_nan():
    out = replication_metrics(PATIENTS, RESOURCES.iloc[1:])
    first = SERVICE_KINDS[0].name
    assert math.isnan(out[f"{first}_utilisation"]) and math.isnan(out[f"{first}_mean_wait_days"])


def test_the_interval_is_the_mean_and_its_95_percent_t_interval():
    values = np.array([0.2, 0.4, 0.9, NAN])  # NaN replications are left out
    mean, low, high = interval(values)
    x = values[:3]
    half = stats.t.ppf(0.975, 2) * x.std(ddof=1) / math.sqrt(3)
    assert mean == pytest.approx(0.5) and low == pytest.approx(0.5 - half) and high == pytest.approx(0.5 + half)
    one = interval(np.array([0.3]))
    assert one[0] == 0.3 and math.isnan(one[1]) and math.isnan(one[2])
    assert all(math.isnan(v) for v in interval(np.array([NAN])))


def test_summarise_pairs_each_scenario_with_the_reference_and_keeps_shares_inside_0_1():
    share = METRIC_BY_NAME["ambulatory_6m"]
    days = METRIC_BY_NAME["median_days_ambulatory"]
    per_replication = pd.DataFrame({"scenario": ["a", "a", "a", "b", "b", "b"], "replication": [0, 1, 2, 0, 1, 2],
                                    share.name: [0.98, 0.99, 0.60, 0.99, 1.00, 0.70],
                                    days.name: [100.0, 110.0, 90.0, 120.0, 125.0, 100.0]})
    frame = summarise(per_replication, ["a", "b"], catalogue=[share, days]).set_index(["scenario", "metric"])
    b_share, b_days, a_days = frame.loc[("b", share.name)], frame.loc[("b", days.name)], frame.loc[("a", days.name)]
    assert b_share["ci_high"] == 1.0  # a share's interval is clipped at 1
    assert b_share["ci_low"] < b_share["estimate"] < 1.0
    paired = np.array([20.0, 15.0, 10.0])  # same replications differenced (common random numbers)
    _, low, high = interval(paired)
    assert b_days["difference"] == pytest.approx(15.0)
    assert (b_days["difference_low"], b_days["difference_high"]) == (pytest.approx(low), pytest.approx(high))
    assert math.isnan(a_days["difference"]) and (frame["reference"] == "a").all()
    assert a_days["estimate"] == pytest.approx(100.0) and a_days["label"] == days.label


def test_alive_at_12_months_leaves_out_those_censored_before_a_year():
    """Alive at a year: among those who died, or were followed for a year; a patient censored at 300 days is unknown."""
    censored = PATIENTS.assign(survival_days_from_diagnosis=[300.0, 200.0, 400.0, NAN, NAN],
                               dead=pd.array([False, True, False, False, False], dtype="boolean"))
    out = replication_metrics(censored, RESOURCES)
    assert out["survival_12m"] == pytest.approx(0.5)  # 400 d alive (known) and 200 d dead; 300 d censored left out
    assert math.isnan(out["survival_median_months"])  # S falls to 2/3 at 200 d and never reaches 1/2
