"""Value for money: run the strategies (or their PSA) in the background, then draw the plane, curve, NMB and budget.

The threshold is applied in the page's process from the stored result (no new simulation), so the
sentence, the threshold line, the curve's marker and the net benefit follow the box as it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from dash import Dash, Input, Output, State, html, no_update

from dashboard.analyses import AnalysisBackend
from dashboard.callbacks.compare import compare_request
from dashboard.callbacks.results import summary_columns
from dashboard.callbacks.runs import error_message, register_runner
from dashboard.data import Backend, InputError
from dashboard.figures import VALUE_CHARTS, strategy_colours, value_figure
from dashboard.figures.style import figure_summary
from dashboard.jobs import JobManager
from dashboard.layout.common import grid
from dashboard.layout.value import source_options
from dashboard.tables import summary_rows
from dashboard.valuation import (
    PSA,
    REPLICATIONS,
    charts,
    choose,
    from_psa,
    parse_threshold,
    psa_request,
    sentences,
    uncertainty_note,
    value_rows,
)

TITLES = {"plane": "Cost-effectiveness plane", "ceac": "Acceptability curve", "nmb": "Net monetary benefit",
          "budget": "Budget impact"}
PLACEHOLDER = "Press Run to simulate"
VIEW_OUTPUTS = 2 * len(VALUE_CHARTS) + 5  # figures, their texts, sentence, source note, value table, KPI note and table
VALUE_COLUMNS = [
    {"field": "strategy", "headerName": "Strategy", "minWidth": 130, "flex": 1},
    {"field": "cost", "headerName": "Cost per patient", "type": "numericColumn",
     "valueFormatter": {"function": "params.data.cost_text"}},
    {"field": "qalys", "headerName": "QALYs per patient", "type": "numericColumn",
     "valueFormatter": {"function": "params.data.qalys_text"}},
    {"field": "incremental_cost", "headerName": "Incremental cost (95% CI)", "minWidth": 200, "flex": 1},
    {"field": "incremental_qalys", "headerName": "Incremental QALYs (95% CI)", "minWidth": 200, "flex": 1},
    {"field": "nmb", "headerName": "Net monetary benefit at the threshold (95% CI)", "type": "numericColumn",
     "minWidth": 220, "valueFormatter": {"function": "params.data.nmb_text"}},
    {"field": "best", "headerName": "Best value in"},
]


def render_value(results: Any, psa: Any, source: str | None, threshold: float) -> tuple[Any, ...]:
    """(figures, their texts, sentence, source note, value table, KPI note, KPI table) for the page."""
    data = choose(results, psa, source)
    names = list(data.names) if data else [s.name for s in results.scenarios] if results is not None else []
    colours = strategy_colours(names)
    drawn = charts(data, threshold, results, colours)
    figures = [value_figure(drawn[n], TITLES[n], PLACEHOLDER) for n in VALUE_CHARTS]
    texts = [figure_summary(f) if drawn[n] is not None else PLACEHOLDER for n, f in zip(VALUE_CHARTS, figures,
                                                                                     strict=True)]
    if data is None:
        return (*figures, *texts, html.P("Press Run: each strategy's cost per QALY and its chance of being the best "
                                         "value appear here.", className="help"), "", html.P("No results yet.",
                                                                                             className="help"),
                "", _kpi_table(results, colours))
    words = [html.P(text, className="value-line") for text in sentences(data, threshold)]
    table = grid("value-table-grid", VALUE_COLUMNS, value_rows(data, threshold))
    return (*figures, *texts, words, f"Shown: {data.note}", table, _kpi_note(results), _kpi_table(results, colours))


def page_at(raw: Any, draw: Callable[[float], tuple[Any, ...]]) -> tuple[Any, ...]:
    """The page's outputs at the typed threshold (``draw(threshold)``, then no message).

    A threshold that is not a number in the schema's range leaves every chart as it is and says why.
    """
    try:
        threshold = parse_threshold(raw)
    except InputError as exc:
        return (*[no_update] * VIEW_OUTPUTS, error_message(str(exc)))
    return (*draw(threshold), "")


def source_choice(psa_ready: bool, source: str | None) -> tuple[list[dict[str, Any]], str]:
    """(options, value) of "Uncertainty shown": a PSA that has just finished is shown; without one, replications."""
    if psa_ready:
        return source_options(True), PSA
    return source_options(False), REPLICATIONS


def _kpi_note(results: Any) -> str:
    if results is None:
        return ""
    t = results.scenarios[0].params.targets
    return (f"Targets: MRI within {t.emergency_mri_hours:g} hours of an emergency presentation, and within "
            f"{t.referral_to_mri_days:g} days of a routine or fast-track referral (a longer wait is a breach). "
            "Mean over replications with 95% t-intervals; differences paired with the reference.")


def _kpi_table(results: Any, colours: dict[str, str]) -> Any:
    if results is None or results.kpis.empty:
        return html.P("No results yet.", className="help")
    return grid("value-kpi-grid", summary_columns(colours), summary_rows(results.kpis, list(colours)))


def register(app: Dash, backend: Backend, analyses: AnalysisBackend, jobs: JobManager, max_strategies: int,
             poll_ms: int) -> None:
    """Wire the Value view: its run, its PSA, and the drawing at the chosen threshold."""
    register_runner(app, "value", backend, jobs, "experiment",
                    lambda names, n, r, s: compare_request(names, n, r, s, max_strategies),
                    [State("value-scenarios", "value")], poll_ms)
    register_runner(app, "valuepsa", analyses, jobs, "analysis", psa_request,
                    [State("value-scenarios", "value"), State("valuepsa-draws", "value")], poll_ms)

    @lru_cache(maxsize=16)
    def drawn(key: str | None, psa_key: str | None, source: str | None, threshold: float) -> tuple[Any, ...]:
        """The view for one (result, PSA, source, threshold): results are immutable, so is this."""
        return render_value(backend.results(key), analyses.result(psa_key), source, threshold)

    outputs = [*[Output(f"value-{n}-graph", "figure") for n in VALUE_CHARTS],
               *[Output(f"value-{n}-graph-text", "children") for n in VALUE_CHARTS],
               Output("value-sentence", "children"), Output("value-source-note", "children"),
               Output("value-table", "children"), Output("value-kpi-note", "children"),
               Output("value-kpis", "children"), Output("value-threshold-message", "children")]

    @app.callback(*outputs, Input("value-result", "data"), Input("valuepsa-result", "data"),
                  Input("value-source", "value"), Input("value-threshold", "value"))
    def _render(key: str | None, psa_key: str | None, source: str | None, raw: Any) -> tuple[Any, ...]:
        return page_at(raw, lambda threshold: drawn(key, psa_key, source, threshold))

    @app.callback(Output("value-source", "options"), Output("value-source", "value"),
                  Input("valuepsa-result", "data"), State("value-source", "value"))
    def _source(psa_key: str | None, source: str | None) -> tuple[Any, Any]:
        return source_choice(from_psa(analyses.result(psa_key)) is not None, source)

    @app.callback(Output("value-psa-note", "children"), Input("value-scenarios", "value"))
    def _psa_note(names: Sequence[str] | None) -> str:
        return uncertainty_note(names)
