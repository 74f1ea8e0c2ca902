"""Value-for-money charts: the CE plane, the acceptability curve, net benefit and the budget impact.

Pure functions of tidy tables (plotly figures out), drawn once here for the HTML report and restyled,
never redrawn, by the dashboard's Value view. Each chart has exactly one trace per strategy, whose
``meta`` is the strategy's name, and a one-line text alternative in ``layout.meta.summary``.

*Samples* are one row per (strategy, sample): ``strategy``, ``replication`` (a replication, or a
PSA draw), ``cost`` (currency per patient) and ``qalys`` (per patient), as
:func:`simulator.economics.value.per_strategy` and :func:`~simulator.economics.value.psa_samples`
give them. Replications show patient-level noise only; PSA draws show parameter uncertainty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from simulator.economics.comparison import nmb_table
from simulator.output.headline import SAMPLE_KINDS, format_money
from simulator.output.html_report import PALETTE
from simulator.vocabulary import CURRENCY_SYMBOLS

GRID_POINTS = 41  # thresholds on an acceptability curve
MEAN_SIZE, SAMPLE_SIZE = 13, 6  # marker sizes (px): each strategy's mean, and each sample


def colours_for(names: Sequence[str], colours: Mapping[str, str] | None = None) -> dict[str, str]:
    """The colour of each strategy: ``colours`` where given, else the report palette in run order."""
    given = dict(colours or {})
    return {n: given.get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)}


def threshold_grid(thresholds: Sequence[float], points: int = GRID_POINTS) -> list[float]:
    """Evenly spaced thresholds from 0 to 1.5 times the largest given (at least 50,000), for a curve."""
    top = max(50_000.0, 1.5 * max([float(t) for t in thresholds] or [0.0]))
    return [float(x) for x in np.linspace(0.0, top, points)]


def incremental(samples: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Each sample's cost and QALYs minus the reference's in the same sample (paired: same patients)."""
    ref = samples.loc[samples["strategy"] == reference, ["replication", "cost", "qalys"]]
    out = samples.merge(ref, on="replication", how="left", suffixes=("", "_reference"))
    return out.assign(incremental_cost=out["cost"] - out["cost_reference"],
                      incremental_qalys=out["qalys"] - out["qalys_reference"])


def _money_axis(currency: str) -> str:
    return CURRENCY_SYMBOLS.get(currency, currency)


def ce_plane_figure(samples: pd.DataFrame, reference: str, currency: str, threshold: float | None = None,
                    colours: Mapping[str, str] | None = None, kind: str = "replications") -> go.Figure:
    """The cost-effectiveness plane against ``reference``: each strategy's cloud of samples and its mean.

    x: incremental QALYs per patient; y: incremental cost per patient. The mean is the large diamond
    at the end of each strategy's trace; with ``threshold``, a dashed line of slope ``threshold``
    through the origin separates the cost-effective side (below it) from the other.
    """
    names = list(dict.fromkeys(samples["strategy"]))
    palette = colours_for(names, colours)
    plane = incremental(samples, reference)
    fig = go.Figure()
    means = []
    for name in names:
        rows = plane[plane["strategy"] == name]
        dq, dc = rows["incremental_qalys"].to_numpy(float), rows["incremental_cost"].to_numpy(float)
        if name == reference:
            dq, dc = dq[:0], dc[:0]  # every sample is the origin: only the mean point
        mean_q, mean_c = float(np.mean(rows["incremental_qalys"])), float(np.mean(rows["incremental_cost"]))
        means.append((name, mean_q, mean_c))
        sizes = [SAMPLE_SIZE] * len(dq) + [MEAN_SIZE]
        symbols = ["circle"] * len(dq) + ["diamond"]
        fig.add_trace(go.Scatter(
            x=[*dq, mean_q], y=[*dc, mean_c], mode="markers", name=name, meta=name,
            marker={"color": palette[name], "size": sizes, "symbol": symbols, "opacity": 0.85,
                    "line": {"width": 1, "color": "#ffffff"}},
            hovertemplate=f"{name}: %{{x:+.4f}} QALYs, %{{y:+,.0f}} {currency}<extra></extra>"))
    if threshold is not None and len(plane):
        span = max(float(np.abs(plane["incremental_qalys"]).max()), 1e-9) * 1.1
        fig.add_shape(type="line", x0=-span, y0=-threshold * span, x1=span, y1=threshold * span,
                      line={"color": "#555555", "dash": "dash", "width": 1})
    symbol = _money_axis(currency)
    label, meaning = SAMPLE_KINDS[kind]
    text = "; ".join(f"{n} {q:+.4f} QALYs and {format_money(c, currency, signed=True)} per patient"
                     for n, q, c in means if n != reference)
    fig.update_layout(template="plotly_white", title=f"Cost-effectiveness plane against {reference} ({label})",
                      xaxis_title="Incremental QALYs per patient",
                      yaxis_title=f"Incremental cost per patient ({symbol})",
                      meta={"summary": f"Cost-effectiveness plane over {label} ({meaning}); mean against "
                                       f"{reference}: {text or 'no other strategy'}."})
    fig.add_hline(y=0, line={"color": "#bbbbbb", "width": 1})
    fig.add_vline(x=0, line={"color": "#bbbbbb", "width": 1})
    return fig


def acceptability_figure(ceac: pd.DataFrame, currency: str, threshold: float | None = None,
                         colours: Mapping[str, str] | None = None, kind: str = "replications") -> go.Figure:
    """The cost-effectiveness acceptability curve: P(highest net benefit) against willingness to pay.

    ``ceac``: ``threshold``, ``strategy``, ``probability``. With ``threshold``, a dashed vertical line.
    """
    names = list(dict.fromkeys(ceac["strategy"]))
    palette = colours_for(names, colours)
    fig = go.Figure()
    for name in names:
        rows = ceac[ceac["strategy"] == name].sort_values("threshold")
        fig.add_trace(go.Scatter(x=rows["threshold"], y=100 * rows["probability"], mode="lines", name=name,
                                 meta=name, line={"color": palette[name], "width": 2.5},
                                 hovertemplate=f"{name}: %{{y:.0f}}% at %{{x:,.0f}} {currency}/QALY<extra></extra>"))
    if threshold is not None:
        fig.add_vline(x=threshold, line={"color": "#555555", "dash": "dash", "width": 1})
    label, meaning = SAMPLE_KINDS[kind]
    fig.update_layout(template="plotly_white", title=f"Acceptability curve ({label})",
                      xaxis_title=f"Willingness to pay ({_money_axis(currency)} per QALY)",
                      yaxis_title=f"Best value in % of {label}", yaxis_range=[-2, 102],
                      meta={"summary": f"Share of {label} ({meaning}) in which each strategy has the highest net "
                                       f"monetary benefit, for thresholds from 0 to "
                                       f"{format_money(float(ceac['threshold'].max()) if len(ceac) else 0, currency)} "
                                       "per QALY."})
    return fig


def nmb_at(samples: pd.DataFrame, reference: str, threshold: float) -> pd.DataFrame:
    """Net monetary benefit per patient of each strategy at ``threshold``, mean and 95% t-interval over samples."""
    return nmb_table(samples, reference, [threshold])


def nmb_figure(samples: pd.DataFrame, reference: str, threshold: float, currency: str,
               colours: Mapping[str, str] | None = None, kind: str = "replications") -> go.Figure:
    """Net monetary benefit per patient at ``threshold``: one bar per strategy, 95% t-interval whiskers."""
    table = nmb_at(samples, reference, threshold)
    palette = colours_for(list(table["strategy"]), colours)
    fig = go.Figure()
    for _, r in table.iterrows():
        name = str(r["strategy"])
        fig.add_trace(go.Bar(
            x=[name], y=[r["nmb"]], name=name, meta=name, marker={"color": palette[name]},
            error_y={"type": "data", "symmetric": False, "array": [r["nmb_high"] - r["nmb"]],
                     "arrayminus": [r["nmb"] - r["nmb_low"]], "color": "#444444"},
            hovertemplate=f"{name}: %{{y:,.0f}} {currency} per patient<extra></extra>"))
    best = ", ".join(table.loc[table["best"], "strategy"])
    label, _ = SAMPLE_KINDS[kind]
    money = format_money(threshold, currency)
    fig.update_layout(template="plotly_white", showlegend=False,
                      title=f"Net monetary benefit at {money} per QALY",
                      yaxis_title=f"Net monetary benefit per patient ({_money_axis(currency)})",
                      meta={"summary": f"Net monetary benefit per patient at {money} per QALY (mean over {label}, "
                                       f"95% t-interval): highest for {best}."})
    return fig


def budget_figure(budget: pd.DataFrame, currency: str, colours: Mapping[str, str] | None = None) -> go.Figure:
    """Total cost paid in each calendar year by the simulated open cohort: one bar series per strategy."""
    total = budget[budget["item"] == "total"]
    names = list(dict.fromkeys(total["scenario"]))
    palette = colours_for(names, colours)
    fig = go.Figure()
    for name in names:
        rows = total[total["scenario"] == name]
        fig.add_trace(go.Bar(
            x=[f"year {y}" for y in rows["year"]], y=rows["estimate"], name=name, meta=name,
            marker={"color": palette[name]},
            error_y={"type": "data", "symmetric": False, "array": rows["ci_high"] - rows["estimate"],
                     "arrayminus": rows["estimate"] - rows["ci_low"], "color": "#444444"},
            hovertemplate=f"{name}, %{{x}}: %{{y:,.0f}} {currency}<extra></extra>"))
    totals = total.groupby("scenario", sort=False)["estimate"].sum()
    text = "; ".join(f"{n} {format_money(totals[n], currency)}" for n in names)
    fig.update_layout(template="plotly_white", barmode="group", title="Budget impact: cost paid per calendar year",
                      yaxis_title=f"Cost in the year ({_money_axis(currency)}, undiscounted)",
                      meta={"summary": f"Cost paid each calendar year by the simulated cohort, 95% intervals; over "
                                       f"the horizon: {text}."})
    return fig
