"""A patient's neurological course: a piecewise-constant grade with the day and cause of every change.

The course is what the survival hazard, the walking outcomes, the event log and the state tables all
read, so there is one definition of "walking on day t". It starts at grade E; the natural history
writes the untreated decline, and each treatment replaces the future from the day it takes effect
(:meth:`Course.replace_from`). Changes to the same grade are never stored, so two strategies that
leave a patient's course unchanged produce the same list, to the byte.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from simulator.vocabulary import Cause, Grade

INF = math.inf
Change = tuple[float, int, str]  # (day, new grade, cause)


class Course:
    """Grades over time: ``grades[i]`` holds on ``[days[i], days[i + 1])``; the first entry is the start."""

    __slots__ = ("days", "grades", "causes")

    def __init__(self, grade: int = Grade.E):
        self.days: list[float] = [-INF]
        self.grades: list[int] = [int(grade)]
        self.causes: list[str] = [""]

    def grade_at(self, day: float) -> int:
        """The grade on ``day``."""
        return self.grades[bisect_right(self.days, day) - 1]

    def grades_at(self, days: np.ndarray) -> np.ndarray:
        """The grade on each of ``days`` (as :meth:`grade_at`: a change on a day holds on that day)."""
        return np.asarray(self.grades)[np.searchsorted(self.days, days, side="right") - 1]

    def append(self, day: float, grade: int, cause: str) -> None:
        """Add a change after the last one (ignored if the grade does not change)."""
        if day < self.days[-1]:
            raise ValueError(f"course change on day {day} before the last change on day {self.days[-1]}")
        if int(grade) == self.grades[-1]:
            return
        if day == self.days[-1]:  # two changes on one day: the later one stands
            self.grades[-1], self.causes[-1] = int(grade), cause
            if len(self.grades) > 1 and self.grades[-2] == self.grades[-1]:
                self._pop()
            return
        self.days.append(day)
        self.grades.append(int(grade))
        self.causes.append(cause)

    def _pop(self) -> None:
        self.days.pop()
        self.grades.pop()
        self.causes.pop()

    def replace_from(self, day: float, changes: Iterable[Change]) -> None:
        """Drop every change on or after ``day`` and append ``changes`` (the new future)."""
        cut = bisect_right(self.days, day)
        while len(self.days) > cut:
            self._pop()
        if self.days[-1] == day and len(self.days) > 1:
            self._pop()
        for change in changes:
            self.append(*change)

    def changes(self, start: float = -INF, stop: float = INF) -> Iterator[tuple[float, int, int, str]]:
        """``(day, old grade, new grade, cause)`` of every change with ``start <= day < stop``."""
        for i in range(1, len(self.days)):
            if start <= self.days[i] < stop:
                yield self.days[i], self.grades[i - 1], self.grades[i], self.causes[i]

    def first_day(self, condition: Callable[[int], bool], start: float, stop: float) -> float:
        """The first day in ``[start, stop)`` on which ``condition(grade)`` holds (``inf`` if none)."""
        if condition(self.grade_at(start)):
            return start
        for day, _old, new, _cause in self.changes(start, stop):  # a change on ``start`` is grade_at(start)
            if condition(new):
                return day
        return INF

    def time_in(self, condition: Callable[[int], bool], start: float, stop: float) -> float:
        """Days in ``[start, stop)`` spent in grades for which ``condition`` holds."""
        if stop <= start:
            return 0.0
        total, day, grade = 0.0, start, self.grade_at(start)
        for change_day, _old, new, _cause in self.changes(start, stop):  # in day order, from ``start``
            total += (change_day - day) if condition(grade) else 0.0
            day, grade = change_day, new
        return total + ((stop - day) if condition(grade) else 0.0)

    def segments(self, start: float, stop: float) -> Iterator[tuple[float, float, int]]:
        """``(from, to, grade)`` pieces covering ``[start, stop)``."""
        day, grade = start, self.grade_at(start)
        for change_day, _old, new, _cause in self.changes(start, stop):
            if change_day > day:
                yield day, change_day, grade
            day, grade = change_day, new
        if stop > day:
            yield day, stop, grade


class Decline:
    """The patient's own speed of untreated neurological decline: days spent at each grade.

    ``days_at[g]`` is how long grade ``g`` lasts before the next lower one (Frankel A lasts for
    ever). The same durations apply from whatever grade the decline starts (after onset, after a
    failed treatment, after a relapse), so a fast patient is fast throughout.
    """

    __slots__ = ("days_at",)

    def __init__(self, unaided_days: float, aid_days: float, not_walking_days: float, sensory_days: float):
        self.days_at = {Grade.D_UNAIDED: unaided_days, Grade.D_AID: aid_days, Grade.C: not_walking_days,
                        Grade.B: sensory_days, Grade.A: INF}

    def from_grade(self, day: float, grade: int, cause: str = Cause.NATURAL) -> list[Change]:
        """The untreated changes after reaching ``grade`` on ``day`` (the entry at ``day`` included)."""
        out: list[Change] = [(day, int(grade), cause)]
        g = int(grade)
        while g <= Grade.D_UNAIDED:  # it ends at Frankel A, which lasts for ever
            day = day + self.days_at[Grade(g)]
            if day == INF:
                break
            g -= 1
            out.append((day, g, cause))
        return out

    def walking_days(self) -> float:
        """Days from the first motor deficit to loss of walking (Helweg-Larsen's interval)."""
        return self.days_at[Grade.D_UNAIDED] + self.days_at[Grade.D_AID]
