"""SimPy process tests of ``simulator/model/pathway.py``: hand-built patients, scripted draws, exact logs.

Each test runs one patient's ``spinal_pathway`` on a fresh environment with the scenario's services
and asserts the exact list of (day, event, detail) the process logged. The care after diagnosis is
replaced by a stub (its own tests are in ``test_care.py``), so the log ends at the diagnosis. Draw
order (care stream): presentation, patient delay, then one draw per chance the pathway meets.
Days are computed from the scenario's values, never restated.
"""

from __future__ import annotations

import math

import pytest
import simpy
from process_helpers import NO, YES, ScriptedDraws, assert_log, response, tiny_services

from simulator.model import pathway
from simulator.model.course import Decline
from simulator.model.pathway import presentation_day, spinal_pathway
from simulator.model.sampling import exponential, lognormal
from simulator.model.survival import first_passage, survival_target
from simulator.vocabulary import Grade

INF = math.inf
QUIET = {  # no presentation of its own: the pathway is what the test scripts
    "pathway.presentation_per_day_warning_signs": 0.0, "pathway.presentation_per_day_deficit": 0.0,
    "pathway.presentation_per_day_walking_aid": 0.0, "pathway.presentation_per_day_not_walking": 0.0,
    "pathway.fast_track_mri": False, "pathway.gp_max_visits": 3,
    "pathway.imaging.p_xray_first": 1.0, "pathway.imaging.p_ct_first": 0.0,
}


@pytest.fixture
def quiet(baseline):
    return baseline.with_overrides(QUIET).params


@pytest.fixture
def cared(monkeypatch):
    """Replace the care after diagnosis by a stub that records who reached it, and when."""
    seen: list[tuple[float, int]] = []

    def stub(env, p, state, services, params, care, response):
        seen.append((env.now, state.grade))
        yield env.timeout(0)

    monkeypatch.setattr(pathway, "care_after_diagnosis", stub)
    return seen


def run(p, params, draws: ScriptedDraws, blockers: tuple[float, ...] = ()) -> simpy.Environment:
    """Run the pathway from day ``p.onset_day``; each blocker holds the MRI scanner from day 0 for that long."""
    env = simpy.Environment()
    services = tiny_services(env, params)

    def hold(days):
        yield from services.mri.use(0, days, INF)

    for days in blockers:
        env.process(hold(days))

    def start():
        yield env.timeout(p.onset_day)
        yield from spinal_pathway(env, p, services, params, draws, response())

    env.process(start())
    env.run()
    return env


def scan(params) -> float:
    return 1.0 / params.services.mri_slots_per_scanner_day


#: The emergency route's two draws (urgent referral, hospital assessment): away from the median, so the
#: long-tailed lognormal delays are what the expected days follow.
REFERRAL_U, ASSESSMENT_U = 0.8, 0.3


def urgent_delays(params) -> tuple[float, float]:
    """(urgent referral, hospital assessment) delays in days for the draws ``REFERRAL_U``, ``ASSESSMENT_U``."""
    pw = params.pathway
    return (lognormal(REFERRAL_U, pw.urgent_referral_days, pw.urgent_delay_sigma),
            lognormal(ASSESSMENT_U, pw.hospital_assessment_days, pw.urgent_delay_sigma))


# --- presentation_day ---------------------------------------------------------------------------------


def test_no_compression_no_presentation(patient_factory, baseline):
    assert presentation_day(patient_factory(), baseline.params, 0.5) == (INF, "")


def test_warning_signs_before_a_deficit(patient_factory, baseline):
    """Radicular pain with high-grade compression from day 20, first deficit on day 60: hazard w until 60."""
    pw = baseline.params.pathway
    w = pw.presentation_per_day_warning_signs
    assert w > 0
    p = patient_factory(radicular=True, escc2_day=20.0, motor_day=60.0)
    u = 1.0 - math.exp(-w * 10.0)
    day, reason = presentation_day(p, baseline.params, u)
    assert (day, reason) == (pytest.approx(30.0), "warning signs")


def test_presentation_hazard_rises_with_severity(patient_factory, baseline):
    """After the warning signs: the deficit, walking-aid and not-walking hazards (never below the warning one)."""
    pw = baseline.params.pathway
    w = pw.presentation_per_day_warning_signs
    p = patient_factory(radicular=True, escc2_day=20.0, motor_day=60.0)  # D unaided 60-70, aid 70-90, C from 90
    pieces = [(20.0, w), (60.0, max(w, pw.presentation_per_day_deficit)),
              (70.0, max(w, pw.presentation_per_day_walking_aid)), (90.0, max(w, pw.presentation_per_day_not_walking))]
    for u in (0.1, 0.5, 0.9, 0.999):
        expected = first_passage(pieces, survival_target(u))
        day, reason = presentation_day(p, baseline.params, u)
        assert day == pytest.approx(expected)
        assert reason == ("warning signs" if expected < 60.0 else "motor deficit")


def test_without_radicular_pain_only_a_deficit_brings_her_in(patient_factory, baseline):
    pw = baseline.params.pathway
    p = patient_factory(radicular=False, escc2_day=20.0, motor_day=60.0)
    day, reason = presentation_day(p, baseline.params, 0.5)
    assert day >= 60.0 and reason == "motor deficit"
    pieces = [(20.0, 0.0), (60.0, pw.presentation_per_day_deficit), (70.0, pw.presentation_per_day_walking_aid),
              (90.0, pw.presentation_per_day_not_walking)]
    assert day == pytest.approx(first_passage(pieces, survival_target(0.5)))


def test_a_faster_decline_presents_sooner(patient_factory, baseline):
    slow = patient_factory(escc2_day=20.0, motor_day=60.0, decline=Decline(30.0, 60.0, 30.0, 40.0))
    fast = patient_factory(escc2_day=20.0, motor_day=60.0, decline=Decline(1.0, 2.0, 30.0, 40.0))
    for u in (0.2, 0.5, 0.8):
        assert presentation_day(fast, baseline.params, u)[0] <= presentation_day(slow, baseline.params, u)[0]


# --- the emergency route ------------------------------------------------------------------------------


def test_the_emergency_route_opens_on_the_presentation_day(patient_factory, baseline, cared):
    """Warning signs present on day 30, before the first visit: urgent referral, hospital assessment, MRI.

    Model v2: the urgent referral and the hospital assessment before the MRI are lognormal delays
    (medians ``urgent_referral_days`` and ``hospital_assessment_days``, log-SD ``urgent_delay_sigma``).
    """
    params = baseline.params
    pw = params.pathway
    assert pw.urgent_delay_sigma > 0 and pw.hospital_assessment_days > 0
    p = patient_factory(radicular=True, escc2_day=20.0, motor_day=60.0)
    u = 1.0 - math.exp(-pw.presentation_per_day_warning_signs * 10.0)
    # presentation on day 30; a patient delay that never ends first; the two urgent delays
    draws = ScriptedDraws(u, NO, REFERRAL_U, ASSESSMENT_U)
    run(p, params, draws)
    to_referral, assessment = urgent_delays(params)
    assert to_referral > pw.urgent_referral_days and assessment < pw.hospital_assessment_days  # off the medians
    referral = 30.0 + to_referral
    scanned = referral + assessment + scan(params)
    assert_log(p.events, [(0.0, "symptom_onset", "pain"), (30.0, "emergency_presentation", "warning signs"),
                          (referral, "referral", "emergency"), (scanned, "imaging", "mri:positive"),
                          (scanned, "diagnosis", "emergency")])
    assert draws.exhausted()
    assert (p.route, p.emergency_reason, p.referrals, p.gp_visits) == ("emergency", "warning signs", 1, 0)
    assert p.first_visit_day == pytest.approx(30.0) and p.emergency_day == pytest.approx(30.0)
    assert (p.patient_delay_days, p.primary_care_delay_days) == (pytest.approx(30.0), 0.0)
    assert p.referral_delay_days == pytest.approx(to_referral)
    assert p.imaging_wait_days == pytest.approx(assessment + scan(params)) and p.mri_wait_days == 0.0
    assert cared == [(pytest.approx(scanned), Grade.E)]


def test_no_emergency_route_after_death(patient_factory, baseline, cared):
    params = baseline.params
    pw = params.pathway
    p = patient_factory(radicular=True, escc2_day=20.0, motor_day=60.0, death_day=29.0)
    u = 1.0 - math.exp(-pw.presentation_per_day_warning_signs * 10.0)
    run(p, params, ScriptedDraws(u, NO))
    assert p.events == [(0.0, "symptom_onset", "pain")]
    assert not p.diagnosed and cared == []


def test_a_primary_care_visit_that_recognises_a_deficit_opens_the_emergency_route(patient_factory, quiet, cared):
    pw = quiet.pathway
    visit = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    assert visit > 0
    p = patient_factory(escc2_day=0.0, motor_day=visit / 2)  # a deficit by the first visit
    # presentation (never: quiet), patient delay, deficit recognised, the two urgent delays
    draws = ScriptedDraws(0.5, 0.5, YES, REFERRAL_U, ASSESSMENT_U)
    run(p, quiet, draws)
    to_referral, assessment = urgent_delays(quiet)
    referral = visit + to_referral
    scanned = referral + assessment + scan(quiet)
    assert_log(p.events, [(0.0, "symptom_onset", "pain"), (visit, "gp_visit", ""),
                          (visit, "emergency_presentation", "deficit seen in primary care"),
                          (referral, "referral", "emergency"), (scanned, "imaging", "mri:positive"),
                          (scanned, "diagnosis", "emergency")])
    assert draws.exhausted()
    assert (p.route, p.gp_visits, p.referrals) == ("emergency", 1, 1)
    assert p.grade_first_visit == p.grade_at(visit) < Grade.E
    assert p.neuro_contact_day == pytest.approx(visit) and p.grade_neuro_contact == p.grade_first_visit


def test_a_deficit_not_recognised_goes_on_by_the_routine_route(patient_factory, quiet, cared):
    pw, img = quiet.pathway, quiet.pathway.imaging
    visit = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    p = patient_factory(escc2_day=0.0, motor_day=visit / 2)
    # presentation, delay, not recognised, suspected, referral wait, radiograph first, positive, no CT, MRI positive
    draws = ScriptedDraws(0.5, 0.5, NO, YES, 0.5, 0.5, YES, 0.5, YES)
    run(p, quiet, draws)
    referral = visit + exponential(0.5, pw.referral_median_days)
    scanned = referral + pw.mri_booking_days + scan(quiet)
    assert img.p_xray_first == 1.0 and img.p_ct_first == 0.0
    assert_log(p.events, [(0.0, "symptom_onset", "pain"), (visit, "gp_visit", "suspected"),
                          (referral, "referral", "routine"), (referral, "imaging", "xray:positive"),
                          (scanned, "imaging", "mri:positive"), (scanned, "diagnosis", "routine")])
    assert draws.exhausted() and p.route == "routine"


def test_warning_signs_recognised_at_a_visit(patient_factory, quiet, cared):
    pw = quiet.pathway
    visit = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    p = patient_factory(radicular=True, escc2_day=visit / 2, motor_day=visit + 100.0)
    draws = ScriptedDraws(0.5, 0.5, YES, REFERRAL_U, ASSESSMENT_U)  # ... warning signs recognised; urgent delays
    run(p, quiet, draws)
    to_referral, _ = urgent_delays(quiet)
    assert [e for _, e, _ in p.events][:4] == ["symptom_onset", "gp_visit", "emergency_presentation", "referral"]
    assert p.referral_day == pytest.approx(visit + to_referral)
    assert p.emergency_reason == "warning signs" and p.grade_at(p.emergency_day) == Grade.E
    assert draws.exhausted()


# --- the routine route: referrals and false negatives ----------------------------------------------------


def test_a_false_negative_radiograph_sends_her_round_again_with_one_referral_per_decision(patient_factory, quiet,
                                                                                      cared):
    pw, img = quiet.pathway, quiet.pathway.imaging
    assert img.xray.sensitivity < NO and img.mri.sensitivity > 0.0
    p = patient_factory()  # pain only: no compression
    draws = ScriptedDraws(
        0.5, 0.5,  # presentation (none), patient delay
        NO, 0.5,  # visit 1: reassured; revisit wait
        YES, 0.5,  # visit 2: suspected; referral wait
        0.5, NO, 0.5,  # radiograph first, negative, retest wait
        YES, 0.5,  # visit 3: suspected; referral wait
        0.5, YES, 0.5, YES,  # radiograph first, positive; no CT; MRI positive
    )
    run(p, quiet, draws)
    v1 = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    v2 = v1 + exponential(0.5, pw.gp_revisit_median_days)
    r1 = v2 + exponential(0.5, pw.referral_median_days)
    v3 = r1 + exponential(0.5, pw.retest_median_days)
    r2 = v3 + exponential(0.5, pw.referral_median_days)
    scanned = r2 + pw.mri_booking_days + scan(quiet)
    assert_log(p.events, [
        (0.0, "symptom_onset", "pain"), (v1, "gp_visit", "reassured"), (v2, "gp_visit", "suspected"),
        (r1, "referral", "routine"), (r1, "imaging", "xray:negative"),
        (v3, "gp_visit", "suspected"), (r2, "referral", "routine"), (r2, "imaging", "xray:positive"),
        (scanned, "imaging", "mri:positive"), (scanned, "diagnosis", "routine")])
    assert draws.exhausted()
    assert p.referrals == sum(e == "referral" for _, e, _ in p.events) == 2
    assert (p.gp_visits, p.imaging_tests, p.false_negatives) == (3, 3, 1)
    assert p.referral_day == pytest.approx(r2) and p.suspicion_day == pytest.approx(v3)
    parts = (p.patient_delay_days, p.primary_care_delay_days, p.referral_delay_days, p.imaging_wait_days)
    assert parts == pytest.approx((v1, v3 - v1, r2 - v3, scanned - r2))
    assert sum(parts) == pytest.approx(p.diagnosis_day - p.onset_day)


def test_the_last_allowed_visit_refers_whatever_the_draw(patient_factory, quiet, cared):
    pw = quiet.pathway
    p = patient_factory()
    reassured = [NO, 0.5] * (pw.gp_max_visits - 1)
    draws = ScriptedDraws(0.5, 0.5, *reassured, NO, 0.5, 0.5, YES, 0.5, YES)
    run(p, quiet, draws)
    visits = [d for _, e, d in p.events if e == "gp_visit"]
    assert visits == ["reassured"] * (pw.gp_max_visits - 1) + ["suspected"]
    assert draws.exhausted() and p.diagnosed


def test_fast_track_logs_one_referral_per_round(patient_factory, baseline, cared):
    params = baseline.with_overrides({**QUIET, "pathway.fast_track_mri": True}).params
    pw = params.pathway
    p = patient_factory()
    draws = ScriptedDraws(0.5, 0.5, NO, 0.5, YES)  # MRI negative, back after a retest wait, MRI positive
    run(p, params, draws)
    v1 = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    s1 = v1 + pw.urgent_referral_days + scan(params)
    v2 = s1 + exponential(0.5, pw.retest_median_days)
    s2 = v2 + pw.urgent_referral_days + scan(params)
    assert_log(p.events, [
        (0.0, "symptom_onset", "pain"), (v1, "gp_visit", "fast-track"), (v1 + pw.urgent_referral_days, "referral",
                                                                         "fast-track"),
        (s1, "imaging", "mri:negative"), (v2, "gp_visit", "fast-track"),
        (v2 + pw.urgent_referral_days, "referral", "fast-track"), (s2, "imaging", "mri:positive"),
        (s2, "diagnosis", "fast-track")])
    assert draws.exhausted() and p.referrals == 2


def test_a_routine_patient_queueing_for_mri_leaves_the_queue_when_compression_presents(patient_factory, baseline,
                                                                                     cared):
    """The scanner is busy for 1000 days; warning signs present while she waits: she requeues at emergency priority.

    The fast-track referral is the fixed ``urgent_referral_days``; the emergency route's referral and
    hospital assessment are the lognormal delays. Her MRI wait runs from the emergency MRI request.
    """
    params = baseline.with_overrides({"pathway.fast_track_mri": True}).params
    pw = params.pathway
    w = pw.presentation_per_day_warning_signs
    visit = lognormal(0.5, pw.patient_delay_median_days, pw.patient_delay_sigma)
    present = visit + pw.urgent_referral_days + 10.0
    p = patient_factory(radicular=True, escc2_day=present - 10.0, motor_day=present + 500.0)
    u = 1.0 - math.exp(-w * 10.0)
    # presentation; patient delay (no warning signs yet at the visit: nothing to recognise); the urgent delays
    draws = ScriptedDraws(u, 0.5, REFERRAL_U, ASSESSMENT_U)
    run(p, params, draws, blockers=(1000.0,))
    to_referral, assessment = urgent_delays(params)
    queued = visit + pw.urgent_referral_days
    referral = present + to_referral
    scanned = 1000.0 + scan(params)  # the blocker finishes first; she is next, at emergency priority
    assert_log(p.events, [
        (0.0, "symptom_onset", "pain"), (visit, "gp_visit", "fast-track"), (queued, "referral", "fast-track"),
        (present, "emergency_presentation", "warning signs"), (referral, "referral", "emergency"),
        (scanned, "imaging", "mri:positive"), (scanned, "diagnosis", "emergency")])
    assert draws.exhausted()
    assert p.mri_wait_days == pytest.approx(1000.0 - (referral + assessment))
