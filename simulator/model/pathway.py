"""The diagnostic pathway: symptom onset to confirmed diagnosis, then the decision and care.

One SimPy process per symptomatic patient, started at symptom onset. Routine route: patient
delay, primary-care visits (suspicion more likely with red flags), referral, imaging (radiograph
first or straight to MRI, CT instead of MRI for some); a false negative sends the patient round
again. Cord compression can overtake the routine route before any motor deficit: warning signs
(radicular or band-like pain with high-grade compression) seen at a primary-care visit, or a
presentation whose hazard rises as function falls (warning signs, then a motor deficit, then
needing an aid, then not walking: :func:`presentation_day`). Either opens the emergency route
(urgent referral and MRI, steroids). Deterioration goes on meanwhile, because the untreated course
is fixed in advance and only changed by treatment. A benign back-pain episode uses the same front
door and the same MRI queue.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.model.care import care_after_diagnosis
from simulator.model.course import INF
from simulator.model.imaging import escc_at, sins_at
from simulator.model.pain import vas_at
from simulator.model.patient import Patient
from simulator.model.sampling import exponential, lognormal, with_odds_ratio
from simulator.model.services import Services
from simulator.model.strategy import ClinicalState, expected_survival_months, revised_tokuhashi
from simulator.model.survival import first_passage, survival_target
from simulator.parameters.schema import Parameters
from simulator.streams import Draws
from simulator.vocabulary import Event, Grade, Imaging, Priority, Route, imaging_detail

Process = Generator[Any, Any, None]


class _Escalated(Exception):
    """The routine route was overtaken: cord compression presents (or death, or end of follow-up)."""

    def __init__(self, reason: str = ""):
        super().__init__(reason)
        self.reason = reason


def presentation_day(p: Patient, params: Parameters, u: float) -> tuple[float, str]:
    """When untreated cord compression makes the patient present as an emergency, and why.

    The presentation hazard (per day) rises with severity: warning signs from high-grade
    compression in patients with radicular pain; a mild motor deficit (still walking unaided);
    needing an aid; not walking. A fast decline therefore brings a patient in soon and at a low
    grade, a slow one late and still walking, as in Rades' series. One uniform per patient,
    inverted through this hazard on her untreated course.
    """
    pw = params.pathway
    if p.escc2_day == INF:
        return INF, ""
    warning = pw.presentation_per_day_warning_signs if p.radicular else 0.0
    rates = {Grade.D_UNAIDED: pw.presentation_per_day_deficit, Grade.D_AID: pw.presentation_per_day_walking_aid}
    cuts: list[tuple[float, float, str]] = []
    if p.escc2_day < p.motor_day:
        cuts.append((p.escc2_day, warning, "warning signs"))
    for start, _end, grade in p.course.segments(p.motor_day, INF):
        if grade < Grade.E:
            cuts.append((start, max(warning, rates.get(Grade(grade), pw.presentation_per_day_not_walking)),
                         "motor deficit"))
    if not cuts:
        return INF, ""
    day = first_passage([(start, rate) for start, rate, _ in cuts], survival_target(u))
    reason = ""
    for start, _rate, why in cuts:
        if start <= day:
            reason = why
    return day, reason


def spinal_pathway(env: simpy.Environment, p: Patient, services: Services, params: Parameters, care: Draws,
                   response: list[float]) -> Process:
    """From symptom onset to diagnosis and care (or death, or end of follow-up)."""
    first, second = care.u(), care.u()  # presentation, patient delay
    p.log(env.now, Event.SYMPTOM_ONSET, p.first_symptom)
    present_day, reason = presentation_day(p, params, first)
    deadline = min(present_day, p.stop_day)
    try:
        yield from _routine(env, p, services, params, care, second, deadline)
    except _Escalated as exc:
        if env.now >= p.stop_day:
            return
        yield from _emergency(env, p, services, params, care, exc.reason or reason)
        if p.diagnosis_day == INF:
            return
    state = clinical_state(p, env.now, params)
    yield from care_after_diagnosis(env, p, state, services, params, care, response)


def _wait_until(env: simpy.Environment, day: float, deadline: float, reason: str = "") -> Process:
    """Advance to ``day``, or raise :class:`_Escalated` at ``deadline`` if that comes first."""
    if deadline <= day:
        if deadline > env.now:
            yield env.timeout(deadline - env.now)
        raise _Escalated(reason)
    if day > env.now:
        yield env.timeout(day - env.now)


def _routine(env: simpy.Environment, p: Patient, services: Services, params: Parameters, care: Draws,
             u_delay: float, deadline: float) -> Process:
    pw, img = params.pathway, params.pathway.imaging
    yield from _wait_until(env, p.onset_day + lognormal(u_delay, pw.patient_delay_median_days,
                                                        pw.patient_delay_sigma), deadline)
    p.first_visit_day = env.now
    p.grade_first_visit = p.grade_at(env.now)
    p.route = Route.FAST_TRACK if pw.fast_track_mri else Route.ROUTINE
    while True:
        if pw.fast_track_mri:
            p.gp_visits += 1
            p.log(env.now, Event.GP_VISIT, Route.FAST_TRACK)
            _recognise(env, p, params, care)
            p.suspicion_day = env.now
            yield from _wait_until(env, env.now + pw.urgent_referral_days, deadline)
            _refer(env, p, Route.FAST_TRACK)
            if (yield from _mri(env, p, services, params, care, Priority.URGENT, deadline)):
                return
            yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)
            continue
        yield from _visits_until_suspicion(env, p, params, care, deadline)
        yield from _wait_until(env, env.now + exponential(care.u(), pw.referral_median_days), deadline)
        _refer(env, p, Route.ROUTINE)
        if care.u() < img.p_xray_first:
            p.imaging_tests += 1
            found = care.u() < img.xray.sensitivity
            p.log(env.now, Event.IMAGING, imaging_detail(Imaging.XRAY, Imaging.POSITIVE if found else Imaging.NEGATIVE))
            if not found:
                p.false_negatives += 1
                yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)
                continue
        if care.u() < img.p_ct_first:
            p.imaging_tests += 1
            found = care.u() < img.ct.sensitivity
            p.log(env.now, Event.IMAGING, imaging_detail(Imaging.CT, Imaging.POSITIVE if found else Imaging.NEGATIVE))
            if found:
                _diagnose(env, p)
                return
            p.false_negatives += 1
        else:
            yield from _wait_until(env, env.now + pw.mri_booking_days, deadline)  # counts in the imaging wait
            if (yield from _mri(env, p, services, params, care, Priority.ROUTINE, deadline)):
                return
        yield from _wait_until(env, env.now + exponential(care.u(), pw.retest_median_days), deadline)


def _recognise(env: simpy.Environment, p: Patient, params: Parameters, care: Draws) -> None:
    """At a primary-care visit: a motor deficit or the warning signs of compression may be recognised.

    Either sends the patient on the emergency route (raises :class:`_Escalated`).
    """
    pw = params.pathway
    now = env.now
    _neuro_contact(p, now)
    if p.grade_at(now) < Grade.E:
        if care.u() < pw.p_gp_recognises_deficit:
            raise _Escalated("deficit seen in primary care")
    elif p.radicular and now >= p.escc2_day and care.u() < pw.p_gp_recognises_warning_signs:
        raise _Escalated("warning signs")


def _neuro_contact(p: Patient, day: float) -> None:
    """Record the first contact with a clinician at which the patient has neurological symptoms."""
    if p.neuro_contact_day == INF and (p.grade_at(day) < Grade.E or (p.radicular and day >= p.escc2_day)):
        p.neuro_contact_day = day
        p.grade_neuro_contact = p.grade_at(day)


def _visits_until_suspicion(env: simpy.Environment, p: Patient, params: Parameters, care: Draws,
                            deadline: float) -> Process:
    """Primary-care visits until metastasis is suspected (red flags raise the odds)."""
    pw = params.pathway
    visits = 0
    while True:
        p.gp_visits += 1
        visits += 1
        p.log(env.now, Event.GP_VISIT, "")
        _recognise(env, p, params, care)
        flags = (p.level == "thoracic") + (p.radicular and env.now >= p.escc2_day)
        chance = with_odds_ratio(pw.p_gp_suspects, pw.red_flag_odds_ratio ** flags)
        suspected = care.u() < chance or visits >= pw.gp_max_visits
        p.events[-1] = (env.now, Event.GP_VISIT, "suspected" if suspected else "reassured")
        if suspected:
            p.suspicion_day = env.now
            return
        yield from _wait_until(env, env.now + exponential(care.u(), pw.gp_revisit_median_days), deadline)


def _refer(env: simpy.Environment, p: Patient, kind: str) -> None:
    """One referral decision: logged once, and the latest one is the patient's referral."""
    p.referrals += 1
    p.referral_day = env.now
    p.imaging_request_day = env.now
    p.grade_referral = p.grade_at(env.now)
    p.log(env.now, Event.REFERRAL, kind)


def _mri(env: simpy.Environment, p: Patient, services: Services, params: Parameters, care: Draws,
         priority: int, deadline: float) -> Generator[Any, Any, bool]:
    """Queue for an MRI and read it; True when the metastasis is found."""
    wait = yield from services.mri.use(priority, services.mri_scan_days, deadline)
    if wait is None or env.now >= p.stop_day:  # escalated, died or follow-up ended while waiting
        raise _Escalated()
    p.imaging_tests += 1
    found = care.u() < params.pathway.imaging.mri.sensitivity
    p.log(env.now, Event.IMAGING, imaging_detail(Imaging.MRI, Imaging.POSITIVE if found else Imaging.NEGATIVE))
    if found:
        p.mri_wait_days = wait  # the wait for the diagnostic MRI (not an earlier negative one)
        _diagnose(env, p)
    else:
        p.false_negatives += 1
    return found


def _emergency(env: simpy.Environment, p: Patient, services: Services, params: Parameters, care: Draws,
               reason: str) -> Process:
    """Warning signs or a deficit: urgent referral, hospital assessment and MRI (assumed diagnostic)."""
    pw = params.pathway
    p.route = Route.EMERGENCY
    p.emergency_reason = reason
    p.emergency_day = p.suspicion_day = env.now
    if p.first_visit_day == INF:
        p.first_visit_day = env.now
        p.grade_first_visit = p.grade_at(env.now)
    _neuro_contact(p, env.now)
    p.log(env.now, Event.EMERGENCY_PRESENTATION, reason)
    referral = lognormal(care.u(), pw.urgent_referral_days, pw.urgent_delay_sigma)
    assessment = lognormal(care.u(), pw.hospital_assessment_days, pw.urgent_delay_sigma)
    if env.now + referral >= p.stop_day:
        return
    yield env.timeout(referral)
    _refer(env, p, Route.EMERGENCY)
    if env.now + assessment >= p.stop_day:
        return
    yield env.timeout(assessment)
    wait = yield from services.mri.use(Priority.EMERGENCY, services.mri_scan_days, p.stop_day)
    if wait is None or env.now >= p.stop_day:
        return
    p.imaging_tests += 1
    p.mri_wait_days = wait
    p.log(env.now, Event.IMAGING, imaging_detail(Imaging.MRI, Imaging.POSITIVE))
    _diagnose(env, p)


def _diagnose(env: simpy.Environment, p: Patient) -> None:
    """Record the diagnosis and the delay components (they sum to onset -> diagnosis)."""
    now = env.now
    p.diagnosis_day = now
    p.patient_delay_days = p.first_visit_day - p.onset_day
    p.primary_care_delay_days = p.suspicion_day - p.first_visit_day
    p.referral_delay_days = p.imaging_request_day - p.suspicion_day
    p.imaging_wait_days = now - p.imaging_request_day
    p.log(now, Event.DIAGNOSIS, p.route)


def clinical_state(p: Patient, day: float, params: Parameters) -> ClinicalState:
    """Freeze the state at diagnosis onto the record and return it for the decision."""
    p.dx_vas = vas_at(p, day, params.pain, params.treatment)
    p.dx_grade = p.grade_at(day)
    p.dx_escc = escc_at(p, day)
    p.dx_sins = sins_at(p, day)
    p.tokuhashi = revised_tokuhashi(p.ecog, p.other_bone, p.multilevel, p.visceral, p.subtype, p.dx_grade)
    p.expected_survival_months = expected_survival_months(p.tokuhashi)
    return ClinicalState(escc=p.dx_escc, grade=p.dx_grade, sins=p.dx_sins, fractured=day >= p.fracture_day,
                         ecog=p.ecog, expected_survival_months=p.expected_survival_months, age=p.age, day=day)


def benign_episode(env: simpy.Environment, p: Patient, services: Services, params: Parameters,
                   care: Draws) -> Process:
    """Benign back pain in a patient with known cancer: it competes for MRI (and may be a false positive)."""
    pw = params.pathway
    stop = p.stop_day
    delay = lognormal(care.u(), pw.patient_delay_median_days, pw.patient_delay_sigma)
    imaged = pw.fast_track_mri or care.u() < pw.p_benign_imaged
    if env.now + delay >= stop:
        return
    yield env.timeout(delay)
    p.log(env.now, Event.BENIGN_BACK_PAIN, "seen in primary care")
    if not imaged:
        return
    wait_to_scan = pw.urgent_referral_days if pw.fast_track_mri else \
        exponential(care.u(), pw.referral_median_days) + pw.mri_booking_days
    if env.now + wait_to_scan >= stop:
        return
    yield env.timeout(wait_to_scan)
    priority = Priority.URGENT if pw.fast_track_mri else Priority.ROUTINE
    wait = yield from services.mri.use(priority, services.mri_scan_days, stop)
    if wait is None or env.now >= stop:
        return
    false_positive = care.u() >= pw.imaging.mri.specificity
    result = Imaging.FALSE_POSITIVE if false_positive else Imaging.NEGATIVE
    p.log(env.now, Event.IMAGING, imaging_detail(Imaging.MRI, f"{result} (benign)"))
