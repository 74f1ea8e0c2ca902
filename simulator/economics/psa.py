"""Decision uncertainty from a PSA sample: the CE plane, the acceptability curve and frontier.

A PSA sample holds, for each parameter draw and strategy, the mean cost per patient (currency)
and mean QALYs per patient estimated at that draw's parameter values. Patient-level noise is
assumed already averaged out within each draw (the simulator reports its size apart, as
``monte_carlo_se``); what varies between draws is parameter uncertainty.

- CE plane: each draw's cost and QALY increments against a reference strategy.
- CEAC (cost-effectiveness acceptability curve; van Hout et al. 1994; Fenwick, Claxton &
  Sculpher 2001): at each threshold, the share of draws in which each strategy has the highest
  NMB. A draw where k strategies tie for the highest NMB gives 1/k to each, so the shares sum to 1.
- CEAF (acceptability frontier; Fenwick et al. 2001): at each threshold, the strategy with the
  highest *expected* NMB (the one to choose) and its probability of being cost-effective, which
  need not be the highest probability on the CEAC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from simulator.economics.netbenefit import check_finite, check_names, check_thresholds, net_monetary_benefit

MIN_DRAWS = 2


@dataclass(frozen=True)
class PSASample:
    """Mean cost and QALYs per patient for every (draw, strategy) of a PSA.

    Attributes:
        strategies: strategy names, in the columns' order; the first is the default reference.
        costs: array (draws, strategies) of mean cost per patient (currency).
        qalys: array (draws, strategies) of mean QALYs per patient.
    """

    strategies: tuple[str, ...]
    costs: np.ndarray
    qalys: np.ndarray

    def __post_init__(self) -> None:
        names = check_names(self.strategies)
        costs = check_finite("costs", self.costs).copy()
        qalys = check_finite("qalys", self.qalys).copy()
        if costs.ndim != 2 or costs.shape != qalys.shape or costs.shape[1] != len(names):
            raise ValueError(f"costs and qalys must both be (draws, {len(names)} strategies) arrays; got "
                             f"{costs.shape} and {qalys.shape}")
        if costs.shape[0] < MIN_DRAWS:
            raise ValueError(f"draws: at least {MIN_DRAWS} PSA draws are needed, got {costs.shape[0]}")
        for array in (costs, qalys):
            array.setflags(write=False)
        object.__setattr__(self, "strategies", names)
        object.__setattr__(self, "costs", costs)
        object.__setattr__(self, "qalys", qalys)

    @classmethod
    def from_table(cls, table: pd.DataFrame, strategies: Sequence[str] | None = None) -> PSASample:
        """Build from a tidy table with columns ``draw``, ``strategy``, ``cost``, ``qalys``.

        Args:
            table: one row per (draw, strategy); every draw must have every strategy.
            strategies: column order (default: order of first appearance).

        Raises:
            ValueError: on missing columns or an incomplete or repeated (draw, strategy) grid.
        """
        missing = [c for c in ("draw", "strategy", "cost", "qalys") if c not in table.columns]
        if missing:
            raise ValueError(f"PSA table: missing column(s) {', '.join(missing)}")
        names = check_names(strategies if strategies is not None else list(dict.fromkeys(table["strategy"])))
        if table.duplicated(["draw", "strategy"]).any():
            raise ValueError("PSA table: a (draw, strategy) pair appears more than once")
        wide = table.pivot(index="draw", columns="strategy", values=["cost", "qalys"])
        absent = [n for n in names if n not in wide["cost"].columns]
        if absent or wide.isna().any().any():
            raise ValueError(f"PSA table: every draw needs every strategy ({', '.join(names)}); some are missing")
        return cls(names, wide["cost"][list(names)].to_numpy(float), wide["qalys"][list(names)].to_numpy(float))

    @property
    def draws(self) -> int:
        """Number of PSA draws."""
        return int(self.costs.shape[0])

    def index(self, strategy: str | None) -> int:
        """Column of ``strategy`` (None: the first, the default reference)."""
        if strategy is None:
            return 0
        if strategy not in self.strategies:
            raise ValueError(f"reference: {strategy!r} is not one of the strategies ({', '.join(self.strategies)})")
        return self.strategies.index(strategy)

    def nmb(self, threshold: float) -> np.ndarray:
        """Array (draws, strategies) of NMB at ``threshold`` (currency per patient)."""
        return net_monetary_benefit(self.costs, self.qalys, threshold)


def expected_outcomes(sample: PSASample) -> pd.DataFrame:
    """Per strategy: mean cost and QALYs over draws (the input of ``incremental_analysis``) and 95% ranges.

    Returns:
        Columns ``strategy``, ``cost``, ``cost_p2.5``, ``cost_p97.5``, ``qalys``, ``qalys_p2.5``,
        ``qalys_p97.5`` (percentiles over draws: parameter uncertainty).
    """
    out = {"strategy": list(sample.strategies)}
    for name, values in (("cost", sample.costs), ("qalys", sample.qalys)):
        out[name] = values.mean(axis=0)
        out[f"{name}_p2.5"], out[f"{name}_p97.5"] = np.percentile(values, [2.5, 97.5], axis=0)
    return pd.DataFrame(out)


def ce_plane(sample: PSASample, reference: str | None = None) -> pd.DataFrame:
    """The CE-plane points: every draw's cost and QALYs, and increments against ``reference``.

    Returns:
        One row per (draw, strategy): ``draw``, ``strategy``, ``cost``, ``qalys``,
        ``incremental_cost`` (currency per patient), ``incremental_qalys`` and ``reference``.
    """
    ref = sample.index(reference)
    draws, n = sample.costs.shape
    return pd.DataFrame({
        "draw": np.repeat(np.arange(draws), n),
        "strategy": np.tile(np.array(sample.strategies, dtype=object), draws),
        "cost": sample.costs.ravel(),
        "qalys": sample.qalys.ravel(),
        "incremental_cost": (sample.costs - sample.costs[:, [ref]]).ravel(),
        "incremental_qalys": (sample.qalys - sample.qalys[:, [ref]]).ravel(),
        "reference": sample.strategies[ref],
    })


def best_shares(nmb: np.ndarray) -> np.ndarray:
    """Share of draws in which each strategy has the highest NMB; a k-way tie gives 1/k to each.

    Args:
        nmb: array (draws, strategies).

    Returns:
        Array (strategies,) summing to 1.
    """
    top = nmb == nmb.max(axis=1, keepdims=True)
    return (top / top.sum(axis=1, keepdims=True)).mean(axis=0)


def ceac(sample: PSASample, thresholds: ArrayLike) -> pd.DataFrame:
    """Cost-effectiveness acceptability curve: P(highest NMB) per strategy and threshold.

    Returns:
        One row per (threshold, strategy): ``threshold`` (currency per QALY), ``strategy``,
        ``probability`` (the probabilities at a threshold sum to 1).
    """
    values = check_thresholds(thresholds)
    shares = np.array([best_shares(sample.nmb(t)) for t in values])
    return pd.DataFrame({
        "threshold": np.repeat(values, len(sample.strategies)),
        "strategy": np.tile(np.array(sample.strategies, dtype=object), len(values)),
        "probability": shares.ravel(),
    })


def ceaf(sample: PSASample, thresholds: ArrayLike) -> pd.DataFrame:
    """Cost-effectiveness acceptability frontier: the strategy to choose at each threshold.

    Returns:
        One row per threshold: ``threshold``, ``strategy`` (highest expected NMB; the first in
        order on a tie), ``expected_nmb`` (currency per patient) and ``probability`` (its CEAC
        value: the probability that it is cost-effective).
    """
    values = check_thresholds(thresholds)
    rows = []
    for t in values:
        nmb = sample.nmb(t)
        expected = nmb.mean(axis=0)
        best = int(np.argmax(expected))
        rows.append({"threshold": float(t), "strategy": sample.strategies[best],
                     "expected_nmb": float(expected[best]), "probability": float(best_shares(nmb)[best])})
    return pd.DataFrame(rows)
