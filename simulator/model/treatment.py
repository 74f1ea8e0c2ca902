"""Treatments: they take capacity and time, then change neurology, pain and risk.

``treat`` is the SimPy part (queues for theatre and radiotherapy); ``respond`` is the pure part
that sets the course after treatment from the patient's response stream (fixed slots, so the same
patient responds alike wherever a strategy gives the same treatment at the same grade).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from simulator.model.course import untreated_frankel
from simulator.model.patient import GRADE_C, GRADE_D, GRADE_E, INF, Patient
from simulator.model.sampling import exponential, with_odds_ratio
from simulator.model.services import EMERGENCY, ROUTINE, Services
from simulator.model.strategy import (
    BRACE_RT,
    CEMENT_RT,
    RESECTION_RT,
    SBRT,
    SUPPORTIVE,
    SURGICAL,
    Plan,
)
from simulator.parameters.schema import Parameters, Treatment

# Slots of the response stream.
WALK, IMPROVE, RELAPSE, COMPLICATION, PAIN, PAIN_RELAPSE = range(6)
RESPONSE_SLOTS = 6


def treat(env: Any, p: Patient, plan: Plan, services: Services, params: Parameters,
          response: list[float], urgent: bool) -> Generator[Any, Any, None]:
    """Carry out the plan from the decision day: queue for each service, then set the response."""
    tx, sv = params.treatment, params.services
    stop = min(p.death_day, p.end_day)
    priority = EMERGENCY if urgent else ROUTINE
    p.treatment, p.steroids = plan.treatment, plan.steroids
    if plan.steroids:
        p.log(env.now, "steroids", "dexamethasone")
    if plan.treatment == SUPPORTIVE:
        p.treatment_day = env.now
        p.log(env.now, "supportive_care")
        return
    rt_urgent = urgent
    if plan.treatment in SURGICAL or plan.treatment == CEMENT_RT:
        hold = sv.operation_days if plan.treatment in SURGICAL else sv.cement_days
        wait = yield from services.theatre.use(priority, hold, stop)
        if wait is None:
            return
        p.surgery_wait_days = wait
        p.treatment_day = env.now - hold
        if plan.treatment in SURGICAL:
            p.stabilised = True
            p.effect_day = p.treatment_day
            p.log(p.treatment_day, "surgery", "resection" if plan.treatment == RESECTION_RT else "decompression")
            if response[COMPLICATION] < tx.p_complication and env.now < stop:
                p.complication = True
                p.log(env.now, "complication", "post-operative")
            rest = tx.rt_after_surgery_days - hold
            if rest > 0 and env.now + rest < stop:
                yield env.timeout(rest)
            rt_urgent = False
        else:
            p.mechanical_relief = tx.cement_vas_drop
            p.log(p.treatment_day, "cement_augmentation")
    elif plan.treatment == BRACE_RT:
        p.mechanical_relief = tx.brace_vas_drop
        p.treatment_day = env.now
        p.log(env.now, "brace")
    if env.now < stop:
        wait = yield from services.radiotherapy.use(EMERGENCY if rt_urgent else ROUTINE, sv.rt_planning_days, stop)
        if wait is not None:
            p.rt_wait_days = wait
            p.rt_day = env.now - sv.rt_planning_days
            p.log(p.rt_day, "radiotherapy_start", "sbrt" if plan.treatment == SBRT else "conventional")
            if p.treatment_day == INF:
                p.treatment_day = p.rt_day
            if p.effect_day == INF:
                p.effect_day = p.rt_day + tx.rt_effect_days
    if p.effect_day < INF:
        respond(p, plan, tx, response)


def _speed_class(p: Patient) -> int:
    """Rades' time developing motor deficits before treatment: 0 = 1-7 d, 1 = 8-14 d, 2 = >14 d."""
    days = p.effect_day - p.motor_day
    return 0 if days <= 7 else (1 if days <= 14 else 2)


def walking_probability(p: Patient, plan: Plan, tx: Treatment, grade: int) -> float:
    """Chance of walking after treatment for a patient at Frankel ``grade`` when it takes effect.

    Table values come from trials in which patients had dexamethasone; without it the odds are
    divided by the steroid odds ratio (Sorensen 1994).
    """
    if grade == GRADE_E:
        return 1.0
    if grade < GRADE_C:
        return 0.0  # Frankel A-B: no recovery of walking (assumption; 0/5 in the Italian RCT data)
    if plan.treatment in SURGICAL:
        prob = tx.surgery_keep if grade >= GRADE_D else tx.surgery_regain
    else:
        speed = _speed_class(p)
        keep = (tx.rt_keep_fast, tx.rt_keep_moderate, tx.rt_keep_slow)
        regain = (tx.rt_regain_fast, tx.rt_regain_moderate, tx.rt_regain_slow)
        prob = keep[speed] if grade >= GRADE_D else regain[speed]
    return prob if plan.steroids else with_odds_ratio(prob, 1.0 / tx.steroid_odds_ratio)


def _relapse_median(p: Patient, tx: Treatment, surgical: bool) -> float:
    """Median days a walker keeps walking: surgery, RT of high-grade compression, or RT of a low-grade lesion."""
    if surgical:
        return tx.surgery_relapse_median_days
    compressed = p.effect_day >= p.escc2_day
    return tx.rt_relapse_median_days if compressed else tx.rt_relapse_low_grade_median_days


def respond(p: Patient, plan: Plan, tx: Treatment, u: list[float]) -> None:
    """Set the neurological and pain course after treatment takes effect (pure; no SimPy)."""
    grade = untreated_frankel(p, p.effect_day)
    p.tx_frankel = grade
    surgical = plan.treatment in SURGICAL
    walks = u[WALK] < walking_probability(p, plan, tx, grade)
    if walks:
        improve = tx.surgery_improve_grade if surgical else tx.rt_improve_grade
        after = GRADE_E if grade == GRADE_E or (grade == GRADE_D and u[IMPROVE] < improve) else GRADE_D
        p.after_frankel = after
        p.after_day = p.effect_day if grade >= GRADE_D else p.effect_day + tx.recovery_days
        if p.escc2_day < INF:
            median = _relapse_median(p, tx, surgical)
            p.relapse_day = p.after_day + exponential(u[RELAPSE], median)
    else:
        p.after_frankel = min(grade, GRADE_C)
        p.after_day = p.effect_day
    # pain
    if surgical:
        p.pain_response = True
        p.vas_cap = tx.surgery_vas_after
        p.pain_relief = tx.rt_pain_relief
        p.pain_relief_day = p.treatment_day
    else:
        chance = tx.p_sbrt_pain_response if plan.treatment == SBRT else tx.p_rt_pain_response
        p.pain_response = u[PAIN] < chance
        if p.pain_response:
            p.pain_relief = tx.rt_pain_relief
            p.pain_relief_day = p.rt_day + tx.rt_pain_days
    if p.pain_response:
        p.pain_relapse_day = p.pain_relief_day + exponential(u[PAIN_RELAPSE], tx.pain_relapse_median_days)

