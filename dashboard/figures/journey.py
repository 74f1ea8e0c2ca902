"""One patient's journey as a timeline: events, Frankel grade bands and pain (VAS) over time."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.data import EVENT_LABELS, Event
from dashboard.figures.neuro import FRANKEL_MEANING
from dashboard.figures.style import as_bool, empty_figure, styled

LABELLED = (Event.SYMPTOM_ONSET, Event.DIAGNOSIS, Event.SURGERY, Event.RADIOTHERAPY_START, Event.EMERGENCY_PRESENTATION,
            Event.DEATH)
LINE_EVENTS = (Event.DIAGNOSIS, Event.DEATH)
# Bands: walking grades (D, E) in greens, the others in greys; E, normal function, is clearly visible.
BANDS = {"A": "#6b6b6b", "B": "#8f8f8f", "C": "#bdbdbd", "D": "#b8dcb0", "E": "#e3f3de"}
LEVEL = "ambulatory_level"  # "unaided", "with aid", "not walking" (shown when the model records it)


def event_name(code: str) -> str:
    """A readable name for an event code ('radiotherapy_start' -> 'radiotherapy starts')."""
    return EVENT_LABELS.get(code, code.replace("_", " "))


def frankel_changes(states: pd.DataFrame) -> list[tuple[float, str, str]]:
    """(day, from grade, to grade) of every change of Frankel grade, in order."""
    d = states[states["frankel"].notna()].sort_values("day")
    grades, days = d["frankel"].astype(str).tolist(), d["day"].astype(float).tolist()
    return [(days[i], grades[i - 1], grades[i]) for i in range(1, len(grades)) if grades[i] != grades[i - 1]]


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
    """A row per setting: Frankel bands (walking grades green), the pain line, events and every grade change.

    ``journeys`` maps a row title to ``(events, states)`` of ``patient_journey``; days are shifted
    by ``origin_day`` (the day of the first symptom) so the axis reads days since first symptom.
    Each change of Frankel grade is marked and labelled ("C to D"); with the model's walking
    level (``ambulatory_level``) the hover names it too.
    """
    title = f"One patient's journey{': ' + patient_label if patient_label else ''}"
    x_title = "Days since first symptom"
    if not journeys:
        return empty_figure(title, "Pick a patient to see their journey", x_title, "Pain (VAS, 0-10)")
    names = list(journeys)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.14, subplot_titles=names)
    changes_text = []
    for row, name in enumerate(names, start=1):
        events, states = journeys[name]
        colour = colours.get(name, "#000000")
        st = states.sort_values("day").copy() if not states.empty else states
        if not st.empty and "alive" in st:
            st = st[as_bool(st["alive"]).fillna(1.0) == 1.0]
        yref, xref = ("y domain", "x") if row == 1 else (f"y{row} domain", f"x{row}")
        for start, end, grade in frankel_runs(st) if not st.empty else []:
            fig.add_shape(type="rect", xref=xref, yref=yref, x0=start - origin_day, x1=end - origin_day, y0=0, y1=0.86,
                          fillcolor=BANDS.get(grade, "#ffffff"), line={"width": 0}, layer="below")
            fig.add_annotation(x=(start + end) / 2 - origin_day, y=0.02, xref=xref, yref=yref, showarrow=False,
                               text=f"{grade}: {FRANKEL_MEANING.get(grade, '')}" if end - start > 60 else grade,
                               font={"size": 10, "color": "#222"}, yanchor="bottom")
        if not st.empty:
            _pain_line(fig, st, name, colour, origin_day, row)
        changes = frankel_changes(st) if not st.empty else []
        if changes:
            fig.add_trace(go.Scatter(
                x=[d - origin_day for d, _, _ in changes], y=np.full(len(changes), 11.6), mode="markers+text",
                text=[f"{a} to {b}" for _, a, b in changes], textposition="top center", meta=name, showlegend=False,
                name=f"{name}: Frankel changes", marker={"symbol": "triangle-down", "size": 9, "color": "#333"},
                textfont={"size": 10, "color": "#333"},
                hovertemplate="day %{x:.0f}: Frankel %{text}<extra></extra>"), row=row, col=1)
            changes_text.append(f"{name}: Frankel " + ", ".join(f"{a} to {b} on day {d - origin_day:.0f}"
                                                                for d, a, b in changes))
        if not events.empty:
            _events(fig, events, name, colour, origin_day, row)
    for grade, shade in BANDS.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=f"Frankel {grade} ({FRANKEL_MEANING[grade]})",
                                 marker={"symbol": "square", "size": 14, "color": shade,
                                         "line": {"color": "#888", "width": 1}}))
    summary = "; ".join(changes_text) or "No change of Frankel grade in either setting."
    styled(fig, title, "", "Pain (VAS, 0-10)", height=270 * len(names) + 90, legend_below=True, summary=summary)
    fig.update_layout(legend_title_text="Green bands: can walk (D, E); E is normal function")
    fig.update_xaxes(title_text=x_title, row=len(names), col=1)
    for row in range(1, len(names) + 1):
        fig.update_yaxes(title_text="Pain (VAS)", range=[0, 13.2], tickvals=[0, 2, 4, 6, 8, 10], row=row, col=1)
    return fig


def _pain_line(fig: go.Figure, st: pd.DataFrame, name: str, colour: str, origin_day: float, row: int) -> None:
    frankel = st["frankel"].astype(str) if "frankel" in st else pd.Series("", index=st.index)
    walks = (st[LEVEL].astype(str) if LEVEL in st else
             as_bool(st["ambulatory"]).map({1.0: "walks", 0.0: "cannot walk"}).fillna(""))
    fig.add_trace(go.Scatter(
        x=st["day"].astype(float) - origin_day, y=st["vas"].astype(float), mode="lines", name=f"{name}: pain (VAS)",
        meta=name, line={"color": colour, "width": 2.5}, showlegend=False,
        customdata=np.column_stack([frankel, frankel.map(FRANKEL_MEANING).fillna(""), walks]),
        hovertemplate=("day %{x:.0f}: VAS %{y:.1f}<br>Frankel %{customdata[0]} (%{customdata[1]}), "
                       "%{customdata[2]}<extra></extra>")), row=row, col=1)


def _events(fig: go.Figure, events: pd.DataFrame, name: str, colour: str, origin_day: float, row: int) -> None:
    ev = events[events["day"].astype(float) >= origin_day - 30].sort_values("day")
    detail = ev["detail"].fillna("").astype(str) if "detail" in ev else pd.Series("", index=ev.index)
    codes = ev["event"].astype(str)
    labels = thin_labels(ev["day"].astype(float).tolist(), [event_name(c) if c in LABELLED else "" for c in codes])
    fig.add_trace(go.Scatter(
        x=ev["day"].astype(float) - origin_day, y=np.full(len(ev), 10.4), mode="markers+text", name=f"{name}: events",
        meta=name, showlegend=False, text=labels, textposition="top center", textfont={"size": 11, "color": "#222"},
        marker={"symbol": "diamond", "size": 10, "color": colour, "line": {"color": "white", "width": 1}},
        customdata=np.column_stack([codes.map(event_name), detail]),
        hovertemplate="day %{x:.0f}: <b>%{customdata[0]}</b> %{customdata[1]}<extra></extra>"), row=row, col=1)
    for day in ev.loc[codes.isin(LINE_EVENTS), "day"]:
        fig.add_vline(x=float(day) - origin_day, row=row, col=1, line={"color": colour, "dash": "dot", "width": 1})
