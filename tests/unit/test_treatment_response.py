"""Unit tests of the pure part of ``simulator/model/treatment.py``: walking chances and ``respond``."""

from __future__ import annotations

import pytest

from simulator.model.patient import INF
from simulator.model.sampling import with_odds_ratio
from simulator.model.strategy import RT, SURGERY_RT, Plan
from simulator.model.treatment import IMPROVE, PAIN, RELAPSE, RESPONSE_SLOTS, WALK, respond, walking_probability

A, B, C, D, E = range(5)


@pytest.fixture
def tx(baseline):
    return baseline.params.treatment


def _u(**slots: float) -> list[float]:
    u = [0.5] * RESPONSE_SLOTS
    for name, value in slots.items():
        u[{"walk": WALK, "improve": IMPROVE, "relapse": RELAPSE, "pain": PAIN}[name]] = value
    return u


@pytest.mark.parametrize("days_of_deficit, keep_field, regain_field", [
    (5.0, "rt_keep_fast", "rt_regain_fast"), (7.0, "rt_keep_fast", "rt_regain_fast"),
    (8.0, "rt_keep_moderate", "rt_regain_moderate"), (14.0, "rt_keep_moderate", "rt_regain_moderate"),
    (15.0, "rt_keep_slow", "rt_regain_slow"),
])
def test_rt_walking_chance_follows_rades_speed_classes(patient_factory, tx, days_of_deficit, keep_field,
                                                       regain_field):
    p = patient_factory(motor_day=100.0)
    p.effect_day = 100.0 + days_of_deficit
    with_steroids = Plan(RT, steroids=True)
    assert walking_probability(p, with_steroids, tx, D) == getattr(tx, keep_field)
    assert walking_probability(p, with_steroids, tx, C) == getattr(tx, regain_field)


def test_surgery_walking_chance(patient_factory, tx):
    p = patient_factory(motor_day=0.0)
    p.effect_day = 3.0
    assert walking_probability(p, Plan(SURGERY_RT, True), tx, D) == tx.surgery_keep
    assert walking_probability(p, Plan(SURGERY_RT, True), tx, C) == tx.surgery_regain


def test_no_steroids_divides_the_odds(patient_factory, tx):
    p = patient_factory(motor_day=0.0)
    p.effect_day = 30.0
    got = walking_probability(p, Plan(RT, steroids=False), tx, D)
    assert got == pytest.approx(with_odds_ratio(tx.rt_keep_slow, 1.0 / tx.steroid_odds_ratio))
    assert got < tx.rt_keep_slow


def test_grade_e_always_walks_and_a_b_never(patient_factory, tx):
    p = patient_factory(motor_day=0.0)
    p.effect_day = 10.0
    for plan in (Plan(RT, True), Plan(SURGERY_RT, True)):
        assert walking_probability(p, plan, tx, E) == 1.0
        assert walking_probability(p, plan, tx, B) == 0.0
        assert walking_probability(p, plan, tx, A) == 0.0


def test_respond_walker_with_deficit_who_keeps_walking(patient_factory, tx):
    p = patient_factory(onset_day=0.0, escc2_day=50.0, motor_day=60.0, walk_loss_day=100.0, paraplegia_day=110.0,
                        complete_day=120.0)
    p.effect_day = p.treatment_day = p.rt_day = 80.0
    respond(p, Plan(RT, True), tx, _u(walk=0.0, improve=0.999, pain=0.0))
    assert (p.tx_frankel, p.after_frankel, p.after_day) == (D, D, 80.0)
    assert 80.0 < p.relapse_day < INF  # compression can come back
    assert p.pain_response and p.pain_relief_day == 80.0 + tx.rt_pain_days


def test_respond_non_walker_regains_after_recovery(patient_factory, tx):
    p = patient_factory(onset_day=0.0, escc2_day=50.0, motor_day=60.0, walk_loss_day=70.0, paraplegia_day=200.0,
                        complete_day=300.0)
    p.effect_day = p.treatment_day = 90.0
    respond(p, Plan(SURGERY_RT, True), tx, _u(walk=0.0))
    assert (p.tx_frankel, p.after_frankel) == (C, D)
    assert p.after_day == 90.0 + tx.recovery_days
    assert p.pain_response and p.vas_cap == tx.surgery_vas_after


def test_respond_failure_caps_at_c_and_never_relapses(patient_factory, tx):
    p = patient_factory(onset_day=0.0, escc2_day=50.0, motor_day=60.0, walk_loss_day=100.0, paraplegia_day=110.0,
                        complete_day=120.0)
    p.effect_day = p.rt_day = p.treatment_day = 80.0
    respond(p, Plan(RT, True), tx, _u(walk=0.9999, pain=0.9999))
    assert (p.tx_frankel, p.after_frankel, p.relapse_day) == (D, C, INF)
    assert not p.pain_response and p.pain_relief_day == INF
