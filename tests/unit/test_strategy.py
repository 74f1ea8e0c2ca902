"""Unit tests of ``simulator/model/strategy.py``: revised Tokuhashi, the named predicates, the NOMS-style
decision, the continuous prognosis, office hours and the surgical opinion.

Thresholds are read from the scenario's strategy and the test states are placed relative to them;
the switches a test examines are set with ``with_overrides`` (validated like a scenario file).
"""

from __future__ import annotations

import itertools

import pytest

from simulator.model.sampling import with_odds_ratio
from simulator.model.strategy import (
    BRACE_RT,
    CEMENT_RT,
    OFFICE_HOURS,
    RESECTION_RT,
    RT,
    SBRT,
    SUPPORTIVE,
    SURGERY_RT,
    TOKUHASHI_GROUPS,
    ClinicalState,
    decide,
    expected_survival_months,
    has_deficit,
    in_office_hours,
    is_cord_compressed,
    is_high_grade_escc,
    is_operable,
    is_potentially_unstable,
    is_unstable,
    referral_probability,
    revised_tokuhashi,
    surgical_opinion,
)
from simulator.vocabulary import ESCC_GRADES, GRADES, SURGICAL, Grade

A, B, C, D_AID, D_UN, E = Grade.A, Grade.B, Grade.C, Grade.D_AID, Grade.D_UNAIDED, Grade.E
G = {g: i for i, g in enumerate(ESCC_GRADES)}
MONDAY_NOON = 0.5  # day 0 is a Monday, 00:00

# --- revised Tokuhashi (Tokuhashi, Spine 2005;30:2186), items written out independently ------------
# General condition (KPS): 10-40% 0, 50-70% 1, 80-100% 2   (ECOG group 3-4 / 2 / 0-1 in the model)
# Extraspinal bone foci: >=3 0, 1-2 1, 0 2
# Vertebral metastases: >=3 0, 2 1, 1 2                    (model: multilevel -> 1, single -> 2)
# Major internal organs: unremovable 0, removable 1, none 2 (model: visceral -> 0)
# Primary site: breast 5                                     (model: triple negative 3, an assumption)
# Palsy: Frankel A-B 0, C-D 1, E 2                          (D with or without an aid)
KPS = {1: 2, 2: 1, 3: 0}
BONE = {0: 2, 1: 1, 2: 0}
PALSY = {A: 0, B: 0, C: 1, D_AID: 1, D_UN: 1, E: 2}


@pytest.mark.parametrize("ecog, other_bone, multilevel, visceral, subtype, grade", list(itertools.product(
    (1, 2, 3), (0, 1, 2), (False, True), (False, True), ("hr_positive", "her2_positive", "triple_negative"),
    GRADES)))
def test_revised_tokuhashi_items_for_a_breast_patient(ecog, other_bone, multilevel, visceral, subtype, grade):
    expected = (KPS[ecog] + BONE[other_bone] + (1 if multilevel else 2) + (0 if visceral else 2)
                + (3 if subtype == "triple_negative" else 5) + PALSY[grade])
    assert revised_tokuhashi(ecog, other_bone, multilevel, visceral, subtype, grade) == expected


def test_revised_tokuhashi_range_for_breast():
    assert revised_tokuhashi(1, 0, False, False, "hr_positive", E) == 15
    assert revised_tokuhashi(3, 2, True, True, "triple_negative", A) == 4


# --- the continuous prognosis ------------------------------------------------------------------------

#: Zeng 2007 (n=447): revised Tokuhashi 0-8, 9-11, 12-15 -> median survival 4, 10, 29 months.
ZENG = ((0, 8, 4.0), (9, 11, 10.0), (12, 15, 29.0))


def test_the_groups_are_zengs():
    assert TOKUHASHI_GROUPS == ZENG


@pytest.mark.parametrize("low, high, months", ZENG)
def test_the_middle_score_of_each_group_has_the_groups_median(low, high, months):
    assert expected_survival_months((low + high) / 2) == pytest.approx(months)


def test_expected_survival_is_flat_beyond_the_outer_middles():
    assert all(expected_survival_months(s) == pytest.approx(4.0) for s in range(0, 5))
    assert expected_survival_months(14) == expected_survival_months(15) == pytest.approx(29.0)


def test_expected_survival_is_monotone():
    grid = [i / 100 for i in range(0, 1501)]
    values = [expected_survival_months(x) for x in grid]
    assert all(b >= a for a, b in zip(values, values[1:], strict=False))
    assert [expected_survival_months(s) for s in range(16)] == sorted(expected_survival_months(s) for s in range(16))
    assert expected_survival_months(9) < expected_survival_months(11) < expected_survival_months(12)


def test_expected_survival_is_continuous():
    """No jump anywhere, the anchors included: the steepest piece rises 29 x ln(29/10) / 3.5 < 10 months a point."""
    lipschitz = 10.0
    for x in [i / 8 for i in range(0, 121)] + [4.0, 10.0, 13.5]:
        for eps in (1e-3, 1e-6):
            assert abs(expected_survival_months(x + eps) - expected_survival_months(x)) <= lipschitz * eps


# --- the named predicates -----------------------------------------------------------------------------


@pytest.fixture
def s(baseline):
    """The scenario's thresholds with every optional switch off; tests switch on what they examine."""
    return baseline.with_overrides({
        "strategy.surgery_for_compression": True, "strategy.surgery_for_instability": True,
        "strategy.surgery_excludes_paraplegia": True, "strategy.aggressive_resection": False,
        "strategy.cement_for_painful_fracture": False, "strategy.bracing_for_indeterminate": False,
        "strategy.sbrt_for_pain": False, "strategy.steroids_for_deficit": True,
    }).params.strategy


def switched(baseline, **switches):
    base = {"strategy.surgery_for_compression": True, "strategy.surgery_for_instability": True,
            "strategy.surgery_excludes_paraplegia": True, "strategy.aggressive_resection": False,
            "strategy.cement_for_painful_fracture": False, "strategy.bracing_for_indeterminate": False,
            "strategy.sbrt_for_pain": False, "strategy.steroids_for_deficit": True}
    base.update({f"strategy.{k}": v for k, v in switches.items()})
    return baseline.with_overrides(base).params.strategy


def good_months(s) -> float:
    """An expected survival that passes every survival threshold of the policy."""
    return max(s.surgery_min_expected_survival_months, s.supportive_max_expected_survival_months) + 1.0


def state(s, escc="0", grade=E, sins=None, fractured=False, ecog=1, months=None, age=60.0,
          day=MONDAY_NOON) -> ClinicalState:
    sins = s.sins_indeterminate_min - 1 if sins is None else sins  # stable unless a test says otherwise
    months = good_months(s) if months is None else months
    return ClinicalState(escc=G[escc], grade=grade, sins=sins, fractured=fractured, ecog=ecog,
                         expected_survival_months=months, age=age, day=day)


def test_is_high_grade_escc_follows_the_policys_threshold(s, baseline):
    threshold = G[s.surgery_escc_min]
    for escc in ESCC_GRADES:
        assert is_high_grade_escc(state(s, escc=escc), s) == (G[escc] >= threshold)
    low = switched(baseline, surgery_escc_min="1b")
    assert is_high_grade_escc(state(low, escc="1b"), low) and not is_high_grade_escc(state(low, escc="1a"), low)


def test_is_cord_compressed_is_bilsky_2_or_3(s):
    assert [is_cord_compressed(state(s, escc=e)) for e in ESCC_GRADES] == [False, False, False, False, True, True]


def test_stability_predicates_split_the_sins_range(s):
    for sins in range(19):
        st = state(s, sins=sins)
        assert is_unstable(st, s) == (sins >= s.sins_unstable_min)
        assert is_potentially_unstable(st, s) == (s.sins_indeterminate_min <= sins < s.sins_unstable_min)
        assert not (is_unstable(st, s) and is_potentially_unstable(st, s))


def test_is_operable(s, baseline):
    assert is_operable(state(s), s)
    assert not is_operable(state(s, months=s.surgery_min_expected_survival_months - 0.01), s)
    assert is_operable(state(s, months=s.surgery_min_expected_survival_months), s)
    worst = {0: 1, 1: 1, 2: 2, 3: 3, 4: 3}[s.surgery_max_ecog]  # ECOG groups 0-1, 2, 3-4
    assert [is_operable(state(s, ecog=e), s) for e in (1, 2, 3)] == [e <= worst for e in (1, 2, 3)]
    for grade in GRADES:
        assert is_operable(state(s, grade=grade), s) == (grade >= C)
    allowed = switched(baseline, surgery_excludes_paraplegia=False)
    assert all(is_operable(state(allowed, grade=g), allowed) for g in GRADES)


def test_has_deficit_is_any_grade_below_e(s):
    assert [has_deficit(state(s, grade=g)) for g in GRADES] == [True] * 5 + [False]


# --- decide ----------------------------------------------------------------------------------------------


def test_supportive_care_below_the_survival_threshold(baseline):
    strict = switched(baseline, supportive_max_expected_survival_months=6.0)
    assert decide(state(strict, escc="3", months=5.9), strict).treatment == SUPPORTIVE
    assert decide(state(strict, escc="3", months=6.0), strict).treatment != SUPPORTIVE


def test_surgery_for_high_grade_compression_when_operable(s):
    plan = decide(state(s, escc="3"), s)
    assert (plan.treatment, plan.surgical) == (SURGERY_RT, True)
    below = ESCC_GRADES[G[s.surgery_escc_min] - 1]
    assert decide(state(s, escc=below), s).treatment == RT


@pytest.mark.parametrize("grade", [A, B])
def test_no_surgery_for_paraplegia_when_excluded(s, baseline, grade):
    assert decide(state(s, escc="3", grade=grade), s).treatment == RT
    allowed = switched(baseline, surgery_excludes_paraplegia=False)
    assert decide(state(allowed, escc="3", grade=grade), allowed).treatment == SURGERY_RT


def test_unfit_or_short_prognosis_is_not_operated(s):
    assert s.surgery_min_expected_survival_months > s.supportive_max_expected_survival_months
    short = (s.surgery_min_expected_survival_months + s.supportive_max_expected_survival_months) / 2
    assert decide(state(s, escc="2", ecog=3), s).treatment == RT
    assert decide(state(s, escc="2", months=short), s).treatment == RT


def test_surgery_for_instability(s, baseline):
    assert decide(state(s, sins=s.sins_unstable_min), s).treatment == SURGERY_RT
    assert decide(state(s, sins=s.sins_unstable_min - 1), s).treatment == RT
    off = switched(baseline, surgery_for_instability=False)
    assert decide(state(off, sins=18), off).treatment == RT


def test_rt_only_policy_never_operates(baseline):
    rt_only = switched(baseline, surgery_for_compression=False, surgery_for_instability=False)
    for escc, sins, grade in itertools.product(ESCC_GRADES, range(19), GRADES):
        plan = decide(state(rt_only, escc=escc, sins=sins, grade=grade), rt_only)
        assert plan.treatment not in SURGICAL and not plan.surgical


def test_aggressive_resection_for_the_operable(baseline):
    aggressive = switched(baseline, aggressive_resection=True)
    assert decide(state(aggressive, escc="0"), aggressive).treatment == RESECTION_RT
    assert decide(state(aggressive, escc="0"), aggressive).surgical
    assert decide(state(aggressive, escc="0", ecog=3), aggressive).treatment == RT


def test_cement_for_a_painful_fracture_without_compression_when_switched_on(s, baseline):
    on = switched(baseline, cement_for_painful_fracture=True)
    assert decide(state(on, escc="1c", fractured=True), on).treatment == CEMENT_RT
    assert decide(state(s, escc="1c", fractured=True), s).treatment == RT  # switched off
    assert decide(state(on, escc="1c", fractured=False), on).treatment == RT  # no fracture
    # compression in an inoperable patient: radiotherapy, not cement
    assert decide(state(on, escc="2", fractured=True, ecog=3), on).treatment == RT


def test_brace_for_a_potentially_unstable_spine_without_surgery(s, baseline):
    bracing = switched(baseline, bracing_for_indeterminate=True)
    for sins in range(s.sins_indeterminate_min, s.sins_unstable_min):
        assert decide(state(bracing, sins=sins), bracing).treatment == BRACE_RT
        assert decide(state(s, sins=sins), s).treatment == RT
    assert decide(state(bracing, sins=s.sins_indeterminate_min - 1), bracing).treatment == RT
    assert decide(state(bracing, sins=s.sins_unstable_min), bracing).treatment == SURGERY_RT  # operable, unstable
    # unstable but not operable: a brace
    assert decide(state(bracing, sins=s.sins_unstable_min, ecog=3), bracing).treatment == BRACE_RT


def test_sbrt_for_pain_without_compression(s, baseline):
    sbrt = switched(baseline, sbrt_for_pain=True)
    assert decide(state(sbrt, escc="1c"), sbrt).treatment == SBRT
    assert decide(state(s, escc="1c"), s).treatment == RT
    assert decide(state(sbrt, escc="2", ecog=3), sbrt).treatment == RT  # compressed: conventional RT


def test_steroids_for_a_deficit(s, baseline):
    assert decide(state(s, escc="2", grade=D_UN), s).steroids
    assert not decide(state(s, escc="2", grade=E), s).steroids
    assert decide(state(s, escc="2", grade=C, months=0.0), s).steroids  # supportive care gets them too
    none = switched(baseline, steroids_for_deficit=False)
    assert not decide(state(none, escc="2", grade=D_UN), none).steroids


def test_no_surgeon_gives_the_non_surgical_plan(baseline):
    bracing = switched(baseline, bracing_for_indeterminate=True, aggressive_resection=True)
    cases = [(dict(escc="3"), RT), (dict(sins=bracing.sins_unstable_min), BRACE_RT), (dict(escc="0"), RT)]
    for fields, expected in cases:
        assert decide(state(bracing, **fields), bracing).surgical
        plan = decide(state(bracing, **fields), bracing, allow_surgery=False)
        assert (plan.treatment, plan.surgical) == (expected, False)


# --- office hours, referral and the surgical opinion ----------------------------------------------------


def test_in_office_hours_over_a_week():
    """Day 0 is Monday 00:00: Monday to Friday, 08:00 to 18:00 (read in the middle of each quarter hour)."""
    start, end = OFFICE_HOURS
    for week in (0, 2, 52):
        for quarter in range(7 * 24 * 4):
            hours = (quarter + 0.5) / 4
            weekday, hour = int(hours // 24), hours % 24
            expected = weekday < 5 and start <= hour < end
            assert in_office_hours(7 * week + hours / 24) == expected, (week, weekday, hour)
    assert sum(in_office_hours((h + 0.5) / 24) for h in range(7 * 24)) == 5 * (end - start)


def test_referral_probability_with_the_age_and_out_of_hours_odds_ratios(s):
    young, old = s.surgical_referral_older_age_years - 1.0, s.surgical_referral_older_age_years
    saturday = 5.5
    assert referral_probability(state(s, age=young), s) == s.p_surgical_referral
    assert referral_probability(state(s, age=old), s) == pytest.approx(
        with_odds_ratio(s.p_surgical_referral, s.surgical_referral_older_odds_ratio))
    assert referral_probability(state(s, age=young, day=saturday), s) == pytest.approx(
        with_odds_ratio(s.p_surgical_referral, s.surgical_referral_out_of_hours_odds_ratio))
    assert referral_probability(state(s, age=old, day=saturday), s) == pytest.approx(
        with_odds_ratio(s.p_surgical_referral, s.surgical_referral_older_odds_ratio
                        * s.surgical_referral_out_of_hours_odds_ratio))
    night = 0.9  # Monday 21:36
    assert referral_probability(state(s, day=night), s) == referral_probability(state(s, day=saturday), s)


def test_surgical_opinion_refers_below_the_referral_chance_and_accepts_below_the_acceptance_chance(baseline):
    s = switched(baseline, p_surgical_referral=0.5, p_surgical_acceptance=0.8)
    st = state(s)
    p = referral_probability(st, s)
    assert 0.0 < p < 1.0
    assert surgical_opinion(st, s, p - 1e-9, 0.8 - 1e-9) == (True, True)
    assert surgical_opinion(st, s, p - 1e-9, 0.8) == (True, False)  # declined
    assert surgical_opinion(st, s, p, 0.0) == (False, False)  # not referred: never accepted
    old = state(s, age=s.surgical_referral_older_age_years, day=5.5)  # older, on a Saturday
    assert surgical_opinion(old, s, p - 1e-9, 0.0) == (referral_probability(old, s) > p - 1e-9, p - 1e-9 <
                                                        referral_probability(old, s))
