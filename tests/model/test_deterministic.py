"""Deterministic runs (as in stars-treat-sim): fix the delays, remove the queues, predict every value.

The diagnostic delay is the sum of four components: patient (onset -> first visit), primary care
(first visit -> suspicion), referral (suspicion -> imaging request) and imaging wait (request ->
diagnosis). That identity holds for every diagnosed patient of every run, so it is also checked on
an ordinary baseline run.
"""

from __future__ import annotations

import math

import pytest

from simulator.model.sampling import lognormal
from simulator.model.simulation import CARE_BATCH, simulate
from simulator.parameters.scenario import describe_parameter
from simulator.streams import Draws, Purpose, patient_rng

SEED = 99
N = 1500
COMPONENTS = ("patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days")
#: The four exported components and the total are each rounded to 3 decimals: they agree to 5 x 0.0005.
ROUNDING = 5 * 0.0005 + 1e-9


@pytest.fixture(scope="module")
def fixed(baseline):
    """Delays as fixed as the schema allows, and queues removed."""
    low = describe_parameter("pathway.patient_delay_sigma").low
    return baseline.with_overrides({
        "pathway.patient_delay_sigma": low,           # the narrowest lognormal allowed
        "pathway.p_gp_suspects": 1.0,                 # suspicion at the first visit
        "pathway.referral_median_days": 0.0,          # exponential with median 0: no referral delay
        "pathway.imaging.p_xray_first": 0.0,          # straight to MRI
        "pathway.imaging.p_ct_first": 0.0,
        "pathway.imaging.mri.sensitivity": 1.0,       # no false negatives, no retests
        "pathway.fast_track_mri": False,
        "natural_history.p_pain_first": 1.0,          # no deficit first ...
        "natural_history.p_cord_compression": 0.0,    # ... and none later: no emergency route
        "natural_history.p_symptomatic": 1.0,
        "services.mri_scanners": int(describe_parameter("services.mri_scanners").high),
        "services.mri_slots_per_scanner_day": 100.0,
        "services.theatres": int(describe_parameter("services.theatres").high),
        "services.linacs": int(describe_parameter("services.linacs").high),
    }, name="fixed")


@pytest.fixture(scope="module")
def fixed_run(fixed):
    return simulate(fixed.params, SEED, 0, N)


def test_deterministic_pathway_has_predictable_delays(fixed, fixed_run):
    """Every delay is known in advance: patient delay from the patient's own stream, the rest fixed."""
    pw, sv = fixed.params.pathway, fixed.params.services
    scan = 1.0 / sv.mri_slots_per_scanner_day
    diagnosed = [p for p in fixed_run.patients if p.diagnosed]
    assert len(diagnosed) > 200
    for p in diagnosed:
        care = Draws(patient_rng(SEED, 0, p.pid, Purpose.CARE), CARE_BATCH)
        care.u()  # slot 0: the presentation (unused: no compression)
        patient_delay = lognormal(care.u(), pw.patient_delay_median_days, pw.patient_delay_sigma)
        diagnostic = [d for day, e, d in p.events if e == "imaging" and day <= p.diagnosis_day]
        assert p.route == "routine"
        assert p.gp_visits == 1 and diagnostic == ["mri:positive"] and p.false_negatives == 0
        assert p.patient_delay_days == pytest.approx(patient_delay, abs=1e-9)
        assert p.primary_care_delay_days == 0.0
        assert p.mri_wait_days == 0.0
        assert p.referral_delay_days == pytest.approx(0.0, abs=1e-9)
        assert p.imaging_wait_days == pytest.approx(pw.mri_booking_days + scan, abs=1e-9)  # booking + queue + scan
        assert p.diagnosis_day - p.onset_day == pytest.approx(patient_delay + pw.mri_booking_days + scan, abs=1e-9)


def test_deterministic_pathway_treats_after_the_fixed_decision_time(fixed, fixed_run):
    """Patients with no surgical opinion to wait for start treatment (or queue for it) on the decision day."""
    decision = fixed.params.pathway.decision_days
    treated = [p for p in fixed_run.patients if p.diagnosed and p.first is not None
               and p.first.start_day < math.inf and not p.surgical_candidate]
    assert len(treated) > 200
    for p in treated:
        assert p.first.decision_day - p.diagnosis_day == pytest.approx(decision, abs=1e-9)
        if p.first.kind in ("rt", "sbrt", "brace+rt", "supportive"):  # no theatre: starts on the decision day
            assert p.first.start_day - p.diagnosis_day == pytest.approx(decision, abs=1e-9)


@pytest.mark.parametrize("which", ["fixed", "baseline", "fast-track"])
def test_delay_components_sum_to_the_diagnostic_delay(baseline, fixed, which):
    scenario = {"fixed": fixed, "baseline": baseline,
                "fast-track": baseline.with_overrides({"pathway.fast_track_mri": True})}[which]
    rep = simulate(scenario.params, SEED, 0, N)
    diagnosed = [p for p in rep.patients if p.diagnosed]
    assert len(diagnosed) > 50
    for p in diagnosed:
        parts = [getattr(p, c) for c in COMPONENTS]
        assert all(x >= 0 for x in parts), (p.pid, parts)
        assert sum(parts) == pytest.approx(p.diagnosis_day - p.onset_day, abs=1e-9)
    routes = {p.route for p in diagnosed}
    assert routes == ({"routine"} if which == "fixed" else routes)


def test_delay_components_sum_in_the_exported_table(baseline, run_cached):
    results = run_cached([baseline], N, 1, SEED)
    dx = results.patients[results.patients["diagnosed"].astype(bool)]
    assert len(dx) > 50
    total = dx[list(COMPONENTS)].sum(axis=1)
    assert (total - dx["diagnostic_delay_days"]).abs().max() <= ROUNDING
    assert (dx[list(COMPONENTS)] >= 0).all().all()
    assert dx[list(COMPONENTS)].notna().all().all()
    undiagnosed = results.patients[~results.patients["diagnosed"].astype(bool)]
    assert undiagnosed[["diagnostic_delay_days", *COMPONENTS]].isna().all().all()
