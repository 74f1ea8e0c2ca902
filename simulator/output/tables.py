"""Tidy output tables from one replication, and the data dictionary that documents them.

Each column is declared once, with its meaning, unit, allowed values and the function that reads
it from a patient: the README's data dictionary, the exports and the dashboard all use this list.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from simulator.economics.budget import BUDGET_ITEMS, ITEM_MEANINGS
from simulator.economics.patient import COST_CATEGORIES
from simulator.model.outcomes import (
    after_diagnosis,
    after_onset,
    after_treatment,
    course_events,
    days_walking,
    first_day_below,
    grade_loss,
    loss_from_diagnosis,
    regained,
    relapse,
    retained_days,
    retreatments,
    sphincter_dysfunction,
    stop,
    survival_days_from,
    treatment_effect,
    treatment_start,
)
from simulator.model.pain import band_intervals, consensus_endpoint, points_lower, vas_at
from simulator.model.patient import INF, Patient
from simulator.model.simulation import Replication
from simulator.output.kpis import KPIS
from simulator.output.unsimulated import (
    SAME_FOR_ALL,
    unsimulated_column,
    unsimulated_events,
    unsimulated_trajectories,
)
from simulator.parameters.schema import Parameters
from simulator.vocabulary import (
    EMERGENCY_REASONS,
    ESCC_GRADES,
    FRANKEL_LETTERS,
    GRADES,
    NO_TREATMENT,
    PAIN_BANDS,
    RETREATMENTS,
    ROUTES,
    SERVICE_KINDS,
    SERVICES,
    TREATMENTS,
    WALKING_VALUES,
    Grade,
    PainResponse,
    frankel,
    grade_label,
    retreatment_of,
    scorad_grade,
    walking,
    walks,
)

FOLLOW_UP_MONTHS = (1, 3, 6, 12)
SCORAD_WEEKS = 8  # SCORAD III's primary endpoint: ambulatory 8 weeks after radiotherapy (Hoskin 2019)
# VAS points: consensus partial response is a drop of at least 2 (Chow 2012)
PAIN_RESPONSE_POINTS = 2.0
_WALKING = ", ".join(WALKING_VALUES.values())
_FRANKEL = "-".join((FRANKEL_LETTERS[0], FRANKEL_LETTERS[-1]))


#: units of whole counts (integer columns)
COUNT_UNITS = frozenset({"visits", "referrals", "tests", "courses", "uses", "patients", "units"})


@dataclass(frozen=True)
class Column:
    """One documented output column (its type follows from its unit and values unless ``kind`` says)."""

    name: str
    meaning: str
    unit: str
    allowed: str
    kind: str = ""  # "str", "int64", "float64" or "boolean"; "" = derived

    @property
    def dtype(self) -> str:
        """The column's pandas type: yes/no -> boolean, counts -> int64, other units -> float64, else text."""
        if self.kind:
            return self.kind
        if self.allowed == "true/false":
            return "boolean"
        if self.unit in COUNT_UNITS:
            return "int64"
        return "float64" if self.unit else "str"


@dataclass(frozen=True)
class _Context:
    params: Parameters
    sphincter: dict[int, float]


def _context(params: Parameters) -> _Context:
    s = params.natural_history.sphincter
    thresholds = {Grade.D_UNAIDED: s.d_unaided, Grade.D_AID: s.d_aid, Grade.C: s.not_walking,
                  Grade.B: s.paraplegic, Grade.A: s.paraplegic}
    return _Context(params, thresholds)


def _day(x: float) -> float:
    return round(x, 3) if x < INF else math.nan


#: labels by grade, with the dead (grade -1) last: ``_BY_GRADE[g]`` for g in -1..5
_FRANKEL_BY_GRADE = np.array([*(frankel(g) for g in GRADES), None], dtype=object)
_LEVEL_BY_GRADE = np.array([*(WALKING_VALUES[walking(g)] for g in GRADES), None], dtype=object)
_WALKS_BY_GRADE = np.array([*(walks(g) for g in GRADES), False])


def _grade(g: int) -> str | None:
    return _FRANKEL_BY_GRADE[g]


def _level(g: int) -> str | None:
    return _LEVEL_BY_GRADE[g]


def _at_month(m: float, read: Callable[[Patient, float, _Context], Any]) -> Callable[[Patient, _Context], Any]:
    def value(p: Patient, c: _Context) -> Any:
        day = after_diagnosis(p, m)
        return read(p, day, c) if day is not None else None
    return value


def _from_onset(m: float, unaided: bool = False) -> Callable[[Patient, _Context], Any]:
    """Walking ``m`` months after symptom onset (free of the lead time that earlier diagnosis adds)."""
    def read(p: Patient, c: _Context) -> bool | None:
        day = after_onset(p, m)
        if day is None:
            return None
        grade = p.grade_at(day)
        return grade >= Grade.D_UNAIDED if unaided else walks(grade)
    return read


def _pain_response(p: Patient, c: _Context) -> bool | None:
    day = after_diagnosis(p, 3)
    if day is None or p.dx_vas != p.dx_vas:
        return None
    return points_lower(p.dx_vas, vas_at(p, day, c.params.pain, c.params.treatment)) >= PAIN_RESPONSE_POINTS


def _pain_endpoint(p: Patient, c: _Context) -> str | None:
    """The consensus endpoint at 3 months against the pain at diagnosis (alive, with pain at diagnosis)."""
    day = after_diagnosis(p, 3)
    if day is None or not p.dx_vas > 0:
        return None
    return consensus_endpoint(p.dx_vas, vas_at(p, day, c.params.pain, c.params.treatment))


def _scorad_after(p: Patient, c: _Context) -> int | None:
    day = after_treatment(p, SCORAD_WEEKS * 7.0)
    return scorad_grade(p.grade_at(day)) if day is not None else None


def _first(p: Patient, attr: str, default: Any = None) -> Any:
    first = p.first
    return getattr(first, attr) if first is not None else default


def _relapse_day(p: Patient, c: _Context) -> float:
    day, _cause = relapse(p)
    return _day(day) if day < stop(p) else math.nan


def _retreatment(p: Patient, c: _Context) -> str | None:
    first = next((e for e in p.episodes if e.retreatment), None)
    return None if first is None else retreatment_of(first.kind)


def _retreatment_motor(p: Patient, c: _Context) -> str | None:
    """Motor function after the first re-treatment against its start: improved, stable or worse."""
    episode = next((e for e in p.episodes if e.retreatment and e.grade_after >= 0), None)
    if episode is None:
        return None
    change = episode.grade_after - episode.grade_start
    return "improved" if change > 0 else ("worse" if change < 0 else "stable")


Reader = Callable[[Patient, _Context], Any]


def _grade_loss(start: Callable[[Patient], float], end: Callable[[Patient], float]) -> Reader:
    return lambda p, c: grade_loss(p, start(p), end(p))


def _died_within(days: float) -> Callable[[Patient, _Context], Any]:
    def read(p: Patient, c: _Context) -> bool | None:
        start = treatment_start(p)
        if start == INF:
            return None
        return p.death_day <= min(p.end_day, start + days)
    return read


_D = "days on the clock (0 = first entry)"
_MONEY = "currency of the scenario (default GBP 2023/24)"
KEYS = [Column("scenario", "scenario name", "", "bundled or file name"),
        Column("replication", "replication index", "", ">= 0", "int64")]
PATIENT_ID = Column("patient_id", "patient index within the replication (same patient in every scenario)", "", ">= 0",
                    "int64")
_TREATMENT_VALUES = ", ".join((*TREATMENTS, NO_TREATMENT))
_SERVICE_UNITS = ", ".join(kind.unit for kind in SERVICE_KINDS)
PATIENT_COLUMNS: list[tuple[Column, Callable[[Patient, _Context], Any]]] = [
    (PATIENT_ID, lambda p, c: p.pid),
    (Column("age_years", "age at entry", "years", "18-100"), lambda p, c: round(p.age, 1)),
    (Column("subtype", "tumour subtype", "", "hr_positive, her2_positive, triple_negative"), lambda p, c: p.subtype),
    (Column("ecog", "performance status group", "ECOG", "0-1, 2, 3-4", "str"),
     lambda p, c: ("0-1", "2", "3-4")[p.ecog - 1]),
    (Column("visceral_mets", "visceral metastases", "", "true/false"), lambda p, c: p.visceral),
    (Column("other_bone_mets", "extraspinal bone foci", "", "0, 1-2, 3+"),
     lambda p, c: ("0", "1-2", "3+")[p.other_bone]),
    (Column("bone_agent", "on a bone-targeted agent", "", "true/false"), lambda p, c: p.bone_agent),
    (Column("prior_spine_rt", "radiotherapy to the spine before entry", "", "true/false"), lambda p, c: p.prior_rt),
    (Column("cancer_diagnosis_day", "first diagnosis of breast cancer (entry day for de-novo metastatic disease)", _D,
            "<= entry_day"), lambda p, c: _day(p.cancer_dx_day)),
    (Column("entry_day", "entry into the cohort", _D, ">= 0"), lambda p, c: _day(p.entry_day)),
    (Column("bone_mets_day", "bone metastasis (empty: none during follow-up)", _D, ">= entry_day"),
     lambda p, c: _day(p.bone_mets_day)),
    (Column("spinal_mets_day", "spinal metastasis (empty: none)", _D, ">= bone_mets_day"),
     lambda p, c: _day(p.spine_day)),
    (Column("lesion_level", "level of the dominant spinal lesion", "", "cervical, thoracic, lumbar, sacral"),
     lambda p, c: p.level if p.spine_day < INF else None),
    (Column("lesion_type", "radiographic lesion type", "", "lytic, mixed, blastic"),
     lambda p, c: p.lesion_type if p.spine_day < INF else None),
    (Column("multilevel", "more than one level involved", "", "true/false"),
     lambda p, c: p.multilevel if p.spine_day < INF else None),
    (Column("symptomatic", "the spinal lesion became symptomatic during follow-up", "", "true/false"),
     lambda p, c: p.symptomatic),
    (Column("first_symptom", "first symptom", "", "pain, neurological, none"), lambda p, c: p.first_symptom),
    (Column("onset_day", "symptom onset", _D, ""), lambda p, c: _day(p.onset_day)),
    (Column("fracture_day", "pathological vertebral fracture", _D, ""), lambda p, c: _day(p.fracture_day)),
    (Column("escc_high_grade_day", "ESCC reached grade 2 (cord compression) before treatment", _D, ""),
     lambda p, c: _day(p.escc2_day) if p.escc2_day < min(treatment_effect(p), stop(p)) else math.nan),
    (Column("warning_signs_day", "warning signs of compression (radicular pain with ESCC 2) before a deficit", _D, ""),
     lambda p, c: _day(p.escc2_day) if p.radicular and p.escc2_day < min(p.motor_day, treatment_effect(p), stop(p))
     else math.nan),
    (Column("motor_deficit_day", "motor deficit began before treatment", _D, ""),
     lambda p, c: _day(p.motor_day) if p.motor_day < min(treatment_effect(p), stop(p)) else math.nan),
    (Column("walking_aid_day", "first day walking needed an aid or failed (actual course)", _D, ""),
     lambda p, c: _day(first_day_below(p, Grade.D_UNAIDED))),
    (Column("walking_lost_day", "first loss of walking after symptom onset (actual course)", _D, ""),
     lambda p, c: _day(first_day_below(p, Grade.D_AID))),
    (Column("paraplegia_day", "first day at Frankel A-B (actual course)", _D, ""),
     lambda p, c: _day(first_day_below(p, Grade.C))),
    (Column("route", "diagnostic route", "", ", ".join(ROUTES)), lambda p, c: p.route),
    (Column("emergency_reason", "why the emergency route opened", "", ", ".join(EMERGENCY_REASONS)),
     lambda p, c: p.emergency_reason or None),
    (Column("first_visit_day", "first visit to a clinician for these symptoms", _D, ""),
     lambda p, c: _day(p.first_visit_day)),
    (Column("gp_visits", "primary-care visits before referral", "visits", ">= 0"), lambda p, c: p.gp_visits),
    (Column("suspicion_day", "metastasis suspected (the suspicion that led to the diagnostic imaging)", _D, ""),
     lambda p, c: _day(p.suspicion_day)),
    (Column("referral_day", "the referral that led to the diagnostic imaging", _D, ""),
     lambda p, c: _day(p.referral_day)),
    (Column("referrals", "referral decisions (a false negative sends the patient round again)", "referrals",
            ">= 0"), lambda p, c: p.referrals),
    (Column("imaging_tests", "imaging tests done", "tests", ">= 0"), lambda p, c: p.imaging_tests),
    (Column("false_negatives", "negative tests despite the lesion", "tests", ">= 0"), lambda p, c: p.false_negatives),
    (Column("diagnosed", "spinal metastasis diagnosed during follow-up", "", "true/false"),
     lambda p, c: p.diagnosed),
    (Column("diagnosis_day", "diagnosis of the symptomatic spinal metastasis", _D, ""),
     lambda p, c: _day(p.diagnosis_day)),
    (Column("patient_delay_days", "symptom onset to first visit", "days", ">= 0"),
     lambda p, c: _round(p.patient_delay_days) if p.diagnosed else math.nan),
    (Column("primary_care_delay_days", "first visit to suspicion (final referral decision)", "days", ">= 0"),
     lambda p, c: _round(p.primary_care_delay_days) if p.diagnosed else math.nan),
    (Column("referral_delay_days", "suspicion to the diagnostic imaging request", "days", ">= 0"),
     lambda p, c: _round(p.referral_delay_days) if p.diagnosed else math.nan),
    (Column("imaging_wait_days", "imaging request to diagnosis (booking + queue + scan)", "days", ">= 0"),
     lambda p, c: _round(p.imaging_wait_days) if p.diagnosed else math.nan),
    (Column("mri_wait_days", "queue wait for the diagnostic MRI", "days", ">= 0"),
     lambda p, c: _round(p.mri_wait_days) if p.diagnosed else math.nan),
    (Column("diagnostic_delay_days", "symptom onset to diagnosis (sum of the four components)", "days", ">= 0"),
     lambda p, c: _round(p.diagnosis_day - p.onset_day) if p.diagnosed else math.nan),
    (Column("frankel_at_first_visit", "Frankel grade at the first visit", "", _FRANKEL),
     lambda p, c: _grade(p.grade_first_visit)),
    (Column("frankel_at_referral", "Frankel grade at the referral that led to diagnosis", "", _FRANKEL),
     lambda p, c: _grade(p.grade_referral)),
    (Column("grade_loss_before_referral", "grades lost (six levels: A, B, C, D with aid, D unaided, E) from the "
            "first visit to the referral", "grades", ">= 0"),
     _grade_loss(lambda p: p.first_visit_day, lambda p: p.referral_day)),
    (Column("grade_loss_in_primary_care", "grades lost from the first contact with neurological symptoms (a deficit, "
            "or radicular pain with cord compression) to the referral (Husband's general practice stage)", "grades",
            ">= 0"), _grade_loss(lambda p: p.neuro_contact_day, lambda p: p.referral_day)),
    (Column("grade_loss_referral_to_diagnosis", "grades lost from the referral to the diagnosis", "grades", ">= 0"),
     _grade_loss(lambda p: p.referral_day, lambda p: p.diagnosis_day)),
    (Column("grade_loss_before_treatment", "grades lost from the diagnosis to the start of treatment", "grades",
            ">= 0"), _grade_loss(lambda p: p.diagnosis_day, treatment_start)),
    (Column("escc_at_diagnosis", "Bilsky ESCC grade at diagnosis", "", ", ".join(ESCC_GRADES)),
     lambda p, c: ESCC_GRADES[p.dx_escc] if p.dx_escc >= 0 else None),
    (Column("sins_at_diagnosis", "Spine Instability Neoplastic Score at diagnosis", "points", "0-18"),
     lambda p, c: p.dx_sins if p.dx_sins >= 0 else None),
    (Column("frankel_at_diagnosis", "Frankel grade at diagnosis", "", _FRANKEL), lambda p, c: _grade(p.dx_grade)),
    (Column("ambulatory_level_at_diagnosis", "walking at diagnosis", "", _WALKING), lambda p, c: _level(p.dx_grade)),
    (Column("ambulatory_at_diagnosis", "walking (with or without an aid, Frankel D-E) at diagnosis", "",
            "true/false"), lambda p, c: walks(p.dx_grade) if p.dx_grade >= 0 else None),
    (Column("walking_unaided_at_diagnosis", "walking without an aid at diagnosis", "", "true/false"),
     lambda p, c: p.dx_grade >= Grade.D_UNAIDED if p.dx_grade >= 0 else None),
    (Column("walking_aid_at_diagnosis", "walking with an aid at diagnosis", "", "true/false"),
     lambda p, c: p.dx_grade == Grade.D_AID if p.dx_grade >= 0 else None),
    (Column("scorad_at_diagnosis", "SCORAD III ambulatory grade at diagnosis (1 unaided, full power ... 4 "
            "paraplegic)", "grade", "1-4"), lambda p, c: scorad_grade(p.dx_grade) if p.dx_grade >= 0 else None),
    (Column("sphincter_dysfunction_at_diagnosis", "bladder (sphincter) dysfunction at diagnosis", "", "true/false"),
     lambda p, c: sphincter_dysfunction(p, p.dx_grade, c.sphincter) if p.dx_grade >= 0 else None),
    (Column("vas_at_diagnosis", "pain at diagnosis", "VAS 0-10", "0-10"), lambda p, c: _nan(p.dx_vas)),
    (Column("tokuhashi", "revised Tokuhashi score at diagnosis", "points", "0-15"),
     lambda p, c: p.tokuhashi if p.tokuhashi >= 0 else None),
    (Column("expected_survival_months", "expected survival from the revised Tokuhashi score (continuous)", "months",
            "4-29"), lambda p, c: _nan(p.expected_survival_months)),
    (Column("surgical_candidate", "the policy indicates surgery", "", "true/false"),
     lambda p, c: p.surgical_candidate if p.treatment != NO_TREATMENT else None),
    (Column("surgical_referral", "a surgical candidate was referred for a surgical opinion", "", "true/false"),
     lambda p, c: p.surgical_referral),
    (Column("surgical_accepted", "a referred candidate was accepted for surgery", "", "true/false"),
     lambda p, c: p.surgical_accepted),
    (Column("treatment", "treatment chosen by the strategy", "", _TREATMENT_VALUES), lambda p, c: p.treatment),
    (Column("steroids", "dexamethasone for a deficit", "", "true/false"), lambda p, c: p.steroids),
    (Column("treatment_day", "start of the first treatment", _D, ""), lambda p, c: _day(treatment_start(p))),
    (Column("treatment_wait_days", "diagnosis to the first treatment", "days", ">= 0"),
     lambda p, c: _round(treatment_start(p) - p.diagnosis_day) if treatment_start(p) < INF else math.nan),
    (Column("surgery_wait_days", "queue wait for theatre", "days", ">= 0"),
     lambda p, c: _round(_first(p, "surgery_wait_days", math.nan))),
    (Column("rt_wait_days", "queue wait for radiotherapy", "days", ">= 0"),
     lambda p, c: _round(_first(p, "rt_wait_days", math.nan))),
    (Column("rt_start_day", "first radiotherapy starts", _D, ""), lambda p, c: _day(_first(p, "rt_day", INF))),
    (Column("effect_day", "the first treatment takes effect on the lesion (decline stops)", _D, ""),
     lambda p, c: _day(treatment_effect(p))),
    (Column("motor_deficit_days_before_treatment", "motor deficit to the start of the first treatment (Rades' time "
            "developing motor deficits)",
            "days", ">= 0"),
     lambda p, c: _round(treatment_start(p) - p.motor_day) if p.motor_day < treatment_start(p) < INF
     else math.nan),
    (Column("complication", "complication after surgery", "", "true/false"),
     lambda p, c: bool(_first(p, "complication", False))),
    (Column("frankel_at_treatment", "Frankel grade when the first treatment took effect", "", _FRANKEL),
     lambda p, c: _grade(_first(p, "grade_effect", -1))),
    (Column("ambulatory_level_at_treatment", "walking when the first treatment took effect", "", _WALKING),
     lambda p, c: _level(_first(p, "grade_effect", -1))),
    (Column("frankel_after_treatment", "Frankel grade reached after the first treatment", "", _FRANKEL),
     lambda p, c: _grade(_first(p, "grade_after", -1))),
    (Column("ambulatory_level_after_treatment", "walking reached after the first treatment", "", _WALKING),
     lambda p, c: _level(_first(p, "grade_after", -1))),
    (Column("ambulatory_after_treatment", "walking after the first treatment", "", "true/false"),
     lambda p, c: walks(_first(p, "grade_after", -1)) if _first(p, "grade_after", -1) >= 0 else None),
    (Column("regained_ambulation", "not walking when treated, walking afterwards", "", "true/false"),
     lambda p, c: regained(p)),
    (Column("ambulation_retained_days", "treatment start to first loss of walking or death (Patchell)", "days",
            ">= 0"), lambda p, c: retained_days(p)),
    (Column("days_to_ambulation_loss", "diagnosis to loss of walking, censored at death/end (walkers at diagnosis)",
            "days", ">= 0"), lambda p, c: x[0] if (x := loss_from_diagnosis(p)) else math.nan),
    (Column("ambulation_loss_observed", "1 = walking lost, 0 = censored at death or end of follow-up", "",
            "true/false"), lambda p, c: x[1] if (x := loss_from_diagnosis(p)) else None),
    (Column("days_ambulatory", "days walking (with or without an aid) from diagnosis to death or end of follow-up",
            "days", ">= 0"), lambda p, c: _round(days_walking(p, p.diagnosis_day, stop(p))) if p.diagnosed
     else math.nan),
    (Column("days_walking_unaided", "days walking without an aid from diagnosis to death or end of follow-up",
            "days", ">= 0"), lambda p, c: _round(days_walking(p, p.diagnosis_day, stop(p), unaided=True))
     if p.diagnosed else math.nan),
    *[(Column(f"frankel_{m}m", f"Frankel grade {m} month(s) after diagnosis (empty: dead or not followed)", "",
              _FRANKEL), _at_month(m, lambda p, d, c: _grade(p.grade_at(d)))) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"ambulatory_{m}m", f"walking (with or without an aid) {m} month(s) after diagnosis (empty: dead or "
              "not followed)", "", "true/false"), _at_month(m, lambda p, d, c: walks(p.grade_at(d))))
      for m in FOLLOW_UP_MONTHS],
    *[(Column(f"ambulatory_level_{m}m", f"walking {m} month(s) after diagnosis", "", _WALKING),
       _at_month(m, lambda p, d, c: _level(p.grade_at(d)))) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"walking_unaided_{m}m", f"walking without an aid {m} month(s) after diagnosis", "", "true/false"),
       _at_month(m, lambda p, d, c: p.grade_at(d) >= Grade.D_UNAIDED)) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"vas_{m}m", f"pain {m} month(s) after diagnosis", "VAS 0-10", "0-10"),
       _at_month(m, lambda p, d, c: vas_at(p, d, c.params.pain, c.params.treatment))) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"ambulatory_onset_{m}m", f"walking {m} months after symptom onset (empty: dead or not followed)",
              "", "true/false"), _from_onset(m)) for m in (6, 12)],
    *[(Column(f"walking_unaided_onset_{m}m", f"walking without an aid {m} months after symptom onset", "",
              "true/false"), _from_onset(m, unaided=True)) for m in (6, 12)],
    (Column("scorad_8w", f"SCORAD ambulatory grade {SCORAD_WEEKS} weeks after the first treatment started "
            "(empty: dead or not followed)", "grade", "1-4"), _scorad_after),
    (Column("pain_response_3m", "VAS at 3 months at least 2 points below diagnosis", "", "true/false"),
     _pain_response),
    (Column("pain_endpoint_3m", "international consensus pain endpoint at 3 months against diagnosis", "",
            "complete, partial, indeterminate, progression"), _pain_endpoint),
    (Column("pain_response_class", "tumour-pain response class drawn for the first treatment", "",
            ", ".join(PainResponse.DRAWN)), lambda p, c: _first(p, "pain_response") or None),
    (Column("relapse_day", "first pain or neurological relapse after treatment", _D, ""), _relapse_day),
    (Column("relapse_cause", "what relapsed first", "", "pain, neurological"),
     lambda p, c: relapse(p)[1] or None),
    (Column("retreatment", "the first course decided for a relapse (whether or not it started)", "",
            ", ".join(RETREATMENTS)), _retreatment),
    (Column("retreatments", "courses given for relapses", "courses", ">= 0"), lambda p, c: len(retreatments(p))),
    (Column("retreatment_motor_change", "motor function after the first re-treatment against its start", "",
            "improved, stable, worse"), _retreatment_motor),
    (Column("death_within_30d_of_treatment", "died within 30 days of the first treatment", "", "true/false"),
     _died_within(30.0)),
    (Column("death_day", "death (empty: alive at end of follow-up)", _D, ""),
     lambda p, c: _day(p.death_day) if p.death_day <= p.end_day else math.nan),
    (Column("dead", "died during follow-up", "", "true/false"), lambda p, c: p.death_day <= p.end_day),
    (Column("end_day", "end of follow-up", _D, ""), lambda p, c: _day(p.end_day)),
    (Column("survival_days_from_diagnosis", "diagnosis to death or end of follow-up", "days", ">= 0"),
     lambda p, c: survival_days_from(p, p.diagnosis_day)),
    (Column("survival_days_from_treatment", "first treatment to death or end of follow-up", "days", ">= 0"),
     lambda p, c: survival_days_from(p, treatment_start(p))),
]


def _round(x: float) -> float:
    return round(x, 3) if x == x and x < INF else math.nan


def _nan(x: float) -> float:
    return round(x, 2) if x == x else math.nan


EVENT_COLUMNS = [*KEYS, PATIENT_ID,
                 Column("day", "when it happened", _D, ">= 0"), Column("event", "what happened", "", "see README"),
                 Column("detail", "details (test and result, treatment, route)", "", "")]
STATE_COLUMNS = [*KEYS, PATIENT_ID,
                 Column("day", "grid point", _D, ">= 0"),
                 Column("days_since_diagnosis", "time since diagnosis", "days", ">= 0"),
                 Column("alive", "alive on this day", "", "true/false"),
                 Column("frankel", "Frankel grade (empty when dead)", "", _FRANKEL),
                 Column("ambulatory_level", "walking (empty when dead)", "", _WALKING),
                 Column("ambulatory", "walking with or without an aid (empty when dead)", "", "true/false"),
                 Column("vas", "pain (empty when dead)", "VAS 0-10", "0-10")]
TRAJECTORY_COLUMNS = [*KEYS, PATIENT_ID,
                      Column("kind", "which state history", "", "neuro, pain"),
                      Column("state", "the state held (neuro: grade with walking sub-level; pain: VAS band)", "",
                             ", ".join(grade_label(g) for g in GRADES) + "; " + ", ".join(b[0] for b in PAIN_BANDS)),
                      Column("walking", "walking in this neurological state (empty for pain rows)", "", _WALKING),
                      Column("start_day", "the state starts (entry for the first neuro row, onset for pain)", _D,
                             ">= 0"),
                      Column("stop_day", "the state ends (death or end of follow-up for the last row)", _D,
                             "> start_day")]
RESOURCE_COLUMNS = [*KEYS, Column("service", "limited service", "", ", ".join(SERVICES)),
                    Column("uses", "times the service was used", "uses", ">= 0"),
                    Column("utilisation", "busy share of capacity over the arrival window", "proportion", "0-1"),
                    Column("mean_wait_days", "mean queue wait", "days", ">= 0"),
                    Column("p90_wait_days", "90th percentile of queue waits", "days", ">= 0"),
                    Column("max_queue", "longest queue seen", "patients", ">= 0"),
                    Column("capacity", f"units of the service ({_SERVICE_UNITS})", "units", ">= 1"),
                    Column("window_days", "the arrival window over which capacity was provided", "days", "> 0"),
                    Column("capacity_cost", "cost of providing the capacity over the window", _MONEY, ">= 0")]
ECONOMIC_COLUMNS = [
    Column("cost", "costs from entry to death, end of follow-up or the horizon (the scenario's perspective)", _MONEY,
           ">= 0"),
    Column("cost_discounted", "the same, discounted to entry", _MONEY, ">= 0"),
    Column("qalys", "quality-adjusted life-years over the same time (utility by walking state, pain band and "
           "treatment)", "QALYs", ""),
    Column("qalys_discounted", "the same, discounted to entry", "QALYs", ""),
    Column("life_years", "years alive over the same time", "years", ">= 0"),
    Column("life_years_discounted", "the same, discounted to entry", "years", ">= 0"),
]
COST_COLUMNS = [*KEYS, PATIENT_ID,
                Column("category", "what the money paid for", "", ", ".join(COST_CATEGORIES)),
                Column("cost", "undiscounted cost of this category", _MONEY, ">= 0"),
                Column("cost_discounted", "discounted to entry", _MONEY, ">= 0")]


def _estimates(what: str, unit: str) -> list[Column]:
    """The estimate, interval and paired-difference columns of a table summarised over replications."""
    return [Column("estimate", f"{what}: mean over replications", unit, ">= 0", "float64"),
            Column("ci_low", "lower end of its 95% t-interval over replications", unit, ">= 0", "float64"),
            Column("ci_high", "upper end of that interval", unit, ">= 0", "float64"),
            Column("difference", "paired difference to the reference scenario (same patients, replication by "
                   "replication; empty for the reference)", unit, "", "float64"),
            Column("difference_low", "lower end of the 95% t-interval of the paired difference", unit, "", "float64"),
            Column("difference_high", "upper end of that interval", unit, "", "float64"),
            Column("reference", "the reference scenario (the first one run)", "", "scenario name", "str")]


BUDGET_COLUMNS = [
    Column("scenario", "scenario name", "", "bundled or file name"),
    Column("year", "calendar year of the clock: year k is days (k - 1) x 365.25 to k x 365.25 after the first entry",
           "year", "1 to ceil(economics.horizon_years)", "int64"),
    Column("item", "what is counted: " + "; ".join(f"{k} = {v}" for k, v in ITEM_MEANINGS.items()), "",
           ", ".join(BUDGET_ITEMS)),
    Column("unit", "currency (money paid in the year, undiscounted) or patients", "", "currency, patients"),
    *_estimates("money paid or patients counted in the year, for the whole simulated open cohort",
                "currency of the scenario or patients"),
]
KPI_COLUMNS = [
    Column("scenario", "scenario name", "", "bundled or file name"),
    Column("metric", "the pathway KPI: " + "; ".join(f"{k.name} = {k.description}" for k in KPIS), "",
           ", ".join(k.name for k in KPIS)),
    Column("label", "the KPI in words", "", ""),
    Column("unit", "the KPI's unit", "", "proportion, days, patients"),
    Column("higher_is_better", "which direction is better (empty: neither)", "", "true/false"),
    *_estimates("the KPI", "the KPI's unit"),
]
COLUMNS: dict[str, list[Column]] = {
    "patients": [*KEYS, *(c for c, _ in PATIENT_COLUMNS), *ECONOMIC_COLUMNS],
    "costs": COST_COLUMNS,
    "events": EVENT_COLUMNS,
    "states": STATE_COLUMNS,
    "trajectories": TRAJECTORY_COLUMNS,
    "resources": RESOURCE_COLUMNS,
    "budget": BUDGET_COLUMNS,
    "kpis": KPI_COLUMNS,
}
def _series(column: Column, values: Any) -> pd.Series:
    """One column as a compact pandas array of its declared type (nullable booleans for yes/no)."""
    if column.dtype == "boolean":
        return pd.Series(pd.array(list(values), dtype="boolean"))
    if isinstance(values, np.ndarray) and values.dtype == object:
        values = values.tolist()
    series = pd.Series(values)
    return series if series.dtype == column.dtype else series.astype(column.dtype)


def _frame(columns: list[Column], data: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c.name: data[c.name] if isinstance(data[c.name], pd.Series) else _series(c, data[c.name])
                         for c in columns})


# --- building the tables of one replication ------------------------------------------------------


def patients_table(rep: Replication, scenario: str, replication: int, params: Parameters) -> pd.DataFrame:
    """One row per patient: attributes, key times, delays, treatment, outcomes (see ``COLUMNS``).

    Simulated patients are read from their records; the others (most of the cohort) straight from
    the cohort's columns (:mod:`simulator.output.unsimulated`).
    """
    ctx = _context(params)
    k = rep.cohort
    n = len(k)
    index = np.array(sorted(rep.simulated), dtype=np.int64)
    records = [rep.simulated[i] for i in index.tolist()]
    data: dict[str, Any] = {"scenario": [scenario] * n, "replication": [replication] * n}
    for column, read in PATIENT_COLUMNS:  # one column at a time: only one Python list alive
        if column.name in SAME_FOR_ALL:
            values = unsimulated_column(column.name, None, k)
        else:
            read_values = [read(p, ctx) for p in records]
            example = next((v for v in read_values if v is not None), math.nan if not read_values else None)
            values = unsimulated_column(column.name, example, k)
            if len(index):
                if values.dtype != object and any(v is None or isinstance(v, str) for v in read_values):
                    values = values.astype(object)
                values[index] = np.array(read_values, dtype=values.dtype if values.dtype != object else object)
        data[column.name] = _series(column, values)
    return _frame([*KEYS, *(c for c, _ in PATIENT_COLUMNS)], data)


def patient_events(p: Patient) -> list[tuple[float, str, str]]:
    """Every event of one patient (pathway and care as logged, disease course derived), in time order."""
    return sorted(course_events(p) + p.events, key=lambda e: e[0])


def _merge_rows(simulated: dict[str, Any], unsimulated: dict[str, np.ndarray]) -> dict[str, Any]:
    """Rows of simulated and unsimulated patients together, ordered by patient (stable within each)."""
    merged = {name: np.concatenate([np.asarray(simulated[name], dtype=unsimulated[name].dtype
                                               if unsimulated[name].dtype != object else object),
                                    unsimulated[name]]) for name in unsimulated}
    order = np.argsort(merged["patient_id"], kind="stable")
    return {name: values[order] for name, values in merged.items()}


def _unsimulated_mask(rep: Replication) -> np.ndarray:
    mask = np.ones(len(rep.cohort), bool)
    if rep.simulated:
        mask[np.fromiter(rep.simulated, dtype=np.int64)] = False
    return mask


def events_table(rep: Replication, scenario: str, replication: int) -> pd.DataFrame:
    """The event log: one row per event, in time order within each patient."""
    rows: dict[str, Any] = {"patient_id": array("q"), "day": array("d"), "event": [], "detail": []}
    for p in (rep.simulated[i] for i in sorted(rep.simulated)):
        for day, event, detail in patient_events(p):
            rows["patient_id"].append(p.pid)
            rows["day"].append(round(day, 3))
            rows["event"].append(event)
            rows["detail"].append(sys.intern(detail) if detail else "")
    merged = _merge_rows(rows, unsimulated_events(rep.cohort, _unsimulated_mask(rep)))
    n = len(merged["day"])
    merged["event"], merged["detail"] = merged["event"].tolist(), merged["detail"].tolist()
    merged["scenario"] = [scenario] * n
    merged["replication"] = [replication] * n
    return _frame(EVENT_COLUMNS, merged)


def trajectories_table(rep: Replication, scenario: str, replication: int, params: Parameters) -> pd.DataFrame:
    """Each patient's state history, in hesim's disprog shape.

    Neurological grades from entry and VAS bands from symptom onset, each an exact interval
    ``[start_day, stop_day)`` up to death or end of follow-up.
    """
    rows: dict[str, Any] = {"patient_id": array("q"), "kind": [], "state": [], "walking": [],
                            "start_day": array("d"), "stop_day": array("d")}
    pain, tx = params.pain, params.treatment
    for p in (rep.simulated[i] for i in sorted(rep.simulated)):
        end = stop(p)
        for start, to, grade in p.course.segments(p.entry_day, end):
            rows["patient_id"].append(p.pid)
            rows["kind"].append("neuro")
            rows["state"].append(grade_label(grade))
            rows["walking"].append(WALKING_VALUES[walking(grade)])
            rows["start_day"].append(round(start, 3))
            rows["stop_day"].append(round(to, 3))
        for start, to, band in band_intervals(p, end, PAIN_BANDS, pain, tx):
            rows["patient_id"].append(p.pid)
            rows["kind"].append("pain")
            rows["state"].append(band)
            rows["walking"].append(None)
            rows["start_day"].append(round(start, 3))
            rows["stop_day"].append(round(to, 3))
    merged = _merge_rows(rows, unsimulated_trajectories(rep.cohort, _unsimulated_mask(rep)))
    n = len(merged["start_day"])
    for name in ("kind", "state", "walking"):
        merged[name] = merged[name].tolist()
    merged["scenario"] = [scenario] * n
    merged["replication"] = [replication] * n
    return _frame(TRAJECTORY_COLUMNS, merged)


def _grid(p: Patient, grid_days: float) -> tuple[np.ndarray, np.ndarray]:
    """A diagnosed patient's grid: steps ``k`` and days ``diagnosis + k * grid_days`` up to the end of follow-up.

    It stops after the first day on which she is dead (that row records the death).
    """
    k = np.arange(int((p.end_day - p.diagnosis_day) // grid_days) + 2)
    days = p.diagnosis_day + k * grid_days  # the same arithmetic as a scalar loop: same bits
    keep = int(np.searchsorted(days, p.end_day, side="right"))  # days <= end of follow-up
    dead = int(np.searchsorted(days[:keep], p.death_day, side="left"))  # first day >= death_day
    keep = min(keep, dead + 1)
    return k[:keep], days[:keep]


def states_table(rep: Replication, scenario: str, replication: int, params: Parameters,
                 grid_days: float) -> pd.DataFrame:
    """Diagnosed patients' grade, walking, VAS and vital status every ``grid_days`` from diagnosis."""
    pain, tx = params.pain, params.treatment
    pids, steps, days, grades, vas = [], [], [], [], []
    for p in (rep.simulated[i] for i in sorted(rep.simulated)):  # the unsimulated are never diagnosed
        if not p.diagnosed:
            continue
        k, d = _grid(p, grid_days)
        alive = d < p.death_day
        grade = p.course.grades_at(d)
        pids.append(np.full(len(k), p.pid, dtype=np.int64))
        steps.append(k)
        days.append(d)
        grades.append(np.where(alive, grade, -1))
        vas.extend(vas_at(p, day, pain, tx) for day in d[alive].tolist())
        vas.extend([math.nan] * int(len(d) - alive.sum()))  # the day of death, last
    grade = np.concatenate(grades) if grades else np.zeros(0, np.int64)
    n, alive = len(grade), grade >= 0
    day_values = np.concatenate(days).tolist() if days else []
    step_values = np.concatenate(steps).tolist() if steps else []
    rows: dict[str, Any] = {
        "scenario": [scenario] * n, "replication": [replication] * n,
        "patient_id": np.concatenate(pids) if pids else np.zeros(0, np.int64),
        "day": np.array([round(x, 3) for x in day_values], dtype=np.float64),
        "days_since_diagnosis": np.array([round(k * grid_days, 3) for k in step_values], dtype=np.float64),
        "alive": pd.Series(pd.arrays.BooleanArray(alive, np.zeros(n, bool))),
        "frankel": _FRANKEL_BY_GRADE[grade], "ambulatory_level": _LEVEL_BY_GRADE[grade],
        "ambulatory": pd.Series(pd.arrays.BooleanArray(_WALKS_BY_GRADE[grade], ~alive)),
        "vas": np.array(vas, dtype=np.float64)}
    return _frame(STATE_COLUMNS, rows)


def capacity_day_costs(params: Parameters) -> dict[str, float]:
    """What one unit of each service costs per day (the scenario's capacity costs)."""
    return {kind.name: attrgetter(kind.day_cost_parameter)(params) for kind in SERVICE_KINDS}


def resources_table(rep: Replication, scenario: str, replication: int, params: Parameters) -> pd.DataFrame:
    """Use, utilisation, waits and capacity cost of each limited service."""
    rows: dict[str, list[Any]] = {c.name: [] for c in RESOURCE_COLUMNS}
    day_cost = capacity_day_costs(params)
    for service in rep.services.all():
        rows["capacity"].append(service.capacity)
        rows["window_days"].append(round(rep.window_day, 6))
        rows["capacity_cost"].append(round(service.capacity * day_cost[service.name] * rep.window_day, 6))
        waits = sorted(service.waits)
        rows["scenario"].append(scenario)
        rows["replication"].append(replication)
        rows["service"].append(service.name)
        rows["uses"].append(len(waits))
        rows["utilisation"].append(round(service.busy_days / (service.capacity * rep.window_day), 6))
        rows["mean_wait_days"].append(round(sum(waits) / len(waits), 6) if waits else math.nan)
        rows["p90_wait_days"].append(round(waits[int(0.9 * (len(waits) - 1))], 6) if waits else math.nan)
        rows["max_queue"].append(service.max_queue)
    return _frame(RESOURCE_COLUMNS, rows)
