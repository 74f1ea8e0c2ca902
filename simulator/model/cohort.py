"""The cohort as columns: attributes and latent disease course of many patients at once, in numpy.

Nothing of the natural history waits for a resource, so the whole block is computed vectorised
from the patients' disease streams (one row of uniforms per patient, fixed slots), exactly as
:func:`patient` would for one of them: same draws, same patients, in every scenario (common random
numbers). Only patients with something to simulate (a symptomatic spinal lesion, an imaged
benign episode) later become :class:`~simulator.model.patient.Patient` records for SimPy; the rest
are tabulated straight from these columns.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from simulator.model.course import Course, Decline
from simulator.model.patient import INF, Patient
from simulator.model.survival import survival_target
from simulator.parameters.schema import Parameters
from simulator.vocabulary import DAYS_PER_MONTH, DAYS_PER_YEAR, ESCC_HIGH, Cause, Grade, HazardState

SUBTYPES = ("hr_positive", "her2_positive", "triple_negative")
LEVELS = ("cervical", "thoracic", "lumbar", "sacral")
LESION_TYPES = ("lytic", "mixed", "blastic")
SIDES = ("none", "unilateral", "bilateral")
FIRST_SYMPTOMS = ("none", "pain", "neurological")

# Slots of the disease stream (permanent once released: append, never reorder).
(AGE, SUBTYPE, ECOG, VISCERAL, OTHER_BONE, BONE_AGENT, PRIOR_RT, HAS_BONE, BONE_TIME, SPINE, SPINE_TIME,
 SYMPTOMATIC, SYMPTOM_TIME, LEVEL, JUNCTIONAL, MULTILEVEL, LESION, POSTEROLATERAL, PAIN_FIRST, COMPRESSION,
 ESCC_ONSET, ESCC2_TIME, MOTOR_TIME, WALK_LOSS, PARAPLEGIA, COMPLETE, FRACTURE, COLLAPSE, BODY, RADICULAR,
 _RETIRED_DEATH_BACKGROUND, DEATH, BENIGN, BENIGN_TIME, DE_NOVO, CANCER_YEARS, SPHINCTER, ACUTE) = range(38)
DISEASE_SLOTS = 38
MAX_SPEED_FOLDS = 2.0  # the response stops depending on the speed of decline beyond 7x the median
_EPS = 1e-12


@dataclass
class Cohort:
    """Structure of arrays: one entry per patient of a block (index = position in the block)."""

    pid: np.ndarray
    entry_day: np.ndarray
    end_day: np.ndarray
    age: np.ndarray
    subtype: np.ndarray  # index into SUBTYPES
    ecog: np.ndarray  # 1: ECOG 0-1, 2: ECOG 2, 3: ECOG 3-4
    visceral: np.ndarray
    other_bone: np.ndarray  # 0: none, 1: 1-2, 2: 3+
    bone_agent: np.ndarray
    prior_rt: np.ndarray
    cancer_dx_day: np.ndarray
    sphincter_u: np.ndarray
    death_u: np.ndarray
    bone_mets_day: np.ndarray
    met_start: np.ndarray
    spine_day: np.ndarray
    level: np.ndarray  # index into LEVELS
    junctional: np.ndarray
    multilevel: np.ndarray
    lesion_type: np.ndarray  # index into LESION_TYPES
    posterolateral: np.ndarray  # index into SIDES
    collapse_over_half: np.ndarray
    body_over_half: np.ndarray
    fracture_day: np.ndarray
    symptomatic: np.ndarray
    onset_day: np.ndarray
    first_symptom: np.ndarray  # index into FIRST_SYMPTOMS
    escc_onset: np.ndarray
    escc2_day: np.ndarray
    motor_day: np.ndarray
    radicular: np.ndarray
    unaided_days: np.ndarray
    aid_days: np.ndarray
    not_walking_days: np.ndarray
    sensory_days: np.ndarray
    speed: np.ndarray
    death_day: np.ndarray  # on the untreated course
    benign_day: np.ndarray

    def __len__(self) -> int:
        return len(self.pid)

    def take(self, index: np.ndarray) -> Cohort:
        """The patients at ``index`` (positions in the block), as a cohort of their own."""
        return Cohort(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


def _polynomial(coefficients: tuple[float, ...], r: np.ndarray) -> np.ndarray:
    """Horner's scheme, highest power first, in the operation order of the scalar code."""
    value = coefficients[0] * r + coefficients[1]
    for c in coefficients[2:]:
        value = value * r + c
    return value


_CENTRAL = ((2.5090809287301226727e+3, 3.3430575583588128105e+4, 6.7265770927008700853e+4, 4.5921953931549871457e+4,
             1.3731693765509461125e+4, 1.9715909503065514427e+3, 1.3314166789178437745e+2, 3.3871328727963666080e+0),
            (5.2264952788528545610e+3, 2.8729085735721942674e+4, 3.9307895800092710610e+4, 2.1213794301586595867e+4,
             5.3941960214247511077e+3, 6.8718700749205790830e+2, 4.2313330701600911252e+1, 1.0))
_INNER = ((7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1, 1.27045825245236838258e+0,
           3.64784832476320460504e+0, 5.76949722146069140550e+0, 4.63033784615654529590e+0, 1.42343711074968357734e+0),
          (1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2, 1.48103976427480074590e-1,
           6.89767334985100004550e-1, 1.67638483018380384940e+0, 2.05319162663775882187e+0, 1.0))
_TAIL = ((2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3, 2.65321895265761230930e-2,
          2.96560571828504891230e-1, 1.78482653991729133580e+0, 5.46378491116411436990e+0, 6.65790464350110377720e+0),
         (2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5, 7.86869131145613259100e-4,
          1.48753612908506148525e-2, 1.36929880922735805310e-1, 5.99832206555887937690e-1, 1.0))


def standard_normal_quantile(u: np.ndarray) -> np.ndarray:
    """Standard normal quantiles of ``u`` (clipped away from 0 and 1): Wichura's AS241, as Python's statistics."""
    p = np.clip(np.asarray(u, dtype=float), _EPS, 1.0 - _EPS)
    q = p - 0.5
    central = np.abs(q) <= 0.425
    r = 0.180625 - q * q
    x_central = _polynomial(_CENTRAL[0], r) * q / _polynomial(_CENTRAL[1], r)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt(-np.log(np.where(q <= 0.0, p, 1.0 - p)))
    inner = s <= 5.0
    x_inner = _polynomial(_INNER[0], s - 1.6) / _polynomial(_INNER[1], s - 1.6)
    x_tail = _polynomial(_TAIL[0], s - 5.0) / _polynomial(_TAIL[1], s - 5.0)
    x = np.where(inner, x_inner, x_tail)
    x = np.where(q < 0.0, -x, x)
    return np.where(central, x_central, x)


def _quantile(u: np.ndarray) -> np.ndarray:
    return standard_normal_quantile(u)


def _lognormal(u: np.ndarray, median: float, sigma: float) -> np.ndarray:
    return median * np.exp(sigma * _quantile(u))


def _exponential_mean(u: np.ndarray, mean: float) -> np.ndarray:
    """Exponential draws with the given mean, through the median (as ``sampling.exponential``)."""
    median = mean * math.log(2.0)
    return -median / math.log(2.0) * np.log1p(-np.minimum(u, 1.0 - _EPS))


def _exponential_rate(u: np.ndarray, rate: np.ndarray) -> np.ndarray:
    rate = np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore"):
        out = -np.log1p(-np.minimum(u, 1.0 - _EPS)) / rate
    return np.where(rate > 0.0, out, INF)


def _pick(u: np.ndarray, shares: tuple[float, ...]) -> np.ndarray:
    """Category index of each uniform for shares summing to 1 (the last one takes the rest)."""
    edges = np.cumsum(shares)[:-1]
    out = np.zeros(len(u), dtype=np.int8)
    for edge in edges:
        out += (u >= edge).astype(np.int8)
    return out


def draw_cohort(params: Parameters, u: np.ndarray, entry_day: np.ndarray, pid: np.ndarray | None = None) -> Cohort:
    """Attributes and the untreated course of every patient of a block (``u``: one row of uniforms each)."""
    c, nh = params.cohort, params.natural_history
    n = len(entry_day)
    entry = np.asarray(entry_day, dtype=float)
    u = np.asarray(u, dtype=float).reshape(n, DISEASE_SLOTS)
    col = {name: u[:, i] for i, name in enumerate(range(DISEASE_SLOTS))}
    age = np.clip(c.age_mean_years + c.age_sd_years * _quantile(col[AGE]), 18.0, 100.0)
    years = np.where(u[:, DE_NOVO] < c.p_de_novo_metastatic, 0.0,
                     _lognormal(u[:, CANCER_YEARS], c.years_since_cancer_median, c.years_since_cancer_sigma))
    if c.entry == "newly-diagnosed":
        years = np.zeros(n)
    bone = _bone_mets_day(params, u, entry)
    met_start = entry.copy() if c.entry != "newly-diagnosed" else bone.copy()
    lesion = _pick(u[:, LESION], (nh.lesion_type.lytic, nh.lesion_type.mixed, nh.lesion_type.blastic))
    bone_agent = np.full(n, True) if params.strategy.bone_agents_for_all else u[:, BONE_AGENT] < c.p_bone_agent
    spine = np.full(n, INF)
    has_spine = (bone < INF) & (u[:, SPINE] < nh.p_spine_given_bone)
    spine[has_spine] = bone[has_spine] + _exponential_mean(u[has_spine, SPINE_TIME], nh.spine_delay_mean_days)
    end = entry + c.follow_up_days
    fracture = _fracture_day(params, u, spine, lesion, bone_agent, end)
    walking, not_walking, sensory = _decline(params, u)
    unaided = nh.walking_unaided_fraction * walking
    speed = np.clip(np.log(nh.walking_loss_median_days / (unaided + (walking - unaided))), -MAX_SPEED_FOLDS,
                    MAX_SPEED_FOLDS)
    cohort = Cohort(
        pid=np.arange(n, dtype=np.int64) if pid is None else np.asarray(pid, dtype=np.int64),
        entry_day=entry, end_day=end, age=age,
        subtype=_pick(u[:, SUBTYPE], (c.subtype.hr_positive, c.subtype.her2_positive, c.subtype.triple_negative)),
        ecog=_pick(u[:, ECOG], (c.ecog.ecog_0_1, c.ecog.ecog_2, c.ecog.ecog_3_4)) + 1,
        visceral=u[:, VISCERAL] < c.p_visceral_mets,
        other_bone=_pick(u[:, OTHER_BONE], (c.other_bone_mets.none, c.other_bone_mets.one_two,
                                            c.other_bone_mets.three_plus)),
        bone_agent=bone_agent, prior_rt=u[:, PRIOR_RT] < c.p_prior_spine_rt,
        cancer_dx_day=entry - years * DAYS_PER_YEAR, sphincter_u=u[:, SPHINCTER].copy(), death_u=u[:, DEATH].copy(),
        bone_mets_day=bone, met_start=met_start, spine_day=spine,
        level=_pick(u[:, LEVEL], (nh.level.cervical, nh.level.thoracic, nh.level.lumbar, nh.level.sacral)),
        junctional=u[:, JUNCTIONAL] < nh.p_junctional, multilevel=u[:, MULTILEVEL] < nh.p_multilevel,
        lesion_type=lesion,
        posterolateral=_pick(u[:, POSTEROLATERAL], (nh.posterolateral.none, nh.posterolateral.unilateral,
                                                    nh.posterolateral.bilateral)),
        collapse_over_half=u[:, COLLAPSE] < nh.p_collapse_over_half, body_over_half=u[:, BODY] < nh.p_body_over_half,
        fracture_day=fracture, symptomatic=np.zeros(n, bool), onset_day=np.full(n, INF),
        first_symptom=np.zeros(n, np.int8),
        escc_onset=_pick(u[:, ESCC_ONSET], (nh.escc_at_onset.g0, nh.escc_at_onset.g1a, nh.escc_at_onset.g1b,
                                            nh.escc_at_onset.g1c)),
        escc2_day=np.full(n, INF), motor_day=np.full(n, INF), radicular=np.zeros(n, bool),
        unaided_days=unaided, aid_days=walking - unaided, not_walking_days=not_walking, sensory_days=sensory,
        speed=speed, death_day=np.full(n, INF), benign_day=np.full(n, INF))
    _symptoms_and_compression(params, u, cohort)
    cohort.death_day = untreated_death_day(params, cohort)
    _censor_at_death(cohort)
    stop = np.minimum(cohort.death_day, cohort.end_day)
    benign = (cohort.onset_day == INF) & (u[:, BENIGN] < params.pathway.p_benign_back_pain)
    cohort.benign_day = np.where(benign, entry + u[:, BENIGN_TIME] * (stop - entry), INF)
    return cohort


def _bone_mets_day(params: Parameters, u: np.ndarray, entry: np.ndarray) -> np.ndarray:
    nh, kind = params.natural_history, params.cohort.entry
    if kind == "bone-metastasis":
        return entry.copy()
    if kind == "advanced":
        p, median = nh.p_bone_mets_advanced, nh.bone_mets_median_days_advanced
    else:
        p, median = nh.p_bone_mets_newly_diagnosed, nh.bone_mets_median_days_newly_diagnosed
    return np.where(u[:, HAS_BONE] < p, entry + _lognormal(u[:, BONE_TIME], median, nh.bone_mets_sigma), INF)


def _decline(params: Parameters, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(days to lose walking, days unable to walk before paraplegia, days paraplegic before complete)."""
    nh = params.natural_history
    walking = _lognormal(u[:, WALK_LOSS], nh.walking_loss_median_days, nh.walking_loss_sigma)
    not_walking = _lognormal(u[:, PARAPLEGIA], nh.paraplegia_median_days, nh.walking_loss_sigma)
    sensory = _lognormal(u[:, COMPLETE], nh.complete_median_days, nh.walking_loss_sigma)
    acute = u[:, ACUTE] < nh.p_acute_deterioration  # walking is lost within days; paralysis then as usual
    return np.where(acute, walking * nh.acute_time_factor, walking), not_walking, sensory


def _fracture_day(params: Parameters, u: np.ndarray, spine: np.ndarray, lesion: np.ndarray, bone_agent: np.ndarray,
                  end: np.ndarray) -> np.ndarray:
    nh = params.natural_history
    hr = np.array([1.0, nh.fracture_hr_mixed, nh.fracture_hr_blastic])[lesion]
    hr = np.where(bone_agent, hr * nh.fracture_hr_bone_agent, hr)
    day = spine + _exponential_rate(u[:, FRACTURE], nh.fracture_per_year * hr / DAYS_PER_YEAR)
    return np.where((spine < INF) & (day < end), day, INF)


def _symptoms_and_compression(params: Parameters, u: np.ndarray, k: Cohort) -> None:
    """Symptom onset (pain or deficit first), ESCC growth and the day of the first motor deficit."""
    nh = params.natural_history
    spinal = k.spine_day < INF
    drawn = spinal & (u[:, SYMPTOMATIC] < nh.p_symptomatic)
    symptom_day = np.full(len(k), INF)
    symptom_day[drawn] = k.spine_day[drawn] + _lognormal(u[drawn, SYMPTOM_TIME], nh.symptom_median_days,
                                                         nh.symptom_sigma)
    onset = np.minimum(symptom_day, k.fracture_day)
    symptomatic = spinal & (onset < k.end_day)
    k.symptomatic = symptomatic
    k.onset_day = np.where(symptomatic, onset, INF)
    neuro_first = symptomatic & drawn & (symptom_day <= k.fracture_day) & (u[:, PAIN_FIRST] >= nh.p_pain_first)
    k.first_symptom = np.where(symptomatic, np.where(neuro_first, 2, 1), 0).astype(np.int8)
    k.escc_onset = np.where(neuro_first, ESCC_HIGH, k.escc_onset).astype(np.int8)
    compressed = symptomatic & ~neuro_first & drawn & (u[:, COMPRESSION] < nh.p_cord_compression)
    escc2 = np.full(len(k), INF)
    escc2[compressed] = k.onset_day[compressed] + _lognormal(u[compressed, ESCC2_TIME], nh.escc2_median_days,
                                                             nh.escc2_sigma)
    motor = np.full(len(k), INF)
    motor[compressed] = escc2[compressed] + _exponential_mean(u[compressed, MOTOR_TIME], nh.motor_onset_mean_days)
    escc2[neuro_first] = motor[neuro_first] = k.onset_day[neuro_first]
    k.escc2_day, k.motor_day = escc2, motor
    k.radicular = (compressed | neuro_first) & (u[:, RADICULAR] < params.pain.p_radicular)


def natural_changes(k: Cohort) -> list[tuple[np.ndarray, int]]:
    """The untreated course as (day of reaching the grade, grade) columns, in order (inf = never)."""
    onset = np.where(k.motor_day < k.end_day, k.motor_day, INF)
    d_aid = onset + k.unaided_days
    c = d_aid + k.aid_days
    b = c + k.not_walking_days
    a = b + k.sensory_days
    return [(onset, Grade.D_UNAIDED), (d_aid, Grade.D_AID), (c, Grade.C), (b, Grade.B), (a, Grade.A)]


def untreated_death_day(params: Parameters, k: Cohort) -> np.ndarray:
    """Death day of every patient on her untreated course: one uniform inverted through the cumulative hazard.

    The pieces and their order are those of :func:`simulator.model.survival.hazard_pieces` (equal
    consecutive hazards merged), so a patient simulated one at a time gets the same day.
    """
    s = params.natural_history.survival
    background = s.background_per_year / DAYS_PER_YEAR
    median = np.array([s.median_months_hr_positive, s.median_months_her2_positive,
                       s.median_months_triple_negative])[k.subtype]
    rate = math.log(2) / (median * DAYS_PER_MONTH)
    rate = rate * np.array([0.0, 1.0, s.hr_ecog_2, s.hr_ecog_3_4])[k.ecog]
    metastatic = np.where(k.met_start < INF, rate * np.where(k.visceral, s.hr_visceral, 1.0), 0.0)
    ratio = {Grade.E: 1.0, Grade.D_UNAIDED: 1.0, Grade.D_AID: s.hr_walking_with_aid, Grade.C: s.hr_not_walking,
             Grade.B: s.hr_paraplegic, Grade.A: s.hr_paraplegic}
    target = survival_target(k.death_u)
    met = np.maximum(k.met_start, k.entry_day)
    cuts = [(met, background + metastatic)]
    rapid = k.unaided_days + k.aid_days <= s.rapid_motor_deficit_days  # from the motor deficit's onset, below
    prognosis = np.where(rapid, metastatic * s.hr_rapid_motor_deficit, metastatic)
    for day, grade in natural_changes(k):
        cuts.append((np.where(day > met, day, INF), background + prognosis * ratio[Grade(grade)]))
    death = np.full(len(k), INF)
    start, current, total = k.entry_day.copy(), np.full(len(k), background), np.zeros(len(k))
    for day, new_rate in cuts:
        change = (day < INF) & (new_rate != current)
        with np.errstate(divide="ignore", invalid="ignore"):
            reach = start + (target - total) / current
        found = change & np.isinf(death) & (current > 0.0) & (reach < day)
        death = np.where(found, reach, death)
        total = np.where(change, total + current * (day - start), total)
        start = np.where(change, day, start)
        current = np.where(change, new_rate, current)
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = start + (target - total) / current
    return np.where(np.isinf(death) & (current > 0.0), reach, death)


def _censor_at_death(k: Cohort) -> None:
    """Nothing of the spinal disease happens after death."""
    stop = np.minimum(k.death_day, k.end_day)
    k.bone_mets_day = np.where(k.bone_mets_day >= k.death_day, INF, k.bone_mets_day)
    k.spine_day = np.where(k.spine_day >= stop, INF, k.spine_day)
    k.fracture_day = np.where(k.fracture_day >= stop, INF, k.fracture_day)
    late = k.onset_day >= stop
    k.symptomatic = k.symptomatic & ~late
    for name in ("onset_day", "escc2_day", "motor_day"):
        setattr(k, name, np.where(late, INF, getattr(k, name)))
    k.first_symptom = np.where(late, 0, k.first_symptom).astype(np.int8)
    k.radicular = k.radicular & ~late


def patient(params: Parameters, k: Cohort, i: int) -> Patient:
    """Patient ``i`` of the block as a record for SimPy (her untreated course built)."""
    return patients(params, k, np.array([i]))[0]


def patients(params: Parameters, k: Cohort, index: np.ndarray) -> list[Patient]:
    """Records of the patients at ``index`` of the block, each with her untreated course built.

    The columns are gathered once for all of them and converted to Python values in one pass
    (numpy scalars would make every later comparison slower).
    """
    if not len(index):
        return []
    col = {name: getattr(k, name)[index].tolist() for name in COHORT_FIELDS}
    subtype, level = _names(col["subtype"], SUBTYPES), _names(col["level"], LEVELS)
    lesion, side = _names(col["lesion_type"], LESION_TYPES), _names(col["posterolateral"], SIDES)
    first = _names(col["first_symptom"], FIRST_SYMPTOMS)
    out = []
    for j in range(len(index)):
        p = Patient(col["pid"][j], col["entry_day"][j], col["end_day"][j])
        p.age = col["age"][j]
        p.subtype = subtype[j]
        p.ecog = col["ecog"][j]
        p.visceral = col["visceral"][j]
        p.other_bone = col["other_bone"][j]
        p.bone_agent = col["bone_agent"][j]
        p.prior_rt = col["prior_rt"][j]
        p.cancer_dx_day = col["cancer_dx_day"][j]
        p.sphincter_u = col["sphincter_u"][j]
        p.death_u = col["death_u"][j]
        p.bone_mets_day = col["bone_mets_day"][j]
        p.met_start = col["met_start"][j]
        p.spine_day = col["spine_day"][j]
        p.level = level[j]
        p.junctional = col["junctional"][j]
        p.multilevel = col["multilevel"][j]
        p.lesion_type = lesion[j]
        p.posterolateral = side[j]
        p.collapse_over_half = col["collapse_over_half"][j]
        p.body_over_half = col["body_over_half"][j]
        p.fracture_day = col["fracture_day"][j]
        p.symptomatic = col["symptomatic"][j]
        p.onset_day = col["onset_day"][j]
        p.first_symptom = first[j]
        p.escc_onset = col["escc_onset"][j]
        p.escc2_day = col["escc2_day"][j]
        p.motor_day = col["motor_day"][j]
        p.radicular = col["radicular"][j]
        p.decline = Decline(col["unaided_days"][j], col["aid_days"][j], col["not_walking_days"][j],
                            col["sensory_days"][j])
        p.speed = col["speed"][j]
        p.death_day = col["death_day"][j]
        p.benign_day = col["benign_day"][j]
        p.course = Course(Grade.E)
        if p.motor_day < p.end_day:
            for change in p.decline.from_grade(p.motor_day, Grade.D_UNAIDED, Cause.NATURAL):
                p.course.append(*change)
        out.append(p)
    return out


def _names(codes: list[int], names: tuple[str, ...]) -> list[str]:
    return [names[c] for c in codes]


#: every array field of a cohort, in declaration order
COHORT_FIELDS = tuple(f.name for f in fields(Cohort))
HAZARD_STATES = tuple(HazardState)
