"""Unit tests of ``simulator/model/outcomes.py``: queries of a finished patient, on hand-built records.

The factory's untreated decline lasts 10 days at D unaided, 20 with an aid, 30 not walking (C) and
40 at B before Frankel A; each expected day below is added up by hand from those.
"""

from __future__ import annotations

import math

import pytest

from simulator.model.course import Course
from simulator.model.outcomes import (
    after_diagnosis,
    after_onset,
    after_treatment,
    course_events,
    days_walking,
    first_day_below,
    grade_loss,
    loss_from_diagnosis,
    regained,
    relapse,
    retained_days,
    retreatments,
    surgical,
    survival_days_from,
    walking_label,
)
from simulator.model.patient import INF, Episode
from simulator.model.simulation import simulate
from simulator.vocabulary import DAYS_PER_MONTH, Cause, Grade, frankel, walking

A, B, C, D_AID, D_UN, E = Grade.A, Grade.B, Grade.C, Grade.D_AID, Grade.D_UNAIDED, Grade.E
NAT, TX, REL, COMP = Cause.NATURAL, Cause.TREATMENT, Cause.RELAPSE, Cause.COMPLICATION


def episode(kind="rt", **fields) -> Episode:
    e = Episode(kind, fields.pop("decision_day", 0.0), retreatment=fields.pop("retreatment", False))
    for name, value in fields.items():
        setattr(e, name, value)
    return e


def course_of(*changes) -> Course:
    course = Course()
    for change in changes:
        course.append(*change)
    return course


@pytest.fixture
def regains(patient_factory):
    """Deficit on day 100, not walking from 130; operated on day 140 (at C), walks with an aid from day 161;
    the lesion relapses on day 400 and she stops walking again on day 420; alive until day 1000."""
    p = patient_factory(motor_day=100.0, diagnosis_day=135.0, dx_grade=C, end_day=1000.0, death_day=2000.0)
    p.course.replace_from(140.0, [(140.0, C, TX), (161.0, D_AID, TX)])
    p.course.replace_from(400.0, p.decline.from_grade(400.0, D_AID, REL))
    p.episodes.append(episode("surgery+rt", start_day=140.0, surgery_day=140.0, effect_day=140.0, grade_start=C,
                              grade_effect=C, grade_after=D_AID, walks_after=True, recovery_day=161.0,
                              neuro_relapse_day=400.0))
    return p


# --- milestones --------------------------------------------------------------------------------------------


def test_days_after_diagnosis_onset_and_treatment_only_while_alive_and_followed(regains):
    assert after_diagnosis(regains, 1) == pytest.approx(135.0 + DAYS_PER_MONTH)
    assert after_diagnosis(regains, 100) is None  # after the end of follow-up
    assert after_onset(regains, 2) == pytest.approx(2 * DAYS_PER_MONTH)
    assert after_treatment(regains, 56.0) == 196.0
    assert after_treatment(regains, 900.0) is None


def test_no_milestone_without_the_event_it_counts_from(patient_factory):
    p = patient_factory(onset_day=INF)
    assert after_diagnosis(p, 1) is None and after_onset(p, 1) is None and after_treatment(p, 1.0) is None


def test_first_day_below_reads_the_actual_course(regains):
    assert first_day_below(regains, D_UN) == 110.0  # needs an aid
    assert first_day_below(regains, D_AID) == 130.0  # stops walking
    assert first_day_below(regains, C) == 400.0 + 20.0 + 30.0  # treatment stopped the decline at C; the relapse
    regains.end_day = 440.0
    assert first_day_below(regains, C) == INF  # ... reaches B after the end of follow-up


def test_days_walking(regains):
    assert days_walking(regains, 0.0, 1000.0) == pytest.approx(130.0 + (420.0 - 161.0))
    assert days_walking(regains, 0.0, 1000.0, unaided=True) == pytest.approx(110.0)


# --- retained and regained walking ------------------------------------------------------------------------


def test_retained_days_run_from_the_start_of_treatment_to_the_next_loss_of_walking(regains):
    """Patchell's retained ambulation: start of treatment (140) to the loss after recovery (420)."""
    assert retained_days(regains) == 420.0 - 140.0


def test_retained_days_end_at_death_or_the_end_of_follow_up(regains):
    regains.death_day = 300.0
    assert retained_days(regains) == 300.0 - 140.0
    regains.death_day, regains.end_day = 2000.0, 250.0
    assert retained_days(regains) == 250.0 - 140.0


def test_retained_days_are_zero_when_she_does_not_walk_after_treatment(regains):
    regains.first.walks_after = False
    assert retained_days(regains) == 0.0


def test_retained_days_are_empty_without_treatment(patient_factory):
    assert math.isnan(retained_days(patient_factory()))
    p = patient_factory()
    p.episodes.append(episode(start_day=INF))  # died in the queue: never started
    assert math.isnan(retained_days(p))


def test_regained_needs_a_non_walker_at_the_effect_who_walks_after(regains):
    assert regained(regains) is True
    regains.first.grade_effect = D_AID
    assert regained(regains) is False  # walked already
    regains.first.grade_effect, regains.first.walks_after = C, False
    assert regained(regains) is False
    regains.first.grade_effect = -1
    assert regained(regains) is None  # the treatment never took effect (supportive care, or died waiting)


def test_loss_from_diagnosis_for_walkers_at_diagnosis(patient_factory, regains):
    walker = patient_factory(motor_day=100.0, diagnosis_day=105.0, dx_grade=D_UN, death_day=2000.0)
    assert loss_from_diagnosis(walker) == (130.0 - 105.0, True)
    walker.death_day = 120.0
    assert loss_from_diagnosis(walker) == (120.0 - 105.0, False)  # censored at death
    assert loss_from_diagnosis(regains) is None  # not walking at diagnosis
    assert loss_from_diagnosis(patient_factory()) is None  # never diagnosed


# --- grade loss, survival, relapses ---------------------------------------------------------------------------


def test_grade_loss_counts_grades_lost_never_gained(regains):
    assert grade_loss(regains, 0.0, 135.0) == E - C
    assert grade_loss(regains, 105.0, 115.0) == D_UN - D_AID
    assert grade_loss(regains, 135.0, 200.0) == 0  # improved: no loss
    assert grade_loss(regains, 100.0, 100.0) == 0
    assert grade_loss(regains, INF, 200.0) is None
    assert grade_loss(regains, 100.0, INF) is None
    assert grade_loss(regains, 200.0, 100.0) is None


def test_survival_days_from(regains):
    assert survival_days_from(regains, 135.0) == 1000.0 - 135.0  # end of follow-up first
    assert math.isnan(survival_days_from(regains, INF))


def test_relapse_and_retreatments(regains):
    assert relapse(regains) == (INF, "")  # scheduled, but not lived to (no cause recorded)
    regains.first.relapse_cause = "neurological"
    assert relapse(regains) == (400.0, "neurological")
    regains.episodes.append(episode("rt", retreatment=True, pain_relapse_day=700.0, relapse_cause="pain"))
    assert retreatments(regains) == ["rt"]
    assert surgical(regains)
    regains.first.surgery_day = INF
    assert not surgical(regains)


# --- course events ------------------------------------------------------------------------------------------


def test_course_events_record_every_grade_change_once_with_its_cause(patient_factory):
    """Each transition of the six-level grade, as frankel_change and/or walking_change ('X->Y cause')."""
    course = course_of((10.0, D_UN, NAT), (20.0, D_AID, NAT), (30.0, C, NAT), (40.0, B, NAT), (50.0, A, NAT),
                       (60.0, C, TX), (70.0, D_UN, TX), (80.0, E, TX), (90.0, D_AID, REL), (95.0, C, COMP))
    p = patient_factory(course=course, bone_mets_day=INF, spine_day=INF, end_day=100.0)
    changes = [e for e in course_events(p) if e[1] in ("frankel_change", "walking_change")]
    assert changes == [
        (10.0, "frankel_change", "E->D natural"),
        (20.0, "walking_change", "unaided->with aid natural"),
        (30.0, "frankel_change", "D->C natural"),
        (30.0, "walking_change", "with aid->not walking natural"),
        (40.0, "frankel_change", "C->B natural"),
        (50.0, "frankel_change", "B->A natural"),
        (60.0, "frankel_change", "A->C treatment"),
        (70.0, "frankel_change", "C->D treatment"),
        (70.0, "walking_change", "not walking->unaided treatment"),
        (80.0, "frankel_change", "D->E treatment"),
        (90.0, "frankel_change", "E->D relapse"),
        (90.0, "walking_change", "unaided->with aid relapse"),
        (95.0, "frankel_change", "D->C complication"),
        (95.0, "walking_change", "with aid->not walking complication"),
    ]


def test_course_events_stop_at_death_and_end_with_one_terminal_event(patient_factory):
    p = patient_factory(motor_day=100.0, death_day=125.0, bone_mets_day=INF, spine_day=INF)
    events = course_events(p)
    assert [e for e in events if e[0] >= 125.0] == [(125.0, "death", "")]
    assert [e[0] for e in events if e[1] == "frankel_change"] == [100.0]
    assert [e[0] for e in events if e[1] == "walking_change"] == [110.0]
    p.death_day = INF
    p.end_day = 115.0
    assert course_events(p)[-1] == (115.0, "end_of_follow_up", "")


def test_course_events_of_the_disease(patient_factory):
    p = patient_factory(entry_day=0.0, bone_mets_day=5.0, spine_day=20.0, level="lumbar", lesion_type="mixed",
                        fracture_day=60.0, radicular=True, escc2_day=80.0, motor_day=90.0, end_day=100.0)
    assert [e for e in course_events(p) if e[1] not in ("frankel_change", "walking_change")] == [
        (0.0, "entry", ""), (5.0, "bone_metastasis", ""), (20.0, "spinal_metastasis", "lumbar mixed"),
        (60.0, "pathological_fracture", ""), (80.0, "cord_compression", "ESCC 2"),
        (80.0, "warning_signs", "radicular pain"), (100.0, "end_of_follow_up", "")]
    p.episodes.append(episode(effect_day=70.0))  # treated before the compression: it never happens
    assert "cord_compression" not in [e[1] for e in course_events(p)]


def test_walking_label():
    assert [walking_label(g) for g in (A, B, C, D_AID, D_UN, E)] == \
        ["not walking"] * 3 + ["with aid", "unaided", "unaided"]


def test_every_grade_change_of_a_simulated_cohort_is_an_event_once(tiny_scenario):
    rep = simulate(tiny_scenario.params, 17, 0, 400)
    checked = 0
    for p in rep.patients:
        events = course_events(p)
        logged = [e for e in events if e[1] in ("frankel_change", "walking_change")]
        expected = []
        for day, old, new, cause in p.course.changes(p.entry_day, min(p.death_day, p.end_day)):
            assert old != new
            if frankel(old) != frankel(new):
                expected.append((day, "frankel_change", f"{frankel(old)}->{frankel(new)} {cause}"))
            if walking(old) != walking(new):
                expected.append((day, "walking_change", f"{walking_label(old)}->{walking_label(new)} {cause}"))
            checked += 1
        assert logged == expected, p.pid
    assert checked > 100
