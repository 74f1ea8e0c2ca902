"""NOMS-style treatment decision at diagnosis: patient state -> treatment plan, and the surgical opinion.

Pure functions with named predicates; the *numbers* (thresholds, switches, referral shares) come
from the scenario's ``strategy`` group. Neurologic (ESCC, grade), oncologic (radiosensitive breast
cancer), mechanical (SINS) and systemic (expected survival, fitness) parameters decide which plan
is indicated; in current practice a patient reaches surgery only if she is also referred for a
surgical opinion and accepted (:func:`surgical_opinion`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.model.sampling import with_odds_ratio
from simulator.parameters.schema import Strategy
from simulator.vocabulary import (
    BRACE_RT,
    CEMENT_RT,
    DAYS_PER_WEEK,
    ESCC_GRADES,
    ESCC_HIGH,
    RESECTION_RT,
    RT,
    SBRT,
    SUPPORTIVE,
    SURGERY_RT,
    Grade,
)

#: Revised Tokuhashi groups: (highest score, median survival in months) 0-8 4, 9-11 10, 12-15 29 (Zeng 2007,
#: n=447); the continuous prognosis interpolates log-linearly between the groups' middle scores.
TOKUHASHI_GROUPS = ((0, 8, 4.0), (9, 11, 10.0), (12, 15, 29.0))
OFFICE_HOURS = (8.0, 18.0)  # hours of the day (assumption: a weekday service day)


@dataclass(frozen=True)
class ClinicalState:
    """What the multidisciplinary team knows at the decision."""

    escc: int  # index into ESCC_GRADES
    grade: int  # simulator.vocabulary.Grade
    sins: int  # 0..18
    fractured: bool
    ecog: int  # 1: ECOG 0-1, 2: ECOG 2, 3: ECOG 3-4
    expected_survival_months: float
    age: float  # years
    day: float  # the day of the decision (for office hours)


@dataclass(frozen=True)
class Plan:
    """The treatment chosen, whether steroids start at once, and whether it needs a surgical opinion."""

    treatment: str
    steroids: bool
    surgical: bool = False


def revised_tokuhashi(ecog: int, other_bone: int, multilevel: bool, visceral: bool, subtype: str,
                      grade: int) -> int:
    """Revised Tokuhashi score (0-15; Tokuhashi 2005). Breast primary scores 5, receptor-negative 3.

    KPS is mapped from ECOG (0-1 -> 80-100%, 2 -> 50-70%, 3-4 -> 10-40%). The downgrade of
    triple-negative disease follows the *Spine* subtype study cited in EVIDENCE.md section 5.3.
    """
    kps = {1: 2, 2: 1, 3: 0}[ecog]
    bone = {0: 2, 1: 1, 2: 0}[other_bone]
    vertebral = 1 if multilevel else 2
    viscera = 0 if visceral else 2
    primary = 3 if subtype == "triple_negative" else 5
    palsy = 0 if grade <= Grade.B else (1 if grade < Grade.E else 2)
    return kps + bone + vertebral + viscera + primary + palsy


def expected_survival_months(score: int) -> float:
    """The continuous prognosis of a revised Tokuhashi score: median survival (months), interpolated.

    Log-linear through the middle scores of the three validated groups (4, 10 and 29 months at
    scores 4, 10 and 13.5; Zeng 2007), flat beyond the outer middles, so that one point more never
    means a shorter prognosis.
    """
    anchors = [((low + high) / 2.0, math.log(months)) for low, high, months in TOKUHASHI_GROUPS]
    if score <= anchors[0][0]:
        return math.exp(anchors[0][1])
    for (x0, y0), (x1, y1) in zip(anchors, anchors[1:], strict=False):
        if score <= x1:
            return math.exp(y0 + (y1 - y0) * (score - x0) / (x1 - x0))
    return math.exp(anchors[-1][1])


def is_high_grade_escc(state: ClinicalState, s: Strategy) -> bool:
    """ESCC at or above the policy's surgical threshold."""
    return state.escc >= ESCC_GRADES.index(s.surgery_escc_min)


def is_cord_compressed(state: ClinicalState) -> bool:
    """Bilsky 2 or 3."""
    return state.escc >= ESCC_HIGH


def is_unstable(state: ClinicalState, s: Strategy) -> bool:
    """SINS in the unstable range."""
    return state.sins >= s.sins_unstable_min


def is_potentially_unstable(state: ClinicalState, s: Strategy) -> bool:
    """SINS in the indeterminate range (below unstable)."""
    return s.sins_indeterminate_min <= state.sins < s.sins_unstable_min


def is_operable(state: ClinicalState, s: Strategy) -> bool:
    """Fit enough, expected to live long enough, and (if the policy says) not paraplegic."""
    paraplegic = state.grade <= Grade.B
    return (state.ecog <= _ecog_class(s.surgery_max_ecog)
            and state.expected_survival_months >= s.surgery_min_expected_survival_months
            and not (s.surgery_excludes_paraplegia and paraplegic))


def has_deficit(state: ClinicalState) -> bool:
    """Any neurological deficit (below Frankel E)."""
    return state.grade < Grade.E


def _ecog_class(max_ecog: int) -> int:
    return 1 if max_ecog <= 1 else (2 if max_ecog == 2 else 3)


def decide(state: ClinicalState, s: Strategy, allow_surgery: bool = True) -> Plan:
    """The treatment plan for a newly diagnosed symptomatic spinal metastasis.

    ``allow_surgery=False`` gives the plan when no surgeon operates (no opinion sought, or declined).
    """
    steroids = s.steroids_for_deficit and has_deficit(state)
    if state.expected_survival_months < s.supportive_max_expected_survival_months:
        return Plan(SUPPORTIVE, steroids)
    operable = allow_surgery and is_operable(state, s)
    if operable and s.aggressive_resection:
        return Plan(RESECTION_RT, steroids, surgical=True)
    if operable and s.surgery_for_compression and is_high_grade_escc(state, s):
        return Plan(SURGERY_RT, steroids, surgical=True)
    if operable and s.surgery_for_instability and is_unstable(state, s):
        return Plan(SURGERY_RT, steroids, surgical=True)
    if s.cement_for_painful_fracture and state.fractured and not is_cord_compressed(state):
        return Plan(CEMENT_RT, steroids)
    if s.bracing_for_indeterminate and (is_potentially_unstable(state, s) or is_unstable(state, s)):
        return Plan(BRACE_RT, steroids)
    if s.sbrt_for_pain and not is_cord_compressed(state):
        return Plan(SBRT, steroids)
    return Plan(RT, steroids)


def in_office_hours(day: float) -> bool:
    """Whether a moment on the clock (days; day 0 is a Monday 00:00) falls in weekday office hours."""
    weekday = int(math.floor(day)) % int(DAYS_PER_WEEK)
    hour = (day - math.floor(day)) * 24.0
    return weekday < 5 and OFFICE_HOURS[0] <= hour < OFFICE_HOURS[1]


def referral_probability(state: ClinicalState, s: Strategy) -> float:
    """Chance that a surgical candidate is referred for a surgical opinion, by age and time of day."""
    p = s.p_surgical_referral
    if state.age >= s.surgical_referral_older_age_years:
        p = with_odds_ratio(p, s.surgical_referral_older_odds_ratio)
    if not in_office_hours(state.day):
        p = with_odds_ratio(p, s.surgical_referral_out_of_hours_odds_ratio)
    return p


def surgical_opinion(state: ClinicalState, s: Strategy, u_refer: float, u_accept: float) -> tuple[bool, bool]:
    """(referred for a surgical opinion, accepted for surgery) for a surgical candidate."""
    referred = u_refer < referral_probability(state, s)
    return referred, referred and u_accept < s.p_surgical_acceptance
