"""Delay explorer: the headline outcomes under two delays, side by side, with their 95% intervals."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.style import coloured_label, empty_figure, styled

COLUMNS = 3


def delay_outcomes(summary: pd.DataFrame, colours: dict[str, str], metrics: tuple[str, ...]) -> go.Figure:
    """One small panel per outcome in ``metrics``: a bar per setting (estimate, 95% t-interval whisker).

    Reads the summary table (label and unit per row), so the numbers are the table's; shares are in %.
    """
    title = "What the delay changes"
    rows = summary[summary["metric"].isin(metrics)] if not summary.empty else summary
    shown = [m for m in metrics if m in set(rows.get("metric", []))]
    if not shown:
        return empty_figure(title, "Press Run to compare the two delays")
    n_rows = -(-len(shown) // COLUMNS)
    labels = rows.drop_duplicates("metric").set_index("metric")
    fig = make_subplots(rows=n_rows, cols=COLUMNS, vertical_spacing=0.22 / n_rows + 0.08, horizontal_spacing=0.08,
                        subplot_titles=[f"{labels.loc[m, 'label']}" for m in shown])
    parts = []
    for i, metric in enumerate(shown):
        unit = str(labels.loc[metric, "unit"])
        scale, suffix = (100.0, "%") if unit == "proportion" else (1.0, f" {unit}")
        r, c = i // COLUMNS + 1, i % COLUMNS + 1
        for name, colour in colours.items():
            row = rows[(rows["metric"] == metric) & (rows["scenario"] == name)]
            if row.empty:
                continue
            est, low, high = (scale * float(row[k].iloc[0]) for k in ("estimate", "ci_low", "ci_high"))
            fig.add_trace(go.Bar(
                x=[coloured_label(name, colour)], y=[est], marker_color=colour, name=name, meta=name, showlegend=False,
                error_y={"type": "data", "array": [high - est], "arrayminus": [est - low], "color": "#333"},
                hovertemplate=f"<b>{name}</b><br>%{{y:.1f}}{suffix} (95% CI {low:.1f} to {high:.1f})<extra></extra>"),
                row=r, col=c)
            if i < 3:
                parts.append(f"{labels.loc[metric, 'label'].lower()} {est:.0f}{suffix.strip()} with {name}")
        fig.update_yaxes(ticksuffix="%" if unit == "proportion" else "", rangemode="tozero", row=r, col=c)
        fig.update_xaxes(showticklabels=False, row=r, col=c)
    styled(fig, title, "", "", height=240 * n_rows + 80, summary="; ".join(parts) + ".")
    fig.add_annotation(text="  ".join(coloured_label(n, c) for n, c in colours.items()), xref="paper", yref="paper",
                       x=0, y=1.0, yshift=40, showarrow=False, xanchor="left", align="left")
    return fig
