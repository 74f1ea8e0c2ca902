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
from typing import Any

import numpy as np
import pandas as pd

from simulator.model.course import (
    ambulation_lost_day,
    breakpoints,
    days_walking,
    frankel_at,
    is_walking,
    regained_ambulation,
    vas_at,
)
from simulator.model.natural_history import DAYS_PER_MONTH
from simulator.model.patient import ESCC, FRANKEL, GRADE_D, INF, Patient
from simulator.model.simulation import Replication
from simulator.parameters.schema import Parameters

FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# VAS points: consensus partial response is a drop of at least 2 (Chow 2012; unverified in EVIDENCE.md)
PAIN_RESPONSE_POINTS = 2.0


@dataclass(frozen=True)
class Column:
    """One documented output column."""

    name: str
    meaning: str
    unit: str
    allowed: str


@dataclass(frozen=True)
class _Context:
    params: Parameters


def _day(x: float) -> float:
    return round(x, 3) if x < INF else math.nan


def _grade(g: int) -> str | None:
    return FRANKEL[g] if g >= 0 else None


def _stop(p: Patient) -> float:
    return min(p.death_day, p.end_day)


def _at(p: Patient, months: float) -> float | None:
    """Day ``months`` after diagnosis, if the patient is alive and followed then."""
    if not p.diagnosed:
        return None
    day = p.diagnosis_day + months * DAYS_PER_MONTH
    return day if day < _stop(p) else None


def _walk_from_onset(m: int) -> Callable[[Patient, _Context], Any]:
    """Walking ``m`` months after symptom onset (free of the lead time that earlier diagnosis adds)."""
    def read(p: Patient, c: _Context) -> bool | None:
        if p.onset_day == INF:
            return None
        day = p.onset_day + m * DAYS_PER_MONTH
        return is_walking(p, day) if day < _stop(p) else None
    return read


def _frankel_m(m: int) -> Callable[[Patient, _Context], Any]:
    return lambda p, c: _grade(frankel_at(p, d)) if (d := _at(p, m)) is not None else None


def _walk_m(m: int) -> Callable[[Patient, _Context], Any]:
    return lambda p, c: is_walking(p, d) if (d := _at(p, m)) is not None else None


def _vas_m(m: int) -> Callable[[Patient, _Context], Any]:
    return lambda p, c: vas_at(p, d, c.params.pain, c.params.treatment) if (d := _at(p, m)) is not None else None


def _pain_response(p: Patient, c: _Context) -> bool | None:
    day = _at(p, 3)
    if day is None or p.dx_vas != p.dx_vas:
        return None
    return vas_at(p, day, c.params.pain, c.params.treatment) <= p.dx_vas - PAIN_RESPONSE_POINTS


def _loss_from_dx(p: Patient) -> tuple[float, bool] | None:
    """(days from diagnosis to loss of walking, observed?) for patients walking at diagnosis."""
    if not p.diagnosed or p.dx_frankel < GRADE_D:
        return None
    lost = ambulation_lost_day(p, p.diagnosis_day)
    stop = _stop(p)
    return (round(min(lost, stop) - p.diagnosis_day, 3), lost < stop)


def _first_below(p: Patient, grade: int) -> float:
    """First day on the actual course (from symptom onset) with Frankel below ``grade``, before death/end."""
    if p.onset_day == INF:
        return INF
    stop = _stop(p)
    for day in [p.onset_day, *breakpoints(p)]:
        if p.onset_day <= day < stop and frankel_at(p, day) < grade:
            return day
    return INF


def _retained(p: Patient) -> float:
    """Patchell's retained ambulation: days walking from treatment start to the first loss or death."""
    if p.treatment_day == INF or p.after_frankel < GRADE_D:
        return 0.0 if p.treatment_day < INF else math.nan
    stop = min(_stop(p), ambulation_lost_day(p, p.after_day))
    return round(max(0.0, stop - p.treatment_day), 3)


_D = "days on the clock (0 = first entry)"
PATIENT_COLUMNS: list[tuple[Column, Callable[[Patient, _Context], Any]]] = [
    (Column("patient_id", "patient index within the replication (same patient in every scenario)", "", ">= 0"),
     lambda p, c: p.pid),
    (Column("age_years", "age at entry", "years", "18-100"), lambda p, c: round(p.age, 1)),
    (Column("subtype", "tumour subtype", "", "hr_positive, her2_positive, triple_negative"), lambda p, c: p.subtype),
    (Column("ecog", "performance status group", "ECOG", "0-1, 2, 3-4"),
     lambda p, c: ("0-1", "2", "3-4")[p.ecog - 1]),
    (Column("visceral_mets", "visceral metastases", "", "true/false"), lambda p, c: p.visceral),
    (Column("other_bone_mets", "extraspinal bone foci", "", "0, 1-2, 3+"),
     lambda p, c: ("0", "1-2", "3+")[p.other_bone]),
    (Column("bone_agent", "on a bone-targeted agent", "", "true/false"), lambda p, c: p.bone_agent),
    (Column("prior_spine_rt", "radiotherapy to the spine before entry", "", "true/false"), lambda p, c: p.prior_rt),
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
     lambda p, c: _day(p.escc2_day) if p.escc2_day < min(p.effect_day, _stop(p)) else math.nan),
    (Column("motor_deficit_day", "motor deficit began before treatment", _D, ""),
     lambda p, c: _day(p.motor_day) if p.motor_day < min(p.effect_day, _stop(p)) else math.nan),
    (Column("walking_lost_day", "first loss of walking after symptom onset (actual course)", _D, ""),
     lambda p, c: _day(_first_below(p, GRADE_D))),
    (Column("paraplegia_day", "first day at Frankel A-B (actual course)", _D, ""),
     lambda p, c: _day(_first_below(p, 2))),
    (Column("route", "diagnostic route", "", "routine, fast-track, emergency, none"), lambda p, c: p.route),
    (Column("first_visit_day", "first visit to a clinician for these symptoms", _D, ""),
     lambda p, c: _day(p.first_visit_day)),
    (Column("gp_visits", "primary-care visits before referral", "visits", ">= 0"), lambda p, c: p.gp_visits),
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
    (Column("escc_at_diagnosis", "Bilsky ESCC grade at diagnosis", "", "0, 1a, 1b, 1c, 2, 3"),
     lambda p, c: ESCC[p.dx_escc] if p.dx_escc >= 0 else None),
    (Column("sins_at_diagnosis", "Spine Instability Neoplastic Score at diagnosis", "points", "0-18"),
     lambda p, c: p.dx_sins if p.dx_sins >= 0 else None),
    (Column("frankel_at_diagnosis", "Frankel grade at diagnosis", "", "A-E"), lambda p, c: _grade(p.dx_frankel)),
    (Column("ambulatory_at_diagnosis", "walking (Frankel D-E) at diagnosis", "", "true/false"),
     lambda p, c: p.dx_frankel >= GRADE_D if p.dx_frankel >= 0 else None),
    (Column("vas_at_diagnosis", "pain at diagnosis", "VAS 0-10", "0-10"), lambda p, c: _nan(p.dx_vas)),
    (Column("tokuhashi", "revised Tokuhashi score at diagnosis", "points", "0-15"),
     lambda p, c: p.tokuhashi if p.tokuhashi >= 0 else None),
    (Column("expected_survival_months", "expected survival from the Tokuhashi group", "months", "4, 10, 29"),
     lambda p, c: _nan(p.expected_survival_months)),
    (Column("treatment", "treatment chosen by the strategy", "",
            "surgery+rt, resection+rt, rt, sbrt, cement+rt, brace+rt, supportive, none"), lambda p, c: p.treatment),
    (Column("steroids", "dexamethasone for a deficit", "", "true/false"), lambda p, c: p.steroids),
    (Column("treatment_day", "start of the first treatment", _D, ""), lambda p, c: _day(p.treatment_day)),
    (Column("treatment_wait_days", "diagnosis to the first treatment", "days", ">= 0"),
     lambda p, c: _round(p.treatment_day - p.diagnosis_day) if p.treatment_day < INF else math.nan),
    (Column("surgery_wait_days", "queue wait for theatre", "days", ">= 0"), lambda p, c: _round(p.surgery_wait_days)),
    (Column("rt_wait_days", "queue wait for radiotherapy", "days", ">= 0"), lambda p, c: _round(p.rt_wait_days)),
    (Column("motor_deficit_days_before_treatment", "time developing motor deficits before treatment (Rades)",
            "days", ">= 0"),
     lambda p, c: _round(p.effect_day - p.motor_day) if p.motor_day < p.effect_day < INF else math.nan),
    (Column("complication", "complication after surgery", "", "true/false"), lambda p, c: p.complication),
    (Column("frankel_at_treatment", "Frankel grade when treatment took effect", "", "A-E"),
     lambda p, c: _grade(p.tx_frankel)),
    (Column("frankel_after_treatment", "Frankel grade reached after treatment", "", "A-E"),
     lambda p, c: _grade(p.after_frankel)),
    (Column("ambulatory_after_treatment", "walking after treatment", "", "true/false"),
     lambda p, c: p.after_frankel >= GRADE_D if p.after_frankel >= 0 else None),
    (Column("regained_ambulation", "not walking when treated, walking afterwards", "", "true/false"),
     lambda p, c: regained_ambulation(p) if p.after_frankel >= 0 else None),
    (Column("ambulation_retained_days", "treatment start to first loss of walking or death (Patchell)", "days",
            ">= 0"), lambda p, c: _retained(p)),
    (Column("days_to_ambulation_loss", "diagnosis to loss of walking, censored at death/end (walkers at diagnosis)",
            "days", ">= 0"), lambda p, c: x[0] if (x := _loss_from_dx(p)) else math.nan),
    (Column("ambulation_loss_observed", "1 = walking lost, 0 = censored at death or end of follow-up", "",
            "true/false"), lambda p, c: x[1] if (x := _loss_from_dx(p)) else None),
    (Column("days_ambulatory", "days walking from diagnosis to death or end of follow-up", "days", ">= 0"),
     lambda p, c: _round(days_walking(p, p.diagnosis_day, _stop(p))) if p.diagnosed else math.nan),
    *[(Column(f"frankel_{m}m", f"Frankel grade {m} month(s) after diagnosis (empty: dead or not followed)", "",
              "A-E"), _frankel_m(m)) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"ambulatory_{m}m", f"walking {m} month(s) after diagnosis (empty: dead or not followed)", "",
              "true/false"), _walk_m(m)) for m in FOLLOW_UP_MONTHS],
    *[(Column(f"vas_{m}m", f"pain {m} month(s) after diagnosis", "VAS 0-10", "0-10"), _vas_m(m))
      for m in FOLLOW_UP_MONTHS],
    *[(Column(f"ambulatory_onset_{m}m", f"walking {m} months after symptom onset (empty: dead or not followed)",
              "", "true/false"), _walk_from_onset(m)) for m in (6, 12)],
    (Column("pain_response_3m", "VAS at 3 months at least 2 points below diagnosis", "", "true/false"),
     _pain_response),
    (Column("death_day", "death (empty: alive at end of follow-up)", _D, ""),
     lambda p, c: _day(p.death_day) if p.death_day <= p.end_day else math.nan),
    (Column("dead", "died during follow-up", "", "true/false"), lambda p, c: p.death_day <= p.end_day),
    (Column("end_day", "end of follow-up", _D, ""), lambda p, c: _day(p.end_day)),
    (Column("survival_days_from_diagnosis", "diagnosis to death or end of follow-up", "days", ">= 0"),
     lambda p, c: _round(_stop(p) - p.diagnosis_day) if p.diagnosed else math.nan),
]


def _round(x: float) -> float:
    return round(x, 3) if x == x and x < INF else math.nan


def _nan(x: float) -> float:
    return round(x, 2) if x == x else math.nan


KEYS = [Column("scenario", "scenario name", "", "bundled or file name"),
        Column("replication", "replication index", "", ">= 0")]
EVENT_COLUMNS = [*KEYS, Column("patient_id", "patient index", "", ">= 0"),
                 Column("day", "when it happened", _D, ">= 0"), Column("event", "what happened", "", "see README"),
                 Column("detail", "details (test and result, treatment, route)", "", "")]
STATE_COLUMNS = [*KEYS, Column("patient_id", "patient index", "", ">= 0"),
                 Column("day", "grid point", _D, ">= 0"),
                 Column("days_since_diagnosis", "time since diagnosis", "days", ">= 0"),
                 Column("alive", "alive on this day", "", "true/false"),
                 Column("frankel", "Frankel grade (empty when dead)", "", "A-E"),
                 Column("ambulatory", "walking (empty when dead)", "", "true/false"),
                 Column("vas", "pain (empty when dead)", "VAS 0-10", "0-10")]
RESOURCE_COLUMNS = [*KEYS, Column("service", "limited service", "", "mri, theatre, radiotherapy"),
                    Column("uses", "times the service was used", "uses", ">= 0"),
                    Column("utilisation", "busy share of capacity over the arrival window", "proportion", "0-1"),
                    Column("mean_wait_days", "mean queue wait", "days", ">= 0"),
                    Column("p90_wait_days", "90th percentile of queue waits", "days", ">= 0"),
                    Column("max_queue", "longest queue seen", "patients", ">= 0")]
COLUMNS: dict[str, list[Column]] = {
    "patients": [*KEYS, *(c for c, _ in PATIENT_COLUMNS)],
    "events": EVENT_COLUMNS,
    "states": STATE_COLUMNS,
    "resources": RESOURCE_COLUMNS,
}
_BOOLEAN = {c.name for c in COLUMNS["patients"] if c.allowed == "true/false"} | {"alive", "ambulatory"}


def _series(name: str, values: Any) -> pd.Series:
    """One column as a compact pandas array (nullable booleans where the column is a yes/no)."""
    if name in _BOOLEAN:
        return pd.Series(pd.array(list(values), dtype="boolean"))
    if isinstance(values, array):
        return pd.Series(np.frombuffer(values, dtype=np.float64 if values.typecode == "d" else np.int64))
    return pd.Series(values)


def _frame(columns: list[str], data: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({name: data[name] if isinstance(data[name], pd.Series) else _series(name, data[name])
                         for name in columns})


# --- building the tables of one replication ------------------------------------------------------


def patients_table(rep: Replication, scenario: str, replication: int, params: Parameters) -> pd.DataFrame:
    """One row per patient: attributes, key times, delays, treatment, outcomes (see ``COLUMNS``)."""
    ctx = _Context(params)
    n = len(rep.patients)
    data: dict[str, Any] = {"scenario": [scenario] * n, "replication": [replication] * n}
    for column, read in PATIENT_COLUMNS:  # one column at a time: only one Python list alive
        data[column.name] = _series(column.name, [read(p, ctx) for p in rep.patients])
    return _frame([c.name for c in COLUMNS["patients"]], data)


def _course_events(p: Patient) -> list[tuple[float, str, str]]:
    """Events of the disease course, derived from the record (they need no SimPy event)."""
    stop = _stop(p)
    out = [(p.entry_day, "entry", "")]
    if p.bone_mets_day < stop:
        out.append((p.bone_mets_day, "bone_metastasis", ""))
    if p.spine_day < stop:
        out.append((p.spine_day, "spinal_metastasis", f"{p.level} {p.lesion_type}"))
    if p.fracture_day < stop:
        out.append((p.fracture_day, "pathological_fracture", ""))
    if p.escc2_day < min(p.effect_day, stop):
        out.append((p.escc2_day, "cord_compression", "ESCC 2"))
    if p.motor_day < min(p.effect_day, stop):
        out.append((p.motor_day, "motor_deficit", ""))
    start = p.onset_day if p.onset_day < INF else stop
    walking = is_walking(p, start)
    day = start
    while day < stop:
        change = ambulation_lost_day(p, day) if walking else _regain_day(p, day)
        if change >= stop:
            break
        walking = not walking
        out.append((change, "ambulation_regained" if walking else "ambulation_lost", _grade(frankel_at(p, change))))
        day = change
    if p.death_day <= p.end_day:
        out.append((p.death_day, "death", ""))
    else:
        out.append((p.end_day, "end_of_follow_up", ""))
    return out


def _regain_day(p: Patient, start: float) -> float:
    return p.after_day if p.after_day > start and p.after_frankel >= GRADE_D else INF


def events_table(rep: Replication, scenario: str, replication: int) -> pd.DataFrame:
    """The event log: one row per event, in time order within each patient."""
    rows: dict[str, Any] = {"patient_id": array("q"), "day": array("d"), "event": [], "detail": []}
    for p in rep.patients:
        for day, event, detail in sorted(_course_events(p) + p.events, key=lambda e: e[0]):
            rows["patient_id"].append(p.pid)
            rows["day"].append(round(day, 3))
            rows["event"].append(event)
            rows["detail"].append(sys.intern(detail) if detail else "")
    n = len(rows["day"])
    rows["scenario"] = [scenario] * n
    rows["replication"] = [replication] * n
    return _frame([c.name for c in EVENT_COLUMNS], rows)


def states_table(rep: Replication, scenario: str, replication: int, params: Parameters,
                 grid_days: float) -> pd.DataFrame:
    """Diagnosed patients' Frankel grade, walking, VAS and vital status every ``grid_days`` from diagnosis."""
    rows: dict[str, Any] = {c.name: [] for c in STATE_COLUMNS}
    rows.update(patient_id=array("q"), day=array("d"), days_since_diagnosis=array("d"), vas=array("d"))
    pain, tx = params.pain, params.treatment
    for p in rep.patients:
        if not p.diagnosed:
            continue
        k = 0
        while True:
            day = p.diagnosis_day + k * grid_days
            if day > p.end_day:
                break
            alive = day < p.death_day
            grade = frankel_at(p, day) if alive else -1
            rows["patient_id"].append(p.pid)
            rows["day"].append(round(day, 3))
            rows["days_since_diagnosis"].append(round(k * grid_days, 3))
            rows["alive"].append(alive)
            rows["frankel"].append(_grade(grade))
            rows["ambulatory"].append(grade >= GRADE_D if alive else None)
            rows["vas"].append(vas_at(p, day, pain, tx) if alive else math.nan)
            if not alive:
                break
            k += 1
    n = len(rows["day"])
    rows["scenario"] = [scenario] * n
    rows["replication"] = [replication] * n
    return _frame([c.name for c in STATE_COLUMNS], rows)


def resources_table(rep: Replication, scenario: str, replication: int) -> pd.DataFrame:
    """Use, utilisation and waits of each limited service."""
    rows: dict[str, list[Any]] = {c.name: [] for c in RESOURCE_COLUMNS}
    for service in rep.services.all():
        waits = sorted(service.waits)
        rows["scenario"].append(scenario)
        rows["replication"].append(replication)
        rows["service"].append(service.name)
        rows["uses"].append(len(waits))
        rows["utilisation"].append(round(service.busy_days / (service.capacity * rep.window_day), 6))
        rows["mean_wait_days"].append(round(sum(waits) / len(waits), 6) if waits else math.nan)
        rows["p90_wait_days"].append(round(waits[int(0.9 * (len(waits) - 1))], 6) if waits else math.nan)
        rows["max_queue"].append(service.max_queue)
    return _frame([c.name for c in RESOURCE_COLUMNS], rows)


def data_dictionary_markdown() -> str:
    """The data dictionary of every exported table, as Markdown (pasted into README.md)."""
    from simulator.output.metrics import METRICS

    out = []
    for table, columns in COLUMNS.items():
        out.append(f"**{table}**\n\n| column | meaning | unit | allowed values |\n|---|---|---|---|")
        out += [f"| `{c.name}` | {c.meaning} | {c.unit} | {c.allowed} |" for c in columns]
        out.append("")
    out.append("**summary** (one row per scenario and metric; estimate and 95% interval over replications, "
               "paired difference to the reference scenario with its 95% interval)\n")
    out.append("| metric | label | unit | better |\n|---|---|---|---|")
    for m in METRICS:
        better = {True: "higher", False: "lower", None: "-"}[m.higher_is_better]
        out.append(f"| `{m.name}` | {m.description} | {m.unit} | {better} |")
    return "\n".join(out) + "\n"
