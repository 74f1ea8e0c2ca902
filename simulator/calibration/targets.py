"""Calibration targets as data: each a published figure, the population it was measured on, a tolerance.

The table lives in ``targets.toml`` beside this module; a target names the scenario it runs (with
overrides), a pandas query that mimics the study's eligibility, and the statistic to compute.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from simulator.output.metrics import km_median

TARGETS_FILE = Path(__file__).with_name("targets.toml")
STATISTICS = ("share", "median", "km_median_months", "rate_ratio", "paired_difference")


@dataclass(frozen=True)
class Target:
    """One published figure the model should reproduce."""

    id: str
    description: str
    scenario: str
    population: str
    statistic: str
    expression: str
    published: float
    tolerance: float
    unit: str
    source: str
    reason: str
    derivation: str = ""  # how the tolerance follows from the study's CI or n
    widened: str = ""  # why the tolerance is wider than the study's own precision ("" = not widened)
    #: why this published figure is compared with the model but not calibrated to ("" = a target).
    #: A comparison is reported beside the targets and never fitted, so the disagreement stays visible.
    comparison: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)
    event: str = ""
    #: rate_ratio: the exposed group (a boolean expression); the rest of the population is the reference.
    group: str = ""
    #: paired_difference: the strategy the same patients are compared with (scenario name and overrides).
    compare_scenario: str = ""
    compare_overrides: dict[str, Any] = field(default_factory=dict)
    #: Standardise to the study's case mix: {"by": column, "weights": {"True": 0.68, "False": 0.32}}.
    standardise: dict[str, Any] = field(default_factory=dict)

    def run_key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """Targets with the same key share one simulation run."""
        return self.scenario, tuple(sorted(self.overrides.items()))

    def compare_key(self) -> tuple[str, tuple[tuple[str, Any], ...]] | None:
        """The run of the comparison strategy of a paired target (None for other targets)."""
        if not self.compare_scenario:
            return None
        return self.compare_scenario, tuple(sorted(self.compare_overrides.items()))


@dataclass(frozen=True)
class Estimate:
    """A simulated statistic with its 95% Monte Carlo interval and the number of patients used."""

    value: float
    low: float
    high: float
    n: int


def load_targets(path: Path = TARGETS_FILE) -> list[Target]:
    """Read the target table."""
    with path.open("rb") as fh:
        rows = tomllib.load(fh)["target"]
    targets = [Target(**row) for row in rows]
    for t in targets:
        if t.statistic not in STATISTICS:
            raise ValueError(f"{path}: target {t.id}: statistic {t.statistic!r} not in {STATISTICS}")
    return targets


def population(patients: pd.DataFrame, query: str) -> pd.DataFrame:
    """The patients a target is measured on (all rows for an empty query)."""
    if not query:
        return patients
    frame = patients.copy()
    for name in frame.columns:
        if str(frame[name].dtype) == "boolean":
            frame[name] = frame[name].fillna(False).astype(bool)
    return frame.query(query, engine="python")


def estimate(target: Target, patients: pd.DataFrame, compared: pd.DataFrame | None = None) -> Estimate:
    """The target's statistic on its population, with a 95% interval.

    ``compared``: for a paired target, the patients table of the comparison strategy (same seed).
    """
    frame = population(patients, target.population)
    if target.statistic == "paired_difference":
        return _paired_difference(target, frame, compared)
    if target.statistic == "rate_ratio":
        return _rate_ratio(target, frame)
    values = frame.eval(target.expression, engine="python") if len(frame) else pd.Series(dtype=float)
    if target.standardise and target.statistic in ("share", "median"):
        return _standardised(target, frame, pd.Series(values).astype(float))
    if target.statistic == "share":
        return _share(pd.Series(values).astype(float).dropna().to_numpy())
    if target.statistic == "median":
        return _median(pd.Series(values).astype(float).dropna().to_numpy())
    died = frame[target.event].astype(bool).to_numpy() if len(frame) else np.array([], bool)
    return _km_median(pd.Series(values).astype(float).to_numpy(), died)


def _standardised(target: Target, frame: pd.DataFrame, values: pd.Series) -> Estimate:
    """Share or median re-weighted to the study's strata mix; 95% interval by a seeded bootstrap."""
    strata = frame[target.standardise["by"]].astype(str).to_numpy()
    weights_by = {str(k): float(v) for k, v in target.standardise["weights"].items()}
    x = values.to_numpy(float)
    keep = ~np.isnan(x) & np.isin(strata, list(weights_by))
    x, strata = x[keep], strata[keep]
    if not len(x) or any((strata == s).sum() == 0 for s in weights_by):
        return Estimate(math.nan, math.nan, math.nan, int(len(x)))
    w = np.array([weights_by[s] / (strata == s).sum() for s in strata])
    point = _weighted_statistic(target.statistic, x, w)
    rng = np.random.default_rng(0)
    boot = []
    for _ in range(200):
        idx = np.concatenate([rng.choice(np.nonzero(strata == s)[0], (strata == s).sum()) for s in weights_by])
        boot.append(_weighted_statistic(target.statistic, x[idx], w[idx]))
    low, high = np.percentile(boot, [2.5, 97.5])
    return Estimate(point, float(low), float(high), int(len(x)))


def _weighted_statistic(statistic: str, x: np.ndarray, w: np.ndarray) -> float:
    if statistic == "share":
        return float(np.sum(w * x) / np.sum(w))
    order = np.argsort(x, kind="stable")
    cumulative = np.cumsum(w[order]) / np.sum(w)
    return float(x[order][np.searchsorted(cumulative, 0.5)])


def _values(target: Target, frame: pd.DataFrame) -> np.ndarray:
    if not len(frame):
        return np.array([], dtype=float)
    return pd.Series(frame.eval(target.expression, engine="python")).astype(float).to_numpy()


def _paired_difference(target: Target, frame: pd.DataFrame, compared: pd.DataFrame | None) -> Estimate:
    """Mean of ``expression`` in the population minus its mean for the same patients under the comparison.

    Common random numbers pair the patients; the interval is the paired 95% interval.
    """
    if compared is None:
        raise ValueError(f"target {target.id}: a paired target needs the comparison strategy's patients")
    keys = ["replication", "patient_id"]
    other = population(compared, "").set_index(keys).reindex(pd.MultiIndex.from_frame(frame[keys]))
    x = _values(target, frame)
    y = _values(target, other.reset_index()) if len(frame) else x
    keep = ~(np.isnan(x) | np.isnan(y))
    d = x[keep] - y[keep]
    n = len(d)
    if n < 2:
        return Estimate(math.nan, math.nan, math.nan, n)
    half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n))
    return Estimate(float(d.mean()), float(d.mean()) - half, float(d.mean()) + half, n)


def _rate_ratio(target: Target, frame: pd.DataFrame) -> Estimate:
    """Ratio of death rates (events per person-day) in ``group`` vs the rest: a crude hazard ratio.

    The 95% interval is the usual one for a ratio of Poisson rates (log scale, 1/d1 + 1/d0).
    """
    if not len(frame):
        return Estimate(math.nan, math.nan, math.nan, 0)
    time = _values(target, frame)
    died = frame[target.event].fillna(False).astype(bool).to_numpy()
    exposed = pd.Series(frame.eval(target.group, engine="python")).fillna(False).astype(bool).to_numpy()
    keep = ~np.isnan(time)
    time, died, exposed = time[keep], died[keep], exposed[keep]
    d1, d0 = died[exposed].sum(), died[~exposed].sum()
    t1, t0 = time[exposed].sum(), time[~exposed].sum()
    if min(d1, d0) == 0 or min(t1, t0) <= 0:
        return Estimate(math.nan, math.nan, math.nan, int(len(time)))
    ratio = (d1 / t1) / (d0 / t0)
    half = 1.96 * math.sqrt(1.0 / d1 + 1.0 / d0)
    return Estimate(float(ratio), float(ratio * math.exp(-half)), float(ratio * math.exp(half)), int(len(time)))


def _share(x: np.ndarray) -> Estimate:
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    ci = stats.binomtest(int(x.sum()), n).proportion_ci(0.95, method="wilson")
    return Estimate(float(x.mean()), float(ci.low), float(ci.high), n)


def _median(x: np.ndarray) -> Estimate:
    """Median with a distribution-free 95% interval from binomial order statistics."""
    n = len(x)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    x = np.sort(x)
    lo = int(stats.binom.ppf(0.025, n, 0.5))
    hi = int(min(n - 1, stats.binom.ppf(0.975, n, 0.5)))
    return Estimate(float(np.median(x)), float(x[max(lo - 1, 0)]), float(x[hi]), n)


def _km_median(days: np.ndarray, died: np.ndarray) -> Estimate:
    """Kaplan-Meier median survival in months, with the interval where the CI band crosses 0.5."""
    n = len(days)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    months = days / 30.4375
    data = stats.CensoredData(uncensored=months[died], right=months[~died])
    sf = stats.ecdf(data).sf
    with warnings.catch_warnings():  # undefined where the curve is flat at 0 or 1: expected, not an error
        warnings.filterwarnings("ignore", "The confidence interval is undefined", RuntimeWarning)
        band = sf.confidence_interval(0.95)
    return Estimate(km_median(months, died), _crossing(sf.quantiles, band.low.probabilities),
                    _crossing(sf.quantiles, band.high.probabilities), n)


def _crossing(times: np.ndarray, probabilities: np.ndarray) -> float:
    below = np.nonzero(probabilities <= 0.5)[0]
    return float(times[below[0]]) if len(below) else math.nan
