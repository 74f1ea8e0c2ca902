"""Pain: VAS over time (median and interquartile range) and the share with a pain response."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.style import (
    DAYS_PER_MONTH,
    as_bool,
    by_strategy,
    coloured_label,
    empty_figure,
    mean_interval,
    percent,
    rgba,
    styled,
)

MONTHS = "Months since diagnosis"
VAS = "Pain (VAS, 0-10)"


def vas_quantiles(states: pd.DataFrame, min_alive: int = 10) -> pd.DataFrame:
    """Median and quartiles of VAS among living patients per scenario and grid point.

    Returns ``scenario, months, q25, median, q75, n`` (VAS points 0-10; months since diagnosis).
    """
    cols = ["scenario", "months", "q25", "median", "q75", "n"]
    if states.empty:
        return pd.DataFrame(columns=cols)
    alive = states[(as_bool(states["alive"]) == 1.0) & states["vas"].notna()].copy()
    alive["months"] = (alive["days_since_diagnosis"].astype(float) / DAYS_PER_MONTH).round(2)
    alive["vas"] = alive["vas"].astype(float)
    g = alive.groupby(["scenario", "months"], sort=False)["vas"]
    out = pd.DataFrame({"q25": g.quantile(0.25), "median": g.median(), "q75": g.quantile(0.75),
                        "n": g.size()}).reset_index()
    out = out[out["n"] >= min_alive].sort_values(["scenario", "months"], kind="stable")
    return out[cols].reset_index(drop=True)


def vas_over_time(states: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Small multiples, one panel per strategy: median VAS over months since diagnosis, middle half shaded.

    Each panel also draws the reference's median as a thin grey line, so four or more strategies
    stay readable (no overlapping bands) and each is still compared with the reference.
    """
    title = "Pain over time: median VAS with interquartile range"
    data = vas_quantiles(states)
    if data.empty:
        return empty_figure(title, "No pain scores to show", MONTHS, VAS)
    shown = [(n, c, d) for n, c, d in by_strategy(data, colours)]
    cols = min(len(shown), 2)
    rows = -(-len(shown) // cols)
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, horizontal_spacing=0.06,
                        vertical_spacing=0.14 if rows > 1 else 0.0,
                        subplot_titles=[coloured_label(n, c) for n, c, _ in shown])
    reference = shown[0][2]
    for i, (name, colour, d) in enumerate(shown):
        row, col = i // cols + 1, i % cols + 1
        x = d["months"].to_numpy()
        if i:
            fig.add_trace(go.Scatter(x=reference["months"], y=reference["median"], mode="lines", hoverinfo="skip",
                                     line={"color": "#999", "width": 1.5, "dash": "dot"}, showlegend=False,
                                     name=f"{shown[0][0]} (reference, for comparison)"), row=row, col=col)
        fig.add_trace(go.Scatter(x=x, y=d["q25"], mode="lines", line={"width": 0}, hoverinfo="skip",
                                 showlegend=False, legendgroup=name, meta=name), row=row, col=col)
        fig.add_trace(go.Scatter(x=x, y=d["q75"], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=rgba(colour, 0.2), hoverinfo="skip", showlegend=False,
                                 legendgroup=name, meta=name), row=row, col=col)
        fig.add_trace(go.Scatter(
            x=x, y=d["median"], mode="lines+markers", name=name, legendgroup=name, meta=name, showlegend=False,
            line={"color": colour, "width": 2.5}, marker={"size": 4},
            customdata=np.column_stack([d["q25"], d["q75"], d["n"]]),
            hovertemplate=(f"<b>{name}</b><br>%{{x:.0f}} months after diagnosis<br>median VAS %{{y:.1f}}"
                           " (IQR %{customdata[0]:.1f} to %{customdata[1]:.1f})<br>alive: %{customdata[2]:.0f}"
                           "<extra></extra>")), row=row, col=col)
    styled(fig, title, "", "", height=max(300, 230 * rows + 60), summary=_vas_summary(data))
    fig.update_yaxes(range=[0, 10])
    for r in range(1, rows + 1):
        fig.update_yaxes(title_text=VAS, row=r, col=1)
    for c in range(1, cols + 1):
        fig.update_xaxes(title_text=MONTHS, row=rows, col=c)
    return fig


def _vas_summary(data: pd.DataFrame, months: float = 3.0) -> str:
    """Text alternative: median pain about ``months`` after diagnosis, per strategy."""
    parts = []
    for name, d in data.groupby("scenario", sort=False):
        row = d.iloc[(d["months"] - months).abs().argmin()]
        parts.append(f"{name} {float(row['median']):.1f}")
    return f"Median pain (VAS 0-10) about {months:g} months after diagnosis: {', '.join(parts)}."


def pain_response_share(patients: pd.DataFrame) -> pd.DataFrame:
    """Share of diagnosed patients with a pain response at 3 months per scenario: mean over replications, 95% t.

    The summary table's method: the share per replication, then its mean and t-interval, so the
    bar, its tooltip and the table show the same numbers.
    """
    cols = ["scenario", "n", "responders", "share", "low", "high"]
    if patients.empty:
        return pd.DataFrame(columns=cols)
    d = patients[patients["pain_response_3m"].notna()].copy()
    d["resp"] = as_bool(d["pain_response_3m"])
    per_rep = d.groupby(["scenario", "replication"], sort=False).agg(
        n=("resp", "size"), responders=("resp", "sum"), share=("resp", "mean")).reset_index()
    totals = per_rep.groupby("scenario", sort=False)[["n", "responders"]].sum().reset_index()
    out = totals.merge(mean_interval(per_rep, ["scenario"], "share").drop(columns="n"), on="scenario")
    return out.rename(columns={"mean": "share"})[cols]


def pain_response(patients: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Bar per strategy: % of assessed patients whose pain responded at 3 months, 95% CI."""
    title = "Pain response at 3 months"
    y_title = "Pain response (% of patients assessed)"
    data = pain_response_share(patients)
    if data.empty:
        return empty_figure(title, "No pain responses recorded", "Strategy", y_title)
    fig = go.Figure()
    for name, colour, d in by_strategy(data, colours):
        share, low, high = (100 * float(d[c].iloc[0]) for c in ("share", "low", "high"))
        fig.add_trace(go.Bar(
            x=[coloured_label(name, colour)], y=[share], name=name, meta=name, marker_color=colour,
            error_y={"type": "data", "array": [high - share], "arrayminus": [share - low], "color": "#444"},
            customdata=[[low, high, int(d["n"].iloc[0])]],
            hovertemplate=(f"<b>{name}</b><br>pain response: %{{y:.1f}}% (95% CI %{{customdata[0]:.1f}} to "
                           "%{customdata[1]:.1f})<br>assessed: %{customdata[2]}<extra></extra>")))
    summary = "Pain response at 3 months: " + ", ".join(
        f"{n} {percent(float(d['share'].iloc[0]))}" for n, _, d in by_strategy(data, colours)) + "."
    styled(fig, title, "Strategy", y_title, summary=summary)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig
