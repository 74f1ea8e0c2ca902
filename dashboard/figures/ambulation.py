"""Walking over time: share ambulatory since diagnosis, and time to loss of ambulation (Kaplan-Meier)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy import stats

from dashboard.figures.style import (
    DAYS_PER_MONTH,
    as_bool,
    by_strategy,
    empty_figure,
    mean_interval,
    percent,
    rgba,
    styled,
)

MONTHS = "Months since diagnosis"


def ambulatory_share(states: pd.DataFrame, min_alive: int = 10) -> pd.DataFrame:
    """Share ambulatory among patients alive at each grid point: mean over replications, 95% t-interval.

    Returns one row per scenario and grid point: ``scenario, months, alive, ambulatory, share,
    low, high`` (months since diagnosis; shares 0-1; alive and ambulatory summed over
    replications). The interval is the summary table's: a t-interval over replications. Points
    with fewer than ``min_alive`` patients alive are dropped, as their share is too noisy to read.
    """
    cols = ["scenario", "months", "alive", "ambulatory", "share", "low", "high"]
    if states.empty:
        return pd.DataFrame(columns=cols)
    alive = states[as_bool(states["alive"]) == 1.0].copy()
    alive["months"] = (alive["days_since_diagnosis"].astype(float) / DAYS_PER_MONTH).round(2)
    alive["amb"] = as_bool(alive["ambulatory"]).fillna(0.0)
    per_rep = (alive.groupby(["scenario", "months", "replication"], sort=False)
               .agg(alive=("amb", "size"), ambulatory=("amb", "sum")).reset_index())
    per_rep["share"] = per_rep["ambulatory"] / per_rep["alive"]
    totals = per_rep.groupby(["scenario", "months"], sort=False)[["alive", "ambulatory"]].sum().reset_index()
    stats_ = mean_interval(per_rep, ["scenario", "months"], "share")
    out = totals.merge(stats_, on=["scenario", "months"]).rename(columns={"mean": "share"})
    out = out[out["alive"] >= min_alive].sort_values(["scenario", "months"], kind="stable")
    return out[cols].reset_index(drop=True)


def _band(fig: go.Figure, x: np.ndarray, low: np.ndarray, high: np.ndarray, colour: str, name: str,
          shape: str = "linear") -> None:
    """A shaded interval: an invisible lower edge, then the upper edge filled down to it."""
    fig.add_trace(go.Scatter(x=x, y=low, mode="lines", line={"width": 0, "shape": shape},
                             hoverinfo="skip", showlegend=False, legendgroup=name, meta=name))
    fig.add_trace(go.Scatter(x=x, y=high, mode="lines", line={"width": 0, "shape": shape},
                             fill="tonexty", fillcolor=rgba(colour, 0.15), hoverinfo="skip",
                             showlegend=False, legendgroup=name, meta=name))


def ambulatory_over_time(states: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Line per strategy: % of living patients who can walk, by months since diagnosis, 95% band."""
    title = "Patients able to walk, among those alive"
    data = ambulatory_share(states)
    if data.empty:
        return empty_figure(title, "No diagnosed patients to show", MONTHS, "Ambulatory (% of alive)")
    fig = go.Figure()
    for name, colour, d in by_strategy(data, colours):
        x = d["months"].to_numpy()
        _band(fig, x, 100 * d["low"].to_numpy(), 100 * d["high"].to_numpy(), colour, name)
        fig.add_trace(go.Scatter(
            x=x, y=100 * d["share"], mode="lines+markers", name=name, legendgroup=name, meta=name,
            line={"color": colour, "width": 2.5}, marker={"size": 5},
            customdata=np.column_stack([100 * d["low"], 100 * d["high"], d["alive"]]),
            hovertemplate=(f"<b>{name}</b><br>%{{x:.0f}} months after diagnosis<br>"
                           "ambulatory: %{y:.1f}% (95% CI %{customdata[0]:.1f} to %{customdata[1]:.1f})"
                           "<br>alive: %{customdata[2]:.0f}<extra></extra>")))
    styled(fig, title, MONTHS, "Ambulatory (% of alive)", summary=_walking_summary(data))
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig


def _walking_summary(data: pd.DataFrame, months: float = 6.0) -> str:
    """Text alternative: the share walking about ``months`` after diagnosis, per strategy."""
    parts = []
    for name, d in data.groupby("scenario", sort=False):
        row = d.iloc[(d["months"] - months).abs().argmin()]
        parts.append(f"{name} {percent(float(row['share']))}")
    return f"Able to walk about {months:g} months after diagnosis, among those alive: {', '.join(parts)}."


def km_ambulation(patients: pd.DataFrame, step_months: float = 0.5) -> pd.DataFrame:
    """Kaplan-Meier estimate of keeping the ability to walk per scenario: mean over replications, 95% t-interval.

    Uses ``days_to_ambulation_loss`` (from diagnosis) with ``ambulation_loss_observed`` (True =
    lost, False = censored at death or end of follow-up). Each replication's curve
    (``scipy.stats.ecdf``) is read on a grid of ``step_months``; the curves are averaged with the
    summary table's t-interval over replications. Returns ``scenario, months, survival, low, high,
    n``; the curve starts at (0, 1).
    """
    cols = ["scenario", "months", "survival", "low", "high", "n"]
    if patients.empty:
        return pd.DataFrame(columns=cols)
    usable = patients[patients["days_to_ambulation_loss"].notna() & patients["ambulation_loss_observed"].notna()]
    if usable.empty:
        return pd.DataFrame(columns=cols)
    t_all = usable["days_to_ambulation_loss"].to_numpy(dtype=float) / DAYS_PER_MONTH
    grid = np.arange(0.0, float(np.nanmax(t_all)) + step_months, step_months)
    rows: list[pd.DataFrame] = []
    for (name, rep), d in usable.groupby(["scenario", "replication"], sort=False):
        t = d["days_to_ambulation_loss"].to_numpy(dtype=float) / DAYS_PER_MONTH
        lost = d["ambulation_loss_observed"].astype(bool).to_numpy()
        sf = stats.ecdf(stats.CensoredData(uncensored=t[lost], right=t[~lost])).sf
        reach = grid <= t.max()
        rows.append(pd.DataFrame({"scenario": name, "replication": rep, "months": grid[reach],
                                  "survival": sf.evaluate(grid[reach])}))
    per_rep = pd.concat(rows, ignore_index=True)
    out = mean_interval(per_rep, ["scenario", "months"], "survival").rename(columns={"mean": "survival"})
    out["n"] = out["scenario"].map(usable.groupby("scenario").size()).astype(int)  # patients, all replications
    return out[cols].reset_index(drop=True)


def ambulation_km(patients: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Step curve per strategy: probability of still walking, by months since diagnosis."""
    title = "Time to loss of walking (Kaplan-Meier)"
    y_title = "Still able to walk (%)"
    data = km_ambulation(patients)
    if data.empty:
        return empty_figure(title, "No diagnosed patients to show", MONTHS, y_title)
    fig = go.Figure()
    for name, colour, d in by_strategy(data, colours):
        x = d["months"].to_numpy()
        _band(fig, x, 100 * d["low"].to_numpy(), 100 * d["high"].to_numpy(), colour, name, shape="hv")
        fig.add_trace(go.Scatter(
            x=x, y=100 * d["survival"], mode="lines", name=name, legendgroup=name, meta=name,
            line={"color": colour, "width": 2.5, "shape": "hv"},
            customdata=np.column_stack([100 * d["low"], 100 * d["high"]]),
            hovertemplate=(f"<b>{name}</b><br>%{{x:.1f}} months after diagnosis<br>"
                           "still walking: %{y:.1f}% (95% CI %{customdata[0]:.1f} to %{customdata[1]:.1f})"
                           "<extra></extra>")))
    styled(fig, title, MONTHS, y_title, summary=_km_summary(data))
    fig.update_yaxes(range=[0, 101], ticksuffix="%")
    return fig


def _km_summary(data: pd.DataFrame, months: float = 12.0) -> str:
    """Text alternative: the Kaplan-Meier share still walking at ``months``, per strategy."""
    parts = []
    for name, d in data.groupby("scenario", sort=False):
        row = d.iloc[(d["months"] - months).abs().argmin()]
        parts.append(f"{name} {percent(float(row['survival']))}")
    return f"Still walking {months:g} months after diagnosis (Kaplan-Meier): {', '.join(parts)}."
