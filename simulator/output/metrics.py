"""The metric catalogue: each headline outcome with its label, unit and better direction.

Metrics are computed per (scenario, replication) from the patients and resources tables of
diagnosed patients; ``summarise`` then gives the mean over replications with a 95% t-interval
and the paired difference to the reference scenario (common random numbers make it precise).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Metric:
    """One headline outcome."""

    name: str
    label: str
    unit: str
    higher_is_better: bool | None  # None: neither (a count or a mix)
    description: str


def _share(column: str) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx[column].dropna()
        return float(values.astype(float).mean()) if len(values) else math.nan
    return compute


def _median(column: str) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx[column].dropna()
        return float(values.median()) if len(values) else math.nan
    return compute


def _quantile(column: str, q: float) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx[column].dropna()
        return float(values.quantile(q)) if len(values) else math.nan
    return compute


def _treated_share(kinds: tuple[str, ...]) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        return float(dx["treatment"].isin(kinds).mean()) if len(dx) else math.nan
    return compute


def _lost(dx: pd.DataFrame) -> float:
    walkers = dx[dx["ambulatory_at_diagnosis"].fillna(False).astype(bool)]
    if not len(walkers):
        return math.nan
    return float(walkers["ambulation_loss_observed"].fillna(False).astype(bool).mean())


def _regained(dx: pd.DataFrame) -> float:
    values = dx["regained_ambulation"].dropna()
    eligible = dx.loc[values.index, "frankel_at_treatment"].isin(["C"])
    values = values[eligible]
    return float(values.astype(float).mean()) if len(values) else math.nan


def km_median(durations: np.ndarray, observed: np.ndarray) -> float:
    """Kaplan-Meier median of right-censored durations (scipy.stats.ecdf); NaN if not reached."""
    if len(durations) == 0:
        return math.nan
    data = stats.CensoredData(uncensored=durations[observed], right=durations[~observed])
    sf = stats.ecdf(data).sf
    below = np.nonzero(sf.probabilities <= 0.5)[0]
    return float(sf.quantiles[below[0]]) if len(below) else math.nan


def _survival_median_months(dx: pd.DataFrame) -> float:
    days = dx["survival_days_from_diagnosis"].to_numpy(float)
    died = dx["dead"].fillna(False).to_numpy(bool)
    return km_median(days, died) / 30.4375


def _survival_12m(dx: pd.DataFrame) -> float:
    days = dx["survival_days_from_diagnosis"].to_numpy(float)
    died = dx["dead"].fillna(False).to_numpy(bool)
    known = died | (days >= 365.25)
    return float((days[known] >= 365.25).mean()) if known.any() else math.nan


_TABLE: list[tuple[Metric, Callable[[pd.DataFrame], float]]] = [
    (Metric("diagnosed", "Patients diagnosed", "patients", None,
            "symptomatic spinal metastases diagnosed in the cohort"), lambda dx: float(len(dx))),
    (Metric("ambulatory_at_diagnosis", "Walking at diagnosis", "proportion", True,
            "Frankel D-E at diagnosis"), _share("ambulatory_at_diagnosis")),
    *[(Metric(f"ambulatory_{m}m", f"Walking at {m} month{'s' if m > 1 else ''}", "proportion", True,
              f"walking {m} month(s) after diagnosis, among those alive"), _share(f"ambulatory_{m}m"))
      for m in (1, 3, 6, 12)],
    *[(Metric(f"ambulatory_onset_{m}m", f"Walking {m} months after onset", "proportion", True,
              f"walking {m} months after symptom onset, among symptomatic patients alive then (no lead-time bias)"),
       _share(f"ambulatory_onset_{m}m")) for m in (6, 12)],
    (Metric("median_days_ambulatory", "Median days walking", "days", True,
            "days walking from diagnosis to death or end of follow-up"), _median("days_ambulatory")),
    (Metric("regained_ambulation", "Regained walking", "proportion", True,
            "walking after treatment among those not walking (Frankel C) when treated"), _regained),
    (Metric("lost_ambulation", "Lost walking", "proportion", False,
            "walkers at diagnosis who stopped walking before death or end of follow-up"), _lost),
    (Metric("vas_at_diagnosis", "Pain at diagnosis (median VAS)", "VAS 0-10", False, "median VAS at diagnosis"),
     _median("vas_at_diagnosis")),
    *[(Metric(f"vas_{m}m", f"Pain at {m} month{'s' if m > 1 else ''} (median VAS)", "VAS 0-10", False,
              f"median VAS {m} month(s) after diagnosis, among those alive"), _median(f"vas_{m}m"))
      for m in (1, 3, 6, 12)],
    (Metric("pain_response_3m", "Pain response at 3 months", "proportion", True,
            "VAS at 3 months at least 2 points below diagnosis"), _share("pain_response_3m")),
    (Metric("survival_median_months", "Median survival", "months", True,
            "Kaplan-Meier median from diagnosis"), _survival_median_months),
    (Metric("survival_12m", "Alive at 12 months", "proportion", True, "alive 12 months after diagnosis"),
     _survival_12m),
    (Metric("diagnostic_delay_median_days", "Diagnostic delay (median)", "days", False,
            "symptom onset to diagnosis"), _median("diagnostic_delay_days")),
    (Metric("diagnostic_delay_q1_days", "Diagnostic delay (25th percentile)", "days", False, "lower quartile"),
     _quantile("diagnostic_delay_days", 0.25)),
    (Metric("diagnostic_delay_q3_days", "Diagnostic delay (75th percentile)", "days", False, "upper quartile"),
     _quantile("diagnostic_delay_days", 0.75)),
    (Metric("treatment_wait_median_days", "Treatment wait (median)", "days", False, "diagnosis to treatment"),
     _median("treatment_wait_days")),
    (Metric("share_surgery", "Treated with surgery", "proportion", None, "decompression or resection + RT"),
     _treated_share(("surgery+rt", "resection+rt"))),
    (Metric("share_radiotherapy_alone", "Radiotherapy alone", "proportion", None, "conventional or SBRT"),
     _treated_share(("rt", "sbrt"))),
    (Metric("share_cement", "Cement augmentation", "proportion", None, "cement + RT"),
     _treated_share(("cement+rt",))),
    (Metric("share_brace", "Brace", "proportion", None, "brace + RT"), _treated_share(("brace+rt",))),
    (Metric("share_supportive", "Supportive care only", "proportion", None, "best supportive care"),
     _treated_share(("supportive",))),
    (Metric("complications", "Surgical complications", "proportion", False, "complications among operated"),
     lambda dx: _share("complication")(dx[dx["treatment"].isin(("surgery+rt", "resection+rt"))])),
]
_FROM_ONSET = {"ambulatory_onset_6m", "ambulatory_onset_12m"}  # measured on every symptomatic patient
_RESOURCE_METRICS = [
    (Metric(f"{service}_{what}", f"{label} {text}", unit, better, f"{text} of {label}"), service, what)
    for service, label in (("mri", "MRI"), ("theatre", "Theatre"), ("radiotherapy", "Radiotherapy"))
    for what, text, unit, better in (("utilisation", "utilisation", "proportion", None),
                                     ("mean_wait_days", "mean wait", "days", False))
]
METRICS: tuple[Metric, ...] = tuple(m for m, _ in _TABLE) + tuple(m for m, _, _ in _RESOURCE_METRICS)
METRIC_BY_NAME = {m.name: m for m in METRICS}
#: The answer first: the outcomes of the dashboard's headline cards, its delay explorer and the HTML report,
#: in the order shown (walking at diagnosis, 6 and 12 months, time walking, pain response, survival).
HEADLINE_METRICS: tuple[str, ...] = ("ambulatory_at_diagnosis", "ambulatory_6m", "ambulatory_12m",
                                     "median_days_ambulatory", "pain_response_3m", "survival_12m")


def replication_metrics(patients: pd.DataFrame, resources: pd.DataFrame) -> dict[str, float]:
    """Every metric for one (scenario, replication)."""
    dx = patients[patients["diagnosed"].fillna(False).astype(bool)]
    symptomatic = patients[patients["symptomatic"].fillna(False).astype(bool)]
    out = {metric.name: compute(symptomatic if metric.name in _FROM_ONSET else dx) for metric, compute in _TABLE}
    for metric, service, what in _RESOURCE_METRICS:
        row = resources[resources["service"] == service]
        out[metric.name] = float(row[what].iloc[0]) if len(row) else math.nan
    return out


def interval(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval over replications (NaN bounds with fewer than two)."""
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values)))
    return mean, mean - half, mean + half


def summarise(per_replication: pd.DataFrame, scenarios: list[str]) -> pd.DataFrame:
    """Per scenario and metric: estimate and 95% CI, and the paired difference to ``scenarios[0]``.

    ``per_replication`` has columns scenario, replication and one column per metric.
    """
    reference = scenarios[0]
    ref = per_replication[per_replication["scenario"] == reference].set_index("replication")
    rows = []
    for name in scenarios:
        own = per_replication[per_replication["scenario"] == name].set_index("replication")
        for metric in METRICS:
            est, low, high = interval(own[metric.name].to_numpy(float))
            if name == reference:
                diff = (math.nan, math.nan, math.nan)
            else:
                paired = own[metric.name] - ref[metric.name].reindex(own.index)
                diff = interval(paired.to_numpy(float))
            rows.append({"scenario": name, "metric": metric.name, "label": metric.label, "unit": metric.unit,
                         "higher_is_better": metric.higher_is_better, "estimate": est, "ci_low": low,
                         "ci_high": high, "difference": diff[0], "difference_low": diff[1],
                         "difference_high": diff[2], "reference": reference})
    frame = pd.DataFrame(rows)
    frame["ci_low"] = frame["ci_low"].clip(lower=0.0)  # every metric is non-negative
    share = frame["unit"] == "proportion"  # a share's interval cannot leave [0, 1]
    frame.loc[share, ["ci_low", "ci_high"]] = frame.loc[share, ["ci_low", "ci_high"]].clip(0.0, 1.0)
    frame.loc[share, ["difference_low", "difference_high"]] = \
        frame.loc[share, ["difference_low", "difference_high"]].clip(-1.0, 1.0)
    numeric = ["estimate", "ci_low", "ci_high", "difference", "difference_low", "difference_high"]
    frame[numeric] = frame[numeric].astype(float).round(6)
    return frame
