"""Value for money of a comparison run: costs and QALYs per strategy, increments, ICERs, dominance, NMB.

The inputs are the per-replication metrics of an experiment (``cost_per_patient`` and
``qalys_per_patient``, discounted, per patient of the cohort); replications are paired by common
random numbers, so every increment has a paired 95% interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from simulator.economics.comparison import compare_to_reference, nmb_table
from simulator.economics.decision import incremental_analysis

COST, QALYS = "cost_per_patient", "qalys_per_patient"


def per_strategy(per_replication: pd.DataFrame) -> pd.DataFrame:
    """The experiment's per-replication metrics as the decision layer's (strategy, replication, cost, qalys)."""
    return pd.DataFrame({"strategy": per_replication["scenario"], "replication": per_replication["replication"],
                         "cost": per_replication[COST].astype(float), "qalys": per_replication[QALYS].astype(float)})


def value_tables(per_replication: pd.DataFrame, reference: str, thresholds: Sequence[float]) -> dict[str, pd.DataFrame]:
    """The ``value`` and ``net_benefit`` tables of one comparison.

    ``value``: one row per strategy (means, paired increments against the reference, ICER against the
    reference, dominance status and ICER on the frontier); ``net_benefit``: one row per threshold and
    strategy.
    """
    rows = per_strategy(per_replication)
    versus = compare_to_reference(rows, reference)
    frontier = incremental_analysis(versus[["strategy", "cost", "qalys"]])
    frontier = frontier.rename(columns={"incremental_cost": "frontier_incremental_cost",
                                        "incremental_qalys": "frontier_incremental_qalys", "icer": "frontier_icer"})
    value = versus.merge(frontier[["strategy", "compared_with", "frontier_incremental_cost",
                                   "frontier_incremental_qalys", "frontier_icer", "kind", "status", "on_frontier"]],
                         on="strategy", how="left")
    numeric = value.select_dtypes("number").columns
    value[numeric] = value[numeric].astype(float).round(6)
    benefit = nmb_table(rows, reference, thresholds)
    numeric = benefit.select_dtypes("float").columns
    benefit[numeric] = benefit[numeric].round(6)
    acceptability = replication_acceptability(per_replication, thresholds)
    benefit = benefit.merge(acceptability, on=["threshold", "strategy"], how="left")
    return {"value": value, "net_benefit": benefit, "acceptability": acceptability}


def _money(x: float, currency: str) -> str:
    if x is None or not math.isfinite(x):
        return "-"
    return f"{currency} {x:,.0f}"


def icer_text(row: pd.Series, currency: str) -> str:
    """'GBP 23,400 per QALY gained', 'dominant', 'dominated' or 'identical' for one row of ``value``."""
    dc, dq = row["incremental_cost"], row["incremental_qalys"]
    if dc == 0 and dq == 0:
        return "identical to the reference on these patients"
    if dq > 0 and dc <= 0:
        return "dominant (more QALYs, no more cost)"
    if dq <= 0 and dc >= 0:
        return "dominated (no more QALYs, more cost)"
    if dq < 0:
        return f"saves {_money(-dc, currency)} per QALY lost"
    return f"{_money(row['icer'], currency)} per QALY gained"


REPLICATION_ACCEPTABILITY = "(over replications: patient noise only; `spinesim psa` adds parameter uncertainty)"


def format_value(tables: dict[str, pd.DataFrame], currency: str, interval: str = "95% CI",
                 acceptability: str = REPLICATION_ACCEPTABILITY) -> str:
    """The value table for the terminal: cost, QALYs, increments with intervals, ICER, status, NMB.

    ``interval`` names the intervals of the increments; ``acceptability`` says what the
    probability of the highest net benefit is taken over.
    """
    value, benefit = tables["value"], tables["net_benefit"]
    lines = [f"{'strategy':<24} {'cost':>12} {'QALYs':>8} {f'incr. cost [{interval}]':>34} "
             f"{f'incr. QALYs [{interval}]':>28}  ICER vs reference; status"]
    for _, r in value.iterrows():
        inc_c = f"{r['incremental_cost']:+,.0f} [{r['incremental_cost_low']:+,.0f}, {r['incremental_cost_high']:+,.0f}]"
        inc_q = f"{r['incremental_qalys']:+.4f} [{r['incremental_qalys_low']:+.4f}, " \
                f"{r['incremental_qalys_high']:+.4f}]"
        if r["strategy"] == r["reference"]:
            inc_c, inc_q, text = "reference", "", str(r["status"])
        else:
            text = f"{icer_text(r, currency)}; {r['status']}"
        lines.append(f"{r['strategy']:<24} {r['cost']:>12,.0f} {r['qalys']:>8.4f} {inc_c:>34} {inc_q:>28}  {text}")
    for threshold, rows in benefit.groupby("threshold", sort=False):
        best = ", ".join(rows.loc[rows["best"], "strategy"])
        lines.append(f"net monetary benefit at {_money(float(threshold), currency)} per QALY: best {best}; "
                     + "; ".join(f"{r.strategy} {r.nmb:,.0f}" for r in rows.itertuples()))
    if "acceptability" in tables:
        for threshold, rows in tables["acceptability"].groupby("threshold", sort=False):
            lines.append(f"probability of the highest net benefit at {_money(float(threshold), currency)} per QALY "
                         f"{acceptability}: "
                         + "; ".join(f"{r.strategy} {r.p_cost_effective:.0%}" for r in rows.itertuples()))
    return "\n".join(lines)


def acceptability(samples: pd.DataFrame, thresholds: Sequence[float]) -> pd.DataFrame:
    """Share of samples in which each strategy has the highest net benefit, at each threshold (a CEAC).

    ``samples`` has one row per (strategy, sample): ``strategy``, ``replication`` (the sample: a
    replication or a PSA draw), ``cost`` and ``qalys``; a tie shares the sample equally. Returns
    ``threshold``, ``strategy`` and ``probability``.
    """
    names = list(dict.fromkeys(samples["strategy"]))
    wide_cost = samples.pivot(index="replication", columns="strategy", values="cost")[names]
    wide_qalys = samples.pivot(index="replication", columns="strategy", values="qalys")[names]
    out = []
    for threshold in thresholds:
        nmb = (threshold * wide_qalys - wide_cost).to_numpy(float)
        winners = nmb == nmb.max(axis=1, keepdims=True)
        credit = (winners / winners.sum(axis=1, keepdims=True)).mean(axis=0)
        out += [{"threshold": float(threshold), "strategy": name, "probability": round(float(c), 6)}
                for name, c in zip(names, credit, strict=True)]
    return pd.DataFrame(out, columns=["threshold", "strategy", "probability"])


def replication_acceptability(per_replication: pd.DataFrame, thresholds: Sequence[float]) -> pd.DataFrame:
    """Share of replications in which each strategy has the highest net benefit, at each threshold.

    Patient-sampling noise only (the parameters are fixed): the probability of being cost-effective
    under parameter uncertainty comes from ``spinesim psa``.
    """
    table = acceptability(per_strategy(per_replication), thresholds)
    return table.rename(columns={"probability": "p_cost_effective"})


def psa_samples(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame | None:
    """A PSA's draws as samples (``strategy``, ``replication`` = the draw, ``cost``, ``qalys``), or None.

    Read from the PSA's ``ce_plane`` table when it has one, else from ``psa_draws`` (each draw's
    mean ``cost_per_patient`` and ``qalys_per_patient``); None when the PSA measured neither.
    """
    plane = tables.get("ce_plane")
    draws = tables.get("psa_draws")
    if plane is not None and len(plane):
        wide = plane.rename(columns={"strategy": "scenario", "cost": COST, "qalys": QALYS})
    elif draws is not None and {COST, QALYS} <= set(draws["metric"]):
        wide = draws[draws["metric"].isin([COST, QALYS])].pivot_table(
            index=["scenario", "draw"], columns="metric", values="estimate", sort=False).reset_index()
    else:
        return None
    names = list(dict.fromkeys(wide["scenario"]))
    wide = wide.assign(_s=wide["scenario"].map({n: i for i, n in enumerate(names)}))
    wide = wide.sort_values(["_s", "draw"], kind="stable")
    return pd.DataFrame({"strategy": wide["scenario"].to_numpy(), "replication": wide["draw"].to_numpy(),
                         "cost": wide[COST].to_numpy(float), "qalys": wide[QALYS].to_numpy(float)})


def psa_acceptability(tables: Mapping[str, pd.DataFrame], thresholds: Sequence[float]) -> pd.DataFrame | None:
    """A PSA's CEAC: its own ``ceac`` table when it has one, else computed from its draws (None without)."""
    ceac = tables.get("ceac")
    if ceac is not None and len(ceac):
        return ceac[["threshold", "strategy", "probability"]].reset_index(drop=True)
    samples = psa_samples(tables)
    return None if samples is None else acceptability(samples, thresholds)


def has_value_metrics(per_replication: pd.DataFrame) -> bool:
    """Whether the run computed costs and QALYs for every (strategy, replication)."""
    return all(c in per_replication for c in (COST, QALYS)) and bool(
        np.isfinite(per_replication[[COST, QALYS]].to_numpy(float)).all())
