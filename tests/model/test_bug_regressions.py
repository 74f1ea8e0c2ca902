"""Regression tests for model bugs this suite found (fixed in 2d2ed7c, "five model fixes").

Each was first pinned as a strict expected failure; they now guard the fixes:

* a scan that ends after the patient's death (or end of follow-up) no longer diagnoses or logs;
* a post-operative complication is not logged after death;
* ``mri_wait_days`` is the wait for the diagnostic MRI, not for an earlier negative one.
"""

from __future__ import annotations

import math

import pytest
import simpy

from simulator.model.pathway import spinal_pathway
from simulator.model.sampling import lognormal
from simulator.model.services import Services
from simulator.model.simulation import CARE_BATCH, simulate
from simulator.model.strategy import SURGERY_RT, Plan
from simulator.model.treatment import COMPLICATION, RESPONSE_SLOTS, treat
from simulator.streams import Draws, Purpose, patient_rng


def test_a_patient_who_dies_during_the_scan_is_not_diagnosed_after_death(baseline, patient_factory):
    """One patient, fast-track MRI, a free scanner, a 10-day scan; death comes half-way through the scan."""
    params = baseline.with_overrides({"pathway.fast_track_mri": True,
                                      "services.mri_slots_per_scanner_day": 0.1}).params
    pw = params.pathway
    env = simpy.Environment()
    services = Services(env, params.services, window_day=1000.0)
    peek = Draws(patient_rng(1, 0, 0, Purpose.CARE), CARE_BATCH)
    peek.u()
    first_visit = lognormal(peek.u(), pw.patient_delay_median_days, pw.patient_delay_sigma)
    scan_start = first_visit + pw.urgent_referral_days
    p = patient_factory(onset_day=0.0, death_day=scan_start + 5.0)  # scan runs scan_start .. scan_start + 10
    care = Draws(patient_rng(1, 0, 0, Purpose.CARE), CARE_BATCH)
    env.process(spinal_pathway(env, p, services, params, care, [0.5] * RESPONSE_SLOTS))
    env.run()
    assert p.first_visit_day == pytest.approx(first_visit)
    assert services.mri.waits == [0.0]  # the scan did start, on a free scanner, before death
    assert not p.diagnosed
    assert all(day <= p.death_day for day, _, _ in p.events), p.events


def test_survival_from_diagnosis_is_never_negative(baseline, run_cached):
    """A whole run with 10-day scans: 150 patients, seed 0 had a patient who died during the scan."""
    slow = baseline.with_overrides({"services.mri_slots_per_scanner_day": 0.1, "natural_history.p_symptomatic": 1.0},
                                   name="slow-mri")
    results = run_cached([slow], 150, 1, 0)
    dx = results.patients[results.patients["diagnosed"].astype(bool)]
    assert (dx["survival_days_from_diagnosis"] >= 0).all()
    assert (dx["diagnosis_day"] <= dx["end_day"]).all()


def test_no_complication_is_logged_after_death(baseline, patient_factory):
    params = baseline.with_overrides({"services.operation_days": 2.0}).params
    env = simpy.Environment()
    services = Services(env, params.services, window_day=1000.0)
    p = patient_factory(onset_day=0.0, death_day=1.0)  # dies on day 1 of a 2-day operation
    response = [0.5] * RESPONSE_SLOTS
    response[COMPLICATION] = 0.0  # a complication is certain
    env.process(treat(env, p, Plan(SURGERY_RT, steroids=False), services, params, response, urgent=True))
    env.run()
    assert p.treatment == SURGERY_RT and p.treatment_day == 0.0
    assert all(day <= p.death_day for day, _, _ in p.events), p.events


def test_nothing_is_logged_after_death_or_end_of_follow_up(baseline):
    """A whole baseline run: no patient's log has an event after death or the end of follow-up."""
    rep = simulate(baseline.params, 3, 0, 3000)
    late = [(p.pid, day, event) for p in rep.patients for day, event, _ in p.events
            if day > min(p.death_day, p.end_day)]
    assert late == []
    assert sum(p.diagnosed for p in rep.patients) > 100


def test_mri_wait_is_empty_when_ct_made_the_diagnosis(baseline):
    """MRI never finds the lesion, CT always does: patients with an MRI before their CT diagnosis had the bug."""
    ct_finds = baseline.with_overrides({
        "pathway.imaging.mri.sensitivity": 0.0, "pathway.imaging.ct.sensitivity": 1.0,
        "pathway.imaging.p_ct_first": 0.5, "pathway.imaging.p_xray_first": 0.0, "natural_history.p_symptomatic": 1.0,
    }).params
    rep = simulate(ct_finds, 4, 0, 600)
    by_ct = [p for p in rep.patients if p.route != "emergency" and p.diagnosed]
    assert any(any(e == "imaging" and d.startswith("mri:") for _, e, d in p.events) for p in by_ct)
    assert all(math.isnan(p.mri_wait_days) for p in by_ct)
