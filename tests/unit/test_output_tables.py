"""Unit tests of ``simulator/output/tables.py``: columns read from hand-built patients."""

from __future__ import annotations

import pytest

from simulator.output import tables


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
