"""Unit tests of ``simulator/model/course.py``: the piecewise-constant neurological course and the decline.

Grades are :class:`simulator.vocabulary.Grade` (A=0 ... D with aid=3, D unaided=4, E=5). Every expected
value is written out by hand from the days used here.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.model.course import INF, Course, Decline
from simulator.vocabulary import Cause, Grade, walks

A, B, C, D_AID, D_UN, E = Grade.A, Grade.B, Grade.C, Grade.D_AID, Grade.D_UNAIDED, Grade.E
NAT, TX, REL, COMP = Cause.NATURAL, Cause.TREATMENT, Cause.RELAPSE, Cause.COMPLICATION


def course_of(*changes: tuple[float, int, str], start: int = E) -> Course:
    course = Course(start)
    for change in changes:
        course.append(*change)
    return course


def stored(course: Course) -> list[tuple[float, int, str]]:
    """What the course holds, the starting entry included."""
    return list(zip(course.days, course.grades, course.causes, strict=True))


# --- append ------------------------------------------------------------------------------------------


def test_a_new_course_is_one_grade_for_ever():
    course = Course()
    assert stored(course) == [(-INF, E, "")]
    assert [course.grade_at(d) for d in (-1e9, 0.0, 1e9, INF)] == [E, E, E, E]
    assert list(course.changes()) == []
    assert Course(C).grade_at(0.0) == C


def test_a_change_on_the_start_day_replaces_the_starting_grade():
    """The start is a stored entry like any other: a change on its day replaces it (nothing before it)."""
    course = Course()
    course.append(-INF, C, NAT)
    assert stored(course) == [(-INF, C, NAT)]
    assert course.grade_at(0.0) == C


def test_append_adds_changes_in_order_and_grade_at_reads_them():
    course = course_of((10.0, D_UN, NAT), (20.0, D_AID, NAT), (35.0, C, NAT))
    assert stored(course)[1:] == [(10.0, D_UN, NAT), (20.0, D_AID, NAT), (35.0, C, NAT)]
    # a change holds from its own day: [day, next day)
    assert [course.grade_at(d) for d in (9.999, 10.0, 19.999, 20.0, 34.999, 35.0, 1e6)] == \
        [E, D_UN, D_UN, D_AID, D_AID, C, C]
    days = np.array([-INF, 9.999, 10.0, 19.999, 20.0, 34.999, 35.0, 1e6, INF])
    assert course.grades_at(days).tolist() == [course.grade_at(d) for d in days]  # the states table's reading


def test_same_grade_changes_are_never_stored():
    course = course_of((10.0, E, TX), (20.0, D_UN, NAT), (25.0, D_UN, TX), (30.0, D_UN, REL))
    assert stored(course) == [(-INF, E, ""), (20.0, D_UN, NAT)]


def test_append_before_the_last_change_is_an_error():
    course = course_of((10.0, D_UN, NAT))
    with pytest.raises(ValueError, match="before the last change"):
        course.append(9.0, C, NAT)


def test_two_changes_on_one_day_the_later_one_stands():
    course = course_of((10.0, D_UN, NAT), (10.0, D_AID, COMP))
    assert stored(course)[1:] == [(10.0, D_AID, COMP)]
    assert course.grade_at(10.0) == D_AID


def test_two_changes_on_one_day_that_come_back_to_the_grade_before_leave_no_change():
    course = course_of((10.0, D_UN, NAT), (20.0, C, NAT), (20.0, D_UN, TX))
    assert stored(course) == [(-INF, E, ""), (10.0, D_UN, NAT)]
    back_to_start = course_of((5.0, C, NAT), (5.0, E, TX))
    assert stored(back_to_start) == [(-INF, E, "")]


def test_a_zero_length_grade_collapses_into_the_next():
    """A decline that spends no time at a grade (0 days) reaches the next grade on the same day."""
    course = course_of((10.0, D_UN, NAT), (10.0, D_AID, NAT), (10.0, C, NAT))
    assert stored(course)[1:] == [(10.0, C, NAT)]


# --- replace_from --------------------------------------------------------------------------------------


@pytest.fixture
def declining() -> Course:
    return course_of((10.0, D_UN, NAT), (20.0, D_AID, NAT), (40.0, C, NAT), (70.0, B, NAT), (110.0, A, NAT))


def test_replace_from_keeps_the_past_and_writes_the_new_future(declining):
    declining.replace_from(30.0, [(30.0, D_AID, TX), (51.0, D_UN, TX)])
    assert stored(declining)[1:] == [(10.0, D_UN, NAT), (20.0, D_AID, NAT), (51.0, D_UN, TX)]
    assert declining.grade_at(29.9) == D_AID and declining.grade_at(1e6) == D_UN


def test_replace_from_drops_a_change_on_the_day_itself(declining):
    """A change exactly on the replacement day is part of the future that is replaced."""
    declining.replace_from(40.0, [(40.0, D_AID, TX)])
    assert stored(declining)[1:] == [(10.0, D_UN, NAT), (20.0, D_AID, NAT)]
    assert declining.grade_at(40.0) == D_AID


def test_replace_from_with_the_current_grade_stores_nothing_new(declining):
    """Treatment that holds the grade: the first change restates the grade and is not stored."""
    declining.replace_from(50.0, [(50.0, C, TX)])
    assert stored(declining)[1:] == [(10.0, D_UN, NAT), (20.0, D_AID, NAT), (40.0, C, NAT)]


def test_replace_from_before_any_change_rewrites_everything(declining):
    declining.replace_from(5.0, [(5.0, E, TX)])
    assert stored(declining) == [(-INF, E, "")]


def test_replace_from_with_no_changes_truncates(declining):
    declining.replace_from(70.0, [])
    assert stored(declining)[-1] == (40.0, C, NAT)


def test_replace_from_twice_gives_the_same_course_as_once():
    """Re-treatment replaces the future again: only the latest future remains."""
    once = course_of((10.0, D_UN, NAT), (20.0, D_AID, NAT))
    once.replace_from(15.0, [(15.0, D_UN, TX), (40.0, D_AID, REL), (60.0, C, REL)])
    once.replace_from(50.0, [(50.0, D_AID, TX), (71.0, D_UN, TX)])
    assert stored(once)[1:] == [(10.0, D_UN, NAT), (40.0, D_AID, REL), (71.0, D_UN, TX)]


# --- queries ---------------------------------------------------------------------------------------------


def test_changes_are_half_open_windows(declining):
    assert [c[0] for c in declining.changes()] == [10.0, 20.0, 40.0, 70.0, 110.0]
    assert list(declining.changes(20.0, 70.0)) == [(20.0, D_UN, D_AID, NAT), (40.0, D_AID, C, NAT)]
    assert list(declining.changes(20.1, 40.0)) == []


def test_first_day(declining):
    not_walking = lambda g: not walks(g)  # noqa: E731
    assert declining.first_day(not_walking, 0.0, INF) == 40.0
    assert declining.first_day(not_walking, 50.0, INF) == 50.0  # already true at the start
    assert declining.first_day(not_walking, 0.0, 40.0) == INF  # the window is half-open
    assert declining.first_day(lambda g: g == A, 0.0, INF) == 110.0
    assert declining.first_day(lambda g: g == A, 110.0, 111.0) == 110.0
    assert declining.first_day(lambda g: g > E, -INF, INF) == INF


def test_time_in(declining):
    assert declining.time_in(walks, 0.0, 1000.0) == 40.0
    assert declining.time_in(walks, 15.0, 30.0) == 15.0
    assert declining.time_in(lambda g: g == D_AID, 0.0, 1000.0) == 20.0
    assert declining.time_in(lambda g: g <= B, 0.0, 100.0) == 30.0
    assert declining.time_in(walks, 30.0, 30.0) == 0.0
    assert declining.time_in(walks, 30.0, 10.0) == 0.0  # an empty window
    assert declining.time_in(lambda g: True, 3.0, 17.5) == 14.5


def test_segments_cover_the_window_without_gaps(declining):
    pieces = list(declining.segments(15.0, 80.0))
    assert pieces == [(15.0, 20.0, D_UN), (20.0, 40.0, D_AID), (40.0, 70.0, C), (70.0, 80.0, B)]
    assert list(declining.segments(40.0, 50.0)) == [(40.0, 50.0, C)]
    assert list(declining.segments(0.0, 10.0)) == [(0.0, 10.0, E)]
    tail = list(declining.segments(100.0, INF))
    assert tail == [(100.0, 110.0, B), (110.0, INF, A)]


def test_an_empty_window_has_no_segment(declining):
    """A patient who dies on her entry day has no neurological interval in the trajectories table."""
    assert list(declining.segments(30.0, 30.0)) == []
    assert list(declining.segments(20.0, 20.0)) == []  # on a change day too
    assert list(Course().segments(5.0, 5.0)) == []


def test_segments_and_time_in_agree(declining):
    for start, stop in [(0.0, 200.0), (12.5, 41.0), (40.0, 40.5), (111.0, 300.0)]:
        pieces = list(declining.segments(start, stop))
        assert sum(b - a for a, b, _ in pieces) == pytest.approx(stop - start)
        assert sum(b - a for a, b, g in pieces if walks(g)) == pytest.approx(declining.time_in(walks, start, stop))


# --- Decline ------------------------------------------------------------------------------------------


UNAIDED, AID, NOT_WALKING, SENSORY = 5.0, 15.0, 30.0, 60.0


@pytest.fixture
def decline() -> Decline:
    return Decline(unaided_days=UNAIDED, aid_days=AID, not_walking_days=NOT_WALKING, sensory_days=SENSORY)


@pytest.mark.parametrize("grade, expected", [
    (E, [(100.0, E)]),
    (D_UN, [(100.0, D_UN), (105.0, D_AID), (120.0, C), (150.0, B), (210.0, A)]),
    (D_AID, [(100.0, D_AID), (115.0, C), (145.0, B), (205.0, A)]),
    (C, [(100.0, C), (130.0, B), (190.0, A)]),
    (B, [(100.0, B), (160.0, A)]),
    (A, [(100.0, A)]),
], ids=lambda x: x.name if isinstance(x, Grade) else None)
def test_decline_from_every_starting_grade(decline, grade, expected):
    """The same durations apply from whatever grade the decline starts; Frankel A lasts for ever."""
    changes = decline.from_grade(100.0, grade, REL)
    assert [(d, g) for d, g, _ in changes] == [(d, int(g)) for d, g in expected]
    assert {cause for _, _, cause in changes} == {REL}
    assert decline.from_grade(100.0, grade)[0][2] == NAT  # the default cause


def test_decline_stops_at_an_infinite_duration():
    stalls = Decline(unaided_days=5.0, aid_days=INF, not_walking_days=30.0, sensory_days=60.0)
    assert stalls.from_grade(0.0, D_UN) == [(0.0, D_UN, NAT), (5.0, D_AID, NAT)]


def test_decline_walking_days_is_the_time_from_deficit_to_loss_of_walking(decline):
    assert decline.walking_days() == UNAIDED + AID
    assert decline.days_at[A] == INF


def test_a_decline_appended_to_a_course_is_the_untreated_course(decline):
    course = Course()
    for change in decline.from_grade(100.0, D_UN):
        course.append(*change)
    assert course.first_day(lambda g: not walks(g), 0.0, INF) == 100.0 + decline.walking_days()
    assert course.time_in(walks, 0.0, 1e6) == pytest.approx(100.0 + UNAIDED + AID)
    assert math.isinf(course.first_day(lambda g: g > E, 0.0, INF))
