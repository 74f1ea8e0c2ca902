"""Unit tests of ``simulator/model/natural_history.py``: the latent course from one row of uniforms.

Each test writes the patient's disease uniforms slot by slot (the slots are permanent), so the
expected values follow from the scenario's parameters and the sampling functions.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.model import natural_history as nh
from simulator.model.cohort import natural_changes
from simulator.model.sampling import lognormal
from simulator.model.simulation import draw_replication_cohort
from simulator.model.survival import first_passage, hazard_pieces, survival_target
from simulator.vocabulary import ESCC_HIGH, Cause, Grade

INF = math.inf


@pytest.fixture
def params(baseline):
    return baseline.params


def uniforms(**slots: float) -> list[float]:
    """0.5 everywhere (medians), a spinal lesion that becomes symptomatic, unless ``slots`` say otherwise."""
    u = [0.5] * nh.DISEASE_SLOTS
    u[nh.HAS_BONE] = u[nh.SPINE] = u[nh.SYMPTOMATIC] = 0.0
    u[nh.DEATH] = 1.0 - 1e-9  # outlives follow-up
    for name, value in slots.items():
        u[getattr(nh, name.upper())] = value
    return u


def test_the_same_uniforms_give_the_same_patient(params):
    a, b = nh.draw_patient(params, uniforms(), 3, 10.0), nh.draw_patient(params, uniforms(), 3, 10.0)
    assert (a.onset_day, a.motor_day, a.death_day, a.course.days, a.course.grades) == \
        (b.onset_day, b.motor_day, b.death_day, b.course.days, b.course.grades)


def test_the_gradual_decline_splits_walking_time_at_the_unaided_fraction(params):
    n = params.natural_history
    p = nh.draw_patient(params, uniforms(acute=1.0 - 1e-9), 0, 0.0)
    walking = lognormal(0.5, n.walking_loss_median_days, n.walking_loss_sigma)
    assert p.decline.walking_days() == pytest.approx(walking)
    assert p.decline.days_at[Grade.D_UNAIDED] == pytest.approx(n.walking_unaided_fraction * walking)
    assert p.decline.days_at[Grade.C] == pytest.approx(n.paraplegia_median_days)
    assert p.decline.days_at[Grade.B] == pytest.approx(n.complete_median_days)
    assert p.speed == pytest.approx(0.0)  # the median decline


def test_an_acute_decline_is_the_gradual_one_shortened_by_the_acute_factor(params):
    """Rades 1999: 31 of 96 deteriorated within 48 h; an acute collapse costs walking within days.

    Model v2: the acute factor shortens the loss of walking only (walking unaided, then with an aid);
    once unable to walk, paralysis and a complete lesion follow at the patient's gradual pace. Her
    speed of decline (the response model's factor) is that of her walking time, bounded at
    ``MAX_SPEED_FOLDS`` e-folds.
    """
    n = params.natural_history
    gradual = nh.draw_patient(params, uniforms(acute=1.0 - 1e-9), 0, 0.0)
    acute = nh.draw_patient(params, uniforms(acute=0.0), 0, 0.0)
    assert n.p_acute_deterioration > 0.0 and n.acute_time_factor < 1.0
    for grade in (Grade.D_UNAIDED, Grade.D_AID):
        assert acute.decline.days_at[grade] == pytest.approx(gradual.decline.days_at[grade] * n.acute_time_factor)
    for grade in (Grade.C, Grade.B):
        assert acute.decline.days_at[grade] == pytest.approx(gradual.decline.days_at[grade])
    assert acute.decline.walking_days() == pytest.approx(gradual.decline.walking_days() * n.acute_time_factor)
    expected_speed = min(nh.MAX_SPEED_FOLDS, gradual.speed - math.log(n.acute_time_factor))
    assert acute.speed == pytest.approx(expected_speed)
    assert acute.speed > gradual.speed


def test_the_speed_of_decline_is_bounded(params):
    """The response stops depending on speed beyond ``MAX_SPEED_FOLDS`` e-folds from the median decline."""
    n = params.natural_history
    for u, sign in ((1e-12, 1.0), (1.0 - 1e-12, -1.0)):
        p = nh.draw_patient(params, uniforms(acute=1.0 - 1e-9, walk_loss=u), 0, 0.0)
        unbounded = math.log(n.walking_loss_median_days / p.decline.walking_days())
        assert sign * unbounded > nh.MAX_SPEED_FOLDS  # the draw is beyond the bound
        assert p.speed == sign * nh.MAX_SPEED_FOLDS


def test_the_untreated_course_is_normal_until_the_first_deficit_then_the_patients_own_decline(params):
    p = nh.draw_patient(params, uniforms(compression=0.0, pain_first=0.0), 0, 0.0)
    assert p.first_symptom == "pain" and p.onset_day < p.escc2_day < p.motor_day < INF
    assert p.grade_at(p.motor_day - 1e-6) == Grade.E
    decline = p.decline.from_grade(p.motor_day, Grade.D_UNAIDED)
    expected = [(p.motor_day, Grade.E, Grade.D_UNAIDED, Cause.NATURAL)]
    expected += [(day, grade + 1, grade, Cause.NATURAL) for day, grade, _ in decline[1:]]
    assert list(p.course.changes()) == expected
    assert [g for _, g, _ in decline] == [Grade.D_UNAIDED, Grade.D_AID, Grade.C, Grade.B, Grade.A]


def test_a_neurological_first_symptom_is_a_deficit_with_high_grade_compression_at_onset(params):
    p = nh.draw_patient(params, uniforms(pain_first=1.0 - 1e-9), 0, 0.0)
    assert p.first_symptom == "neurological"
    assert p.onset_day == p.escc2_day == p.motor_day and p.escc_onset == ESCC_HIGH
    assert p.grade_at(p.onset_day) == Grade.D_UNAIDED


def test_without_compression_the_course_stays_normal(params):
    p = nh.draw_patient(params, uniforms(compression=1.0 - 1e-9, pain_first=0.0), 0, 0.0)
    assert p.symptomatic and p.escc2_day == p.motor_day == INF
    assert list(p.course.changes()) == [] and not p.radicular


def test_the_death_day_is_drawn_through_the_untreated_course(params):
    p = nh.draw_patient(params, uniforms(compression=0.0, pain_first=0.0, death=0.7), 0, 0.0)
    assert p.death_day == first_passage(hazard_pieces(p, params), survival_target(0.7))


def test_nothing_of_the_spinal_disease_happens_after_death(params):
    p = nh.draw_patient(params, uniforms(compression=0.0, pain_first=0.0, death=1e-6, symptom_time=0.99), 0, 0.0)
    assert p.death_day < p.end_day
    assert not p.symptomatic and p.onset_day == p.motor_day == INF
    assert list(p.course.changes()) == []


def test_the_untreated_course_columns_reach_each_grade_in_order(params):
    """natural_changes: the days of D unaided, D with aid, C, B and A never decrease (inf = never)."""
    k = draw_replication_cohort(params, 3, 0, 3000)
    changes = natural_changes(k)
    assert [grade for _, grade in changes] == [Grade.D_UNAIDED, Grade.D_AID, Grade.C, Grade.B, Grade.A]
    days = np.array([day for day, _ in changes])
    assert (days[1:] >= days[:-1]).all() and np.isfinite(days[-1]).any()  # inf >= inf; some reach A untreated
