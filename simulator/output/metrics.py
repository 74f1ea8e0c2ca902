"""The metric catalogue: each headline outcome with its label, unit and better direction.

Metrics are computed per (scenario, replication) from the patients and resources tables of
diagnosed patients; ``summarise`` then gives the mean over replications with a 95% t-interval
and the paired difference to the reference scenario (common random numbers make it precise).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.vocabulary import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    SERVICE_KINDS,
    SURGICAL,
    TREATMENT,
    TREATMENT_FAMILY_KINDS,
    TREATMENT_KINDS,
    TreatmentFamily,
)


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


def _level_share(column: str, level: str) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx[column].dropna()
        return float((values == level).mean()) if len(values) else math.nan
    return compute


def _at_least(column: str, threshold: float) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx[column].dropna().astype(float)
        return float((values >= threshold).mean()) if len(values) else math.nan
    return compute


def _among(column: str, condition: str) -> Callable[[pd.DataFrame], float]:
    """Share of ``column`` true among the rows where boolean column ``condition`` is true."""
    def compute(dx: pd.DataFrame) -> float:
        rows = dx[dx[condition].fillna(False).astype(bool)]
        return _share(column)(rows) if len(rows) else math.nan
    return compute


def _endpoint(*classes: str) -> Callable[[pd.DataFrame], float]:
    def compute(dx: pd.DataFrame) -> float:
        values = dx["pain_endpoint_3m"].dropna()
        return float(values.isin(classes).mean()) if len(values) else math.nan
    return compute


def _lost(dx: pd.DataFrame) -> float:
    walkers = dx[dx["ambulatory_at_diagnosis"].fillna(False).astype(bool)]
    if not len(walkers):
        return math.nan
    return float(walkers["ambulation_loss_observed"].fillna(False).astype(bool).mean())


def _regained(dx: pd.DataFrame) -> float:
    values = dx["regained_ambulation"].dropna()
    eligible = dx.loc[values.index, "frankel_at_treatment"] == "C"
    values = values[eligible]
    return float(values.astype(float).mean()) if len(values) else math.nan


def km_median(durations: np.ndarray, observed: np.ndarray) -> float:
    """Kaplan-Meier median of right-censored durations: the first time with S(t) <= 1/2 (NaN if not reached).

    S is computed as ``scipy.stats.ecdf`` computes it (1 - ECDF without censoring, the product-limit
    otherwise), so the medians equal scipy's to the bit without importing ``scipy.stats``.
    """
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    if len(durations) == 0:
        return math.nan
    times, counts = np.unique(durations, return_counts=True)
    if observed.all():
        survival = 1 - np.cumsum(counts) / len(durations)
    else:
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        at_risk = len(durations) - starts
        deaths = np.add.reduceat(observed[np.argsort(durations, kind="stable")].astype(np.int64), starts)
        survival = np.cumprod((at_risk - deaths) / at_risk)
    below = np.nonzero(survival <= 0.5)[0]
    return float(times[below[0]]) if len(below) else math.nan


def _survival_median_months(dx: pd.DataFrame) -> float:
    days = dx["survival_days_from_diagnosis"].to_numpy(float)
    died = dx["dead"].fillna(False).to_numpy(bool)
    return km_median(days, died) / DAYS_PER_MONTH


def _survival_12m(dx: pd.DataFrame) -> float:
    days = dx["survival_days_from_diagnosis"].to_numpy(float)
    died = dx["dead"].fillna(False).to_numpy(bool)
    known = died | (days >= DAYS_PER_YEAR)
    return float((days[known] >= DAYS_PER_YEAR).mean()) if known.any() else math.nan


def _members(family: str) -> tuple[str, ...]:
    return tuple(t.code for t in TREATMENT_KINDS if t.family == family)


def _family_share(family: TreatmentFamily) -> tuple[Metric, Callable[[pd.DataFrame], float]]:
    """The share of diagnosed patients given a treatment of ``family``, described by its members."""
    codes = _members(family.code)
    members = " or ".join(TREATMENT[code].label[:1].lower() + TREATMENT[code].label[1:] for code in codes)
    return (Metric(family.metric, family.label, "proportion", None, f"diagnosed patients given {members}"),
            _treated_share(codes))


_TABLE: list[tuple[Metric, Callable[[pd.DataFrame], float]]] = [
    (Metric("diagnosed", "Patients diagnosed", "patients", None,
            "symptomatic spinal metastases diagnosed in the cohort"), lambda dx: float(len(dx))),
    (Metric("ambulatory_at_diagnosis", "Walking at diagnosis", "proportion", True,
            "walking with or without an aid (Frankel D-E) at diagnosis"), _share("ambulatory_at_diagnosis")),
    (Metric("walking_unaided_at_diagnosis", "Walking unaided at diagnosis", "proportion", True,
            "walking without an aid at diagnosis"), _share("walking_unaided_at_diagnosis")),
    (Metric("walking_aid_at_diagnosis", "Walking with an aid at diagnosis", "proportion", None,
            "walking with an aid at diagnosis"), _share("walking_aid_at_diagnosis")),
    (Metric("not_walking_at_diagnosis", "Unable to walk at diagnosis", "proportion", False,
            "chair- or bed-bound at diagnosis"), _level_share("ambulatory_level_at_diagnosis", "not walking")),
    *[(Metric(f"ambulatory_{m}m", f"Walking at {m} month{'s' if m > 1 else ''}", "proportion", True,
              f"walking (with or without an aid) {m} month(s) after diagnosis, among those alive"),
       _share(f"ambulatory_{m}m")) for m in (1, 3, 6, 12)],
    *[(Metric(f"walking_unaided_{m}m", f"Walking unaided at {m} months", "proportion", True,
              f"walking without an aid {m} months after diagnosis, among those alive"),
       _share(f"walking_unaided_{m}m")) for m in (6, 12)],
    *[(Metric(f"ambulatory_onset_{m}m", f"Walking {m} months after onset", "proportion", True,
              f"walking {m} months after symptom onset, among symptomatic patients alive then (no lead-time bias)"),
       _share(f"ambulatory_onset_{m}m")) for m in (6, 12)],
    (Metric("median_days_ambulatory", "Median days walking", "days", True,
            "days walking (with or without an aid) from diagnosis to death or end of follow-up"),
     _median("days_ambulatory")),
    (Metric("median_days_walking_unaided", "Median days walking unaided", "days", True,
            "days walking without an aid from diagnosis to death or end of follow-up"),
     _median("days_walking_unaided")),
    (Metric("regained_ambulation", "Regained walking", "proportion", True,
            "walking after treatment among those not walking (Frankel C) when treated"), _regained),
    (Metric("lost_ambulation", "Lost walking", "proportion", False,
            "walkers at diagnosis who stopped walking before death or end of follow-up"), _lost),
    (Metric("grade_loss_before_referral", "Worse before referral", "proportion", False,
            "lost at least one grade between the first visit and the referral"),
     _at_least("grade_loss_before_referral", 1)),
    (Metric("grade_loss_before_treatment", "Worse between referral and treatment", "proportion", False,
            "lost at least one grade between the referral and the start of treatment"),
     lambda dx: _at_least("grade_loss_after_referral", 1)(dx.assign(
         grade_loss_after_referral=dx["grade_loss_referral_to_diagnosis"] + dx["grade_loss_before_treatment"]))),
    (Metric("vas_at_diagnosis", "Pain at diagnosis (median VAS)", "VAS 0-10", False, "median VAS at diagnosis"),
     _median("vas_at_diagnosis")),
    *[(Metric(f"vas_{m}m", f"Pain at {m} month{'s' if m > 1 else ''} (median VAS)", "VAS 0-10", False,
              f"median VAS {m} month(s) after diagnosis, among those alive"), _median(f"vas_{m}m"))
      for m in (1, 3, 6, 12)],
    (Metric("pain_response_3m", "Pain response at 3 months", "proportion", True,
            "VAS at 3 months at least 2 points below diagnosis"), _share("pain_response_3m")),
    (Metric("pain_complete_response_3m", "Complete pain response at 3 months", "proportion", True,
            "no pain at 3 months (international consensus endpoint), among those alive with pain at diagnosis"),
     _endpoint("complete")),
    (Metric("pain_overall_response_3m", "Pain response (complete or partial) at 3 months", "proportion", True,
            "complete or partial response by the consensus endpoints at 3 months"), _endpoint("complete", "partial")),
    (Metric("pain_progression_3m", "Pain progression at 3 months", "proportion", False,
            "pain at least 2 points worse at 3 months than at diagnosis"), _endpoint("progression")),
    (Metric("survival_median_months", "Median survival", "months", True,
            "Kaplan-Meier median from diagnosis"), _survival_median_months),
    (Metric("survival_12m", "Alive at 12 months", "proportion", True, "alive 12 months after diagnosis"),
     _survival_12m),
    (Metric("death_30d_after_treatment", "Died within 30 days of treatment", "proportion", False,
            "deaths within 30 days of the first treatment, among the treated"),
     _share("death_within_30d_of_treatment")),
    (Metric("diagnostic_delay_median_days", "Diagnostic delay (median)", "days", False,
            "symptom onset to diagnosis"), _median("diagnostic_delay_days")),
    (Metric("diagnostic_delay_q1_days", "Diagnostic delay (25th percentile)", "days", False, "lower quartile"),
     _quantile("diagnostic_delay_days", 0.25)),
    (Metric("diagnostic_delay_q3_days", "Diagnostic delay (75th percentile)", "days", False, "upper quartile"),
     _quantile("diagnostic_delay_days", 0.75)),
    (Metric("treatment_wait_median_days", "Treatment wait (median)", "days", False, "diagnosis to treatment"),
     _median("treatment_wait_days")),
    (Metric("surgical_referral", "Surgical candidates referred", "proportion", None,
            "candidates for surgery referred for a surgical opinion"),
     _among("surgical_referral", "surgical_candidate")),
    *[_family_share(family) for family in TREATMENT_FAMILY_KINDS],
    (Metric("complications", "Surgical complications", "proportion", False, "complications among operated"),
     lambda dx: _share("complication")(dx[dx["treatment"].isin(SURGICAL)])),
    (Metric("relapse", "Relapse after treatment", "proportion", None,
            "a pain or neurological relapse after the first treatment, among the treated"),
     lambda dx: float(dx.loc[dx["treatment_day"].notna(), "relapse_day"].notna().mean())
     if dx["treatment_day"].notna().any() else math.nan),
    (Metric("retreated", "Re-treated after relapse", "proportion", None,
            "treated again for a relapse, among the treated"),
     lambda dx: float((dx.loc[dx["treatment_day"].notna(), "retreatments"] > 0).mean())
     if dx["treatment_day"].notna().any() else math.nan),
]
_FROM_ONSET = {"ambulatory_onset_6m", "ambulatory_onset_12m"}  # measured on every symptomatic patient
_RESOURCE_METRICS = [
    (Metric(f"{service.name}_{what}", f"{service.label} {text}", unit, better, f"{text} of {service.label}"),
     service.name, what)
    for service in SERVICE_KINDS
    for what, text, unit, better in (("utilisation", "utilisation", "proportion", None),
                                     ("mean_wait_days", "mean wait", "days", False))
]
#: Value for money, per patient of the whole cohort (every patient, diagnosed or not), discounted.
_VALUE_METRICS: list[tuple[Metric, str]] = [
    (Metric("cost_per_patient", "Cost per patient", "currency", False,
            "mean discounted cost per patient of the cohort, capacity included"), "cost_discounted"),
    (Metric("qalys_per_patient", "QALYs per patient", "QALYs", True,
            "mean discounted quality-adjusted life-years per patient of the cohort"), "qalys_discounted"),
    (Metric("life_years_per_patient", "Life-years per patient", "years", True,
            "mean discounted life-years per patient of the cohort"), "life_years_discounted"),
]


METRICS: tuple[Metric, ...] = (tuple(m for m, _ in _TABLE) + tuple(m for m, _ in _VALUE_METRICS)
                               + tuple(m for m, _, _ in _RESOURCE_METRICS))
METRIC_BY_NAME = {m.name: m for m in METRICS}
#: The answer first: the outcomes of the dashboard's headline cards, its delay explorer and the HTML report,
#: in the order shown (walking at diagnosis, 6 and 12 months, time walking, pain response, survival).
HEADLINE_METRICS: tuple[str, ...] = ("ambulatory_at_diagnosis", "ambulatory_6m", "ambulatory_12m",
                                     "median_days_ambulatory", "pain_response_3m", "survival_12m")


#: the patients table's columns the value metrics average over the whole cohort
VALUE_COLUMNS: tuple[str, ...] = tuple(column for _, column in _VALUE_METRICS)


def capacity_cost_per_patient(patients: pd.DataFrame, resources: pd.DataFrame) -> float:
    """The cost of the services' capacity shared over the cohort's patients."""
    if not len(patients) or "capacity_cost" not in resources:
        return 0.0
    return float(resources["capacity_cost"].sum()) / len(patients)


#: patients-table columns the metrics read besides those named like a metric (tests/unit check the list is whole)
_ALSO_READ = ("ambulation_loss_observed", "ambulatory_at_diagnosis", "ambulatory_level_at_diagnosis", "complication",
              "days_ambulatory", "days_walking_unaided", "dead", "death_within_30d_of_treatment", "diagnosed",
              "diagnostic_delay_days", "frankel_at_treatment", "grade_loss_before_referral",
              "grade_loss_before_treatment", "grade_loss_referral_to_diagnosis", "pain_endpoint_3m",
              "pain_response_3m", "regained_ambulation", "relapse_day", "retreatments", "surgical_candidate",
              "surgical_referral", "survival_days_from_diagnosis", "symptomatic", "treatment", "treatment_day",
              "treatment_wait_days", "vas_at_diagnosis", "walking_aid_at_diagnosis", "walking_unaided_at_diagnosis")


def metric_rows(patients: pd.DataFrame) -> pd.DataFrame:
    """What the clinical metrics read: the symptomatic and diagnosed patients, in the columns the metrics use.

    A replication tabulated block by block keeps these, not whole tables.
    """
    keep = patients["symptomatic"].fillna(False).astype(bool) | patients["diagnosed"].fillna(False).astype(bool)
    wanted = dict.fromkeys([*_ALSO_READ, *(m.name for m in METRICS)])
    return patients.loc[keep, [c for c in patients.columns if c in wanted]]


def replication_metrics(patients: pd.DataFrame, resources: pd.DataFrame,
                        cohort: pd.DataFrame | None = None) -> dict[str, float]:
    """Every metric for one (scenario, replication).

    ``patients`` may hold only :func:`metric_rows` when ``cohort`` holds the :data:`VALUE_COLUMNS` of
    every patient (a replication tabulated block by block); without it, ``patients`` is the cohort.
    """
    cohort = patients if cohort is None else cohort
    dx = patients[patients["diagnosed"].fillna(False).astype(bool)]
    symptomatic = patients[patients["symptomatic"].fillna(False).astype(bool)]
    out = {metric.name: compute(symptomatic if metric.name in _FROM_ONSET else dx) for metric, compute in _TABLE}
    for metric, column in _VALUE_METRICS:
        out[metric.name] = float(cohort[column].mean()) if column in cohort and len(cohort) else math.nan
    if "cost_per_patient" in out and out["cost_per_patient"] == out["cost_per_patient"]:
        out["cost_per_patient"] += capacity_cost_per_patient(cohort, resources)
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
    from scipy import special  # here, not at the top: a one-replication run never needs scipy (0.1 s to import)

    half = float(special.stdtrit(len(values) - 1, 0.975) * values.std(ddof=1) / math.sqrt(len(values)))
    return mean, mean - half, mean + half


def summarise(per_replication: pd.DataFrame, scenarios: list[str],
              catalogue: Sequence[Metric] = METRICS) -> pd.DataFrame:
    """Per scenario and metric: estimate and 95% CI, and the paired difference to ``scenarios[0]``.

    ``per_replication`` has columns scenario, replication and one column per metric of
    ``catalogue`` (the metrics, or another catalogue such as the pathway KPIs).
    """
    reference = scenarios[0]
    ref = per_replication[per_replication["scenario"] == reference].set_index("replication")
    rows = []
    for name in scenarios:
        own = per_replication[per_replication["scenario"] == name].set_index("replication")
        for metric in catalogue:
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
