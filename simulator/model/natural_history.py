"""Attributes at entry and the natural history of the spinal lesion, drawn at once per patient.

Nothing here waits for a resource, so nothing here is a SimPy event: the whole latent course
(bone and spinal metastasis, symptoms, compression, the untreated neurological decline, fracture,
and the death it would lead to) is computed from the patient's disease stream. Care later decides
*when* this course is interrupted. Every draw has a fixed slot, so patient ``i`` has the same
course in every scenario (common random numbers).
"""

from __future__ import annotations

import math

from simulator.model.course import Course, Decline
from simulator.model.patient import INF, Patient
from simulator.model.sampling import exponential_mean, exponential_rate, lognormal, normal_quantile, pick
from simulator.model.survival import refresh_death
from simulator.parameters.schema import Parameters
from simulator.vocabulary import DAYS_PER_YEAR, ESCC_HIGH, Cause, Grade

SUBTYPES = ("hr_positive", "her2_positive", "triple_negative")
LEVELS = ("cervical", "thoracic", "lumbar", "sacral")
LESION_TYPES = ("lytic", "mixed", "blastic")
SIDES = ("none", "unilateral", "bilateral")

# Slots of the disease stream (permanent once released: append, never reorder).
(AGE, SUBTYPE, ECOG, VISCERAL, OTHER_BONE, BONE_AGENT, PRIOR_RT, HAS_BONE, BONE_TIME, SPINE, SPINE_TIME,
 SYMPTOMATIC, SYMPTOM_TIME, LEVEL, JUNCTIONAL, MULTILEVEL, LESION, POSTEROLATERAL, PAIN_FIRST, COMPRESSION,
 ESCC_ONSET, ESCC2_TIME, MOTOR_TIME, WALK_LOSS, PARAPLEGIA, COMPLETE, FRACTURE, COLLAPSE, BODY, RADICULAR,
 _RETIRED_DEATH_BACKGROUND, DEATH, BENIGN, BENIGN_TIME, DE_NOVO, CANCER_YEARS, SPHINCTER, ACUTE) = range(38)
DISEASE_SLOTS = 38
MAX_SPEED_FOLDS = 2.0


def draw_patient(params: Parameters, u: list[float], pid: int, entry_day: float) -> Patient:
    """One patient's attributes and latent disease course from ``DISEASE_SLOTS`` uniforms."""
    c, nh = params.cohort, params.natural_history
    p = Patient(pid, entry_day, entry_day + c.follow_up_days)
    # years; the normal's tails are clipped to adult ages (assumption: the cohort is adults with breast cancer)
    p.age = min(100.0, max(18.0, c.age_mean_years + c.age_sd_years * normal_quantile(u[AGE])))
    p.subtype = SUBTYPES[pick(u[SUBTYPE], (c.subtype.hr_positive, c.subtype.her2_positive,
                                           c.subtype.triple_negative))]
    p.ecog = pick(u[ECOG], (c.ecog.ecog_0_1, c.ecog.ecog_2, c.ecog.ecog_3_4)) + 1  # 1: 0-1, 2: 2, 3: 3-4
    p.visceral = u[VISCERAL] < c.p_visceral_mets
    p.other_bone = pick(u[OTHER_BONE], (c.other_bone_mets.none, c.other_bone_mets.one_two,
                                        c.other_bone_mets.three_plus))
    p.bone_agent = params.strategy.bone_agents_for_all or u[BONE_AGENT] < c.p_bone_agent
    p.prior_rt = u[PRIOR_RT] < c.p_prior_spine_rt
    p.cancer_dx_day = entry_day - _years_with_cancer(params, u) * DAYS_PER_YEAR
    p.sphincter_u = u[SPHINCTER]
    p.death_u = u[DEATH]

    p.bone_mets_day = _bone_mets_day(params, u, entry_day)
    p.met_start = entry_day if c.entry != "newly-diagnosed" else p.bone_mets_day
    p.level = LEVELS[pick(u[LEVEL], (nh.level.cervical, nh.level.thoracic, nh.level.lumbar, nh.level.sacral))]
    p.junctional = u[JUNCTIONAL] < nh.p_junctional
    p.multilevel = u[MULTILEVEL] < nh.p_multilevel
    p.lesion_type = LESION_TYPES[pick(u[LESION], (nh.lesion_type.lytic, nh.lesion_type.mixed,
                                                  nh.lesion_type.blastic))]
    p.posterolateral = SIDES[pick(u[POSTEROLATERAL], (nh.posterolateral.none, nh.posterolateral.unilateral,
                                                      nh.posterolateral.bilateral))]
    p.collapse_over_half = u[COLLAPSE] < nh.p_collapse_over_half
    p.body_over_half = u[BODY] < nh.p_body_over_half
    p.decline = _decline(params, u)
    # how much faster than the median the decline is, in e-folds (log of median / own time to lose walking),
    # bounded at +/- 2 e-folds (7x): beyond that the response no longer depends on it
    p.speed = max(-MAX_SPEED_FOLDS, min(MAX_SPEED_FOLDS, math.log(nh.walking_loss_median_days
                                                                   / p.decline.walking_days())))

    p.spine_day = INF
    if p.bone_mets_day < INF and u[SPINE] < nh.p_spine_given_bone:
        p.spine_day = p.bone_mets_day + exponential_mean(u[SPINE_TIME], nh.spine_delay_mean_days)
    p.fracture_day = _fracture_day(params, u, p)
    _symptoms_and_compression(params, u, p)
    p.course = _natural_course(p)
    refresh_death(p, params)
    _censor_at_death(p)

    p.benign_day = INF
    horizon = p.stop_day
    if p.onset_day == INF and u[BENIGN] < params.pathway.p_benign_back_pain:
        p.benign_day = entry_day + u[BENIGN_TIME] * (horizon - entry_day)
    return p


def _years_with_cancer(params: Parameters, u: list[float]) -> float:
    """Years from the first diagnosis of breast cancer to entry (0 for de-novo metastatic disease)."""
    c = params.cohort
    if c.entry == "newly-diagnosed" or u[DE_NOVO] < c.p_de_novo_metastatic:
        return 0.0
    return lognormal(u[CANCER_YEARS], c.years_since_cancer_median, c.years_since_cancer_sigma)


def _bone_mets_day(params: Parameters, u: list[float], entry_day: float) -> float:
    nh, entry = params.natural_history, params.cohort.entry
    if entry == "bone-metastasis":
        return entry_day
    if entry == "advanced":
        p, median = nh.p_bone_mets_advanced, nh.bone_mets_median_days_advanced
    else:
        p, median = nh.p_bone_mets_newly_diagnosed, nh.bone_mets_median_days_newly_diagnosed
    if u[HAS_BONE] >= p:
        return INF
    return entry_day + lognormal(u[BONE_TIME], median, nh.bone_mets_sigma)


def _decline(params: Parameters, u: list[float]) -> Decline:
    """The patient's untreated decline: gradual (her own speed) or, for some, an acute collapse.

    Gradual compression takes weeks to months to cost walking (Helweg-Larsen & Sorensen 1994);
    in an acute (vascular) deterioration walking is lost within days (Rades 1999: 31 of 96 patients
    deteriorated within 48 h before radiotherapy), which also responds worst to treatment.
    """
    nh = params.natural_history
    walking = lognormal(u[WALK_LOSS], nh.walking_loss_median_days, nh.walking_loss_sigma)
    not_walking = lognormal(u[PARAPLEGIA], nh.paraplegia_median_days, nh.walking_loss_sigma)
    sensory = lognormal(u[COMPLETE], nh.complete_median_days, nh.walking_loss_sigma)
    if u[ACUTE] < nh.p_acute_deterioration:  # walking is lost within days; paralysis then follows as usual
        walking *= nh.acute_time_factor
    unaided = nh.walking_unaided_fraction * walking
    return Decline(unaided_days=unaided, aid_days=walking - unaided, not_walking_days=not_walking,
                   sensory_days=sensory)


def _fracture_day(params: Parameters, u: list[float], p: Patient) -> float:
    nh = params.natural_history
    if p.spine_day == INF:
        return INF
    hr = {"lytic": 1.0, "mixed": nh.fracture_hr_mixed, "blastic": nh.fracture_hr_blastic}[p.lesion_type]
    if p.bone_agent:
        hr *= nh.fracture_hr_bone_agent
    day = p.spine_day + exponential_rate(u[FRACTURE], nh.fracture_per_year * hr / DAYS_PER_YEAR)
    return day if day < p.end_day else INF


def _symptoms_and_compression(params: Parameters, u: list[float], p: Patient) -> None:
    """Symptom onset (pain or deficit first), ESCC growth and the day of the first motor deficit."""
    nh = params.natural_history
    p.symptomatic = False
    p.onset_day = p.escc2_day = p.motor_day = INF
    p.first_symptom = "none"
    p.escc_onset = pick(u[ESCC_ONSET], (nh.escc_at_onset.g0, nh.escc_at_onset.g1a, nh.escc_at_onset.g1b,
                                        nh.escc_at_onset.g1c))
    p.radicular = False
    if p.spine_day == INF:
        return
    drawn = u[SYMPTOMATIC] < nh.p_symptomatic
    symptom_day = p.spine_day + lognormal(u[SYMPTOM_TIME], nh.symptom_median_days, nh.symptom_sigma) \
        if drawn else INF
    onset = min(symptom_day, p.fracture_day)
    if onset >= p.end_day:
        return
    p.symptomatic = True
    p.onset_day = onset
    neuro_first = drawn and symptom_day <= p.fracture_day and u[PAIN_FIRST] >= nh.p_pain_first
    p.first_symptom = "neurological" if neuro_first else "pain"
    if neuro_first:
        p.escc_onset = ESCC_HIGH
        p.escc2_day = p.motor_day = onset
    elif drawn and u[COMPRESSION] < nh.p_cord_compression:
        p.escc2_day = onset + lognormal(u[ESCC2_TIME], nh.escc2_median_days, nh.escc2_sigma)
        p.motor_day = p.escc2_day + exponential_mean(u[MOTOR_TIME], nh.motor_onset_mean_days)
    else:
        return
    p.radicular = u[RADICULAR] < params.pain.p_radicular


def _natural_course(p: Patient) -> Course:
    """The untreated course: normal until the first motor deficit, then the patient's own decline."""
    course = Course(Grade.E)
    if p.motor_day < p.end_day:
        for change in p.decline.from_grade(p.motor_day, Grade.D_UNAIDED, Cause.NATURAL):
            course.append(*change)
    return course


def _censor_at_death(p: Patient) -> None:
    """Nothing of the spinal disease happens after death (the death day is computed from the course)."""
    if p.bone_mets_day >= p.death_day:
        p.bone_mets_day = INF
    if p.spine_day >= p.stop_day:
        p.spine_day = INF
    if p.fracture_day >= p.stop_day:
        p.fracture_day = INF
    if p.onset_day >= p.stop_day:
        p.symptomatic = False
        p.onset_day = p.escc2_day = p.motor_day = INF
        p.first_symptom = "none"
        p.radicular = False
        p.course = Course(Grade.E)

