"""Sensitivity charts: the simulator's own analysis figure, in the dashboard's look (no simulator import).

The simulator draws each analysis from its table (``sweep_figure``, ``tornado_figure``,
``psa_figure``, ``capacity_figure``); here the figure is restyled, never redrawn, so the chart on the
page is the one ``spinesim KIND --out`` writes. Colours are Okabe-Ito: strategies in run order
(reference black, as in every other view), the low and high ends of a tornado blue and vermillion.
Every trace gets ``meta``: the metric (sweep), the end (tornado), the strategy (PSA) or the panel
(capacity).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.style import FONT, OKABE_ITO, empty_figure, strategy_colours

LINE = OKABE_ITO[4]  # blue
ENDS = {"low": OKABE_ITO[4], "high": OKABE_ITO[5]}  # blue, vermillion
CAPACITY_PANELS = ("utilisation", "mean_wait_days")
TORNADO_MIN_HEIGHT = 320  # pixels
PLACEHOLDER = "Choose a scenario and an analysis, then press Run"


def analysis_figure(kind: str | None, figure: go.Figure | dict[str, Any] | None,
                    scenarios: Sequence[str] = (), table: pd.DataFrame | None = None,
                    labels: Mapping[str, str] | None = None) -> go.Figure:
    """The analysis figure restyled for the page (a placeholder when there is none yet).

    ``scenarios`` are the strategies in run order (PSA colours; the first is the reference). For a
    tornado, ``table`` (the analysis's table) adds each end's 95% interval of the paired difference
    as whiskers, and ``labels`` shows parameters by their description and unit instead of their path.
    """
    if figure is None or kind is None:
        return empty_figure("Sensitivity analysis", PLACEHOLDER)
    fig = go.Figure(figure)
    colours = strategy_colours(scenarios) if scenarios else {}
    for i, trace in enumerate(fig.data):
        _recolour(kind, i, trace, colours)
    if kind == "tornado" and table is not None and not table.empty:
        _tornado_intervals(fig, table, labels or {})
    fig.update_layout(
        template="plotly_white", font={"family": FONT, "size": 13}, hoverlabel={"font": {"family": FONT}},
        title={"x": 0.01, "xanchor": "left", "font": {"size": 16}},
        margin={"l": 70, "r": 20, "t": 80, "b": 60})
    if kind == "tornado":  # legend above the bars, room for long parameter names, never squashed
        fig.update_layout(legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
                          margin={"l": 20, "t": 100}, height=max(TORNADO_MIN_HEIGHT, 120 + (fig.layout.height or 0)))
        fig.update_yaxes(automargin=True)
    fig.update_xaxes(showline=True, linecolor="#888")
    fig.update_yaxes(showline=True, linecolor="#888")
    return fig


def _tornado_intervals(fig: go.Figure, table: pd.DataFrame, labels: Mapping[str, str]) -> None:
    """Whiskers: each end's 95% t-interval of the paired difference to the base; parameters by their labels."""
    by_path = table.set_index("parameter")
    for trace in fig.data:
        end = trace.meta
        paths = list(trace.y)
        rows = by_path.loc[paths]
        trace.update(
            error_x={"type": "data", "symmetric": False, "color": "#333", "thickness": 1.5,
                     "array": (rows[f"{end}_difference_high"] - rows[f"{end}_difference"]).tolist(),
                     "arrayminus": (rows[f"{end}_difference"] - rows[f"{end}_difference_low"]).tolist()},
            y=[labels.get(p, p) for p in paths], customdata=list(zip(rows[f"{end}_value"], paths, strict=True)),
            hovertemplate="%{y} = %{customdata[0]}: %{x:+.4g} (whisker: 95% CI)<br>%{customdata[1]}<extra></extra>")


def _recolour(kind: str, index: int, trace: Any, colours: dict[str, str]) -> None:
    """Colour and tag one trace of an analysis figure."""
    if kind == "tornado":
        end = "low" if str(trace.name).startswith("low") else "high"
        trace.update(marker_color=ENDS[end], meta=end, marker_line={"color": "white", "width": 0.5})
    elif kind == "psa":
        name = str(trace.name)
        colour = colours.get(name, LINE)
        trace.update(meta=name, line={"color": colour}, marker={"color": colour, "size": 5, "opacity": 0.7},
                     fillcolor="rgba(0,0,0,0.04)")
    elif kind == "capacity":
        meta = CAPACITY_PANELS[index] if index < len(CAPACITY_PANELS) else "outcome"
        trace.update(meta=meta, line={"color": LINE, "width": 2.5}, marker={"color": LINE, "size": 8})
    else:  # sweep: one trace per metric
        trace.update(meta=trace.name, line={"color": LINE, "width": 2.5}, marker={"color": LINE, "size": 9})
