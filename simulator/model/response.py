"""Who walks after treatment: one response model for radiotherapy and surgery, by patient factors.

The chance of walking after a course of treatment is a logistic model of the patient's state when
the treatment takes effect and of the factors the published prognostic scores use: the grade
(walking unaided, with an aid, not walking, paraplegic), how long she has been unable to walk, her
own speed of decline (Rades' time developing motor deficits), visceral metastases and the interval
from the diagnosis of breast cancer. Surgery multiplies the odds by an odds ratio that falls with
age (Chi et al., Spine 2009: the benefit in Patchell's trial vanished between 60 and 70 years).
On the logistic scale one odds ratio gives the largest absolute gain to patients with an
intermediate chance under radiotherapy alone, as Rades' matched and score-group comparisons show,
so what a surgical strategy gains depends on whom it selects. The chance that a patient walking after
treatment also recovers the better level (full function, or walking unaided) moves with her speed
of decline in the same way (Rades 2002). Pure functions: no SimPy.
"""

from __future__ import annotations

import math

from simulator.model.patient import Patient
from simulator.parameters.schema import Response
from simulator.vocabulary import DAYS_PER_MONTH, Grade

REFERENCE_AGE_YEARS = 60.0  # the age at which ``surgery_odds_ratio`` applies (Patchell's median age)
SHORT_INTERVAL_MONTHS = 15.0  # Rades: interval from tumour diagnosis to MSCC <= 15 vs > 15 months
PARALYSIS_HOURS = 48.0  # Chaichana 2008, Patchell 2005: unable to walk for more than 48 h


def logit(p: float) -> float:
    """Log-odds of a probability in (0, 1)."""
    return math.log(p / (1.0 - p))


def expit(x: float) -> float:
    """The probability of log-odds ``x``."""
    return 1.0 / (1.0 + math.exp(-x))


def base_probability(grade: int, r: Response) -> float:
    """Chance of walking after RT alone for the reference patient at ``grade`` when RT takes effect."""
    if grade >= Grade.D_UNAIDED:
        return r.p_walk_rt_unaided
    if grade == Grade.D_AID:
        return r.p_walk_rt_with_aid
    if grade == Grade.C:
        return r.p_walk_rt_not_walking
    return r.p_walk_rt_paraplegic


def surgery_odds_ratio(age: float, r: Response) -> float:
    """The odds ratio of walking after surgery + RT vs RT alone at ``age`` (years)."""
    return r.surgery_odds_ratio / r.surgery_age_interaction_per_decade ** ((age - REFERENCE_AGE_YEARS) / 10.0)


def interval_months(p: Patient, day: float) -> float:
    """Months from the first diagnosis of breast cancer to ``day``."""
    return (day - p.cancer_dx_day) / DAYS_PER_MONTH


def speed_log_odds(p: Patient, surgical: bool, r: Response) -> float:
    """The shift of the log-odds of a good response for the patient's own speed of decline.

    Negative for a decline faster than the median: Rades' time developing motor deficits. Surgery,
    which relieves the compression at once, keeps ``surgery_speed_factor`` of it.
    """
    return -r.log_odds_per_faster_fold * p.speed * (r.surgery_speed_factor if surgical else 1.0)


def walking_probability(p: Patient, grade: int, day: float, not_walking_since: float, surgical: bool,
                        steroids: bool, r: Response) -> float:
    """Chance of walking after a treatment that takes effect on ``day`` with the patient at ``grade``.

    ``not_walking_since``: the day she stopped walking (``inf`` if she walks); after more than 48 h
    unable to walk, decompression helps less (Chaichana 2008, a surgical series; for radiotherapy the
    speed of decline is what the series show, Rades 2000). The reference patient declines at the
    median speed, has no
    visceral metastases, a diagnosis of breast cancer more than 15 months before, and dexamethasone
    (as in the trials the base probabilities come from; without it the odds are divided by the
    steroid odds ratio, Sorensen 1994).
    """
    x = logit(base_probability(grade, r))
    x += speed_log_odds(p, surgical, r)
    if p.visceral:
        x += math.log(r.visceral_odds_ratio)
    if interval_months(p, day) <= SHORT_INTERVAL_MONTHS:
        x += math.log(r.short_interval_odds_ratio)
    if surgical:
        x += math.log(surgery_odds_ratio(p.age, r))
        if grade <= Grade.C and (day - not_walking_since) * 24.0 > PARALYSIS_HOURS:
            x += math.log(r.paralysed_over_48h_odds_ratio)
    if grade < Grade.E and not steroids:  # the trials gave dexamethasone for deficits (Sorensen 1994)
        x -= math.log(r.steroid_odds_ratio)
    return expit(x)


def improvement_probability(p: Patient, base: float, surgical: bool, r: Response) -> float:
    """Chance that a patient walking after treatment recovers the better level (full function, or unaided).

    Full function for one who walked at the time of effect, walking unaided for one who walked again.
    ``base`` is the reference patient's chance (median speed of decline); the speed of decline moves
    it as it moves the chance of walking (Rades 2002: motor function improved after RT in 10%, 29%
    and 86% when deficits developed over 1-7, 8-14 and > 14 days).
    """
    if base <= 0.0 or base >= 1.0:
        return base
    return expit(logit(base) + speed_log_odds(p, surgical, r))
