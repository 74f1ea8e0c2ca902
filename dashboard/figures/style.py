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

from dashboard.data import replication_interval

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
    return ink_on(hex_colour) == "#ffffff"


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour (0 = black, 1 = white)."""
    h = hex_colour.lstrip("#")

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(h[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(hex_colour: str, background: str = "#ffffff", minimum: float = 4.5) -> str:
    """The strategy's colour darkened (same hue) until text in it reaches ``minimum`` contrast (WCAG AA)."""
    h = hex_colour.lstrip("#")
    rgb = [int(h[i : i + 2], 16) for i in (0, 2, 4)]
    colour = hex_colour
    for step in range(0, 101):
        colour = "#" + "".join(f"{round(c * (1 - step / 100)):02x}" for c in rgb)
        if contrast(colour, background) >= minimum:
            return colour
    return colour


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (for text inside a coloured cell or bar)."""
    return "#000000" if contrast("#000000", fill) >= contrast("#ffffff", fill) else "#ffffff"


def coloured_label(name: str, colour: str) -> str:
    """A tick label in the strategy's colour, darkened to 4.5:1 on white (plotly accepts this HTML subset)."""
    return f"<span style='color:{text_colour(colour)}'><b>{name}</b></span>"


def styled(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 380,
           legend_below: bool = False, summary: str = "") -> go.Figure:
    """Apply the common layout: title, axis titles with units, legend, readable fonts, the text alternative.

    The legend sits at the bottom of the figure, below the axis titles and tick labels (plotly
    makes room for it), so it never covers them; ``legend_below`` is kept for callers that have
    subplot titles and need the extra room. ``summary`` is the chart's one-line text alternative
    (``layout.meta.summary``), shown under the chart and read by screen readers.
    """
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top", "font": {"size": 16}},
        template="plotly_white",
        font={"family": FONT, "size": 13},
        height=height + (50 if legend_below else 0),
        margin={"l": 60, "r": 20, "t": 60, "b": 40, "autoexpand": True},
        legend={"orientation": "h", "yanchor": "top", "y": -0.18, "xanchor": "left", "x": 0,
                },
        hoverlabel={"font": {"family": FONT}},
        meta={"summary": summary or title},
    )
    fig.update_xaxes(title_text=x_title, showline=True, linecolor="#888", automargin=True, title_standoff=8)
    fig.update_yaxes(title_text=y_title, showline=True, linecolor="#888", automargin=True)
    return fig


def empty_figure(title: str, message: str, x_title: str = "", y_title: str = "") -> go.Figure:
    """A figure with no data: the title and a centred message, no bare axes."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 15, "color": "#444"})
    styled(fig, title, "", "", height=220, summary=f"{title}: {message}" if title else message)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def figure_summary(fig: go.Figure) -> str:
    """The one-line text alternative a builder gave its figure (or its title)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get("summary") or (fig.layout.title.text or ""))


def mean_interval(frame: pd.DataFrame, by: list[str], value: str) -> pd.DataFrame:
    """Per group: ``mean``, 95% t-interval ``low``/``high`` over replications and ``n`` (the summary's method).

    ``frame`` holds one row per replication and group (``value`` computed per replication);
    groups seen in one replication only get no interval (NaN bounds).
    """
    rows = []
    for keys, d in frame.groupby(by, sort=False):
        mean, low, high = replication_interval(d[value].to_numpy(float))
        rows.append({**dict(zip(by, keys if isinstance(keys, tuple) else (keys,), strict=True)),
                     "mean": mean, "low": low, "high": high, "n": int(d[value].notna().sum())})
    return pd.DataFrame(rows, columns=[*by, "mean", "low", "high", "n"])


def percent(x: float) -> str:
    """A share (0-1) as '58%' (for text alternatives)."""
    return "-" if x != x else f"{100 * x:.0f}%"


def as_bool(series: pd.Series) -> pd.Series:
    """A column of booleans that may hold missing values, as float 1/0/NaN (same index)."""
    values = series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(values, index=series.index)
