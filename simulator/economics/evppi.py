"""EVPPI per parameter group by nonparametric regression (Strong, Oakley & Brennan 2014).

The expected value of partial perfect information about a group of parameters phi is

    EVPPI(phi) = E_phi[ max_j E(NMB_j | phi) ] - max_j E[NMB_j]   (currency per patient).

From the PSA sample alone: regress each strategy's incremental net benefit (against the first
strategy, whose own is zero) on the group's sampled values; the fitted values g_j(phi_n)
estimate E(INB_j | phi_n), and

    EVPPI ~ (1/N) sum_n max(0, g_1(phi_n), ..., g_J(phi_n)) - max(0, mean_n g_1, ..., mean_n g_J).

The incremental costs and QALYs are regressed separately (``simulator.economics.smoothing``),
so g_j = threshold x g_j^QALY - g_j^cost at every threshold from one pair of fits per strategy
(the voi package does the same for cost-effectiveness inputs). The estimate is never negative
(the mean of a maximum is at least the maximum of the means) and, with the group holding every
parameter the net benefit depends on, approaches the EVPI. It is biased upward by the noise left
in the fitted values; ``se`` is its standard deviation over draws of the regression coefficients
from their approximate posterior (the standard error the voi package reports for its ``gam``
fits), the cost and QALY fits treated as independent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from simulator.economics.netbenefit import check_finite, check_thresholds
from simulator.economics.psa import PSASample
from simulator.economics.smoothing import fit, min_draws, smoother
from simulator.economics.voi import Population, evpi, with_population

SE_DRAWS = 200
SEED = 20140


def evppi_estimate(inb: np.ndarray) -> np.ndarray:
    """EVPPI from fitted incremental net benefits.

    Args:
        inb: array (strategies - 1, ..., draws) of fitted INB against the reference.

    Returns:
        Array (...) of mean-of-max minus max-of-means, the reference counting as zero, computed as
        the mean regret of the strategy chosen on the means (term by term >= 0, exactly 0 when
        that strategy is best at every draw).
    """
    best = np.maximum(inb.max(axis=0), 0.0)
    means = inb.mean(axis=-1)
    chosen = np.argmax(np.concatenate([np.zeros((1,) + means.shape[1:]), means]), axis=0)
    index = np.broadcast_to(np.maximum(chosen - 1, 0)[None, ..., None], (1,) + inb.shape[1:])
    picked = np.where(chosen[..., None] == 0, 0.0, np.take_along_axis(inb, index, axis=0)[0])
    return (best - picked).mean(axis=-1)


def _check_groups(parameters: pd.DataFrame, groups: Mapping[str, Sequence[str]] | None,
                  draws: int) -> dict[str, list[str]]:
    """The groups as lists of column names, every column present, varying and finite."""
    if parameters.shape[0] != draws:
        raise ValueError(f"parameters: {parameters.shape[0]} rows, but the PSA sample has {draws} draws")
    chosen = {str(c): [str(c)] for c in parameters.columns} if groups is None else \
        {name: [str(c) for c in cols] for name, cols in groups.items()}
    if not chosen:
        raise ValueError("groups: give at least one parameter group")
    for name, cols in chosen.items():
        absent = [c for c in cols if c not in parameters.columns]
        if absent:
            raise ValueError(f"groups: {name}: no parameter column {', '.join(absent)}")
        if not cols or len(set(cols)) != len(cols):
            raise ValueError(f"groups: {name} must list one or more distinct parameters; got {cols}")
        if draws < min_draws(len(cols)):
            raise ValueError(f"groups: {name} has {len(cols)} parameters and needs at least {min_draws(len(cols))} "
                             f"PSA draws for its regression; the sample has {draws}")
        for c in cols:
            values = check_finite(f"parameters.{c}", parameters[c])
            if np.ptp(values) == 0:
                raise ValueError(f"parameters.{c}: the same value in every draw; it carries no uncertainty")
    return chosen


def evppi(sample: PSASample, parameters: pd.DataFrame, thresholds: ArrayLike,
          groups: Mapping[str, Sequence[str]] | None = None, population: Population | None = None,
          se_draws: int = SE_DRAWS, seed: int = SEED) -> pd.DataFrame:
    """EVPPI of each parameter group at each threshold, with its standard error and the EVPI.

    Args:
        sample: the PSA sample (draws x strategies).
        parameters: one row per draw (same order as ``sample``), one column per sampled parameter.
        thresholds: willingness to pay (currency per QALY).
        groups: name -> parameter columns; default: every column alone. Groups of up to
            ``smoothing.MAX_GROUP`` (4) get a tensor-product spline, larger ones an additive
            model (no interactions within the group); each needs ``smoothing.min_draws`` draws.
        population: the patients the decision affects, for population values.
        se_draws: coefficient draws for the standard error (0 or 1: none, ``se`` is NaN).
        seed: seed of those draws (the result is a function of the inputs and the seed).

    Returns:
        One row per (group, threshold): ``group``, ``parameters`` (comma-separated),
        ``threshold``, ``evppi`` and ``se`` (currency per patient; ``se`` is the metamodel's
        coefficient uncertainty on this sample, not the Monte Carlo error of the PSA), ``evpi``, and with
        ``population`` also ``evppi_population`` and ``evpi_population`` (currency).
    """
    values = check_thresholds(thresholds)
    chosen = _check_groups(parameters, groups, sample.draws)
    if len(sample.strategies) < 2:
        raise ValueError("strategies: EVPPI compares strategies; give at least two")
    total = evpi(sample, values)["evpi"].to_numpy()
    d_cost = sample.costs[:, 1:] - sample.costs[:, [0]]
    d_qaly = sample.qalys[:, 1:] - sample.qalys[:, [0]]
    rows = []
    for name, cols in chosen.items():
        sm = smoother(parameters[cols].to_numpy(float))
        fits = [(fit(sm, d_cost[:, j]), fit(sm, d_qaly[:, j])) for j in range(d_cost.shape[1])]
        cost_fit = np.stack([c.fitted for c, _ in fits])
        qaly_fit = np.stack([q.fitted for _, q in fits])
        if se_draws > 1:
            rng = np.random.default_rng(seed)
            cost_draws = np.stack([c.sample(sm.basis, rng, se_draws) for c, _ in fits])
            qaly_draws = np.stack([q.sample(sm.basis, rng, se_draws) for _, q in fits])
        for k, t in enumerate(values):
            point = float(evppi_estimate(t * qaly_fit - cost_fit))
            se = float(np.std(evppi_estimate(t * qaly_draws - cost_draws), ddof=1)) if se_draws > 1 else np.nan
            rows.append({"group": name, "parameters": ", ".join(cols), "threshold": float(t), "evppi": point,
                         "se": se, "evpi": float(total[k])})
    table = pd.DataFrame(rows)
    return with_population(with_population(table, "evppi", population), "evpi", population)
