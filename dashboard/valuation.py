"""The Value view's numbers: cost-QALY samples, acceptability, net benefit and the sentence (no Dash here).

The samples are a comparison's replications (patient-level noise: the parameters are fixed) or, once
the user runs the PSA from the view, its draws (parameter uncertainty); the view says which. Every
number is the simulator's (``simulator.economics`` through ``dashboard.data``); the charts are the
simulator's own value charts, restyled by ``dashboard.figures.value``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.checks import as_number
from dashboard.data import (
    EXAMPLE_UNCERTAINTY,
    SAMPLE_KINDS,
    InputError,
    acceptability,
    acceptability_figure,
    budget_figure,
    bundled,
    ce_plane_figure,
    format_money,
    nmb_at,
    nmb_figure,
    parameter_catalogue,
    per_strategy,
    psa_acceptability,
    psa_samples,
    replication_interval,
    threshold_grid,
    value_sentence,
)

REPLICATIONS, PSA = "replications", "psa"
VALUE_METRICS = ["cost_per_patient", "qalys_per_patient"]
THRESHOLD_PATH = "economics.wtp_thresholds"


@dataclass(frozen=True)
class ValueData:
    """The samples one view shows, with where they come from."""

    kind: str  # REPLICATIONS or PSA
    reference: str
    names: tuple[str, ...]
    currency: str
    thresholds: tuple[float, ...]  # the reference scenario's willingness-to-pay thresholds
    samples: pd.DataFrame  # strategy, replication (the sample), cost, qalys
    ceac: pd.DataFrame  # threshold, strategy, probability over the curve's grid
    note: str

    @property
    def label(self) -> str:
        """'replications' or 'PSA draws'."""
        return SAMPLE_KINDS[self.kind][0]


def _economics(name: str) -> Any:
    return bundled(name).params.economics


def from_results(results: Any) -> ValueData | None:
    """The replications of a comparison as samples (None when it computed no costs and QALYs)."""
    if results is None or not set(VALUE_METRICS) <= set(results.per_replication.columns):
        return None
    samples = per_strategy(results.per_replication)
    names = tuple(dict.fromkeys(samples["strategy"]))
    e = results.scenarios[0].params.economics
    m = results.manifest
    note = (f"{m['replications']} replications of {m['patients']:,} patients: each dot is one replication, on the "
            "same patients under every strategy; the spread is patient-level noise only (the parameters are fixed).")
    return ValueData(REPLICATIONS, names[0], names, e.currency, tuple(e.wtp_thresholds), samples,
                     acceptability(samples, threshold_grid(e.wtp_thresholds)), note)


def from_psa(result: Any) -> ValueData | None:
    """A PSA's draws as samples (None without one, or when it measured no costs and QALYs)."""
    samples = psa_samples(result.tables) if result is not None else None
    if samples is None or samples.empty:
        return None
    names = tuple(dict.fromkeys(samples["strategy"]))
    e = _economics(names[0])
    m = result.manifest
    table = next(iter((m.get("distributions") or {}).values()), {})
    note = (f"{m.get('draws')} PSA draws of {len(table)} uncertain parameters ({', '.join(table)}), each run on "
            f"{m.get('patients'):,} patients x {m.get('replications')} replications: the spread is parameter "
            "uncertainty.")
    ceac = psa_acceptability(result.tables, threshold_grid(e.wtp_thresholds))
    return ValueData(PSA, names[0], names, e.currency, tuple(e.wtp_thresholds), samples, ceac, note)


def choose(results: Any, psa: Any, source: str | None) -> ValueData | None:
    """The samples to show: the PSA's when chosen and available, else the replications'."""
    psa_data = from_psa(psa) if source == PSA else None
    return psa_data or from_results(results)


def threshold_range() -> tuple[float, float, str]:
    """(low, high, unit) of a willingness-to-pay threshold, from the schema."""
    info = parameter_catalogue()[THRESHOLD_PATH]
    return float(info.low or 0.0), float(info.high or 0.0), info.unit


def parse_threshold(value: Any) -> float:
    """The threshold typed on the page, within the schema's range (raises InputError naming the range)."""
    low, high, unit = threshold_range()
    number = as_number(value)
    if number is None or not low <= number <= high:
        raise InputError(f"Willingness to pay = {value!r}: enter a number from {low:,.0f} to {high:,.0f} ({unit}).")
    return number


def best_shares(data: ValueData, threshold: float) -> dict[str, float]:
    """Share of samples in which each strategy has the highest net benefit at ``threshold``."""
    table = acceptability(data.samples, [threshold])
    return dict(zip(table["strategy"], table["probability"], strict=True))


def increments(data: ValueData) -> dict[str, dict[str, tuple[float, float, float]]]:
    """Per strategy: the mean paired increment of cost and of QALYs against the reference, with its 95% interval."""
    wide = {c: data.samples.pivot(index="replication", columns="strategy", values=c) for c in ("cost", "qalys")}
    return {name: {c: replication_interval((wide[c][name] - wide[c][data.reference]).to_numpy(float))
                   for c in wide} for name in data.names}


def best_sentence(data: ValueData, threshold: float) -> str:
    """Which strategy has the highest mean net monetary benefit at ``threshold``, and by how much."""
    table = nmb_at(data.samples, data.reference, threshold).sort_values("nmb", ascending=False, kind="stable")
    best = table[table["best"]]
    names = " and ".join(best["strategy"])
    money = format_money(threshold, data.currency)
    words = (f"At {money} per QALY, {names} {'have' if len(best) > 1 else 'has'} the highest net monetary benefit: "
             f"{format_money(best['nmb'].iloc[0], data.currency)} per patient (mean over {data.label})")
    if len(table) > len(best):
        runner = table.iloc[len(best)]
        words += (f", {format_money(best['nmb'].iloc[0] - runner['nmb'], data.currency)} more than "
                  f"{runner['strategy']}")
    return words + "."


def sentences(data: ValueData, threshold: float) -> list[str]:
    """The best value at ``threshold``, then one plain-language sentence per strategy against the reference."""
    if len(data.names) < 2:
        return ["Only one strategy: nothing to compare."]
    shares, inc = best_shares(data, threshold), increments(data)
    return [best_sentence(data, threshold), *[
        value_sentence(name, data.reference, inc[name]["cost"][0], inc[name]["qalys"][0], shares[name], threshold,
                       data.currency, data.kind) for name in data.names[1:]]]


def value_rows(data: ValueData, threshold: float) -> list[dict[str, Any]]:
    """The value table: per strategy, cost and QALYs, paired increments, NMB at ``threshold`` and P(best)."""
    nmb = nmb_at(data.samples, data.reference, threshold).set_index("strategy")
    shares, inc = best_shares(data, threshold), increments(data)
    means = data.samples.groupby("strategy", sort=False)[["cost", "qalys"]].mean()
    rows = []
    for name in data.names:
        ref = name == data.reference
        dc, dq = inc[name]["cost"], inc[name]["qalys"]
        rows.append({
            "strategy": name, "cost": round(float(means.loc[name, "cost"]), 2),
            "cost_text": format_money(means.loc[name, "cost"], data.currency),
            "qalys": round(float(means.loc[name, "qalys"]), 6), "qalys_text": f"{means.loc[name, 'qalys']:.4f}",
            "incremental_cost": "reference" if ref else _money_interval(dc, data.currency),
            "incremental_qalys": "reference" if ref else f"{dq[0]:+.4f} ({_interval(dq[1], dq[2], 4)})",
            "nmb": round(float(nmb.loc[name, "nmb"]), 2),
            "nmb_text": f"{format_money(nmb.loc[name, 'nmb'], data.currency)} "
                        f"({format_money(nmb.loc[name, 'nmb_low'], data.currency)} to "
                        f"{format_money(nmb.loc[name, 'nmb_high'], data.currency)})",
            "best": f"{100 * shares[name]:.0f}%",
        })
    return rows


def _interval(low: float, high: float, digits: int) -> str:
    if math.isnan(low) or math.isnan(high):
        return "no interval"
    return f"95% CI {low:+.{digits}f} to {high:+.{digits}f}"


def _money_interval(values: tuple[float, float, float], currency: str) -> str:
    mean, low, high = values
    if math.isnan(low):
        return f"{format_money(mean, currency, True)} (no interval)"
    return (f"{format_money(mean, currency, True)} (95% CI {format_money(low, currency, True)} to "
            f"{format_money(high, currency, True)})")


def charts(data: ValueData | None, threshold: float, results: Any,
           colours: Mapping[str, str]) -> dict[str, go.Figure | None]:
    """The simulator's value charts for the view (None where there is nothing to draw yet)."""
    out: dict[str, go.Figure | None] = {"plane": None, "ceac": None, "nmb": None, "budget": None}
    if data is not None:
        out["plane"] = ce_plane_figure(data.samples, data.reference, data.currency, threshold, colours, data.kind)
        out["ceac"] = acceptability_figure(data.ceac, data.currency, threshold, colours, data.kind)
        out["nmb"] = nmb_figure(data.samples, data.reference, threshold, data.currency, colours, data.kind)
    if results is not None and not results.budget.empty:
        out["budget"] = budget_figure(results.budget, results.scenarios[0].params.economics.currency, colours)
    return out


def psa_request(names: Sequence[str] | None, draws: Any, patients: Any, replications: Any,
                seed: Any) -> dict[str, Any]:
    """The PSA of the chosen strategies on cost and QALYs, with the reference's ``[uncertainty]`` table.

    A scenario without one gets the README's example table (the view says so).
    """
    names = list(names or [])
    if len(names) < 2:
        raise InputError("Choose at least two strategies: the PSA compares them on the same draws.")
    table = bundled(names[0]).uncertainty or EXAMPLE_UNCERTAINTY
    return {"kind": "analysis", "analysis": "psa", "scenario": names[0], "compare": names[1:],
            "metric": VALUE_METRICS[0], "metrics": list(VALUE_METRICS), "draws": draws, "sampler": "lhs",
            "uncertainty": {k: dict(v) for k, v in table.items()}, "patients": patients,
            "replications": replications, "seed": seed}


def uncertainty_note(names: Sequence[str] | None) -> str:
    """Which uncertainty table the view's PSA will draw from."""
    names = list(names or [])
    if not names:
        return ""
    own = bundled(names[0]).uncertainty
    table = own or EXAMPLE_UNCERTAINTY
    whose = f"{names[0]}'s own [uncertainty] table" if own else \
        f"the README's example table ({names[0]} has no [uncertainty] table of its own)"
    return f"The PSA draws {len(table)} parameters from {whose}: {', '.join(table)}."
