"""What imaging shows on a given day: the ESCC (Bilsky) grade and the SINS of the lesion. Pure functions."""

from __future__ import annotations

from simulator.model.patient import INF, Patient
from simulator.vocabulary import ESCC_HIGH

_SINS_LOCATION = {"cervical": 2, "thoracic": 1, "lumbar": 2, "sacral": 0}
_SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
_SINS_POSTEROLATERAL = {"none": 0, "unilateral": 1, "bilateral": 3}


def treated_day(p: Patient) -> float:
    """The day the first treatment took effect on the lesion (``inf`` if never)."""
    return p.episodes[0].effect_day if p.episodes else INF


def escc_at(p: Patient, day: float) -> int:
    """ESCC grade index (0..5 = 0, 1a, 1b, 1c, 2, 3) on the untreated course, frozen by treatment.

    Grade 2 is reached on ``escc2_day``; grade 3 (no CSF) once the untreated course stops walking.
    """
    day = min(day, treated_day(p))
    if p.escc2_day == INF or day < p.onset_day:
        return p.escc_onset
    if day >= p.motor_day + p.decline.walking_days():
        return ESCC_HIGH + 1
    if day >= p.escc2_day:
        return ESCC_HIGH
    span = p.escc2_day - p.onset_day  # > 0 here: onset_day <= day < escc2_day
    rise = int((ESCC_HIGH - p.escc_onset) * (day - p.onset_day) / span)
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
