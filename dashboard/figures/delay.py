"""Delay explorer: walking against diagnostic delay, and one patient's journey with and without it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.style import as_bool, empty_figure, styled, wilson

TIMEPOINT_COLUMNS = {"ambulatory_at_diagnosis": "at diagnosis", "ambulatory_3m": "3 months after diagnosis",
                     "ambulatory_6m": "6 months after diagnosis"}
TIMEPOINT_STYLE = {"ambulatory_at_diagnosis": ("#0072B2", "circle", "solid"),
                   "ambulatory_3m": ("#D55E00", "square", "dash"),
                   "ambulatory_6m": ("#009E73", "diamond", "dot")}
X_TITLE = "Median delay from first symptom to diagnosis (days)"


def delay_curve_points(patients: pd.DataFrame, settings: dict[str, str]) -> pd.DataFrame:
    """Walking by diagnostic delay: one row per scenario of the sweep and time point.

    ``settings`` maps each scenario name to a plain description of its delay setting (in sweep
    order). Returns ``scenario, setting, order, median_delay_days, timepoint, label, n, share, low,
    high`` with shares among diagnosed patients alive at that time (0-1, Wilson 95%).
    """
    cols = ["scenario", "setting", "order", "median_delay_days", "timepoint", "label", "n", "share",
            "low", "high"]
    rows = []
    for order, (name, setting) in enumerate(settings.items()):
        d = patients[(patients["scenario"] == name) & patients["diagnosed"].astype(bool)]
        if d.empty:
            continue
        median_delay = float(d["diagnostic_delay_days"].astype(float).median())
        for column, label in TIMEPOINT_COLUMNS.items():
            values = as_bool(d[column]).dropna() if column in d else pd.Series(dtype=float)
            n, k = len(values), float(values.sum())
            low, high = wilson(k, n) if n else (np.nan, np.nan)
            rows.append({"scenario": name, "setting": setting, "order": order,
                         "median_delay_days": median_delay, "timepoint": column, "label": label, "n": n,
                         "share": k / n if n else np.nan, "low": float(low), "high": float(high)})
    return pd.DataFrame(rows, columns=cols)


def delay_curve(points: pd.DataFrame, selected: str | None = None) -> go.Figure:
    """Lines of % walking (at diagnosis, 3 and 6 months) against median diagnostic delay (days).

    ``selected`` names the scenario to highlight with a vertical line.
    """
    title = "The longer the delay, the fewer patients walk"
    y_title = "Able to walk (% of patients)"
    if points.empty:
        return empty_figure(title, "Run the delay explorer to draw the curve", X_TITLE, y_title)
    fig = go.Figure()
    for column, label in TIMEPOINT_COLUMNS.items():
        d = points[points["timepoint"] == column].sort_values("order")
        if d.empty:
            continue
        colour, symbol, dash = TIMEPOINT_STYLE[column]
        fig.add_trace(go.Scatter(
            x=d["median_delay_days"], y=100 * d["share"], mode="lines+markers", name=label, meta=column,
            line={"color": colour, "dash": dash, "width": 2.5}, marker={"symbol": symbol, "size": 9},
            error_y={"type": "data", "array": 100 * (d["high"] - d["share"]),
                     "arrayminus": 100 * (d["share"] - d["low"]), "color": colour, "thickness": 1},
            customdata=np.column_stack([d["setting"], d["n"]]),
            hovertemplate=(f"<b>%{{customdata[0]}}</b><br>median delay %{{x:.0f}} days<br>walking {label}: "
                           "%{y:.1f}%<br>%{customdata[1]} patients<extra></extra>")))
    if selected is not None and (points["scenario"] == selected).any():
        row = points[points["scenario"] == selected].iloc[0]
        fig.add_vline(x=float(row["median_delay_days"]), line={"color": "#555", "dash": "dash"},
                      annotation_text=str(row["setting"]), annotation_position="top")
    styled(fig, title, X_TITLE, y_title, height=420)
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    return fig

