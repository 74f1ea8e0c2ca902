"""Functional and directional checks: change one lever, the outcome moves the way it must.

Scenarios are compared on common random numbers (same seed, same patients), so each comparison is
paired. Where the claim is "does not get worse" and the outcome is a share, the tolerance is three
McNemar standard errors of the paired difference, sqrt(discordant pairs) / pairs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator import load_scenario

N = 3000
SEED = 11


def _mri(results, scenario):
    r = results.resources
    return r[(r["scenario"] == scenario) & (r["service"] == "mri")].iloc[0]


def _diagnosed(results, scenario):
    p = results.patients
    return p[(p["scenario"] == scenario) & p["diagnosed"].astype(bool)]


@pytest.mark.parametrize("slots_factor", [1.0, 0.4], ids=["baseline-load", "congested"])
def test_doubling_mri_capacity_does_not_raise_the_mean_mri_wait(baseline, run_cached, slots_factor):
    sv = baseline.params.services
    base = baseline.with_overrides(
        {"services.mri_slots_per_scanner_day": sv.mri_slots_per_scanner_day * slots_factor}, name="one")
    double = base.with_overrides({"services.mri_scanners": 2 * sv.mri_scanners}, name="double")
    results = run_cached([base, double], N, 1, SEED)
    one, two = _mri(results, "one"), _mri(results, "double")
    assert two["mean_wait_days"] <= one["mean_wait_days"]
    assert two["p90_wait_days"] <= one["p90_wait_days"]
    assert two["max_queue"] <= one["max_queue"]
    if slots_factor < 1.0:  # with a real queue the effect must be visible, not just "no worse"
        assert one["utilisation"] > 0.5
        assert two["mean_wait_days"] < 0.5 * one["mean_wait_days"]


def test_bundled_mri_capacity_scenario_does_not_raise_waits(baseline, run_cached):
    results = run_cached([baseline, load_scenario("mri-capacity")], N, 1, SEED)
    assert load_scenario("mri-capacity").params.services.mri_scanners > baseline.params.services.mri_scanners
    assert _mri(results, "mri-capacity")["mean_wait_days"] <= _mri(results, "baseline")["mean_wait_days"]
    assert _mri(results, "mri-capacity")["p90_wait_days"] <= _mri(results, "baseline")["p90_wait_days"]


def test_fast_track_mri_shortens_the_median_diagnostic_delay(baseline, run_cached):
    results = run_cached([baseline, load_scenario("fast-track-mri")], N, 1, SEED)
    base = _diagnosed(results, "baseline")["diagnostic_delay_days"]
    fast = _diagnosed(results, "fast-track-mri")["diagnostic_delay_days"]
    assert fast.median() < base.median()
    assert fast.quantile(0.75) < base.quantile(0.75)
    # the routine pathway (visits, radiograph, referral) is skipped, so no fast-track patient has a GP round
    fast_rows = _diagnosed(results, "fast-track-mri")
    assert set(fast_rows["route"]) <= {"fast-track", "emergency"}


def test_fast_track_mri_does_not_lower_walking_at_diagnosis(baseline, run_cached):
    """Paired on patients diagnosed under both pathways: earlier MRI cannot leave fewer walking.

    Tolerance: 3 McNemar SEs, sqrt(b + c) / n with b, c the discordant pairs.
    """
    results = run_cached([baseline, load_scenario("fast-track-mri")], N, 1, SEED)
    base = _diagnosed(results, "baseline").set_index("patient_id")["ambulatory_at_diagnosis"]
    fast = _diagnosed(results, "fast-track-mri").set_index("patient_id")["ambulatory_at_diagnosis"]
    both = base.index.intersection(fast.index)
    b, f = base[both].astype(int).to_numpy(), fast[both].astype(int).to_numpy()
    n = len(both)
    assert n > 300
    discordant = int(np.sum(b != f))
    tolerance = 3 * math.sqrt(discordant) / n
    assert f.mean() - b.mean() >= -tolerance
    # and the whole-cohort share walking at diagnosis does not fall either
    base_all = _diagnosed(results, "baseline")["ambulatory_at_diagnosis"].astype(float)
    fast_all = _diagnosed(results, "fast-track-mri")["ambulatory_at_diagnosis"].astype(float)
    p = base_all.mean()
    assert fast_all.mean() >= p - 3 * math.sqrt(p * (1 - p) / len(base_all))


@pytest.mark.parametrize("source", ["override", "bundled"])
def test_rt_only_has_no_surgery(baseline, run_cached, source):
    rt_only = (baseline.with_overrides({"strategy.surgery_for_compression": False,
                                        "strategy.surgery_for_instability": False}, name="rt-only")
               if source == "override" else load_scenario("rt-only"))
    results = run_cached([baseline, rt_only], N, 1, SEED)
    patients, events, resources = results.patients, results.events, results.resources
    mine = patients[patients["scenario"] == "rt-only"]
    assert not mine["treatment"].isin(["surgery+rt", "resection+rt"]).any()
    assert mine["surgery_wait_days"].isna().all()
    assert not ((events["scenario"] == "rt-only") & events["event"].isin(["surgery", "complication"])).any()
    theatre = resources[(resources["scenario"] == "rt-only") & (resources["service"] == "theatre")].iloc[0]
    assert theatre["uses"] == 0
    # the comparison is not vacuous: baseline does operate on these patients
    assert patients[patients["scenario"] == "baseline"]["treatment"].eq("surgery+rt").sum() > 10


def test_surgery_eligible_operates_at_least_as_often(baseline, run_cached):
    """A lower survival threshold for surgery can only add operations (same patients, same states)."""
    results = run_cached([baseline, load_scenario("surgery-eligible")], N, 1, SEED)
    surgery = {s: _diagnosed(results, s)["treatment"].eq("surgery+rt").sum()
               for s in ("baseline", "surgery-eligible")}
    assert surgery["surgery-eligible"] >= surgery["baseline"]
