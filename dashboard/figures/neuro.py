"""Neurological status: Frankel grade at diagnosis and after treatment, as stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.style import FRANKEL_COLOURS, coloured_label, empty_figure, is_dark, percent, styled

FRANKEL_MEANING = {"A": "complete", "B": "sensory only", "C": "motor, useless", "D": "motor, walks",
                   "E": "normal"}
TIMEPOINTS = {"frankel_at_diagnosis": "At diagnosis", "frankel_after_treatment": "After treatment"}


def frankel_shares(patients: pd.DataFrame) -> pd.DataFrame:
    """Share of patients in each Frankel grade per scenario and time point (0-1).

    Returns ``scenario, timepoint, grade, count, n, share``; the denominator ``n`` is the patients
    with a recorded grade at that time point.
    """
    cols = ["scenario", "timepoint", "grade", "count", "n", "share"]
    frames = []
    for column, label in TIMEPOINTS.items():
        if column not in patients:
            continue
        d = patients[patients[column].notna()]
        counts = d.groupby(["scenario", column], sort=False).size().rename("count").reset_index()
        counts = counts.rename(columns={column: "grade"})
        counts["timepoint"] = label
        counts["n"] = counts.groupby("scenario")["count"].transform("sum")
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["share"] = out["count"] / out["n"]
    return out[cols]


def frankel_bars(patients: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Two panels (at diagnosis, after treatment); in each a stacked bar of Frankel grades per strategy.

    Grades are shaded dark (A, complete lesion) to light (E, normal); the bar outline and the tick
    label carry the strategy's colour.
    """
    title = "Neurological status (Frankel grade): at diagnosis and after treatment"
    y_title = "Share of patients (%)"
    data = frankel_shares(patients)
    if data.empty:
        return empty_figure(title, "No Frankel grades recorded", "Strategy", y_title)
    fig = make_subplots(rows=1, cols=len(TIMEPOINTS), shared_yaxes=True,
                        subplot_titles=list(TIMEPOINTS.values()), horizontal_spacing=0.04)
    shown: set[str] = set()
    for col, label in enumerate(TIMEPOINTS.values(), start=1):
        for name, colour in colours.items():
            d = data[(data["scenario"] == name) & (data["timepoint"] == label)]
            for grade, shade in FRANKEL_COLOURS.items():
                g = d[d["grade"] == grade]
                if g.empty:
                    continue
                share = 100 * float(g["share"].iloc[0])
                fig.add_trace(go.Bar(
                    x=[coloured_label(name, colour)], y=[share], name=f"{grade} ({FRANKEL_MEANING[grade]})",
                    legendgroup=grade, showlegend=grade not in shown, meta=name,
                    marker={"color": shade, "line": {"color": colour, "width": 2}},
                    text=[grade if share >= 8 else ""], textposition="inside", textangle=0,
                    insidetextfont={"color": "white" if is_dark(shade) else "black"},
                    customdata=[[int(g["count"].iloc[0]), int(g["n"].iloc[0])]],
                    hovertemplate=(f"<b>{name}</b>, {label.lower()}<br>Frankel {grade} "
                                   f"({FRANKEL_MEANING[grade]}): %{{y:.1f}}%<br>"
                                   "%{customdata[0]} of %{customdata[1]} patients<extra></extra>")),
                    row=1, col=col)
                shown.add(grade)
    walking = data[data["grade"].isin(["D", "E"])].groupby(["scenario", "timepoint"], sort=False)["share"].sum()
    summary = "Walking (Frankel D or E) at diagnosis and after treatment: " + "; ".join(
        f"{n} {percent(walking.get((n, 'At diagnosis'), float('nan')))} and "
        f"{percent(walking.get((n, 'After treatment'), float('nan')))}" for n in colours) + "."
    styled(fig, title, "", y_title, height=400, legend_below=True, summary=summary)
    fig.update_layout(barmode="stack", legend_traceorder="normal", legend_title_text="Frankel grade")
    fig.update_xaxes(type="category", tickangle=-30 if len(colours) > 3 else 0, automargin=True)
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    for col in range(2, len(TIMEPOINTS) + 1):
        fig.update_yaxes(title_text="", row=1, col=col)
    fig.update_xaxes(title_text="Strategy")
    return fig
