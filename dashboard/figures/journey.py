"""One patient's journey as a timeline: events, Frankel grade bands and pain (VAS) over time."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.neuro import FRANKEL_MEANING
from dashboard.figures.style import FRANKEL_COLOURS, as_bool, empty_figure, styled

# Events named on the timeline (the rest are diamonds with hover text), and those given a line.
EVENT_LABELS = {"symptom_onset": "first symptom", "diagnosis": "diagnosis", "surgery": "surgery",
                "radiotherapy_start": "radiotherapy", "ambulation_lost": "stops walking",
                "ambulation_regained": "walks again", "emergency_presentation": "emergency", "death": "death"}
LINE_EVENTS = ("diagnosis", "ambulation_lost", "death")


def frankel_runs(states: pd.DataFrame) -> list[tuple[float, float, str]]:
    """(first day, last day, grade) of each stretch of days with the same Frankel grade."""
    d = states[states["frankel"].notna()].sort_values("day")
    grades = d["frankel"].astype(str).tolist()
    days = d["day"].astype(float).to_numpy()
    out, start = [], 0
    for i in range(1, len(grades) + 1):
        if i == len(grades) or grades[i] != grades[start]:
            end_day = days[i] if i < len(grades) else days[i - 1] + 1.0
            out.append((float(days[start]), float(end_day), grades[start]))
            start = i
    return out


def thin_labels(days: list[float], labels: list[str], min_gap_share: float = 0.05) -> list[str]:
    """Blank out labels closer than ``min_gap_share`` of the time span to the previous shown label."""
    if not days:
        return labels
    gap = max(days[-1] - days[0], 1.0) * min_gap_share
    out, last = [], None
    for day, label in zip(days, labels, strict=True):
        if label and (last is None or day - last >= gap):
            out.append(label)
            last = day
        else:
            out.append("")
    return out


def journey_timeline(journeys: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]], colours: Mapping[str, str],
                     origin_day: float = 0.0, patient_label: str = "") -> go.Figure:
    """A row per scenario: shaded Frankel bands, the VAS line, and each event as a marker.

    ``journeys`` maps a row title to ``(events, states)`` of ``patient_journey``; days are shifted
    by ``origin_day`` (the day of the first symptom) so the axis reads days since first symptom.
    """
    title = f"One patient's journey{': ' + patient_label if patient_label else ''}"
    x_title = "Days since first symptom"
    if not journeys:
        return empty_figure(title, "Pick a patient to see their journey", x_title, "Pain (VAS, 0-10)")
    names = list(journeys)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=names)
    for row, name in enumerate(names, start=1):
        events, states = journeys[name]
        colour = colours.get(name, "#000000")
        st = states.sort_values("day").copy() if not states.empty else states
        if not st.empty and "alive" in st:
            st = st[as_bool(st["alive"]).fillna(1.0) == 1.0]
        yref = "y domain" if row == 1 else f"y{row} domain"
        xref = "x" if row == 1 else f"x{row}"
        for start, end, grade in frankel_runs(st) if not st.empty else []:
            fig.add_shape(type="rect", xref=xref, yref=yref, x0=start - origin_day, x1=end - origin_day,
                          y0=0, y1=1, fillcolor=FRANKEL_COLOURS.get(grade, "#ffffff"), opacity=0.45,
                          line={"width": 0}, layer="below")
        if not st.empty:
            frankel = st["frankel"].astype(str) if "frankel" in st else pd.Series("", index=st.index)
            walks = as_bool(st["ambulatory"]).map({1.0: "walks", 0.0: "cannot walk"}).fillna("")
            fig.add_trace(go.Scatter(
                x=st["day"].astype(float) - origin_day, y=st["vas"].astype(float), mode="lines",
                name=f"{name}: pain (VAS)", meta=name, line={"color": colour, "width": 2.5},
                customdata=np.column_stack([frankel, frankel.map(FRANKEL_MEANING).fillna(""), walks]),
                hovertemplate=("day %{x:.0f}: VAS %{y:.1f}<br>Frankel %{customdata[0]} "
                               "(%{customdata[1]}), %{customdata[2]}<extra></extra>"),
                showlegend=False), row=row, col=1)
        if not events.empty:
            ev = events[events["day"].astype(float) >= origin_day - 30].sort_values("day")
            detail = ev["detail"].fillna("").astype(str) if "detail" in ev else pd.Series("", index=ev.index)
            labels = thin_labels(ev["day"].astype(float).tolist(), [EVENT_LABELS.get(str(e), "") for e in ev["event"]])
            fig.add_trace(go.Scatter(
                x=ev["day"].astype(float) - origin_day, y=np.full(len(ev), 10.6), mode="markers+text",
                name=f"{name}: events", meta=name, showlegend=False, text=labels,
                textposition="top center",
                textfont={"size": 11, "color": "#333"},
                marker={"symbol": "diamond", "size": 10, "color": colour, "line": {"color": "white", "width": 1}},
                customdata=np.column_stack([ev["event"].astype(str), detail]),
                hovertemplate="day %{x:.0f}: <b>%{customdata[0]}</b> %{customdata[1]}<extra></extra>"),
                row=row, col=1)
            for day in ev.loc[ev["event"].isin(LINE_EVENTS), "day"]:
                fig.add_vline(x=float(day) - origin_day, row=row, col=1,
                              line={"color": colour, "dash": "dot", "width": 1})
    for grade, shade in FRANKEL_COLOURS.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Frankel {grade} "
                                 f"({FRANKEL_MEANING[grade]})",
                                 marker={"symbol": "square", "size": 14, "color": shade,
                                         "line": {"color": "#888", "width": 1}}))
    styled(fig, title, "", "Pain (VAS, 0-10)", height=260 * len(names) + 80, legend_below=True)
    fig.update_xaxes(title_text=x_title, row=len(names), col=1)
    for row in range(1, len(names) + 1):
        fig.update_yaxes(title_text="Pain (VAS, 0-10)", range=[0, 12.4], row=row, col=1)
    return fig
