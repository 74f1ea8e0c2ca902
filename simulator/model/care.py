"""Care after diagnosis: the decision, the surgical opinion, the first treatment, and relapses.

A surgical plan needs a surgeon: the candidate is referred for a surgical opinion (or not, as
current practice often does not) and accepted (or not); out of hours the opinion waits for the next
weekday morning. After treatment the patient is followed: a pain or neurological relapse brings
her back (review, MRI, the same policy choosing re-irradiation, SBRT, salvage surgery or
supportive care) until death or the end of follow-up.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import replace
from typing import Any

import simpy

from simulator.model.course import INF
from simulator.model.imaging import escc_at, sins_at
from simulator.model.patient import Patient
from simulator.model.sampling import exponential
from simulator.model.services import Services
from simulator.model.strategy import (
    OFFICE_HOURS,
    ClinicalState,
    Plan,
    decide,
    expected_survival_months,
    has_deficit,
    in_office_hours,
    is_operable,
    revised_tokuhashi,
    surgical_opinion,
)
from simulator.model.treatment import ACCEPT, EPISODE_SLOTS, REFER, rt_allowed, treat
from simulator.parameters.schema import Parameters
from simulator.streams import Draws
from simulator.vocabulary import (
    DAYS_PER_WEEK,
    RT,
    SBRT,
    SUPPORTIVE,
    SURGERY_RT,
    TREATMENT,
    Event,
    Family,
    Imaging,
    Priority,
    Route,
    imaging_detail,
    retreatment_of,
)

Process = Generator[Any, Any, None]


def care_after_diagnosis(env: simpy.Environment, p: Patient, state: ClinicalState, services: Services,
                         params: Parameters, care: Draws, response: Sequence[float]) -> Process:
    """Decide, obtain a surgical opinion where the plan needs one, treat, then follow up."""
    s, pw = params.strategy, params.pathway
    plan = decide(state, s)
    urgent = p.route == Route.EMERGENCY or has_deficit(state)
    decision_day = env.now + (0.0 if urgent else pw.decision_days)
    if decision_day >= p.stop_day:
        return
    yield env.timeout(decision_day - env.now)
    p.surgical_candidate = plan.surgical
    if plan.surgical:  # the referral is made now, at the decision (office hours are those of this moment)
        plan = yield from _surgical_opinion(env, p, replace(state, day=env.now), plan, params, response)
        if env.now >= p.stop_day:
            return
    p.treatment, p.steroids = plan.treatment, plan.steroids
    p.log(env.now, Event.TREATMENT_DECISION, plan.treatment)
    priority = Priority.EMERGENCY if urgent else Priority.ROUTINE
    yield from treat(env, p, plan, services, params, response, priority)
    yield from follow_up(env, p, services, params, care)


def next_office_hours(day: float) -> float:
    """The first moment at or after ``day`` inside weekday office hours."""
    if in_office_hours(day):
        return day
    start = math.floor(day) + OFFICE_HOURS[0] / 24.0
    if day >= start:
        start += 1.0
    while int(math.floor(start)) % int(DAYS_PER_WEEK) >= 5:
        start += 1.0
    return start


def _surgical_opinion(env: simpy.Environment, p: Patient, state: ClinicalState, plan: Plan, params: Parameters,
                      u: Sequence[float]) -> Generator[Any, Any, Plan]:
    """Refer a surgical candidate for an opinion; return the surgical plan if accepted, else the other one."""
    s = params.strategy
    referred, accepted = surgical_opinion(state, s, u[REFER], u[ACCEPT])
    p.surgical_referral, p.surgical_accepted = referred, accepted
    if referred:
        opinion_day = next_office_hours(env.now) + s.surgical_opinion_days
        if opinion_day >= p.stop_day:
            yield env.timeout(max(0.0, p.stop_day - env.now))
            return plan
        p.log(env.now, Event.SURGICAL_REFERRAL, "referred")
        yield env.timeout(opinion_day - env.now)
        p.log(env.now, Event.SURGICAL_REFERRAL, "accepted" if accepted else "declined")
    else:
        p.log(env.now, Event.SURGICAL_REFERRAL, "not referred")
    if accepted:
        return plan
    return decide(state, s, allow_surgery=False)


def relapse_state(p: Patient, day: float, params: Parameters) -> ClinicalState:
    """What the team knows at a relapse (the diagnosis fields on the record are left as they were)."""
    grade = p.grade_at(day)
    score = revised_tokuhashi(p.ecog, p.other_bone, p.multilevel, p.visceral, p.subtype, grade)
    return ClinicalState(escc=escc_at(p, day), grade=grade, sins=sins_at(p, day),
                         fractured=day >= p.fracture_day, ecog=p.ecog,
                         expected_survival_months=expected_survival_months(score), age=p.age, day=day)


def retreatment_plan(p: Patient, state: ClinicalState, cause: str, params: Parameters, u_refer: float,
                     u_accept: float) -> Plan:
    """The policy's choice at a relapse, with the same thresholds as at diagnosis."""
    s = params.strategy
    steroids = s.steroids_for_deficit and has_deficit(state)
    if state.expected_survival_months < s.supportive_max_expected_survival_months:
        return Plan(SUPPORTIVE, steroids)
    operated = any(TREATMENT[e.kind].family == Family.SURGERY and e.surgery_day < INF for e in p.episodes)
    if cause == "neurological" and s.salvage_surgery and not operated and is_operable(state, s):
        referred, accepted = surgical_opinion(state, s, u_refer, u_accept)
        if accepted:
            return Plan(SURGERY_RT, steroids, surgical=True)
    if rt_allowed(p, params):
        return Plan(SBRT if s.sbrt_for_reirradiation else RT, steroids)
    return Plan(SUPPORTIVE, steroids)


def follow_up(env: simpy.Environment, p: Patient, services: Services, params: Parameters, care: Draws) -> Process:
    """Until death or the end of follow-up: each relapse is reviewed, imaged and re-treated by the policy."""
    pw = params.pathway
    while True:
        episode = p.episodes[-1]
        day, cause = min((episode.neuro_relapse_day, "neurological"), (episode.pain_relapse_day, "pain"))
        if day >= p.stop_day or len(p.episodes) > params.treatment.max_retreatments:
            return
        if day > env.now:
            yield env.timeout(day - env.now)
        episode.relapse_cause = cause
        p.log(env.now, Event.RELAPSE, cause)
        neuro = cause == "neurological"
        review = pw.urgent_referral_days if neuro else exponential(care.u(), pw.relapse_review_median_days)
        if env.now + review >= p.stop_day:
            return
        yield env.timeout(review)
        priority = Priority.EMERGENCY if neuro else Priority.ROUTINE
        wait = yield from services.mri.use(priority, services.mri_scan_days, p.stop_day)
        if wait is None or env.now >= p.stop_day:
            return
        p.imaging_tests += 1
        p.log(env.now, Event.IMAGING, imaging_detail(Imaging.MRI, Imaging.RELAPSE))
        state = relapse_state(p, env.now, params)
        u = [care.u() for _ in range(EPISODE_SLOTS)]
        plan = retreatment_plan(p, state, cause, params, u[REFER], u[ACCEPT])
        p.log(env.now, Event.RETREATMENT_DECISION, retreatment_of(plan.treatment))
        if plan.treatment == SUPPORTIVE:
            p.log(env.now, Event.SUPPORTIVE_CARE)
            return
        yield from treat(env, p, plan, services, params, u, priority, retreatment=True)
        if p.episodes[-1].effect_day == INF and p.episodes[-1].relief_day == INF:
            return  # died or follow-up ended in the queue
