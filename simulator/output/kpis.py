"""Pathway KPIs: the waiting-time measures a service is held to, per replication, from the event log.

- the share of emergency presentations scanned within ``targets.emergency_mri_hours`` (NICE QS56
  statement 3: 24 hours), from the ``emergency_presentation`` event to the first MRI after it; a
  presentation never scanned counts as not scanned in time;
- the median and 90th percentile of the wait from the referral (the patients table's
  ``referral_day``) to the diagnostic MRI (the first positive MRI), on every route, and from the
  diagnosis to the first definitive treatment (any first treatment but supportive care);

An MRI is timed when the patient reaches the scanner: the event log records the end of the
scanner slot the scan holds (the pathway's share of a scanner, ``1 / mri_slots_per_scanner_day``
days), so its start is the logged day minus that slot.
- breaches of ``targets.referral_to_mri_days`` on the routine and fast-track routes: a wait longer
  than the target, as a count and as a share of those referrals (a wait of exactly the target meets
  it; waits are compared at 6 decimals of a day, below the tables' rounding of each day);
- the utilisation of each limited service (the resources table).

A replication is tabulated block by block: :func:`kpi_rows` keeps the few columns of each block's
patients that the KPIs read, and :func:`replication_kpis` computes them over the whole replication.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simulator.output.metrics import Metric
from simulator.parameters.schema import Targets
from simulator.vocabulary import DEFINITIVE_TREATMENTS, SERVICE_KINDS, Event, Imaging, Route, imaging_detail

HOURS_PER_DAY = 24.0
DECIMALS = 6  # waits are compared with a target at this many decimals of a day
KPI_ROW_COLUMNS = ["patient_id", "emergency_to_mri_days", "referral_to_mri_days", "emergency_route",
                   "treatment_wait_days"]

_WITHIN, _BREACHES = "emergency_mri_within_target", "referral_to_mri_breaches"
#: The KPI catalogue (summarised as the metrics are: mean over replications, 95% t-interval, paired difference).
KPIS: tuple[Metric, ...] = (
    Metric(_WITHIN, "Emergency presentations scanned within target", "proportion", True,
           "share of emergency presentations that reached MRI within targets.emergency_mri_hours (NICE QS56: 24 h)"),
    Metric("referral_to_mri_median_days", "Referral to MRI (median)", "days", False,
           "referral to the diagnostic MRI, every route"),
    Metric("referral_to_mri_p90_days", "Referral to MRI (90th percentile)", "days", False,
           "referral to the diagnostic MRI, every route"),
    Metric("diagnosis_to_treatment_median_days", "Diagnosis to definitive treatment (median)", "days", False,
           "diagnosis to the first treatment other than supportive care"),
    Metric("diagnosis_to_treatment_p90_days", "Diagnosis to definitive treatment (90th percentile)", "days", False,
           "diagnosis to the first treatment other than supportive care"),
    Metric(_BREACHES, "Referrals waiting beyond the MRI target", "patients", False,
           "routine and fast-track referrals whose diagnostic MRI came later than targets.referral_to_mri_days"),
    Metric("referral_to_mri_breach_share", "Share of referrals waiting beyond the MRI target", "proportion", False,
           "the breaches as a share of routine and fast-track referrals with a diagnostic MRI"),
    *(Metric(f"{s.name}_utilisation", f"{s.label} utilisation", "proportion", None,
             f"busy share of {s.label} capacity over the arrival window") for s in SERVICE_KINDS),
)
KPI_BY_NAME = {k.name: k for k in KPIS}


def _first_day(events: pd.DataFrame) -> pd.Series:
    """Each patient's first day among ``events`` (its index dropped: a merge may leave patient_id there too)."""
    return events.reset_index(drop=True).groupby("patient_id", sort=False)["day"].min()


def kpi_rows(patients: pd.DataFrame, events: pd.DataFrame, scan_days: float) -> pd.DataFrame:
    """The KPI columns of one block's patients who presented as an emergency or were diagnosed.

    ``scan_days`` is how long one MRI holds a scanner (``Services.mri_scan_days``).

    ``emergency_to_mri_days`` is infinite for an emergency presentation never scanned and empty for
    a patient who never presented as one; ``referral_to_mri_days`` is empty without a diagnostic
    MRI; ``treatment_wait_days`` is empty unless the first treatment is definitive.
    """
    presented = _first_day(events[events["event"] == Event.EMERGENCY_PRESENTATION])
    scans = events["detail"].astype(str).str.startswith(imaging_detail(Imaging.MRI, ""))
    mri = events[(events["event"] == Event.IMAGING) & scans]
    mri = mri.assign(day=mri["day"] - scan_days)  # the slot's start: the patient reaches the scanner
    after = mri.merge(presented.rename("presented"), left_on="patient_id", right_index=True, how="inner")
    scanned = _first_day(after[after["day"] >= after["presented"]])
    diagnostic = _first_day(mri[mri["detail"].astype(str) == imaging_detail(Imaging.MRI, Imaging.POSITIVE)])
    rows = patients[patients["diagnosed"].fillna(False).astype(bool).to_numpy() |
                    patients["patient_id"].isin(presented.index).to_numpy()]
    ids = rows["patient_id"]
    emergency = (ids.map(scanned) - ids.map(presented)).to_numpy(float)
    emergency = np.where(ids.isin(presented.index).to_numpy(bool) & np.isnan(emergency), math.inf, emergency)
    definitive = rows["treatment"].isin(DEFINITIVE_TREATMENTS).to_numpy(bool)
    return pd.DataFrame({
        "patient_id": ids.to_numpy(),
        "emergency_to_mri_days": emergency,
        "referral_to_mri_days": (ids.map(diagnostic) - rows["referral_day"]).to_numpy(float),
        "emergency_route": (rows["route"] == Route.EMERGENCY).to_numpy(bool),
        "treatment_wait_days": np.where(definitive, rows["treatment_wait_days"].to_numpy(float), math.nan),
    })


def _quantile(values: np.ndarray, q: float) -> float:
    values = values[~np.isnan(values)]
    return float(np.quantile(values, q)) if len(values) else math.nan


def replication_kpis(rows: pd.DataFrame, resources: pd.DataFrame, targets: Targets) -> dict[str, float]:
    """Every KPI of one (scenario, replication) from its :func:`kpi_rows` and resources table."""
    out: dict[str, float] = {}
    emergency = rows["emergency_to_mri_days"].to_numpy(float)
    emergency = np.round(emergency[~np.isnan(emergency)], DECIMALS)
    limit = targets.emergency_mri_hours / HOURS_PER_DAY
    out[_WITHIN] = float((emergency <= round(limit, DECIMALS)).mean()) if len(emergency) else math.nan
    wait = rows["referral_to_mri_days"].to_numpy(float)
    treat = rows["treatment_wait_days"].to_numpy(float)
    for name, values in (("referral_to_mri", wait), ("diagnosis_to_treatment", treat)):
        out[f"{name}_median_days"] = _quantile(values, 0.5)
        out[f"{name}_p90_days"] = _quantile(values, 0.9)
    routine = np.round(wait[~rows["emergency_route"].to_numpy(bool) & ~np.isnan(wait)], DECIMALS)
    breaches = int((routine > round(targets.referral_to_mri_days, DECIMALS)).sum())
    out[_BREACHES] = float(breaches)
    out["referral_to_mri_breach_share"] = breaches / len(routine) if len(routine) else math.nan
    for service in SERVICE_KINDS:
        found = resources.loc[resources["service"] == service.name, "utilisation"] if len(resources) else []
        out[f"{service.name}_utilisation"] = float(found.iloc[0]) if len(found) else math.nan
    return out
