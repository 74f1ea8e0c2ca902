"""Pure figure builders: tidy analysis table in, ``plotly.graph_objects.Figure`` out (no Dash, no I/O).

The dashboard can call these on the tables the analyses return.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulator.output.metrics import METRIC_BY_NAME

_HEIGHT_PER_ROW = 260  # pixels


def _title(metric: str) -> str:
    m = METRIC_BY_NAME[metric]
    return f"{m.label} ({m.unit})"


def _errors(rows: pd.DataFrame, est: str = "estimate", low: str = "ci_low", high: str = "ci_high") -> dict:
    return {"type": "data", "symmetric": False, "array": (rows[high] - rows[est]).tolist(),
            "arrayminus": (rows[est] - rows[low]).tolist()}


def sweep_figure(table: pd.DataFrame, parameter: str, unit: str) -> go.Figure:
    """One panel per metric: estimate and 95% interval at each value of the swept parameter."""
    metrics = list(dict.fromkeys(table["metric"]))
    fig = make_subplots(rows=len(metrics), cols=1, subplot_titles=[_title(m) for m in metrics],
                        vertical_spacing=0.25 / max(1, len(metrics)))
    for i, metric in enumerate(metrics, start=1):
        rows = table[table["metric"] == metric]
        fig.add_trace(go.Scatter(x=rows["value"].astype(str) if rows["value"].dtype == object else rows["value"],
                                 y=rows["estimate"], error_y=_errors(rows), mode="lines+markers",
                                 name=METRIC_BY_NAME[metric].label, showlegend=False), row=i, col=1)
        fig.update_xaxes(title_text=f"{parameter} ({unit})", row=i, col=1)
    fig.update_layout(title=f"One-way sweep of {parameter}", height=_HEIGHT_PER_ROW * len(metrics) + 120,
                      template="plotly_white")
    return fig


def tornado_figure(table: pd.DataFrame, metric: str) -> go.Figure:
    """Bars from the base estimate to the outcome at each parameter's low and high end, largest swing on top."""
    rows = table.iloc[::-1]  # plotly draws the first category at the bottom
    base = float(table["base_estimate"].iloc[0]) if len(table) else 0.0
    fig = go.Figure()
    for end, colour in (("low", "#4c78a8"), ("high", "#f58518")):
        fig.add_trace(go.Bar(y=rows["parameter"], x=rows[f"{end}_estimate"] - base, base=base, orientation="h",
                             name=f"{end} end of plausible range", marker_color=colour,
                             customdata=rows[f"{end}_value"],
                             hovertemplate="%{y} = %{customdata}: %{x:+.4g}<extra></extra>"))
    fig.add_vline(x=base, line_dash="dash", line_color="grey")
    fig.update_layout(title=f"Tornado: {_title(metric)} (base {base:.4g})", barmode="overlay",
                      xaxis_title=_title(metric), height=140 + 34 * max(1, len(table)), template="plotly_white",
                      legend={"orientation": "h", "y": -0.15})
    return fig


def psa_figure(draws: pd.DataFrame, metrics: tuple[str, ...]) -> go.Figure:
    """One panel per metric: the spread of each scenario's estimate across parameter draws."""
    fig = make_subplots(rows=len(metrics), cols=1, subplot_titles=[_title(m) for m in metrics],
                        vertical_spacing=0.25 / max(1, len(metrics)))
    for i, metric in enumerate(metrics, start=1):
        rows = draws[draws["metric"] == metric]
        for scenario, group in rows.groupby("scenario", sort=False):
            fig.add_trace(go.Box(x=[scenario] * len(group), y=group["estimate"], name=str(scenario),
                                 boxpoints="all", showlegend=i == 1, legendgroup=str(scenario)), row=i, col=1)
    fig.update_layout(title="Probabilistic sensitivity analysis: outcome across parameter draws",
                      height=_HEIGHT_PER_ROW * len(metrics) + 120, template="plotly_white")
    return fig


def capacity_figure(table: pd.DataFrame, resource: str, metrics: tuple[str, ...]) -> go.Figure:
    """Utilisation, mean wait and the outcomes against the number of units of one resource."""
    titles = [f"{resource} utilisation (proportion)", f"{resource} mean wait (days)"] + [_title(m) for m in metrics]
    fig = make_subplots(rows=len(titles), cols=1, subplot_titles=titles, shared_xaxes=True,
                        vertical_spacing=0.2 / len(titles))
    first = table[table["metric"] == metrics[0]]
    fig.add_trace(go.Scatter(x=first["capacity"], y=first["utilisation"], mode="lines+markers",
                             showlegend=False), row=1, col=1)
    fig.add_trace(go.Scatter(x=first["capacity"], y=first["mean_wait_days"], mode="lines+markers",
                             showlegend=False), row=2, col=1)
    for i, metric in enumerate(metrics, start=3):
        rows = table[table["metric"] == metric]
        fig.add_trace(go.Scatter(x=rows["capacity"], y=rows["estimate"], error_y=_errors(rows),
                                 mode="lines+markers", showlegend=False), row=i, col=1)
    fig.update_xaxes(title_text=f"{resource} capacity (units)", dtick=1, row=len(titles), col=1)
    fig.update_layout(title=f"Capacity planning: {resource}", height=_HEIGHT_PER_ROW * len(titles) + 120,
                      template="plotly_white")
    return fig
