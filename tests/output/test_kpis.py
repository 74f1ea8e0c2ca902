"""Pathway KPIs on hand-built event logs: waits at the target boundary, emergency scans, percentiles.

An MRI is logged when its scanner slot ends; the KPIs time it at the slot's start (the logged day
minus ``scan_days``), so every MRI event below is written as ``start + SCAN``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulator.output.kpis import KPIS, kpi_rows, replication_kpis
from simulator.parameters.schema import Targets
from simulator.vocabulary import SERVICES

SCAN = 1.0 / 0.6  # a scanner slot as long as the baseline's (any length works: it is passed in)
TARGETS = Targets(emergency_mri_hours=24.0, referral_to_mri_days=7.0)


def _patient(pid: int, route: str, referral_day: float = math.nan, diagnosed: bool = True,
             treatment: str = "rt", treatment_wait_days: float = 3.0) -> dict:
    return {"patient_id": pid, "route": route, "referral_day": referral_day, "diagnosed": diagnosed,
            "treatment": treatment, "treatment_wait_days": treatment_wait_days}


def _mri(pid: int, start: float, result: str = "positive") -> dict:
    return {"patient_id": pid, "day": start + SCAN, "event": "imaging", "detail": f"mri:{result}"}


def _emergency(pid: int, day: float) -> dict:
    return {"patient_id": pid, "day": day, "event": "emergency_presentation", "detail": "motor deficit"}


UTILISATION = [0.5 ** (i + 1) for i in range(len(SERVICES))]  # one made-up use per declared service


def _resources() -> pd.DataFrame:
    return pd.DataFrame({"service": list(SERVICES), "utilisation": UTILISATION})


def test_a_wait_of_exactly_the_target_is_met_and_one_a_moment_longer_is_a_breach():
    """Days with three decimals, as the tables round them: 17.123 - 10.123 is not exactly 7.0 in floating point."""
    patients = pd.DataFrame([_patient(0, "routine", 10.123), _patient(1, "routine", 10.123),
                             _patient(2, "fast-track", 3.0)])
    events = pd.DataFrame([_mri(0, 17.123), _mri(1, 17.124), _mri(2, 4.0)])
    kpis = replication_kpis(kpi_rows(patients, events, SCAN), _resources(), TARGETS)
    assert kpis["referral_to_mri_breaches"] == 1.0
    assert kpis["referral_to_mri_breach_share"] == pytest.approx(1 / 3)


def test_emergency_referrals_are_not_counted_against_the_routine_target():
    patients = pd.DataFrame([_patient(0, "emergency", 1.0), _patient(1, "routine", 1.0)])
    events = pd.DataFrame([_emergency(0, 0.5), _mri(0, 20.0), _mri(1, 3.0)])
    kpis = replication_kpis(kpi_rows(patients, events, SCAN), _resources(), TARGETS)
    assert kpis["referral_to_mri_breaches"] == 0.0 and kpis["referral_to_mri_breach_share"] == 0.0
    assert kpis["referral_to_mri_median_days"] == pytest.approx((19.0 + 2.0) / 2)  # every route counts here


def test_an_emergency_scanned_exactly_24_hours_later_is_within_target_and_an_unscanned_one_is_not():
    patients = pd.DataFrame([_patient(0, "emergency", 10.5), _patient(1, "emergency", 10.5),
                             _patient(2, "emergency", diagnosed=False)])
    events = pd.DataFrame([_emergency(0, 10.0), _mri(0, 11.0),  # 24 h: meets the target
                           _emergency(1, 10.0), _mri(1, 11.001),  # 24 h and 86 s: does not
                           _emergency(2, 10.0)])  # never scanned (died waiting)
    rows = kpi_rows(patients, events, SCAN)
    assert len(rows) == 3 and math.isinf(rows.loc[rows["patient_id"] == 2, "emergency_to_mri_days"].iloc[0])
    kpis = replication_kpis(rows, _resources(), TARGETS)
    assert kpis["emergency_mri_within_target"] == pytest.approx(1 / 3)
    longer = replication_kpis(rows, _resources(), TARGETS.model_copy(update={"emergency_mri_hours": 48.0}))
    assert longer["emergency_mri_within_target"] == pytest.approx(2 / 3)


def test_the_scan_before_the_presentation_does_not_count_for_it():
    """A benign scan on day 2 is not the emergency scan of a presentation on day 5."""
    patients = pd.DataFrame([_patient(0, "emergency", 5.5)])
    events = pd.DataFrame([_mri(0, 2.0, "negative (benign)"), _emergency(0, 5.0), _mri(0, 8.0)])
    rows = kpi_rows(patients, events, SCAN)
    assert rows["emergency_to_mri_days"].tolist() == pytest.approx([3.0])
    assert rows["referral_to_mri_days"].tolist() == pytest.approx([2.5])  # the first positive MRI diagnoses


def test_percentiles_of_the_waits_and_only_definitive_treatments():
    waits = [1.0, 2.0, 3.0, 4.0, 10.0]
    patients = pd.DataFrame([_patient(i, "routine", 0.0, treatment_wait_days=w) for i, w in enumerate(waits)]
                            + [_patient(9, "routine", 0.0, treatment="supportive", treatment_wait_days=99.0)])
    events = pd.DataFrame([_mri(i, float(i + 1)) for i in range(5)] + [_mri(9, 1.0)])
    kpis = replication_kpis(kpi_rows(patients, events, SCAN), _resources(), TARGETS)
    assert kpis["diagnosis_to_treatment_median_days"] == 3.0  # supportive care (99 days) is left out
    assert kpis["diagnosis_to_treatment_p90_days"] == pytest.approx(np.quantile(waits, 0.9))
    assert kpis["referral_to_mri_median_days"] == pytest.approx(2.5)


def test_utilisation_comes_from_the_resources_table_and_every_kpi_is_computed():
    patients = pd.DataFrame([_patient(0, "routine", 0.0)])
    kpis = replication_kpis(kpi_rows(patients, pd.DataFrame([_mri(0, 1.0)]), SCAN), _resources(), TARGETS)
    assert set(kpis) == {k.name for k in KPIS}
    assert [kpis[f"{s}_utilisation"] for s in SERVICES] == UTILISATION
    assert math.isnan(kpis["emergency_mri_within_target"])  # no emergency: no share
