"""Unit tests of ``simulator/model/response.py``: the logistic walking response by patient factors.

Each factor is a fixed shift on the log-odds scale, read from the scenario's ``response`` group:
the tests check the shift itself (``logit(with) - logit(without) == log(odds ratio)``), so they hold
whatever values calibration settles on. The reference patient (``make_patient``) declines at the
median speed, has no visceral metastases, and had breast cancer diagnosed five years before.
"""

from __future__ import annotations

import math

import pytest

from simulator import describe_parameter
from simulator.model.response import (
    PARALYSIS_HOURS,
    REFERENCE_AGE_YEARS,
    SHORT_INTERVAL_MONTHS,
    base_probability,
    expit,
    improvement_probability,
    interval_months,
    logit,
    surgery_odds_ratio,
    walking_probability,
)
from simulator.vocabulary import DAYS_PER_MONTH, GRADES, Grade

INF = math.inf
DAY = 1000.0  # the day the treatment takes effect in these tests


@pytest.fixture
def r(baseline):
    return baseline.params.response


def chance(p, r, grade=Grade.D_UNAIDED, surgical=False, steroids=True, since=INF, day=DAY):
    return walking_probability(p, grade, day, since, surgical, steroids, r)


def shift(a: float, b: float) -> float:
    """Log-odds from probability b to probability a."""
    return logit(a) - logit(b)


def test_logit_and_expit_are_inverse():
    for x in (-5.0, -0.3, 0.0, 0.7, 4.0):
        assert logit(expit(x)) == pytest.approx(x, abs=1e-12)
    assert expit(0.0) == 0.5


def test_the_reference_patient_gets_the_base_probability_of_her_grade(patient_factory, r):
    p = patient_factory()
    for grade in GRADES:
        assert chance(p, r, grade=grade) == pytest.approx(base_probability(grade, r), rel=1e-12)


def test_base_probability_by_walking_state(r):
    assert base_probability(Grade.E, r) == base_probability(Grade.D_UNAIDED, r) == r.p_walk_rt_unaided
    assert base_probability(Grade.D_AID, r) == r.p_walk_rt_with_aid
    assert base_probability(Grade.C, r) == r.p_walk_rt_not_walking
    assert base_probability(Grade.B, r) == base_probability(Grade.A, r) == r.p_walk_rt_paraplegic


@pytest.mark.parametrize("surgical", [False, True])
@pytest.mark.parametrize("visceral", [False, True])
def test_walking_probability_is_monotone_in_grade(patient_factory, r, surgical, visceral):
    """A better grade at the effect never lowers the chance (the scenario's base chances are ordered)."""
    p = patient_factory(visceral=visceral, speed=0.7)
    chances = [chance(p, r, grade=g, surgical=surgical, since=DAY) for g in GRADES]
    assert chances == sorted(chances)
    assert chances[-1] > chances[0]


def test_a_faster_decline_lowers_the_chance_by_its_log_odds_per_fold(patient_factory, r):
    """Rades: walking after RT 35 / 55 / 86% for deficits over 1-7 / 8-14 / > 14 days."""
    median, fast, slow = patient_factory(speed=0.0), patient_factory(speed=1.5), patient_factory(speed=-1.0)
    assert shift(chance(fast, r), chance(median, r)) == pytest.approx(-1.5 * r.log_odds_per_faster_fold)
    assert shift(chance(slow, r), chance(median, r)) == pytest.approx(1.0 * r.log_odds_per_faster_fold)
    if r.log_odds_per_faster_fold > 0:
        assert chance(fast, r) < chance(median, r) < chance(slow, r)


def test_after_surgery_the_speed_of_decline_counts_by_the_surgery_speed_factor(patient_factory, r):
    """Model v2: decompression relieves an acute compression at once, so the speed effect is scaled down."""
    assert 0.0 <= r.surgery_speed_factor < 1.0  # the baseline halves it (or less)
    median, fast = patient_factory(speed=0.0), patient_factory(speed=1.5)
    for grade in (Grade.D_AID, Grade.C):
        surgical = shift(chance(fast, r, grade=grade, surgical=True, since=DAY),
                         chance(median, r, grade=grade, surgical=True, since=DAY))
        assert surgical == pytest.approx(-1.5 * r.log_odds_per_faster_fold * r.surgery_speed_factor)
        assert surgical > shift(chance(fast, r, grade=grade, since=DAY), chance(median, r, grade=grade, since=DAY))


def test_the_chance_of_improving_moves_with_the_speed_of_decline_as_walking_does(patient_factory, r, baseline):
    """Rades 2002: motor function improved after RT in 10% / 29% / 86% for deficits over 1-7 / 8-14 / > 14 days."""
    base = baseline.params.treatment.rt_improve_grade
    median, fast, slow = patient_factory(speed=0.0), patient_factory(speed=1.5), patient_factory(speed=-1.0)
    assert improvement_probability(median, base, False, r) == pytest.approx(base, rel=1e-12)
    k = r.log_odds_per_faster_fold
    assert shift(improvement_probability(fast, base, False, r), base) == pytest.approx(-1.5 * k)
    assert shift(improvement_probability(slow, base, False, r), base) == pytest.approx(k)
    # the same shift as the chance of walking, surgery's scaled by the surgery speed factor
    assert shift(improvement_probability(fast, base, False, r), base) == pytest.approx(
        shift(chance(fast, r), chance(median, r)))
    assert shift(improvement_probability(fast, base, True, r), base) == pytest.approx(
        -1.5 * k * r.surgery_speed_factor)
    for certain in (0.0, 1.0):  # a share at its bound stays there (no log-odds to shift)
        assert improvement_probability(fast, certain, False, r) == certain


def test_visceral_metastases_multiply_the_odds(patient_factory, r):
    with_ = chance(patient_factory(visceral=True), r, grade=Grade.C)
    without = chance(patient_factory(visceral=False), r, grade=Grade.C)
    assert shift(with_, without) == pytest.approx(math.log(r.visceral_odds_ratio))


def test_a_short_interval_from_breast_cancer_multiplies_the_odds(patient_factory, r):
    """Rades: interval from tumour diagnosis to MSCC <= 15 months vs longer; the boundary is inclusive."""
    at = patient_factory(cancer_dx_day=DAY - SHORT_INTERVAL_MONTHS * DAYS_PER_MONTH)
    just_over = patient_factory(cancer_dx_day=DAY - SHORT_INTERVAL_MONTHS * DAYS_PER_MONTH - 0.01)
    de_novo = patient_factory(cancer_dx_day=DAY - 1.0)
    assert interval_months(at, DAY) == pytest.approx(SHORT_INTERVAL_MONTHS)
    assert shift(chance(at, r), chance(just_over, r)) == pytest.approx(math.log(r.short_interval_odds_ratio))
    assert chance(de_novo, r) == pytest.approx(chance(at, r))


def test_without_steroids_the_odds_are_divided_by_the_steroid_odds_ratio(patient_factory, r):
    """Sorensen 1994: gait after treatment 81% vs 63% with and without dexamethasone."""
    p = patient_factory()
    for grade in (Grade.D_UNAIDED, Grade.D_AID, Grade.C, Grade.B):
        assert shift(chance(p, r, grade=grade, steroids=False), chance(p, r, grade=grade)) == pytest.approx(
            -math.log(r.steroid_odds_ratio))


def test_steroids_matter_only_with_a_deficit(patient_factory, r):
    """Model v2: the trials gave dexamethasone for deficits; without one (grade E) it changes nothing."""
    assert r.steroid_odds_ratio != 1.0
    p = patient_factory()
    for surgical in (False, True):
        assert chance(p, r, grade=Grade.E, surgical=surgical, steroids=False) == chance(
            p, r, grade=Grade.E, surgical=surgical, steroids=True)


def test_surgery_multiplies_the_odds_by_the_age_dependent_odds_ratio(patient_factory, r):
    for age in (45.0, 60.0, 75.0):
        p = patient_factory(age=age)
        for grade in (Grade.D_UNAIDED, Grade.D_AID, Grade.C):
            since = DAY if grade == Grade.C else INF  # not walking for 0 h: under 48 h
            assert shift(chance(p, r, grade=grade, surgical=True, since=since),
                         chance(p, r, grade=grade, since=since)) == pytest.approx(
                math.log(surgery_odds_ratio(age, r)))


def test_the_surgical_odds_ratio_falls_with_age_by_the_interaction_per_decade(r):
    """Chi 2009 (Patchell's trial): the benefit of surgery fell with age (interaction taken per decade)."""
    assert surgery_odds_ratio(REFERENCE_AGE_YEARS, r) == pytest.approx(r.surgery_odds_ratio)
    for age in (40.0, 55.0, 63.5, 80.0):
        assert surgery_odds_ratio(age + 10.0, r) == pytest.approx(
            surgery_odds_ratio(age, r) / r.surgery_age_interaction_per_decade)
    assert surgery_odds_ratio(70.0, r) <= surgery_odds_ratio(60.0, r) <= surgery_odds_ratio(50.0, r)


@pytest.fixture
def r_paralysis(baseline):
    """The response group with the >48 h odds ratio at the low end of its plausible range (baseline has 1)."""
    low, _ = describe_parameter("response.paralysed_over_48h_odds_ratio").plausible
    return baseline.with_overrides({"response.paralysed_over_48h_odds_ratio": float(low)}).params.response


def test_more_than_48_hours_unable_to_walk_lowers_the_surgical_odds(patient_factory, r, r_paralysis):
    """Chaichana 2008: paralysed more than 48 h regains walking less often after decompression."""
    p = patient_factory()
    hours = PARALYSIS_HOURS / 24.0
    for response in (r, r_paralysis):
        within = chance(p, response, grade=Grade.C, surgical=True, since=DAY - hours)
        beyond = chance(p, response, grade=Grade.C, surgical=True, since=DAY - hours - 0.01)
        assert shift(beyond, within) == pytest.approx(math.log(response.paralysed_over_48h_odds_ratio))
    assert r_paralysis.paralysed_over_48h_odds_ratio < 1.0
    assert chance(p, r_paralysis, grade=Grade.C, surgical=True, since=DAY - 10.0) < chance(
        p, r_paralysis, grade=Grade.C, surgical=True, since=DAY)
    # radiotherapy alone: the speed of decline carries this information, the 48-h rule does not apply
    for response in (r, r_paralysis):
        assert chance(p, response, grade=Grade.C, since=DAY - 30.0) == chance(p, response, grade=Grade.C, since=DAY)
    # a walker is not paralysed, however long ago anything happened
    assert chance(p, r_paralysis, grade=Grade.D_AID, surgical=True, since=INF) == pytest.approx(
        expit(logit(r_paralysis.p_walk_rt_with_aid) + math.log(surgery_odds_ratio(p.age, r_paralysis))))


@pytest.mark.parametrize("surgical", [False, True])
def test_the_factors_add_on_the_log_odds_scale(patient_factory, r_paralysis, surgical):
    """Every factor at once, unable to walk for 10 days: the sum of the shifts, on the log-odds scale.

    After surgery the speed term is scaled by ``surgery_speed_factor`` and the >48 h paralysis odds
    ratio applies; after radiotherapy neither; the steroid term applies (she has a deficit).
    """
    r = r_paralysis
    p = patient_factory(speed=0.5, visceral=True, cancer_dx_day=DAY - 100.0, age=52.0)
    speed_weight = r.surgery_speed_factor if surgical else 1.0
    expected = (logit(r.p_walk_rt_not_walking) - 0.5 * r.log_odds_per_faster_fold * speed_weight
                + math.log(r.visceral_odds_ratio) + math.log(r.short_interval_odds_ratio)
                - math.log(r.steroid_odds_ratio))
    if surgical:
        expected += math.log(surgery_odds_ratio(52.0, r)) + math.log(r.paralysed_over_48h_odds_ratio)
    got = chance(p, r, grade=Grade.C, surgical=surgical, steroids=False, since=DAY - 10.0)
    assert logit(got) == pytest.approx(expected)
