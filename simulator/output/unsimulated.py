"""The patients table's values for patients who were never simulated, straight from the cohort's columns.

A patient is simulated only if something happened to her that needs SimPy (a symptomatic spinal
lesion, a benign back-pain episode). Every other patient kept her natural course untouched by
care: no pathway, no treatment, walking unaided throughout, death on the untreated course. Each
column of the patients table therefore has a value for her that depends on the cohort alone:
a constant, or a vectorised function of the cohort's arrays. ``tests/regression`` checks these
against the readers applied to records built for such patients.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from simulator.model.cohort import FIRST_SYMPTOMS, LESION_TYPES, LEVELS, SUBTYPES, Cohort
from simulator.model.patient import INF
from simulator.vocabulary import Event

NAN = math.nan
Vector = Callable[[Cohort], Any]


def days(values: np.ndarray) -> np.ndarray:
    """Days on the clock rounded as the readers round them (Python's round to 3 decimals; inf -> NaN)."""
    return np.array([round(x, 3) if x < INF else NAN for x in values.tolist()], dtype=float)


def _labels(codes: np.ndarray, labels: tuple[str, ...], present: np.ndarray | None = None) -> np.ndarray:
    out = np.array(labels, dtype=object)[codes]
    if present is not None:
        out = np.where(present, out, None)
    return out


def _stop(k: Cohort) -> np.ndarray:
    return np.minimum(k.death_day, k.end_day)


#: column name -> its value for every unsimulated patient (a constant, or a function of the cohort)
UNSIMULATED: dict[str, Any] = {
    "patient_id": lambda k: k.pid,
    "age_years": lambda k: np.array([round(x, 1) for x in k.age.tolist()]),
    "subtype": lambda k: _labels(k.subtype, SUBTYPES),
    "ecog": lambda k: _labels(k.ecog - 1, ("0-1", "2", "3-4")),
    "visceral_mets": lambda k: k.visceral,
    "other_bone_mets": lambda k: _labels(k.other_bone, ("0", "1-2", "3+")),
    "bone_agent": lambda k: k.bone_agent,
    "prior_spine_rt": lambda k: k.prior_rt,
    "cancer_diagnosis_day": lambda k: days(k.cancer_dx_day),
    "entry_day": lambda k: days(k.entry_day),
    "bone_mets_day": lambda k: days(k.bone_mets_day),
    "spinal_mets_day": lambda k: days(k.spine_day),
    "lesion_level": lambda k: _labels(k.level, LEVELS, k.spine_day < INF),
    "lesion_type": lambda k: _labels(k.lesion_type, LESION_TYPES, k.spine_day < INF),
    "multilevel": lambda k: np.where(k.spine_day < INF, k.multilevel, None),
    "symptomatic": lambda k: k.symptomatic,
    "first_symptom": lambda k: _labels(k.first_symptom, FIRST_SYMPTOMS),
    "onset_day": lambda k: days(k.onset_day),
    "fracture_day": lambda k: days(k.fracture_day),
    "route": "none",
    "gp_visits": 0,
    "referrals": 0,
    "imaging_tests": 0,
    "false_negatives": 0,
    "diagnosed": False,
    "treatment": "none",
    "steroids": False,
    "complication": False,
    "retreatments": 0,
    "death_day": lambda k: np.where(k.death_day <= k.end_day, days(k.death_day), NAN),
    "dead": lambda k: k.death_day <= k.end_day,
    "end_day": lambda k: days(k.end_day),
}
#: columns whose reader gives the same value for every patient, simulated or not (attributes at entry)
SAME_FOR_ALL = frozenset({
    "patient_id", "age_years", "subtype", "ecog", "visceral_mets", "other_bone_mets", "bone_agent", "prior_spine_rt",
    "cancer_diagnosis_day", "entry_day", "end_day"})


def unsimulated_column(name: str, example: Any, k: Cohort) -> np.ndarray:
    """The column's values for every patient as if none were simulated.

    ``example`` (a reader's value) chooses NaN or None for the columns not listed, which are empty
    for the unsimulated.
    """
    rule = UNSIMULATED.get(name)
    n = len(k)
    if callable(rule):
        return np.asarray(rule(k))
    if rule is not None:
        return np.full(n, rule, dtype=object if isinstance(rule, str) else type(rule))
    if isinstance(example, float):
        return np.full(n, NAN)
    return np.full(n, None, dtype=object)


def unsimulated_events(k: Cohort, mask: np.ndarray) -> dict[str, np.ndarray]:
    """The event log of the patients in ``mask``: entry, bone and spinal metastasis, death or end of follow-up.

    Rows are ordered by patient, then day, then the order in which a record lists them (entry first),
    as :func:`simulator.output.tables.patient_events` sorts them.
    """
    idx = np.nonzero(mask)[0]
    stop = _stop(k)[idx]
    entry, bone, spine = k.entry_day[idx], k.bone_mets_day[idx], k.spine_day[idx]
    died = k.death_day[idx] <= k.end_day[idx]
    spinal_detail = np.char.add(np.char.add(np.array(LEVELS)[k.level[idx]].astype(str), " "),
                                np.array(LESION_TYPES)[k.lesion_type[idx]].astype(str))
    parts = [
        (np.ones(len(idx), bool), entry, Event.ENTRY, np.full(len(idx), ""), 0),
        (bone < stop, bone, Event.BONE_METASTASIS, np.full(len(idx), ""), 1),
        (spine < stop, spine, Event.SPINAL_METASTASIS, spinal_detail, 2),
        (np.ones(len(idx), bool), np.where(died, k.death_day[idx], k.end_day[idx]),
         np.where(died, Event.DEATH, Event.END_OF_FOLLOW_UP), np.full(len(idx), ""), 9),
    ]
    pid, day, event, detail, order = [], [], [], [], []
    for keep, when, name, text, rank in parts:
        pid.append(k.pid[idx][keep])
        day.append(when[keep])
        event.append(np.broadcast_to(np.asarray(name, dtype=object), keep.shape)[keep])
        detail.append(np.asarray(text, dtype=object)[keep])
        order.append(np.full(int(keep.sum()), rank))
    pid_a, day_a, order_a = np.concatenate(pid), np.concatenate(day), np.concatenate(order)
    sort = np.lexsort((order_a, day_a, pid_a))
    return {"patient_id": pid_a[sort], "day": days(day_a[sort]), "event": np.concatenate(event)[sort],
            "detail": np.concatenate(detail)[sort]}


def unsimulated_trajectories(k: Cohort, mask: np.ndarray) -> dict[str, np.ndarray]:
    """One neurological row per patient in ``mask``: grade E, walking unaided, from entry to death or end."""
    idx = np.nonzero(mask)[0]
    n = len(idx)
    return {"patient_id": k.pid[idx], "kind": np.full(n, "neuro", dtype=object), "state": np.full(n, "E", dtype=object),
            "walking": np.full(n, "unaided", dtype=object), "start_day": days(k.entry_day[idx]),
            "stop_day": days(_stop(k)[idx])}
