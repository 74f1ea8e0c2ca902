"""What happened to a patient, read from her record: walking, grades at milestones, relapses, survival.

Pure queries of a finished :class:`~simulator.model.patient.Patient` (the course, the episodes and
the pathway fields). The output tables, the metrics and the single-patient journey all read
outcomes through these functions, so each outcome has one definition.
"""

from __future__ import annotations

import math

from simulator.model.course import INF
from simulator.model.patient import Patient
from simulator.vocabulary import (
    DAYS_PER_MONTH,
    ESCC_GRADES,
    ESCC_HIGH,
    TREATMENT,
    WALKING_VALUES,
    Event,
    Family,
    Grade,
    PainResponse,
    frankel,
    walking,
    walks,
)

NAN = math.nan


def stop(p: Patient) -> float:
    """Death or end of follow-up."""
    return p.stop_day


def after_diagnosis(p: Patient, months: float) -> float | None:
    """The day ``months`` after diagnosis, if the patient is diagnosed, alive and followed then."""
    if not p.diagnosed:
        return None
    day = p.diagnosis_day + months * DAYS_PER_MONTH
    return day if day < stop(p) else None


def after_onset(p: Patient, months: float) -> float | None:
    """The day ``months`` after symptom onset, if alive and followed then (free of diagnostic lead time)."""
    if p.onset_day == INF:
        return None
    day = p.onset_day + months * DAYS_PER_MONTH
    return day if day < stop(p) else None


def after_treatment(p: Patient, days: float) -> float | None:
    """The day ``days`` after the first treatment started, if alive and followed then."""
    first = p.first
    if first is None or first.start_day == INF:
        return None
    day = first.start_day + days
    return day if day < stop(p) else None


def first_day_below(p: Patient, grade: int) -> float:
    """First day on the actual course, from symptom onset to death or end, with a grade below ``grade``."""
    if p.onset_day == INF:
        return INF
    day = p.course.first_day(lambda g: g < grade, p.onset_day, stop(p))
    return day if day < stop(p) else INF


def treatment_start(p: Patient) -> float:
    """The day the first treatment started (``inf`` if none)."""
    first = p.first
    return first.start_day if first is not None else INF


def treatment_effect(p: Patient) -> float:
    """The day the first treatment took effect on the lesion (``inf`` if none)."""
    first = p.first
    return first.effect_day if first is not None else INF


def walking_lost_after(p: Patient, start: float) -> float:
    """The first day at or after ``start`` on which the patient cannot walk (``inf`` if never)."""
    return p.course.first_day(lambda g: not walks(g), start, INF)


def retained_days(p: Patient) -> float:
    """Patchell's retained ambulation: days walking from the start of treatment to the first loss or death.

    0 for patients not walking once treatment has taken effect; NaN if never treated.
    """
    start = treatment_start(p)
    first = p.first
    if first is None or start == INF:
        return NAN
    if not first.walks_after:
        return 0.0
    settled = max(first.recovery_day, first.effect_day)
    end = min(stop(p), walking_lost_after(p, settled) if settled < INF else INF)
    return round(max(0.0, end - start), 3)


def loss_from_diagnosis(p: Patient) -> tuple[float, bool] | None:
    """(days from diagnosis to loss of walking, observed?) for patients walking at diagnosis."""
    if not p.diagnosed or not walks(p.dx_grade):
        return None
    lost = walking_lost_after(p, p.diagnosis_day)
    return round(min(lost, stop(p)) - p.diagnosis_day, 3), lost < stop(p)


def days_walking(p: Patient, start: float, end: float, unaided: bool = False) -> float:
    """Days walking (unaided only, if asked) between ``start`` and ``end``."""
    condition = (lambda g: g >= Grade.D_UNAIDED) if unaided else walks
    return p.course.time_in(condition, start, end)


def regained(p: Patient) -> bool | None:
    """Not walking when the first treatment took effect, walking afterwards."""
    first = p.first
    if first is None or first.grade_effect < 0:
        return None
    return not walks(first.grade_effect) and bool(first.walks_after)


def grade_loss(p: Patient, start: float, end: float) -> int | None:
    """Grades lost on the course between ``start`` and ``end`` (0 if none; None if either is unknown)."""
    if start == INF or end == INF or end < start:
        return None
    return max(0, p.grade_at(start) - p.grade_at(end))


def sphincter_dysfunction(p: Patient, grade: int, thresholds: dict[int, float]) -> bool:
    """Bladder dysfunction at ``grade`` (the patient's own uniform against the grade's share)."""
    return p.sphincter_u < thresholds.get(int(grade), 0.0)


def survival_days_from(p: Patient, day: float) -> float:
    """Days from ``day`` to death or end of follow-up (NaN if ``day`` never came)."""
    return round(stop(p) - day, 3) if day < INF else NAN


def relapse(p: Patient) -> tuple[float, str]:
    """(day, cause) of the first relapse after treatment that the patient lived to see, or (inf, '')."""
    for episode in p.episodes:
        if episode.relapse_cause:
            day = episode.neuro_relapse_day if episode.relapse_cause == "neurological" else episode.pain_relapse_day
            return day, episode.relapse_cause
    return INF, ""


def retreatments(p: Patient) -> list[str]:
    """The courses given after relapse, in order (their treatment codes)."""
    return [e.kind for e in p.episodes if e.retreatment]


def course_events(p: Patient) -> list[tuple[float, str, str]]:
    """Events of the disease course, derived from the record (they need no SimPy event)."""
    end = stop(p)
    out = [(p.entry_day, Event.ENTRY, "")]
    if p.bone_mets_day < end:
        out.append((p.bone_mets_day, Event.BONE_METASTASIS, ""))
    if p.spine_day < end:
        out.append((p.spine_day, Event.SPINAL_METASTASIS, f"{p.level} {p.lesion_type}"))
    if p.fracture_day < end:
        out.append((p.fracture_day, Event.PATHOLOGICAL_FRACTURE, ""))
    treated = treatment_effect(p)
    if p.escc2_day < min(treated, end):
        out.append((p.escc2_day, Event.CORD_COMPRESSION, f"ESCC {ESCC_GRADES[ESCC_HIGH]}"))
        if p.radicular and p.escc2_day < p.motor_day:
            out.append((p.escc2_day, Event.WARNING_SIGNS, "radicular pain"))
    for day, old, new, cause in p.course.changes(p.entry_day, end):
        if frankel(old) != frankel(new):
            out.append((day, Event.FRANKEL_CHANGE, f"{frankel(old)}->{frankel(new)} {cause}"))
        if walking(old) != walking(new):
            out.append((day, Event.WALKING_CHANGE, f"{walking_label(old)}->{walking_label(new)} {cause}"))
    for episode in p.episodes:  # relief of tumour pain by its consensus class, on the day it starts
        if episode.relief_day < end and episode.pain_response in (PainResponse.COMPLETE, PainResponse.PARTIAL):
            out.append((episode.relief_day, Event.PAIN_RESPONSE, episode.pain_response))
    if p.death_day <= p.end_day:
        out.append((p.death_day, Event.DEATH, ""))
    else:
        out.append((p.end_day, Event.END_OF_FOLLOW_UP, ""))
    return out


def walking_label(grade: int) -> str:
    """'unaided', 'with aid' or 'not walking' for a grade."""
    return WALKING_VALUES[walking(grade)]


def surgical(p: Patient) -> bool:
    """Whether the first treatment was an operation that took place."""
    first = p.first
    return first is not None and TREATMENT[first.kind].family == Family.SURGERY and first.surgery_day < INF

