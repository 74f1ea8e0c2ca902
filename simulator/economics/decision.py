"""The full incremental analysis: dominance, extended dominance, ICERs and the efficiency frontier.

Input: one row per strategy with its mean cost (currency per patient) and mean QALYs per patient.
Steps (Drummond et al., *Methods for the Economic Evaluation of Health Care Programmes*, 4th ed.,
2015, ch. 4; the same algorithm as dampack's ``calculate_icers``):

1. Sort by cost (then by QALYs, most first).
2. Remove strongly dominated strategies: another costs no more and gives no fewer QALYs, and is
   better on at least one. Such a strategy is "dominated by X", X being the cheapest strategy that
   dominates it (which is itself never dominated).
3. Remove extendedly dominated strategies, iteratively: among those left, compute each one's ICER
   against the next cheaper one; a strategy whose ICER exceeds that of the next more costly one is
   dominated by a mix of its two neighbours. Remove all such, recompute, repeat until the ICERs
   increase. Such a strategy is "extendedly dominated by X and Y", its neighbours on the final
   frontier (a mix of them gives its QALYs for less).
4. What is left is the frontier: the cheapest strategy is the "reference", each other is
   "non-dominated" with its ICER against the next cheaper frontier strategy.

Exact ties (same cost and same QALYs) are not dominance: the later one in input order is
"identical to X" and carries X's figures; the frontier lists X once. Comparisons are exact (no
tolerance): collinear strategies stay on the frontier, as in dampack.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.economics.netbenefit import check_finite, check_names

#: The kinds of status, in the order a reader meets them; ``status`` adds the strategies named.
REFERENCE, NON_DOMINATED, DOMINATED, EXTENDEDLY_DOMINATED, IDENTICAL = (
    "reference", "non-dominated", "dominated", "extendedly dominated", "identical")
STATUS_KINDS = (REFERENCE, NON_DOMINATED, DOMINATED, EXTENDEDLY_DOMINATED, IDENTICAL)

ANALYSIS_COLUMNS = ("strategy", "cost", "qalys", "incremental_cost", "incremental_qalys", "icer",
                    "compared_with", "kind", "status", "on_frontier")


def _outcomes(outcomes: pd.DataFrame) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Names, costs and QALYs from a table with columns strategy, cost, qalys."""
    missing = [c for c in ("strategy", "cost", "qalys") if c not in outcomes.columns]
    if missing:
        raise ValueError(f"outcomes: missing column(s) {', '.join(missing)} (need strategy, cost, qalys)")
    names = check_names(list(outcomes["strategy"]))
    return names, check_finite("cost", outcomes["cost"]), check_finite("qalys", outcomes["qalys"])


def _dominator(i: int, cost: np.ndarray, qalys: np.ndarray, order: np.ndarray) -> int | None:
    """The cheapest strategy that strongly dominates ``i`` (most QALYs among equally cheap), or None."""
    for j in order:
        if j == i or cost[j] > cost[i]:
            continue
        if qalys[j] >= qalys[i] and (cost[j] < cost[i] or qalys[j] > qalys[i]):
            return int(j)
    return None


def _twin(i: int, cost: np.ndarray, qalys: np.ndarray) -> int | None:
    """The first strategy before ``i`` in input order with exactly its cost and QALYs, or None."""
    for j in range(i):
        if cost[j] == cost[i] and qalys[j] == qalys[i]:
            return j
    return None


def _icers(path: list[int], cost: np.ndarray, qalys: np.ndarray) -> np.ndarray:
    """ICER of each strategy on ``path`` (cost order) against the one before it; NaN for the first."""
    c, q = cost[path], qalys[path]
    return np.concatenate([[np.nan], np.diff(c) / np.diff(q)])


def _remove_extended(path: list[int], cost: np.ndarray, qalys: np.ndarray) -> tuple[list[int], list[int]]:
    """Drop extendedly dominated strategies from ``path`` until the ICERs increase: (frontier, removed)."""
    removed: list[int] = []
    while len(path) > 2:
        icer = _icers(path, cost, qalys)
        kinks = [k for k in range(1, len(path) - 1) if icer[k] > icer[k + 1]]
        if not kinks:
            break
        removed += [path[k] for k in kinks]
        path = [s for k, s in enumerate(path) if k not in kinks]
    return path, removed


def incremental_analysis(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Dominance, extended dominance and ICERs of mutually exclusive strategies.

    Args:
        outcomes: one row per strategy; columns ``strategy``, ``cost`` (mean cost per patient,
            currency) and ``qalys`` (mean QALYs per patient).

    Returns:
        One row per strategy, sorted by cost (then QALYs, most first; then input order), with
        ``incremental_cost`` (currency) and ``incremental_qalys`` against ``compared_with`` (the
        next cheaper frontier strategy), ``icer`` (currency per QALY gained), ``kind`` (one of
        ``STATUS_KINDS``), ``status`` (for example "extendedly dominated by rt-only and
        fast-track-mri") and ``on_frontier``. Off-frontier rows have NaN increments.

    Raises:
        ValueError: on missing columns, repeated names, or costs or QALYs that are not finite.
    """
    names, cost, qalys = _outcomes(outcomes)
    n = len(names)
    order = np.lexsort((np.arange(n), -qalys, cost))
    dominator = {i: _dominator(i, cost, qalys, order) for i in range(n)}
    twin = {i: _twin(i, cost, qalys) for i in range(n) if dominator[i] is None}
    candidates = [int(i) for i in order if dominator[i] is None and twin[i] is None]
    path, extended = _remove_extended(candidates, cost, qalys)
    icer = dict(zip(path, _icers(path, cost, qalys), strict=True))
    rows: dict[int, dict[str, object]] = {}
    for k, i in enumerate(path):
        before = path[k - 1] if k else None
        rows[i] = {"incremental_cost": cost[i] - cost[before] if k else np.nan,
                   "incremental_qalys": qalys[i] - qalys[before] if k else np.nan, "icer": icer[i],
                   "compared_with": names[before] if k else None, "kind": NON_DOMINATED if k else REFERENCE,
                   "status": NON_DOMINATED if k else REFERENCE, "on_frontier": True}
    empty = {"incremental_cost": np.nan, "incremental_qalys": np.nan, "icer": np.nan, "compared_with": None,
             "on_frontier": False}
    for i in extended:
        cheaper = max((s for s in path if cost[s] < cost[i]), key=lambda s: cost[s])
        dearer = min((s for s in path if cost[s] > cost[i]), key=lambda s: cost[s])
        rows[i] = {**empty, "kind": EXTENDEDLY_DOMINATED,
                   "status": f"{EXTENDEDLY_DOMINATED} by {names[cheaper]} and {names[dearer]}"}
    for i, j in dominator.items():
        if j is not None:
            rows[i] = {**empty, "kind": DOMINATED, "status": f"{DOMINATED} by {names[j]}"}
    for i, j in twin.items():
        if j is not None:
            rows[i] = {**rows[j], "kind": IDENTICAL, "status": f"{IDENTICAL} to {names[j]}", "on_frontier": False}
    table = pd.DataFrame([{"strategy": names[i], "cost": cost[i], "qalys": qalys[i], **rows[i]} for i in order])
    return table[list(ANALYSIS_COLUMNS)]


def frontier(analysis: pd.DataFrame) -> pd.DataFrame:
    """The cost-effectiveness frontier from :func:`incremental_analysis`: its rows in cost order."""
    return analysis[analysis["on_frontier"]].reset_index(drop=True)


def optimal_on_frontier(analysis: pd.DataFrame, threshold: float) -> str:
    """The frontier strategy to choose at ``threshold`` (currency per QALY).

    The most costly frontier strategy whose ICER does not exceed the threshold (the reference when
    none does): the strategy with the highest NMB at that threshold. The frontier's ICERs increase,
    so this is the last step along it that the threshold pays for; at a threshold equal to an ICER
    the two strategies have equal NMB and the more effective one is returned.
    """
    chosen = frontier(analysis)
    affordable = chosen[(chosen["kind"] == REFERENCE) | (chosen["icer"] <= threshold)]
    return str(affordable["strategy"].iloc[-1])
