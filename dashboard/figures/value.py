"""Value-for-money charts: the simulator's own charts (``simulator.output.value_charts``) in the page's look.

Restyled, never redrawn, as the sensitivity charts are: the chart on the page is the one the HTML
report draws, with one trace per strategy (``meta`` = its name), the strategy colours of every
other view and the chart's one-line text alternative kept.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard.figures.style import empty_figure, styled

VALUE_CHARTS = ("plane", "ceac", "nmb", "budget")  # page order
HEIGHT = 420  # px


def value_figure(figure: go.Figure | None, title: str, placeholder: str) -> go.Figure:
    """A value chart restyled for the page, or ``placeholder`` (not bare axes) when there is none yet."""
    if figure is None:
        return empty_figure(title, placeholder)
    fig = go.Figure(figure)
    layout = fig.layout
    summary = layout.meta.get("summary", "") if isinstance(layout.meta, dict) else ""
    styled(fig, layout.title.text or title, layout.xaxis.title.text or "", layout.yaxis.title.text or "",
           height=HEIGHT, summary=summary)
    return fig
