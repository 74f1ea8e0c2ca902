"""Pain: VAS over time (median and interquartile range) and the share with a pain response."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.style import (
    DAYS_PER_MONTH,
    as_bool,
    by_strategy,
    coloured_label,
    empty_figure,
    rgba,
    styled,
    wilson,
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
    """Median VAS per strategy over months since diagnosis, with the interquartile range shaded."""
    title = "Pain over time: median VAS with interquartile range"
    data = vas_quantiles(states)
    if data.empty:
        return empty_figure(title, "No pain scores to show", MONTHS, VAS)
    fig = go.Figure()
    for name, colour, d in by_strategy(data, colours):
        x = d["months"].to_numpy()
        fig.add_trace(go.Scatter(x=x, y=d["q25"], mode="lines", line={"width": 0}, hoverinfo="skip",
                                 showlegend=False, legendgroup=name, meta=name))
        fig.add_trace(go.Scatter(x=x, y=d["q75"], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=rgba(colour, 0.15), hoverinfo="skip", showlegend=False,
                                 legendgroup=name, meta=name))
        fig.add_trace(go.Scatter(
            x=x, y=d["median"], mode="lines+markers", name=name, legendgroup=name, meta=name,
            line={"color": colour, "width": 2.5}, marker={"size": 5},
            customdata=np.column_stack([d["q25"], d["q75"], d["n"]]),
            hovertemplate=(f"<b>{name}</b><br>%{{x:.0f}} months after diagnosis<br>median VAS %{{y:.1f}}"
                           " (IQR %{customdata[0]:.1f}-%{customdata[1]:.1f})<br>alive: %{customdata[2]:.0f}"
                           "<extra></extra>")))
    styled(fig, title, MONTHS, VAS)
    fig.update_yaxes(range=[0, 10])
    return fig


def pain_response_share(patients: pd.DataFrame) -> pd.DataFrame:
    """Share of diagnosed patients with a pain response at 3 months, per scenario, Wilson 95%."""
    cols = ["scenario", "n", "responders", "share", "low", "high"]
    if patients.empty:
        return pd.DataFrame(columns=cols)
    d = patients[patients["pain_response_3m"].notna()].copy()
    d["resp"] = as_bool(d["pain_response_3m"])
    out = d.groupby("scenario", sort=False).agg(n=("resp", "size"), responders=("resp", "sum")).reset_index()
    out["share"] = out["responders"] / out["n"]
    out["low"], out["high"] = wilson(out["responders"].to_numpy(), out["n"].to_numpy())
    return out[cols]


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
            error_y={"type": "data", "array": [high - share], "arrayminus": [share - low],
                     "color": "#444"},
            customdata=[[low, high, int(d["n"].iloc[0])]],
            hovertemplate=(f"<b>{name}</b><br>pain response: %{{y:.1f}}% (95% CI %{{customdata[0]:.1f}}-"
                           "%{customdata[1]:.1f})<br>assessed: %{customdata[2]}<extra></extra>")))
    styled(fig, title, "Strategy", y_title)
    fig.update_layout(showlegend=False)
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig
