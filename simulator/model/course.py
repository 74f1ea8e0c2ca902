"""The patient's state at any day: Frankel grade, ESCC, SINS and VAS, before and after treatment.

Pure functions of the patient record; the states table, the follow-up columns and the dashboard's
single-patient journey are all read through these, so there is one definition of each state.
"""

from __future__ import annotations

from simulator.model.natural_history import DAYS_PER_MONTH
from simulator.model.patient import ESCC_HIGH, GRADE_C, GRADE_D, GRADE_E, INF, Patient
from simulator.parameters.schema import Pain, Treatment

_SINS_LOCATION = {"cervical": 2, "thoracic": 1, "lumbar": 2, "sacral": 0}
_SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
_SINS_POSTEROLATERAL = {"none": 0, "unilateral": 1, "bilateral": 3}


def untreated_frankel(p: Patient, day: float) -> int:
    """Frankel grade (0=A ... 4=E) on the untreated course."""
    if day < p.motor_day:
        return GRADE_E
    if day < p.walk_loss_day:
        return GRADE_D
    if day < p.paraplegia_day:
        return GRADE_C
    if day < p.complete_day:
        return 1
    return 0


def frankel_at(p: Patient, day: float) -> int:
    """Frankel grade on ``day``: the untreated course until treatment takes effect, then its course.

    After a relapse the decline restarts at the patient's own speed (same durations as untreated).
    """
    if day < p.effect_day:
        return untreated_frankel(p, day)
    if day < p.after_day:
        return p.tx_frankel
    if day < p.relapse_day:
        return p.after_frankel
    since = day - p.relapse_day
    grade = min(p.after_frankel, GRADE_D)
    if since >= p.walk_loss_day - p.motor_day:
        grade = min(grade, GRADE_C)
    if since >= p.paraplegia_day - p.motor_day:
        grade = min(grade, 1)
    if since >= p.complete_day - p.motor_day:
        grade = 0
    return grade


def escc_at(p: Patient, day: float) -> int:
    """ESCC grade index (0..5 = 0, 1a, 1b, 1c, 2, 3) on the untreated course, frozen by treatment."""
    day = min(day, p.effect_day)
    if p.escc2_day == INF or day < p.onset_day:
        return p.escc_onset
    if day >= p.walk_loss_day:
        return ESCC_HIGH + 1
    if day >= p.escc2_day:
        return ESCC_HIGH
    span = p.escc2_day - p.onset_day
    rise = int((ESCC_HIGH - p.escc_onset) * (day - p.onset_day) / span) if span > 0 else 0
    return min(ESCC_HIGH - 1, p.escc_onset + rise)


def sins_at(p: Patient, day: float) -> int:
    """Spine Instability Neoplastic Score (0-18) on ``day`` (Fisher 2010)."""
    fractured = day >= p.fracture_day
    location = 3 if p.junctional and p.level != "sacral" else _SINS_LOCATION[p.level]
    pain = 3 if fractured else (1 if day >= p.onset_day else 0)
    alignment = 2 if fractured and p.collapse_over_half else 0
    collapse = (3 if p.collapse_over_half else 2) if fractured else (1 if p.body_over_half else 0)
    return location + pain + _SINS_LESION[p.lesion_type] + alignment + collapse + \
        _SINS_POSTEROLATERAL[p.posterolateral]


def vas_at(p: Patient, day: float, pain: Pain, treatment: Treatment) -> float:
    """Pain intensity (VAS 0-10) on ``day``: biological + radicular + mechanical, less treatment relief."""
    if day < p.onset_day:
        return 0.0
    relieved = p.pain_relief_day <= day < p.pain_relapse_day
    grow_until = min(day, p.effect_day) if relieved else day
    biological = min(pain.biological_vas_max,
                      pain.biological_vas_at_onset + pain.biological_vas_per_month
                      * (grow_until - p.onset_day) / DAYS_PER_MONTH)
    if p.bone_agent:
        biological = max(0.0, biological - treatment.bone_agent_vas_drop)
    radicular = pain.radicular_vas if p.radicular and day >= p.escc2_day else 0.0
    mechanical = 0.0
    if day >= p.fracture_day and not (p.stabilised and day >= p.treatment_day):
        mechanical = pain.mechanical_vas
        if day >= p.treatment_day:
            mechanical = max(0.0, mechanical - p.mechanical_relief)
    if relieved:
        biological *= 1.0 - p.pain_relief
        radicular *= 1.0 - p.pain_relief
    total = min(10.0, biological + radicular + mechanical)
    if relieved and p.vas_cap == p.vas_cap:  # a cap is set (not NaN)
        total = min(total, p.vas_cap)
    return round(total, 1)


def is_walking(p: Patient, day: float) -> bool:
    """Whether the patient walks (Frankel D or E) on ``day``."""
    return frankel_at(p, day) >= GRADE_D


def breakpoints(p: Patient) -> list[float]:
    """Days on which the Frankel grade can change (the trajectory is constant in between)."""
    points = [p.motor_day, p.walk_loss_day, p.paraplegia_day, p.complete_day, p.effect_day, p.after_day,
              p.relapse_day]
    if p.relapse_day < INF:
        points += [p.relapse_day + t - p.motor_day for t in (p.walk_loss_day, p.paraplegia_day, p.complete_day)]
    return sorted(t for t in points if t < INF)


def ambulation_lost_day(p: Patient, start: float) -> float:
    """The first day at or after ``start`` on which the patient does not walk (``inf`` if never)."""
    if not is_walking(p, start):
        return start
    for day in breakpoints(p):
        if day > start and not is_walking(p, day):
            return day
    return INF


def regained_ambulation(p: Patient) -> bool:
    """Non-ambulatory when treatment took effect, walking afterwards."""
    return p.tx_frankel >= 0 and p.tx_frankel <= GRADE_C and p.after_frankel >= GRADE_D


def days_walking(p: Patient, start: float, stop: float) -> float:
    """Days spent walking between ``start`` and ``stop`` (sum of walking intervals)."""
    if stop <= start:
        return 0.0
    edges = [start] + [t for t in breakpoints(p) if start < t < stop] + [stop]
    return sum(b - a for a, b in zip(edges, edges[1:], strict=False) if is_walking(p, a))
