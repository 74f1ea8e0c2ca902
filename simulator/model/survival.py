"""Death as a time-varying hazard, drawn with one uniform per patient (common random numbers).

The hazard on day t is the background hazard, plus, once metastatic, the metastatic hazard of the
patient's prognostic factors (subtype, ECOG, visceral disease, fixed at entry, and a motor deficit
that develops rapidly, from its onset: the *confounding* part, which treatment does not change)
multiplied by the hazard ratio of her current neurological state (walking unaided, with an aid,
not walking, paraplegic: the *causal* part, which treatment can change), plus any
treatment-related excess (``excess_hazards``: the 30 days after surgery). The death day is
where the cumulative hazard of her own course reaches ``-log(1 - u)``, with ``u`` her one survival
uniform. Pieces of equal hazard are merged before summing, so a strategy that leaves her course
unchanged gives the same death day to the byte, and one that keeps her walking longer moves it by
the hazard ratio alone.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.patient import INF, Patient
from simulator.parameters.schema import Parameters
from simulator.vocabulary import DAYS_PER_MONTH, DAYS_PER_YEAR, Grade, HazardState, hazard_state

Piece = tuple[float, float]  # (start day, hazard per day until the next piece)


def metastatic_death_rate(params: Parameters, p: Patient) -> float:
    """Death hazard per day once metastatic, walking unaided: by subtype, ECOG and visceral disease."""
    s = params.natural_history.survival
    median = {"hr_positive": s.median_months_hr_positive, "her2_positive": s.median_months_her2_positive,
              "triple_negative": s.median_months_triple_negative}[p.subtype]
    rate = math.log(2) / (median * DAYS_PER_MONTH)
    rate *= {1: 1.0, 2: s.hr_ecog_2, 3: s.hr_ecog_3_4}[p.ecog]
    return rate * (s.hr_visceral if p.visceral else 1.0)


def state_hazard_ratios(params: Parameters) -> dict[HazardState, float]:
    """Hazard ratio of death of each neurological state against walking unaided."""
    s = params.natural_history.survival
    return {HazardState.WALKING_UNAIDED: 1.0, HazardState.WALKING_WITH_AID: s.hr_walking_with_aid,
            HazardState.NOT_WALKING: s.hr_not_walking, HazardState.PARAPLEGIC: s.hr_paraplegic}


def rapid_motor_deficit(p: Patient, params: Parameters) -> bool:
    """Whether the patient's motor deficit, untreated, would cost walking rapidly (Rades' 1-14 days)."""
    days = p.decline.days_at
    return (p.motor_day < INF
            and days[Grade.D_UNAIDED] + days[Grade.D_AID] <= params.natural_history.survival.rapid_motor_deficit_days)


def hazard_pieces(p: Patient, params: Parameters) -> list[Piece]:
    """The patient's death hazard from entry, as merged pieces of constant hazard."""
    s = params.natural_history.survival
    background = s.background_per_year / DAYS_PER_YEAR
    metastatic = metastatic_death_rate(params, p)  # from met_start on (never, if never metastatic)
    ratios = state_hazard_ratios(params)
    rapid_from = p.motor_day if rapid_motor_deficit(p, params) else INF
    cuts = {p.entry_day, rapid_from, max(p.met_start, p.entry_day)}  # infinite days are dropped below
    cuts.update(day for day, _old, _new, _cause in p.course.changes(p.met_start, INF))
    for start, end, _rate in p.excess_hazards:
        cuts.update((start, end))
    pieces: list[Piece] = []
    for day in sorted(d for d in cuts if d >= p.entry_day and d < INF):
        rate = background
        if day >= p.met_start:
            prognosis = metastatic * (s.hr_rapid_motor_deficit if day >= rapid_from else 1.0)
            rate += prognosis * ratios[hazard_state(p.course.grade_at(day))]
        rate += sum(r for start, end, r in p.excess_hazards if start <= day < end)
        if not pieces or pieces[-1][1] != rate:
            pieces.append((day, rate))
    return pieces


def first_passage(pieces: list[Piece], target: float) -> float:
    """The first day on which the cumulative hazard of ``pieces`` reaches ``target`` (``inf`` if never)."""
    total = 0.0
    for i, (start, rate) in enumerate(pieces):
        end = pieces[i + 1][0] if i + 1 < len(pieces) else INF
        if rate > 0.0:
            reach = start + (target - total) / rate
            if reach < end:
                return reach
            total += rate * (end - start)
    return INF


def survival_target(u: float | np.ndarray) -> float | np.ndarray:
    """The cumulative hazard at which a patient with survival uniform ``u`` dies (an Exp(1) draw).

    One function for one patient and for a whole cohort (``u`` an array), through numpy's ``log1p``
    both times: on CPUs with AVX-512, numpy's vectorised ``log1p`` and the C library's
    (``math.log1p``) differ in the last bit for about 7% of values, and a death day recomputed for
    one patient must equal the cohort's to the bit (common random numbers).
    """
    return -np.log1p(-np.minimum(u, 1.0 - 1e-16))


def refresh_death(p: Patient, params: Parameters) -> None:
    """Recompute the death day from the patient's course as it now stands (after any change to it)."""
    p.death_day = first_passage(hazard_pieces(p, params), survival_target(p.death_u))
