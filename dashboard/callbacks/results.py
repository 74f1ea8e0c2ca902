"""Drawing a stored result: every chart of a comparison and the summary table."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output

from dashboard.data import Backend
from dashboard.figures import RESULT_FIGURES, empty_figure, strategy_colours
from dashboard.figures.style import is_dark
from dashboard.tables import summary_rows


def result_colours(results: Any) -> dict[str, str]:
    """Strategy colours of a result, in run order (first = reference)."""
    return strategy_colours(s.name for s in results.scenarios)


def summary_styles(colours: dict[str, str]) -> list[dict[str, Any]]:
    """DataTable conditional styles: the strategy cell in the strategy's colour."""
    return [{"if": {"filter_query": f'{{scenario}} = "{name}"', "column_id": "scenario"},
             "backgroundColor": colour, "color": "white" if is_dark(colour) else "black",
             "fontWeight": "bold"} for name, colour in colours.items()]


def render_results(results: Any) -> tuple[list[go.Figure], list[dict[str, Any]], list[dict[str, Any]]]:
    """(figures in RESULT_FIGURES order, summary rows, summary styles) of a result, or placeholders."""
    if results is None:
        figs = [empty_figure("", "Press Run to simulate") for _ in RESULT_FIGURES]
        return figs, [], []
    colours = result_colours(results)
    figs = [builder(getattr(results, table), colours) for _, builder, table in RESULT_FIGURES]
    return figs, summary_rows(results.summary, list(colours)), summary_styles(colours)


def register_results(app: Dash, prefix: str, backend: Backend) -> None:
    """Redraw view ``prefix``'s charts and summary table whenever its result key changes."""
    outputs = [Output(f"{prefix}-{name}-graph", "figure") for name, _, _ in RESULT_FIGURES]

    @app.callback(*outputs, Output(f"{prefix}-summary-table", "data"),
                  Output(f"{prefix}-summary-table", "style_data_conditional"),
                  Input(f"{prefix}-result", "data"))
    def _render(key: str | None) -> tuple[Any, ...]:
        figs, rows, styles = render_results(backend.results(key))
        return (*figs, rows, styles)
