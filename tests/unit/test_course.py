"""Unit tests of ``simulator/model/course.py`` on hand-built patients.

Frankel grades are integers 0-4 (A-E); ESCC grades 0-5 (0, 1a, 1b, 1c, 2, 3). Every expected
value below is computed by hand from the published scale or from the parameter values given here,
not read from the model.
"""

from __future__ import annotations

import math

import pytest

from simulator.model.course import (
    ambulation_lost_day,
    breakpoints,
    days_walking,
    escc_at,
    frankel_at,
    is_walking,
    regained_ambulation,
    sins_at,
    untreated_frankel,
    vas_at,
)
from simulator.model.natural_history import DAYS_PER_MONTH
from simulator.model.patient import ESCC, FRANKEL, INF
from simulator.parameters.schema import Pain

A, B, C, D, E = range(5)

# Latent days of an untreated decline: motor deficit, walking lost, paraplegia, complete.
MOTOR, WALK_LOSS, PARAPLEGIA, COMPLETE = 100.0, 130.0, 145.0, 170.0


@pytest.fixture
def declining(patient_factory):
    return patient_factory(onset_day=40.0, escc2_day=90.0, motor_day=MOTOR, walk_loss_day=WALK_LOSS,
                           paraplegia_day=PARAPLEGIA, complete_day=COMPLETE)


# --- Frankel --------------------------------------------------------------------------------------


def test_untreated_frankel_sequence_e_d_c_b_a_at_the_latent_days(declining):
    expected = [(0.0, E), (MOTOR - 1e-9, E), (MOTOR, D), (WALK_LOSS - 1e-9, D), (WALK_LOSS, C),
                (PARAPLEGIA, B), (COMPLETE - 1e-9, B), (COMPLETE, A), (10_000.0, A)]
    assert [(day, frankel_at(declining, day)) for day, _ in expected] == expected
    assert [untreated_frankel(declining, day) for day, _ in expected] == [g for _, g in expected]
    assert "".join(FRANKEL[frankel_at(declining, d)] for d in (0, MOTOR, WALK_LOSS, PARAPLEGIA, COMPLETE)) == "EDCBA"


def test_no_deficit_means_frankel_e_for_ever(patient_factory):
    p = patient_factory()
    assert {frankel_at(p, d) for d in (0.0, 1e3, 1e6)} == {E}
    assert ambulation_lost_day(p, 0.0) == INF


def test_frankel_after_treatment_and_relapse(declining):
    """Treated at C (day 135): C until recovery, D from day 156, relapse on day 300 restarts the decline.

    After the relapse the patient walks (D) for walk_loss - motor = 30 days, then C, and is B from
    paraplegia - motor = 45 days after the relapse (the patient's own speed).
    """
    p = declining
    p.effect_day, p.tx_frankel, p.after_frankel, p.after_day, p.relapse_day = 135.0, C, D, 156.0, 300.0
    checks = [(134.9, C), (135.0, C), (155.9, C), (156.0, D), (299.9, D), (300.0, D), (329.9, D), (330.0, C),
              (344.9, C), (345.0, B)]
    assert [(d, frankel_at(p, d)) for d, _ in checks] == checks


def test_relapse_of_a_frankel_e_patient_starts_at_d(declining):
    p = declining
    p.effect_day, p.tx_frankel, p.after_frankel, p.after_day, p.relapse_day = 95.0, E, E, 95.0, 200.0
    assert frankel_at(p, 150.0) == E  # treatment stopped the untreated decline at day 100
    assert frankel_at(p, 200.0) == D
    assert frankel_at(p, 230.0) == C


def test_relapse_decline_reaches_frankel_a_at_the_untreated_speed(declining):
    """Regression (fixed in 2d2ed7c): the decline after a relapse used to stop at Frankel B."""
    p = declining
    p.effect_day, p.tx_frankel, p.after_frankel, p.after_day, p.relapse_day = 95.0, E, E, 95.0, 200.0
    assert frankel_at(p, 200.0 + (PARAPLEGIA - MOTOR)) == B
    assert frankel_at(p, 200.0 + (COMPLETE - MOTOR) - 1e-9) == B
    assert frankel_at(p, 200.0 + (COMPLETE - MOTOR)) == A
    assert 200.0 + (COMPLETE - MOTOR) in breakpoints(p)


def test_treatment_without_recovery_holds_the_grade(declining):
    p = declining
    p.effect_day, p.tx_frankel, p.after_frankel, p.after_day = 150.0, B, B, 150.0
    assert [frankel_at(p, d) for d in (150.0, 500.0, 5000.0)] == [B, B, B]


def test_walking_helpers(declining):
    p = declining
    assert is_walking(p, MOTOR) and not is_walking(p, WALK_LOSS)
    assert ambulation_lost_day(p, 0.0) == WALK_LOSS
    assert ambulation_lost_day(p, 200.0) == 200.0  # already not walking
    assert days_walking(p, 50.0, 200.0) == pytest.approx(WALK_LOSS - 50.0)
    assert days_walking(p, 200.0, 100.0) == 0.0
    assert breakpoints(p) == [MOTOR, WALK_LOSS, PARAPLEGIA, COMPLETE]


def test_regained_ambulation_needs_a_non_walker_who_walks_after(declining):
    p = declining
    p.tx_frankel, p.after_frankel = C, D
    assert regained_ambulation(p)
    p.tx_frankel, p.after_frankel = D, D
    assert not regained_ambulation(p)
    p.tx_frankel, p.after_frankel = C, C
    assert not regained_ambulation(p)


# --- ESCC -----------------------------------------------------------------------------------------


def test_escc_rises_monotonically_to_grade_2_at_escc2_day(patient_factory):
    p = patient_factory(onset_day=0.0, escc_onset=0, escc2_day=100.0, motor_day=110.0, walk_loss_day=150.0)
    days = [0.0, 24.9, 25.0, 50.0, 75.0, 99.9, 100.0, 149.9, 150.0, 400.0]
    grades = [escc_at(p, d) for d in days]
    assert grades == sorted(grades)
    assert [ESCC[g] for g in grades] == ["0", "0", "1a", "1b", "1c", "1c", "2", "2", "3", "3"]


def test_escc_starts_from_the_onset_grade(patient_factory):
    p = patient_factory(onset_day=10.0, escc_onset=ESCC.index("1b"), escc2_day=60.0, walk_loss_day=90.0)
    assert ESCC[escc_at(p, 0.0)] == "1b"
    assert ESCC[escc_at(p, 59.0)] == "1c"
    assert ESCC[escc_at(p, 60.0)] == "2"


def test_escc_without_compression_stays_at_onset_grade(patient_factory):
    p = patient_factory(escc_onset=ESCC.index("1a"))
    assert {escc_at(p, d) for d in (0.0, 100.0, 1e5)} == {ESCC.index("1a")}


def test_escc_is_frozen_by_treatment(patient_factory):
    p = patient_factory(onset_day=0.0, escc_onset=0, escc2_day=100.0, walk_loss_day=150.0)
    p.effect_day = 60.0
    assert escc_at(p, 500.0) == escc_at(p, 60.0) == ESCC.index("1b")


# --- SINS (Fisher 2010) ---------------------------------------------------------------------------

# The published SINS items (Fisher, Spine 2010;35:E1221), written out independently of the model.
SINS_LOCATION = {"junctional": 3, "mobile": 2, "semi-rigid": 1, "rigid": 0}
SINS_PAIN = {"mechanical": 3, "occasional non-mechanical": 1, "pain-free": 0}
SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
SINS_ALIGNMENT = {"subluxation": 4, "de novo deformity": 2, "normal": 0}
SINS_COLLAPSE = {">50% collapse": 3, "<50% collapse": 2, "no collapse, >50% body involved": 1, "none": 0}
SINS_POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}


@pytest.mark.parametrize("lesion, day, items", [
    (dict(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=50.0, collapse_over_half=True,
          posterolateral="bilateral"), 60.0,
     ("junctional", "mechanical", "lytic", "de novo deformity", ">50% collapse", "bilateral")),
    (dict(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=50.0, collapse_over_half=True,
          posterolateral="bilateral"), 20.0,
     ("junctional", "occasional non-mechanical", "lytic", "normal", "none", "bilateral")),
    (dict(level="lumbar", lesion_type="mixed", fracture_day=5.0, posterolateral="unilateral"), 5.0,
     ("mobile", "mechanical", "mixed", "normal", "<50% collapse", "unilateral")),
    (dict(level="cervical", lesion_type="mixed", body_over_half=True, posterolateral="unilateral"), 30.0,
     ("mobile", "occasional non-mechanical", "mixed", "normal", "no collapse, >50% body involved", "unilateral")),
    (dict(level="thoracic", lesion_type="blastic", onset_day=100.0), 30.0,
     ("semi-rigid", "pain-free", "blastic", "normal", "none", "none")),
    (dict(level="sacral", lesion_type="lytic"), 30.0,
     ("rigid", "occasional non-mechanical", "lytic", "normal", "none", "none")),
], ids=["junctional-lytic-fractured-collapse-bilateral", "same-before-fracture", "lumbar-mixed-fracture",
        "cervical-body-involved", "thoracic-blastic-pain-free", "sacral"])
def test_sins_reproduces_fisher_2010(patient_factory, lesion, day, items):
    p = patient_factory(**lesion)
    tables = (SINS_LOCATION, SINS_PAIN, SINS_LESION, SINS_ALIGNMENT, SINS_COLLAPSE, SINS_POSTEROLATERAL)
    expected = sum(table[item] for table, item in zip(tables, items, strict=True))
    assert sins_at(p, day) == expected


def test_sins_of_the_worst_hand_built_lesion_is_16_and_unstable(patient_factory):
    """Junctional (3) + mechanical pain (3) + lytic (2) + deformity (2) + >50% collapse (3) + bilateral (3)."""
    p = patient_factory(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=0.0,
                        collapse_over_half=True, posterolateral="bilateral")
    assert sins_at(p, 1.0) == 16
    assert sins_at(p, 1.0) >= 13  # Fisher: 13-18 unstable


# --- VAS ------------------------------------------------------------------------------------------

PAIN = Pain(biological_vas_at_onset=4.0, biological_vas_per_month=1.0, biological_vas_max=7.0, p_radicular=0.5,
            radicular_vas=2.0, mechanical_vas=3.0)


@pytest.fixture
def tx(baseline):
    return baseline.params.treatment.model_copy(update={"bone_agent_vas_drop": 0.5})


def test_vas_is_zero_before_onset(patient_factory, tx):
    assert vas_at(patient_factory(onset_day=10.0), 9.99, PAIN, tx) == 0.0


def test_vas_biological_pain_grows_then_plateaus(patient_factory, tx):
    p = patient_factory(onset_day=0.0)
    assert vas_at(p, 0.0, PAIN, tx) == 4.0
    assert vas_at(p, DAYS_PER_MONTH, PAIN, tx) == 5.0
    assert vas_at(p, 2 * DAYS_PER_MONTH, PAIN, tx) == 6.0
    assert vas_at(p, 30 * DAYS_PER_MONTH, PAIN, tx) == 7.0  # ceiling


def test_vas_bone_agent_lowers_biological_pain(patient_factory, tx):
    assert vas_at(patient_factory(bone_agent=True), 0.0, PAIN, tx) == 3.5


def test_vas_radicular_pain_from_high_grade_compression(patient_factory, tx):
    p = patient_factory(radicular=True, escc2_day=10.0)
    assert vas_at(p, 9.0, PAIN, tx) == round(4.0 + 9.0 / DAYS_PER_MONTH, 1)
    assert vas_at(p, 10.0, PAIN, tx) == round(4.0 + 10.0 / DAYS_PER_MONTH + 2.0, 1)
    assert vas_at(patient_factory(radicular=False, escc2_day=10.0), 10.0, PAIN, tx) == round(
        4.0 + 10.0 / DAYS_PER_MONTH, 1)


def test_vas_mechanical_pain_after_fracture_and_the_ten_point_ceiling(patient_factory, tx):
    p = patient_factory(fracture_day=0.0, radicular=True, escc2_day=0.0)
    assert vas_at(p, 0.0, PAIN, tx) == 4.0 + 2.0 + 3.0
    assert vas_at(p, 60 * DAYS_PER_MONTH, PAIN, tx) == 10.0  # 7 + 2 + 3 capped


def test_vas_stabilising_surgery_removes_mechanical_pain(patient_factory, tx):
    p = patient_factory(fracture_day=0.0)
    p.stabilised, p.treatment_day = True, 5.0
    assert vas_at(p, 4.0, PAIN, tx) == round(4.0 + 4.0 / DAYS_PER_MONTH + 3.0, 1)
    assert vas_at(p, 5.0, PAIN, tx) == round(4.0 + 5.0 / DAYS_PER_MONTH, 1)


def test_vas_cement_relief_lowers_mechanical_pain(patient_factory, tx):
    p = patient_factory(fracture_day=0.0)
    p.treatment_day, p.mechanical_relief = 0.0, 1.0
    assert vas_at(p, 0.0, PAIN, tx) == 4.0 + 3.0 - 1.0
    p.mechanical_relief = 10.0
    assert vas_at(p, 0.0, PAIN, tx) == 4.0  # relief never makes mechanical pain negative


def test_vas_radiotherapy_relief_scales_biological_and_radicular_pain(patient_factory, tx):
    """A responder: from the relief day, (biological + radicular) x (1 - relief), growth frozen at effect."""
    p = patient_factory(radicular=True, escc2_day=0.0)
    p.effect_day, p.pain_relief_day, p.pain_relapse_day, p.pain_relief = DAYS_PER_MONTH, 2 * DAYS_PER_MONTH, \
        5 * DAYS_PER_MONTH, 0.5
    assert vas_at(p, 2 * DAYS_PER_MONTH, PAIN, tx) == (5.0 + 2.0) * 0.5
    assert vas_at(p, 4 * DAYS_PER_MONTH, PAIN, tx) == (5.0 + 2.0) * 0.5  # frozen at the effect day
    assert vas_at(p, 5 * DAYS_PER_MONTH, PAIN, tx) == 7.0 + 2.0  # relapsed: full pain again


def test_vas_cap_after_surgery(patient_factory, tx):
    p = patient_factory(fracture_day=0.0)
    p.stabilised, p.treatment_day, p.effect_day = True, 0.0, 0.0
    p.pain_relief_day, p.pain_relapse_day, p.pain_relief, p.vas_cap = 0.0, INF, 0.1, 2.0
    assert vas_at(p, 10.0, PAIN, tx) == 2.0
    assert math.isnan(patient_factory().vas_cap)
