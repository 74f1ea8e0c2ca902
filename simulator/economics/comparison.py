"""Strategies against a reference: mean costs and QALYs, paired increments, ICER, NMB.

Input: one row per (strategy, replication) with that replication's mean cost per patient
(currency) and mean QALYs per patient. Replications run on common random numbers, so each
strategy's replication r meets the same patients as the reference's replication r: increments are
the mean of the per-replication paired differences, with the 95% t-interval of those differences
(``simulator.output.metrics.interval``, the method the simulator uses for every outcome). A
strategy that changes nothing has increments of exactly zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from simulator.economics.netbenefit import check_finite, check_names, check_thresholds, net_monetary_benefit
from simulator.output.metrics import interval

#: Where a strategy falls on the cost-effectiveness plane against the reference: key -> meaning.
QUADRANTS = {
    "same": "same cost and QALYs as the reference",
    "dominant": "costs no more and gains no fewer QALYs (better on at least one)",
    "dominated": "costs no less and gains no more QALYs (worse on at least one)",
    "more costly, more effective": "ICER = extra cost per QALY gained",
    "less costly, less effective": "ICER = saving per QALY lost",
}


def quadrant(incremental_cost: float, incremental_qalys: float) -> str:
    """The key of :data:`QUADRANTS` for an increment (currency, QALYs) against the reference."""
    dc, dq = incremental_cost, incremental_qalys
    if dc == 0 and dq == 0:
        return "same"
    if dc <= 0 and dq >= 0:
        return "dominant"
    if dc >= 0 and dq <= 0:
        return "dominated"
    return "more costly, more effective" if dc > 0 else "less costly, less effective"


def icer(incremental_cost: float, incremental_qalys: float) -> float:
    """Incremental cost per QALY (currency per QALY); NaN when the QALY increment is zero."""
    return incremental_cost / incremental_qalys if incremental_qalys != 0 else float("nan")


def paired(per_replication: pd.DataFrame, reference: str) -> dict[str, pd.DataFrame]:
    """Each strategy's rows indexed by replication, checked to pair one-to-one with the reference's.

    Args:
        per_replication: columns ``strategy``, ``replication``, ``cost``, ``qalys``.
        reference: the strategy the others are compared with.

    Raises:
        ValueError: on missing columns, an unknown reference, a repeated (strategy, replication),
            values that are not finite, or a strategy whose replications differ from the reference's.
    """
    missing = [c for c in ("strategy", "replication", "cost", "qalys") if c not in per_replication.columns]
    if missing:
        raise ValueError(f"per_replication: missing column(s) {', '.join(missing)}")
    check_finite("cost", per_replication["cost"])
    check_finite("qalys", per_replication["qalys"])
    names = check_names(list(dict.fromkeys(per_replication["strategy"])))
    if reference not in names:
        raise ValueError(f"reference: {reference!r} is not one of the strategies ({', '.join(names)})")
    if per_replication.duplicated(["strategy", "replication"]).any():
        raise ValueError("per_replication: a (strategy, replication) pair appears more than once")
    groups = {name: per_replication[per_replication["strategy"] == name].set_index("replication").sort_index()
              for name in names}
    expected = set(groups[reference].index)
    for name, rows in groups.items():
        if set(rows.index) != expected:
            odd = sorted(set(rows.index) ^ expected)
            raise ValueError(f"per_replication: {name} and the reference {reference} are not paired: replication(s) "
                             f"{', '.join(map(str, odd))} are in one and not the other")
    return groups


def compare_to_reference(per_replication: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Mean cost and QALYs per strategy with 95% intervals, and paired increments against ``reference``.

    Returns:
        One row per strategy in input order: ``cost`` (mean over replications, currency per
        patient) with ``cost_low``/``cost_high``, ``qalys`` with ``qalys_low``/``qalys_high``,
        ``incremental_cost`` and ``incremental_qalys`` (paired, with ``_low``/``_high``), ``icer``
        (ratio of the mean increments, currency per QALY; NaN when the QALY increment is zero),
        ``quadrant`` (a key of :data:`QUADRANTS`), ``replications`` and ``reference``.
    """
    groups = paired(per_replication, reference)
    ref = groups[reference]
    rows = []
    for name, own in groups.items():
        row: dict[str, object] = {"strategy": name}
        for column in ("cost", "qalys"):
            mean, low, high = interval(own[column].to_numpy(float))
            diff, diff_low, diff_high = interval((own[column] - ref[column]).to_numpy(float))
            row.update({column: mean, f"{column}_low": low, f"{column}_high": high,
                        f"incremental_{column}": diff, f"incremental_{column}_low": diff_low,
                        f"incremental_{column}_high": diff_high})
        dc, dq = float(row["incremental_cost"]), float(row["incremental_qalys"])
        rows.append({**row, "icer": icer(dc, dq), "quadrant": quadrant(dc, dq), "replications": len(own),
                     "reference": reference})
    return pd.DataFrame(rows)


def nmb_table(per_replication: pd.DataFrame, reference: str, thresholds: ArrayLike) -> pd.DataFrame:
    """Net monetary benefit of each strategy at each threshold, and its paired increment.

    NMB = threshold x QALYs - cost per replication; reported as the mean over replications with
    its 95% t-interval, and the incremental NMB against ``reference`` with the paired interval.

    Returns:
        One row per (threshold, strategy): ``threshold`` (currency per QALY), ``strategy``,
        ``nmb``, ``nmb_low``, ``nmb_high``, ``incremental_nmb`` (+ ``_low``/``_high``, currency per
        patient), ``rank`` (1 = highest mean NMB at that threshold; ties share the better rank) and
        ``best`` (the strategy or strategies of rank 1).
    """
    values = check_thresholds(thresholds)
    groups = paired(per_replication, reference)
    ref = groups[reference]
    rows = []
    for threshold in values:
        ref_nmb = net_monetary_benefit(ref["cost"], ref["qalys"], threshold)
        for name, own in groups.items():
            nmb = net_monetary_benefit(own["cost"], own["qalys"], threshold)
            mean, low, high = interval(np.asarray(nmb))
            diff, diff_low, diff_high = interval(np.asarray(nmb - ref_nmb))
            rows.append({"threshold": float(threshold), "strategy": name, "nmb": mean, "nmb_low": low,
                         "nmb_high": high, "incremental_nmb": diff, "incremental_nmb_low": diff_low,
                         "incremental_nmb_high": diff_high})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("threshold")["nmb"].rank(method="min", ascending=False).astype(int)
    table["best"] = table["rank"] == 1
    return table

