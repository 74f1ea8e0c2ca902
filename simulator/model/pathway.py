"""The diagnostic pathway: symptom onset to confirmed diagnosis, then the treatment decision.

One SimPy process per symptomatic patient, started at symptom onset. Routine route: patient
delay, primary-care visits (suspicion more likely with red flags), referral, imaging (radiograph
first or straight to MRI, CT instead of MRI for some); a false negative sends the patient round
again. A new motor deficit, once reported, overtakes everything: the emergency route (urgent
referral and MRI, steroids). Deterioration goes on meanwhile, because the disease course is
fixed in advance and only stopped by treatment. A benign back-pain episode uses the same front
door and the same MRI queue.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from simulator.model.course import escc_at, frankel_at, sins_at, vas_at
from simulator.model.patient import GRADE_E, INF, Patient
from simulator.model.sampling import exponential, exponential_mean, lognormal, with_odds_ratio
from simulator.model.services import EMERGENCY, ROUTINE, URGENT, Services
from simulator.model.strategy import ClinicalState, decide, expected_survival_months, revised_tokuhashi
from simulator.model.treatment import treat
from simulator.parameters.schema import Parameters
from simulator.streams import Draws

# Fixed slots at the start of the care stream; later draws are consumed in order.
REPORT, PATIENT_DELAY = 0, 1


class _Interrupted(Exception):
    """The routine route was overtaken (emergency, death or end of follow-up)."""


def spinal_pathway(env: Any, p: Patient, services: Services, params: Parameters, care: Draws,
                   response: list[float]) -> Generator[Any, Any, None]:
    """From symptom onset to diagnosis and treatment (or death, or end of follow-up)."""
    pw = params.pathway
    first, second = care.u(), care.u()  # REPORT, PATIENT_DELAY
    stop = min(p.death_day, p.end_day)
    report_day = p.motor_day + exponential_mean(first, pw.neuro_report_mean_days) if p.motor_day < INF else INF
    deadline = min(report_day, stop)
    p.log(env.now, "symptom_onset", p.first_symptom)
    try:
        yield from _routine(env, p, services, params, care, second, deadline)
    except _Interrupted:
        if env.now >= stop:
            return
        yield from _emergency(env, p, services, params, stop)
        if p.diagnosis_day == INF:
            return
    state = _clinical_state(p, env.now, params)
    plan = decide(state, params.strategy)
    urgent = p.route == "emergency" or state.frankel < GRADE_E
    p.decision_day = env.now + (0.0 if urgent else pw.decision_days)
    if p.decision_day >= stop:
        return
    yield env.timeout(p.decision_day - env.now)
    p.log(env.now, "treatment_decision", plan.treatment)
    yield from treat(env, p, plan, services, params, response, urgent)


def _wait_until(env: Any, day: float, deadline: float) -> Generator[Any, Any, None]:
    """Advance to ``day``, or raise :class:`_Interrupted` at ``deadline`` if that comes first."""
    if deadline <= day:
        if deadline > env.now:
            yield env.timeout(deadline - env.now)
        raise _Interrupted
    if day > env.now:
        yield env.timeout(day - env.now)


def _routine(env: Any, p: Patient, services: Services, params: Parameters, care: Draws,
             u_delay: float, deadline: float) -> Generator[Any, Any, None]:
    pw, img = params.pathway, params.pathway.imaging
    yield from _wait_until(env, p.onset_day + lognormal(u_delay, pw.patient_delay_median_days,
                                                        pw.patient_delay_sigma), deadline)
    p.first_visit_day = env.now
    p.route = "fast-track" if pw.fast_track_mri else "routine"
    while True:
        if pw.fast_track_mri:
            p.gp_visits += 1
            p.log(env.now, "gp_visit", "fast-track")
            p.suspicion_day = env.now
            yield from _wait_until(env, env.now + pw.urgent_referral_days, deadline)
            if (yield from _mri(env, p, services, params, care, URGENT, deadline, requested=True)):
                return
            yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)
            continue
        yield from _visits_until_suspicion(env, p, params, care, deadline)
        yield from _wait_until(env, env.now + exponential(care.u(), pw.referral_median_days), deadline)
        p.referral_day = env.now
        p.log(env.now, "referral")
        if care.u() < img.p_xray_first:
            p.imaging_tests += 1
            found = care.u() < img.xray.sensitivity
            p.log(env.now, "imaging", f"xray:{'positive' if found else 'negative'}")
            if not found:
                p.false_negatives += 1
                yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)
                continue
        if care.u() < img.p_ct_first:
            p.imaging_request_day = env.now
            p.imaging_tests += 1
            found = care.u() < img.ct.sensitivity
            p.log(env.now, "imaging", f"ct:{'positive' if found else 'negative'}")
            if found:
                _diagnose(env, p)
                return
            p.false_negatives += 1
        else:
            p.imaging_request_day = env.now  # the booking lag counts in the imaging wait
            yield from _wait_until(env, env.now + pw.mri_booking_days, deadline)
            if (yield from _mri(env, p, services, params, care, ROUTINE, deadline, requested=False)):
                return
        yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)


def _visits_until_suspicion(env: Any, p: Patient, params: Parameters, care: Draws,
                            deadline: float) -> Generator[Any, Any, None]:
    """Primary-care visits until metastasis is suspected (red flags raise the odds)."""
    pw = params.pathway
    visits = 0
    while True:
        p.gp_visits += 1
        visits += 1
        flags = (p.level == "thoracic") + (p.radicular and env.now >= p.escc2_day)
        chance = with_odds_ratio(pw.p_gp_suspects, pw.red_flag_odds_ratio ** flags)
        suspected = care.u() < chance or visits >= pw.gp_max_visits
        p.log(env.now, "gp_visit", "suspected" if suspected else "reassured")
        if suspected:
            p.suspicion_day = env.now
            return
        yield from _wait_until(env, env.now + exponential(care.u(), pw.gp_revisit_median_days), deadline)


def _mri(env: Any, p: Patient, services: Services, params: Parameters, care: Draws, priority: int,
         deadline: float, requested: bool) -> Generator[Any, Any, bool]:
    """Queue for an MRI and read it; True when the metastasis is found.

    ``requested``: the request is made now (else it was made before a booking lag).
    """
    if requested:
        p.imaging_request_day = env.now
    wait = yield from services.mri.use(priority, services.mri_scan_days, deadline)
    if wait is None or env.now >= min(p.death_day, p.end_day):  # died (or follow-up ended) during the scan
        raise _Interrupted
    p.imaging_tests += 1
    found = care.u() < params.pathway.imaging.mri.sensitivity
    p.log(env.now, "imaging", f"mri:{'positive' if found else 'negative'}")
    if found:
        p.mri_wait_days = wait  # the wait for the diagnostic MRI (not an earlier negative one)
        _diagnose(env, p)
    else:
        p.false_negatives += 1
    return found


def _emergency(env: Any, p: Patient, services: Services, params: Parameters,
               stop: float) -> Generator[Any, Any, None]:
    """New neurological deficit: urgent referral and MRI (assumed diagnostic), within capacity."""
    p.route = "emergency"
    p.emergency_day = p.suspicion_day = env.now
    if p.first_visit_day == INF:
        p.first_visit_day = env.now
    p.log(env.now, "emergency_presentation", "motor deficit")
    if env.now + params.pathway.urgent_referral_days >= stop:
        return
    yield env.timeout(params.pathway.urgent_referral_days)
    p.referral_day = p.imaging_request_day = env.now
    wait = yield from services.mri.use(EMERGENCY, services.mri_scan_days, stop)
    if wait is None or env.now >= stop:
        return
    p.imaging_tests += 1
    p.mri_wait_days = wait
    p.log(env.now, "imaging", "mri:positive")
    _diagnose(env, p)


def _diagnose(env: Any, p: Patient) -> None:
    """Record the diagnosis and the delay components (they sum to onset -> diagnosis)."""
    now = env.now
    p.diagnosis_day = now
    p.patient_delay_days = p.first_visit_day - p.onset_day
    p.primary_care_delay_days = p.suspicion_day - p.first_visit_day
    p.referral_delay_days = p.imaging_request_day - p.suspicion_day
    p.imaging_wait_days = now - p.imaging_request_day
    p.log(now, "diagnosis", p.route)


def _clinical_state(p: Patient, day: float, params: Parameters) -> ClinicalState:
    """Freeze the state at diagnosis onto the record and return it for the decision."""
    p.dx_vas = vas_at(p, day, params.pain, params.treatment)
    p.dx_frankel = frankel_at(p, day)
    p.dx_escc = escc_at(p, day)
    p.dx_sins = sins_at(p, day)
    p.tokuhashi = revised_tokuhashi(p.ecog, p.other_bone, p.multilevel, p.visceral, p.subtype, p.dx_frankel)
    p.expected_survival_months = expected_survival_months(p.tokuhashi)
    return ClinicalState(escc=p.dx_escc, frankel=p.dx_frankel, sins=p.dx_sins, fractured=day >= p.fracture_day,
                         ecog=p.ecog, expected_survival_months=p.expected_survival_months)


def benign_episode(env: Any, p: Patient, services: Services, params: Parameters,
                   care: Draws) -> Generator[Any, Any, None]:
    """Benign back pain in a patient with known cancer: it competes for MRI (and may be a false positive)."""
    pw = params.pathway
    stop = min(p.death_day, p.end_day)
    delay = lognormal(care.u(), pw.patient_delay_median_days, pw.patient_delay_sigma)
    imaged = pw.fast_track_mri or care.u() < pw.p_benign_imaged
    if env.now + delay >= stop:
        return
    yield env.timeout(delay)
    p.log(env.now, "benign_back_pain", "seen in primary care")
    if not imaged:
        return
    wait_to_scan = pw.urgent_referral_days if pw.fast_track_mri else \
        exponential(care.u(), pw.referral_median_days) + pw.mri_booking_days
    if env.now + wait_to_scan >= stop:
        return
    yield env.timeout(wait_to_scan)
    wait = yield from services.mri.use(URGENT if pw.fast_track_mri else ROUTINE, services.mri_scan_days, stop)
    if wait is None or env.now >= stop:
        return
    false_positive = care.u() >= pw.imaging.mri.specificity
    p.log(env.now, "imaging", f"mri:{'false-positive' if false_positive else 'negative'} (benign)")


