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
STATISTICS = ("share", "median", "km_median_months")


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
    overrides: dict[str, Any] = field(default_factory=dict)
    event: str = ""
    #: Standardise to the study's case mix: {"by": column, "weights": {"True": 0.68, "False": 0.32}}.
    standardise: dict[str, Any] = field(default_factory=dict)

    def run_key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """Targets with the same key share one simulation run."""
        return self.scenario, tuple(sorted(self.overrides.items()))


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


def estimate(target: Target, patients: pd.DataFrame) -> Estimate:
    """The target's statistic on its population, with a 95% interval."""
    frame = population(patients, target.population)
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
