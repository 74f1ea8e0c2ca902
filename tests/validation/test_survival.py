"""Validation of survival from diagnosis against the exponential model the parameters imply.

Model v2 multiplies the metastatic hazard by a ratio for the current neurological state and, for 30
days after surgery, by a post-operative hazard ratio. With every state hazard ratio and the
post-operative ratio set to 1 (``NO_STATE_EFFECT``)
death is exponential once metastatic again: rate ln2 / (median of the subtype) x hazard ratios (ECOG,
visceral), plus the background rate, whatever the course. Diagnosis time is drawn from streams
independent of the death draw, so by memorylessness the survival *from diagnosis* of a group is
exponential with the group's rate, censored at the end of follow-up. The expected figures below are
computed from ``natural_history.survival`` by this formula, written out in the test, not by calling
the model. (The state hazard ratios themselves are checked in ``tests/model/test_directional.py``.)

Tolerances: for an exponential with ``d`` deaths, the standard error of the fitted rate is
rate / sqrt(d); the Kaplan-Meier median has asymptotic SE of about median / (ln 2 * sqrt(d))
(the sample median's 1 / (2 f(m) sqrt(n)) with f(m) = rate / 2). Tests allow 3 SEs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from simulator import km_median

DAYS_PER_MONTH = 30.4375
DAYS_PER_YEAR = 365.25
NO_STATE_EFFECT = {"natural_history.survival.hr_walking_with_aid": 1.0, "natural_history.survival.hr_not_walking": 1.0,
                   "natural_history.survival.hr_paraplegic": 1.0, "treatment.surgery_30d_hazard_ratio": 1.0,
                   "natural_history.survival.hr_rapid_motor_deficit": 1.0}  # and no rapid-deficit prognosis


def group_rate(survival, subtype: str, ecog: str, visceral: bool) -> float:
    """Death rate per day of one group (subtype, ECOG group '0-1' | '2' | '3-4', visceral disease)."""
    median = {"hr_positive": survival.median_months_hr_positive,
              "her2_positive": survival.median_months_her2_positive,
              "triple_negative": survival.median_months_triple_negative}[subtype]
    rate = math.log(2) / (median * DAYS_PER_MONTH)
    rate *= {"0-1": 1.0, "2": survival.hr_ecog_2, "3-4": survival.hr_ecog_3_4}[ecog]
    rate *= survival.hr_visceral if visceral else 1.0
    return rate + survival.background_per_year / DAYS_PER_YEAR


def _diagnosed(results) -> pd.DataFrame:
    p = results.patients
    return p[p["diagnosed"].astype(bool)]


def _km(dx: pd.DataFrame) -> tuple[float, int]:
    days = dx["survival_days_from_diagnosis"].to_numpy(float)
    died = dx["dead"].astype(bool).to_numpy()
    return km_median(days, died), int(died.sum())


@pytest.fixture(scope="module")
def reference_group(baseline, run_cached):
    """Baseline's survival parameters on a cohort that is all HR+, ECOG 0-1, without visceral disease."""
    scenario = baseline.with_overrides({
        **NO_STATE_EFFECT,
        "cohort.subtype": {"hr_positive": 1.0, "her2_positive": 0.0, "triple_negative": 0.0},
        "cohort.ecog": {"ecog_0_1": 1.0, "ecog_2": 0.0, "ecog_3_4": 0.0},
        "cohort.p_visceral_mets": 0.0,
        "natural_history.p_symptomatic": 1.0,  # more diagnoses per patient simulated; survival untouched
    }, name="hr-positive-reference")
    return scenario, run_cached([scenario], 3000, 1, 2718)


def test_reference_group_km_median_matches_median_months_hr_positive(reference_group):
    """KM median from diagnosis ~ ln2 / (ln2 / median_months_hr_positive + background)."""
    scenario, results = reference_group
    survival = scenario.params.natural_history.survival
    dx = _diagnosed(results)
    assert set(dx["subtype"]) == {"hr_positive"} and set(dx["ecog"]) == {"0-1"}
    expected = math.log(2) / group_rate(survival, "hr_positive", "0-1", False)
    # without the background hazard the figure is exactly median_months_hr_positive
    assert expected < survival.median_months_hr_positive * DAYS_PER_MONTH
    median, deaths = _km(dx)
    assert deaths > 300
    se = expected / (math.log(2) * math.sqrt(deaths))
    assert abs(median - expected) <= 3 * se, (median / DAYS_PER_MONTH, expected / DAYS_PER_MONTH, deaths)


def test_reference_group_rate_matches(reference_group):
    """Deaths / person-days from diagnosis is the exponential rate's MLE; SE = rate / sqrt(deaths)."""
    scenario, results = reference_group
    dx = _diagnosed(results)
    deaths = int(dx["dead"].astype(bool).sum())
    exposure = float(dx["survival_days_from_diagnosis"].clip(lower=0).sum())
    expected = group_rate(scenario.params.natural_history.survival, "hr_positive", "0-1", False)
    assert abs(deaths / exposure - expected) <= 3 * expected / math.sqrt(deaths)


def test_receptor_positive_median_matches_the_cohort_mixture(baseline, run_cached):
    """No state effect, HR+ and HER2+: the KM median from diagnosis solves mean_i exp(-rate_i t) = 1/2.

    The mixture is taken over the diagnosed patients' own (subtype, ECOG, visceral) groups, since
    those are the patients whose residual survival is observed.
    """
    exponential = baseline.with_overrides(NO_STATE_EFFECT, name="no-state-effect")
    results = run_cached([exponential], 3000, 2, 1618)
    survival = exponential.params.natural_history.survival
    dx = _diagnosed(results)
    dx = dx[dx["subtype"].isin(["hr_positive", "her2_positive"])]
    rates = np.array([group_rate(survival, s, e, bool(v))
                      for s, e, v in zip(dx["subtype"], dx["ecog"], dx["visceral_mets"], strict=True)])
    expected = optimize.brentq(lambda t: np.exp(-rates * t).mean() - 0.5, 1.0, 1e6)
    median, deaths = _km(dx)
    assert deaths > 200
    se = expected / (math.log(2) * math.sqrt(deaths))
    assert abs(median - expected) <= 3 * se, (median / DAYS_PER_MONTH, expected / DAYS_PER_MONTH, deaths)


def test_triple_negative_dies_sooner_than_receptor_positive(baseline, run_cached):
    """Directional: the subtype medians order survival (8.5 vs 30+ months in the parameters)."""
    results = run_cached([baseline], 3000, 2, 1618)
    dx = _diagnosed(results)
    survival = baseline.params.natural_history.survival
    assert survival.median_months_triple_negative < survival.median_months_hr_positive
    tn, _ = _km(dx[dx["subtype"] == "triple_negative"])
    hr, _ = _km(dx[dx["subtype"] == "hr_positive"])
    assert tn < hr
