"""Unit tests of ``simulator/model/strategy.py``: revised Tokuhashi and the NOMS-style decision."""

from __future__ import annotations

import itertools

import pytest

from simulator.model.patient import ESCC
from simulator.model.strategy import (
    BRACE_RT,
    CEMENT_RT,
    RESECTION_RT,
    RT,
    SBRT,
    SUPPORTIVE,
    SURGERY_RT,
    ClinicalState,
    decide,
    expected_survival_months,
    revised_tokuhashi,
)

A, B, C, D, E = range(5)
G = {g: i for i, g in enumerate(ESCC)}  # ESCC grade name -> index

# --- revised Tokuhashi (Tokuhashi, Spine 2005;30:2186), items written out independently ------------
# General condition (KPS): 10-40% 0, 50-70% 1, 80-100% 2   (ECOG group 3-4 / 2 / 0-1 in the model)
# Extraspinal bone foci: >=3 0, 1-2 1, 0 2
# Vertebral metastases: >=3 0, 2 1, 1 2                    (model: multilevel -> 1, single -> 2)
# Major internal organs: unremovable 0, removable 1, none 2 (model: visceral -> 0)
# Primary site: breast 5                                     (model: triple negative 3, an assumption)
# Palsy: Frankel A-B 0, C-D 1, E 2
KPS = {1: 2, 2: 1, 3: 0}
BONE = {0: 2, 1: 1, 2: 0}
PALSY = {A: 0, B: 0, C: 1, D: 1, E: 2}


@pytest.mark.parametrize("ecog, other_bone, multilevel, visceral, subtype, frankel", list(itertools.product(
    (1, 2, 3), (0, 1, 2), (False, True), (False, True), ("hr_positive", "her2_positive", "triple_negative"),
    (A, B, C, D, E))))
def test_revised_tokuhashi_items_for_a_breast_patient(ecog, other_bone, multilevel, visceral, subtype, frankel):
    expected = (KPS[ecog] + BONE[other_bone] + (1 if multilevel else 2) + (0 if visceral else 2)
                + (3 if subtype == "triple_negative" else 5) + PALSY[frankel])
    assert revised_tokuhashi(ecog, other_bone, multilevel, visceral, subtype, frankel) == expected


def test_revised_tokuhashi_range_for_breast():
    assert revised_tokuhashi(1, 0, False, False, "hr_positive", E) == 15
    assert revised_tokuhashi(3, 2, True, True, "triple_negative", A) == 4


@pytest.mark.parametrize("score, months", [(s, 4.0) for s in range(0, 9)] + [(s, 10.0) for s in range(9, 12)]
                         + [(s, 29.0) for s in range(12, 16)])
def test_expected_survival_mapping(score, months):
    """Revised Tokuhashi groups 0-8, 9-11, 12-15 -> median 4, 10, 29 months (Zeng 2007)."""
    assert expected_survival_months(score) == months


# --- decide -------------------------------------------------------------------------------------


@pytest.fixture
def policy(baseline):
    """A strategy with every optional switch off; tests switch on what they examine."""
    return baseline.params.strategy.model_copy(update=dict(
        surgery_for_compression=True, surgery_escc_min="2", surgery_min_expected_survival_months=6.0,
        surgery_max_ecog=2, surgery_excludes_paraplegia=True, surgery_for_instability=True, sins_unstable_min=13,
        aggressive_resection=False, cement_for_painful_fracture=False, bracing_for_indeterminate=False,
        sins_indeterminate_min=7, sbrt_for_pain=False, steroids_for_deficit=True,
        supportive_max_expected_survival_months=1.0))


def state(escc="0", frankel=E, sins=3, fractured=False, ecog=1, months=29.0) -> ClinicalState:
    return ClinicalState(escc=G[escc], frankel=frankel, sins=sins, fractured=fractured, ecog=ecog,
                         expected_survival_months=months)


def test_supportive_care_below_the_survival_threshold(policy):
    strict = policy.model_copy(update={"supportive_max_expected_survival_months": 6.0})
    assert decide(state(escc="3", months=4.0), strict).treatment == SUPPORTIVE
    assert decide(state(escc="3", months=10.0), strict).treatment == SURGERY_RT


def test_surgery_for_high_grade_compression_when_operable(policy):
    for grade in ("2", "3"):
        assert decide(state(escc=grade), policy).treatment == SURGERY_RT
    assert decide(state(escc="1c"), policy).treatment == RT


def test_escc_threshold_is_the_policys(policy):
    low = policy.model_copy(update={"surgery_escc_min": "1b"})
    assert decide(state(escc="1b"), low).treatment == SURGERY_RT
    assert decide(state(escc="1a"), low).treatment == RT


@pytest.mark.parametrize("frankel", [A, B])
def test_no_surgery_for_paraplegia_when_excluded(policy, frankel):
    assert decide(state(escc="3", frankel=frankel), policy).treatment == RT
    allowed = policy.model_copy(update={"surgery_excludes_paraplegia": False})
    assert decide(state(escc="3", frankel=frankel), allowed).treatment == SURGERY_RT


def test_frankel_c_is_not_paraplegic(policy):
    assert decide(state(escc="3", frankel=C), policy).treatment == SURGERY_RT


def test_unfit_or_short_prognosis_is_not_operated(policy):
    assert decide(state(escc="2", ecog=3), policy).treatment == RT
    assert decide(state(escc="2", months=4.0), policy).treatment == RT
    assert decide(state(escc="2", ecog=2, months=10.0), policy).treatment == SURGERY_RT


def test_surgery_for_instability(policy):
    assert decide(state(sins=13), policy).treatment == SURGERY_RT
    assert decide(state(sins=12), policy).treatment == RT
    off = policy.model_copy(update={"surgery_for_instability": False})
    assert decide(state(sins=15), off).treatment == RT


def test_rt_only_policy_never_operates(policy):
    rt_only = policy.model_copy(update={"surgery_for_compression": False, "surgery_for_instability": False})
    for escc, sins in itertools.product(ESCC, range(19)):
        assert decide(state(escc=escc, sins=sins), rt_only).treatment not in (SURGERY_RT, RESECTION_RT)


def test_aggressive_resection_for_the_operable(policy):
    aggressive = policy.model_copy(update={"aggressive_resection": True})
    assert decide(state(escc="0"), aggressive).treatment == RESECTION_RT
    assert decide(state(escc="0", ecog=3), aggressive).treatment == RT


def test_cement_for_a_painful_fracture_without_compression_when_switched_on(policy):
    on = policy.model_copy(update={"cement_for_painful_fracture": True})
    assert decide(state(escc="1c", fractured=True), on).treatment == CEMENT_RT
    assert decide(state(escc="1c", fractured=True), policy).treatment == RT  # switched off
    assert decide(state(escc="1c", fractured=False), on).treatment == RT  # no fracture
    # compression in an inoperable patient: radiotherapy, not cement
    assert decide(state(escc="2", fractured=True, ecog=3), on).treatment == RT


@pytest.mark.parametrize("sins", range(7, 13))
def test_brace_for_sins_7_to_12(policy, sins):
    bracing = policy.model_copy(update={"bracing_for_indeterminate": True})
    assert decide(state(sins=sins), bracing).treatment == BRACE_RT
    assert decide(state(sins=sins), policy).treatment == RT


def test_no_brace_below_the_indeterminate_range(policy):
    bracing = policy.model_copy(update={"bracing_for_indeterminate": True})
    assert decide(state(sins=6), bracing).treatment == RT
    assert decide(state(sins=13), bracing).treatment == SURGERY_RT  # operable and unstable


def test_sbrt_switch(policy):
    sbrt = policy.model_copy(update={"sbrt_for_pain": True})
    assert decide(state(escc="1c"), sbrt).treatment == SBRT
    assert decide(state(escc="1c"), policy).treatment == RT
    assert decide(state(escc="2", ecog=3), sbrt).treatment == RT  # compressed: conventional RT


def test_steroids_for_a_deficit(policy):
    assert decide(state(escc="2", frankel=D), policy).steroids
    assert not decide(state(escc="2", frankel=E), policy).steroids
    no_steroids = policy.model_copy(update={"steroids_for_deficit": False})
    assert not decide(state(escc="2", frankel=D), no_steroids).steroids
