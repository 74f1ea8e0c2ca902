"""Unit tests of ``simulator/model/survival.py``: death as a time-varying hazard inverted from one uniform.

Rates and hazard ratios are read from the scenario; the closed forms (an exponential's quantile, a
two-piece hazard's first passage, the survival function ``exp(-H(t))``) are written out here.
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from simulator.model.cohort import patients
from simulator.model.course import Course, Decline
from simulator.model.simulation import draw_replication_cohort
from simulator.model.survival import (
    first_passage,
    hazard_pieces,
    metastatic_death_rate,
    rapid_motor_deficit,
    refresh_death,
    state_hazard_ratios,
    survival_target,
)
from simulator.vocabulary import DAYS_PER_MONTH, DAYS_PER_YEAR, GRADES, Cause, Grade, HazardState, hazard_state

INF = math.inf


@pytest.fixture
def params(baseline):
    return baseline.params


@pytest.fixture
def s(params):
    return params.natural_history.survival


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def background(s) -> float:
    return s.background_per_year / DAYS_PER_YEAR


# --- the rates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("subtype, median_field", [("hr_positive", "median_months_hr_positive"),
                                                   ("her2_positive", "median_months_her2_positive"),
                                                   ("triple_negative", "median_months_triple_negative")])
@pytest.mark.parametrize("ecog, hr_field", [(1, None), (2, "hr_ecog_2"), (3, "hr_ecog_3_4")])
@pytest.mark.parametrize("visceral", [False, True])
def test_metastatic_rate_is_the_subtype_median_times_the_prognostic_hazard_ratios(
        patient_factory, params, s, subtype, median_field, ecog, hr_field, visceral):
    p = patient_factory(subtype=subtype, ecog=ecog, visceral=visceral)
    expected = math.log(2) / (getattr(s, median_field) * DAYS_PER_MONTH)
    expected *= getattr(s, hr_field) if hr_field else 1.0
    expected *= s.hr_visceral if visceral else 1.0
    assert metastatic_death_rate(params, p) == pytest.approx(expected, rel=1e-12)


def test_state_hazard_ratios_are_the_scenarios_against_walking_unaided(params, s):
    assert state_hazard_ratios(params) == {
        HazardState.WALKING_UNAIDED: 1.0, HazardState.WALKING_WITH_AID: s.hr_walking_with_aid,
        HazardState.NOT_WALKING: s.hr_not_walking, HazardState.PARAPLEGIC: s.hr_paraplegic}


def test_every_grade_has_its_hazard_state():
    assert {g: hazard_state(g) for g in GRADES} == {
        Grade.E: HazardState.WALKING_UNAIDED, Grade.D_UNAIDED: HazardState.WALKING_UNAIDED,
        Grade.D_AID: HazardState.WALKING_WITH_AID, Grade.C: HazardState.NOT_WALKING,
        Grade.B: HazardState.PARAPLEGIC, Grade.A: HazardState.PARAPLEGIC}


# --- hazard pieces -----------------------------------------------------------------------------------


@pytest.fixture
def declining(patient_factory):
    """Deficit on day 100 with the factory's decline: D unaided 10 d, with aid 20 d, C 30 d, B 40 d, then A."""
    return patient_factory(motor_day=100.0)


def test_pieces_of_a_patient_who_walks_unaided_throughout(patient_factory, params, s):
    p = patient_factory()
    assert hazard_pieces(p, params) == [(0.0, background(s) + metastatic_death_rate(params, p))]


def test_pieces_follow_the_hazard_states_and_merge_equal_hazards(declining, params, s):
    """E -> D unaided is the same hazard state (no new piece), and so is B -> A."""
    m, bg = metastatic_death_rate(params, declining), background(s)
    assert hazard_pieces(declining, params) == [
        (0.0, bg + m),  # E, then D unaided from day 100: merged
        (110.0, bg + m * s.hr_walking_with_aid),
        (130.0, bg + m * s.hr_not_walking),
        (160.0, bg + m * s.hr_paraplegic),  # B from day 160 and A from day 200: merged
    ]


def test_equal_hazard_ratios_merge_the_pieces(declining, baseline):
    flat = baseline.with_overrides({"natural_history.survival.hr_walking_with_aid": 1.0,
                                    "natural_history.survival.hr_not_walking": 1.0,
                                    "natural_history.survival.hr_paraplegic": 1.0}).params
    assert len(hazard_pieces(declining, flat)) == 1


def test_no_metastatic_hazard_before_metastasis(patient_factory, params, s):
    """Newly diagnosed entry: only the background hazard until the bone metastasis; the grade does not matter."""
    p = patient_factory(met_start=500.0, bone_mets_day=500.0, motor_day=100.0)
    m, bg = metastatic_death_rate(params, p), background(s)
    pieces = hazard_pieces(p, params)
    assert pieces[0] == (0.0, bg)
    assert pieces[1] == (500.0, bg + m * s.hr_paraplegic)  # paraplegic (Frankel A) by day 500
    assert len(pieces) == 2


def test_never_metastatic_means_the_background_hazard_only(patient_factory, params, s):
    p = patient_factory(met_start=INF, bone_mets_day=INF, spine_day=INF, motor_day=100.0)
    assert hazard_pieces(p, params) == [(0.0, background(s))]


def test_pieces_start_at_entry(patient_factory, params):
    p = patient_factory(entry_day=50.0, motor_day=20.0)  # a course change before entry is not a cut
    assert hazard_pieces(p, params)[0][0] == 50.0


def test_excess_hazard_is_added_inside_its_window_only(patient_factory, params, s):
    p = patient_factory()
    p.excess_hazards.append((40.0, 70.0, 0.01))
    base = background(s) + metastatic_death_rate(params, p)
    assert hazard_pieces(p, params) == [(0.0, base), (40.0, base + 0.01), (70.0, base)]


def test_overlapping_excess_windows_add(patient_factory, params, s):
    p = patient_factory()
    p.excess_hazards += [(10.0, 40.0, 0.01), (30.0, 60.0, 0.02)]
    base = background(s) + metastatic_death_rate(params, p)
    assert hazard_pieces(p, params) == [(0.0, base), (10.0, base + 0.01), (30.0, pytest.approx(base + 0.03)),
                                        (40.0, pytest.approx(base + 0.02)), (60.0, base)]


# --- first passage ------------------------------------------------------------------------------------


@pytest.mark.parametrize("start, rate, target", [(0.0, 0.001, 1.0), (25.0, 0.02, 0.3), (-10.0, 3.0, 5.5)])
def test_first_passage_of_a_constant_hazard(start, rate, target):
    assert first_passage([(start, rate)], target) == pytest.approx(start + target / rate, rel=1e-12)


@pytest.mark.parametrize("target", [0.0, 0.05, 0.2, 0.2 + 1e-9, 0.7, 4.0])
def test_first_passage_of_a_two_piece_hazard(target):
    """Hazard h1 on [t0, t1), h2 after: the closed form switches at H(t1) = h1 (t1 - t0)."""
    t0, t1, h1, h2 = 10.0, 50.0, 0.005, 0.03
    at_switch = h1 * (t1 - t0)
    expected = t0 + target / h1 if target < at_switch else t1 + (target - at_switch) / h2
    assert first_passage([(t0, h1), (t1, h2)], target) == pytest.approx(expected, rel=1e-12)


def test_first_passage_over_zero_hazard_pieces():
    assert first_passage([(0.0, 0.0), (100.0, 0.01)], 0.5) == pytest.approx(150.0)
    assert first_passage([(0.0, 0.01), (10.0, 0.0)], 0.5) == INF  # the hazard stops before the target
    assert first_passage([(0.0, 0.0)], 0.1) == INF
    assert first_passage([], 0.1) == INF


def test_survival_target_is_an_exponential_quantile():
    for x in (0.0, 0.01, 1.0, 7.5):
        assert survival_target(1.0 - math.exp(-x)) == pytest.approx(x, rel=1e-9, abs=1e-15)
    assert math.isfinite(survival_target(1.0))  # clipped, never infinite


def test_first_passage_inverts_the_survival_function(declining, params):
    """Death days of a grid of uniforms: the share alive at t is exp(-H(t)) within the grid's 1/n."""
    pieces = hazard_pieces(declining, params)
    n = 4000
    deaths = sorted(first_passage(pieces, survival_target((i + 0.5) / n)) for i in range(n))

    def cumulative(t: float) -> float:
        total = 0.0
        for i, (start, rate) in enumerate(pieces):
            end = pieces[i + 1][0] if i + 1 < len(pieces) else INF
            total += rate * max(0.0, min(t, end) - start)
        return total

    for t in (50.0, 120.0, 150.0, 400.0, 2000.0):
        alive = sum(d > t for d in deaths) / n
        assert abs(alive - math.exp(-cumulative(t))) <= 1.0 / n + 1e-12


# --- the death day ------------------------------------------------------------------------------------


def test_refresh_death_is_the_first_passage_of_the_patients_own_course(declining, params):
    declining.death_u = 0.37
    refresh_death(declining, params)
    assert declining.death_day == first_passage(hazard_pieces(declining, params), survival_target(0.37))


def test_refresh_death_of_a_constant_hazard_matches_the_closed_form(patient_factory, params, s):
    p = patient_factory(death_u=0.6)
    refresh_death(p, params)
    rate = background(s) + metastatic_death_rate(params, p)
    assert p.death_day == pytest.approx(-math.log(1 - 0.6) / rate, rel=1e-12)


def test_causes_and_restated_grades_do_not_move_the_death_day(declining, params):
    """Only the grades enter the hazard: relabelled causes and restated grades give the same day, to the byte."""
    refresh_death(declining, params)
    before = declining.death_day
    relabelled = Course()
    for day, _old, new, _cause in declining.course.changes():
        relabelled.append(day, new, Cause.TREATMENT)
        relabelled.append(day + 0.5, new, Cause.RELAPSE)  # a restatement: never stored
    assert relabelled.causes != declining.course.causes and relabelled.grades == declining.course.grades
    declining.course = relabelled
    refresh_death(declining, params)
    assert bits(declining.death_day) == bits(before)


def test_a_course_that_keeps_her_walking_longer_dies_later(declining, params):
    """Delaying the loss of walking lowers the hazard pointwise, so the death day can only move later."""
    declining.death_u = 0.2
    refresh_death(declining, params)
    early = declining.death_day
    assert early > 110.0  # alive when she needs an aid: the course change can matter
    declining.course.replace_from(105.0, [(105.0, Grade.D_UNAIDED, Cause.TREATMENT)])
    refresh_death(declining, params)
    assert declining.death_day > early


def test_a_change_after_death_does_not_move_the_death_day(patient_factory, params):
    p = patient_factory(death_u=0.01)
    refresh_death(p, params)
    day = p.death_day
    p.course.append(day + 1.0, Grade.C, Cause.NATURAL)
    refresh_death(p, params)
    assert bits(p.death_day) == bits(day)


# --- rapid motor deficits: a prognostic factor (Rades 2011, breast) -----------------------------------


def test_a_rapid_deficit_multiplies_the_metastatic_hazard_from_its_onset(patient_factory, params, s):
    """Rades 2011 (504 breast MSCC): deficits developing within 14 days, RR 1.55 on top of walking status.

    Decline: D unaided 4 d + with aid 6 d = 10 d to the loss of walking, within ``rapid_motor_deficit_days``.
    """
    p = patient_factory(motor_day=100.0, decline=Decline(4.0, 6.0, 30.0, 40.0))
    m, bg, r = metastatic_death_rate(params, p), background(s), s.hr_rapid_motor_deficit
    assert rapid_motor_deficit(p, params)
    assert hazard_pieces(p, params) == [
        (0.0, bg + m),
        (100.0, bg + m * r),  # the deficit's onset: walking unaided, but rapid
        (104.0, bg + m * r * s.hr_walking_with_aid),
        (110.0, bg + m * r * s.hr_not_walking),
        (140.0, bg + m * r * s.hr_paraplegic),
    ]


@pytest.mark.parametrize("unaided, aid, rapid", [(4.0, 10.0, True), (4.0, 10.5, False)])
def test_rapid_means_walking_lost_within_the_cut_point(patient_factory, params, s, unaided, aid, rapid):
    """Rades' cut-point: 1-14 days is rapid, more than 14 is not (14 itself is rapid)."""
    assert s.rapid_motor_deficit_days == 14
    p = patient_factory(motor_day=100.0, decline=Decline(unaided, aid, 30.0, 40.0))
    assert rapid_motor_deficit(p, params) is rapid


def test_no_deficit_no_rapid_deficit_hazard(patient_factory, params):
    p = patient_factory(decline=Decline(1.0, 1.0, 1.0, 1.0))  # fast, but the lesion never causes a deficit
    assert not rapid_motor_deficit(p, params)
    assert len(hazard_pieces(p, params)) == 1


def test_the_cohort_columns_give_each_untreated_patient_her_own_death_day(params):
    """The vectorised untreated death day (every patient not simulated) is the one-patient day, to the bit,
    for rapid and slow deficits alike."""
    k = draw_replication_cohort(params, 11, 0, 4000)
    cut = params.natural_history.survival.rapid_motor_deficit_days
    rapid = (k.motor_day < INF) & (k.unaided_days + k.aid_days <= cut)
    chosen = np.concatenate([np.flatnonzero(rapid)[:40], np.flatnonzero((k.motor_day < INF) & ~rapid)[:40]])
    assert len(chosen) == 80
    for p, expected in zip(patients(params, k, chosen), k.death_day[chosen].tolist(), strict=True):
        refresh_death(p, params)
        assert bits(p.death_day) == bits(expected)
