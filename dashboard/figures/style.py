"""Shared look of every chart: the strategy palette, axis styling and small statistics helpers.

The strategy colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"),
distinguishable with the common colour-vision deficiencies. The reference (first) strategy is
black; a strategy keeps its colour in every chart of one result.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import plotly.graph_objects as go

OKABE_ITO: tuple[str, ...] = (
    "#000000",  # black (reference)
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow (last: weakest on white)
)
DAYS_PER_MONTH = 30.4375
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
# Frankel grades from complete lesion (A) to normal (E): dark to light greys, so they never
# compete with the strategy colours. D and E walk.
FRANKEL_COLOURS: dict[str, str] = {
    "A": "#252525", "B": "#525252", "C": "#969696", "D": "#cccccc", "E": "#f0f0f0",
}
PATTERNS: tuple[str, ...] = ("", "/", ".", "x", "\\", "+", "-", "|")


def strategy_colours(names: Iterable[str]) -> dict[str, str]:
    """Colour per strategy, in the order given (first = reference = black)."""
    ordered = list(dict.fromkeys(names))
    if len(ordered) > len(OKABE_ITO):
        raise ValueError(f"at most {len(OKABE_ITO)} strategies can be coloured, got {len(ordered)}")
    return {name: OKABE_ITO[i] for i, name in enumerate(ordered)}


def by_strategy(data: pd.DataFrame, colours: dict[str, str]) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(name, colour, rows) for each strategy that has rows, in the colour map's (the page's) order."""
    for name, colour in colours.items():
        rows = data[data["scenario"] == name]
        if not rows.empty:
            yield name, colour, rows


def rgba(hex_colour: str, alpha: float) -> str:
    """A ``#rrggbb`` colour as ``rgba(...)`` with the given opacity (0-1)."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def is_dark(hex_colour: str) -> bool:
    """Whether text or hatching on this fill should be white."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def coloured_label(name: str, colour: str) -> str:
    """A tick label in the strategy's colour (plotly accepts this HTML subset)."""
    return f"<span style='color:{colour}'><b>{name}</b></span>"


def styled(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 380,
           legend_below: bool = False) -> go.Figure:
    """Apply the common layout: title, axis titles with units, legend, readable fonts.

    The legend sits above the plot, or below it (``legend_below``) for figures with subplot titles.
    """
    legend = ({"orientation": "h", "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0}
              if legend_below else
              {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0})
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top",
               "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height + (50 if legend_below else 0),
        margin={"l": 60, "r": 20, "t": 80, "b": 120 if legend_below else 55},
        legend=legend,
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title_text=x_title, showline=True, linecolor="#888")
    fig.update_yaxes(title_text=y_title, showline=True, linecolor="#888")
    return fig


def empty_figure(title: str, message: str, x_title: str = "", y_title: str = "") -> go.Figure:
    """A figure with no data and a centred message (for empty or missing results)."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 14, "color": "#555"})
    styled(fig, title, x_title, y_title, height=300)
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig


def wilson(successes: np.ndarray | float, n: np.ndarray | float,
           z: float = 1.959964) -> tuple[np.ndarray, np.ndarray]:
    """Wilson 95% interval for a proportion (works element-wise; n = 0 gives NaN)."""
    k = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / m
        denom = 1 + z**2 / m
        centre = (p + z**2 / (2 * m)) / denom
        half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / denom
    return centre - half, centre + half


def as_bool(series: pd.Series) -> pd.Series:
    """A column of booleans that may hold missing values, as float 1/0/NaN (same index)."""
    values = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(values, index=series.index)
