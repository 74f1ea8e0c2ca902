"""Unit tests of ``simulator/output/tables.py``: columns read from hand-built patients."""

from __future__ import annotations

import pytest

from simulator.model.patient import Episode
from simulator.output import tables
from simulator.vocabulary import RT, SBRT, SUPPORTIVE, SURGERY_RT


def column(name: str):
    return next(read for c, read in tables.PATIENT_COLUMNS if c.name == name)


@pytest.mark.parametrize("before, after, responded, endpoint", [
    (2.3, 0.3, True, "partial"), (6.0, 4.0, True, "partial"), (5.1, 3.1, True, "partial"),
    (5.1, 3.2, False, "indeterminate"), (4.0, 0.0, True, "complete"), (1.5, 0.0, False, "complete"),
    (3.1, 5.1, False, "progression"),
])
def test_pain_response_at_3_months_counts_a_drop_of_exactly_two_points(patient_factory, baseline, monkeypatch,
                                                                       before, after, responded, endpoint):
    """Chow 2012: a response is a drop of at least 2 points; VAS has one decimal, so 2.3 -> 0.3 is 2 points."""
    p = patient_factory(diagnosis_day=0.0, dx_vas=before)
    monkeypatch.setattr(tables, "vas_at", lambda *args: after)
    ctx = tables._context(baseline.params)
    assert column("pain_response_3m")(p, ctx) is responded
    assert column("pain_endpoint_3m")(p, ctx) == endpoint


@pytest.mark.parametrize("kind, started, name", [
    (SURGERY_RT, False, "salvage-surgery"), (SURGERY_RT, True, "salvage-surgery"), (SBRT, False, "sbrt"),
    (RT, False, "re-irradiation"), (SUPPORTIVE, False, "supportive"),
])
def test_the_retreatment_column_names_the_decision_whether_or_not_it_started(patient_factory, kind, started, name):
    """A patient who died waiting for salvage surgery was reported as re-irradiated (the name came from what
    had started); it is the policy's decision, as logged by ``retreatment_decision``."""
    p = patient_factory()
    first, again = Episode(RT, 10.0), Episode(kind, 200.0, retreatment=True)
    first.rt_day = 12.0
    if started:
        again.surgery_day = 205.0
    p.episodes = [first, again]
    assert column("retreatment")(p, None) == name
    assert column("retreatment")(patient_factory(), None) is None  # never re-treated
