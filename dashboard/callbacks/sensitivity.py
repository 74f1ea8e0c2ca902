"""Sensitivity: the request from the form, live checks, the background run, and the result drawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.analyses import AnalysisBackend, analysis_notes, plan_analysis, result_files
from dashboard.analysis_inputs import (
    ANALYSIS_LABELS,
    numeric_parameters,
    parameter_text,
    sweep_defaults,
    uncertainty_rows,
    uncertainty_table,
)
from dashboard.callbacks.runs import error_message, register_runner
from dashboard.data import EXAMPLE_UNCERTAINTY, InputError, bundled
from dashboard.figures import analysis_figure
from dashboard.jobs import JobManager
from dashboard.tables import analysis_table

FORM = ["sens-analysis", "sens-scenario", "sens-metric", "sens-sweep-param", "sens-sweep-low", "sens-sweep-high",
        "sens-sweep-steps", "sens-tornado-params", "sens-psa-draws", "sens-psa-sampler", "sens-psa-compare",
        "sens-psa-table", "sens-capacity-resource", "sens-capacity-values"]
RUN = ["sens-patients", "sens-replications", "sens-seed"]
FILE = {"type": "sens-file", "name": ALL}
EMPTY_COLUMNS = [{"field": "none", "headerName": "Run an analysis to fill this table"}]  # a grid needs a column


def _prop(id_: str) -> str:
    return "rowData" if id_ == "sens-psa-table" else "value"


def sensitivity_request(analysis: str, scenario: str, metric: str, parameter: str | None, low: Any, high: Any,
                        steps: Any, tornado_params: Sequence[str] | None, draws: Any, sampler: str,
                        compare: str | None, psa_rows: Sequence[Mapping[str, Any]] | None, resource: str,
                        capacities: Any, patients: Any, replications: Any, seed: Any) -> dict[str, Any]:
    """The request of the form's values (FORM then RUN order): only the chosen analysis's inputs."""
    request: dict[str, Any] = {"kind": "analysis", "analysis": analysis, "scenario": scenario, "metric": metric,
                               "patients": patients, "replications": replications, "seed": seed}
    if analysis == "sweep":
        request.update(parameter=parameter, low=low, high=high, steps=steps)
    elif analysis == "tornado":
        request.update(parameters=list(tornado_params or []))
    elif analysis == "psa":
        request.update(draws=draws, sampler=sampler, compare=compare, uncertainty=uncertainty_table(psa_rows))
    elif analysis == "capacity":
        request.update(resource=resource, values=capacities)
    return request


def form_message(backend: AnalysisBackend, values: Sequence[Any]) -> Any:
    """A visible error for the form as it stands, or what the run will cost."""
    try:
        plan = plan_analysis(sensitivity_request(*values), backend.caps)
    except InputError as exc:
        return error_message(f"Fix this before running:\n{exc}")
    cached = " (already run: shown at once)" if plan.key in backend.store else ""
    return html.Small(f"{plan.describe()}{cached}.", className="help")


def panel_styles(analysis: str) -> list[dict[str, str] | None]:
    """Show the chosen analysis's inputs only (ANALYSIS_LABELS order)."""
    return [None if name == analysis else {"display": "none"} for name in ANALYSIS_LABELS]


def sweep_inputs(path: str) -> tuple[str, float, float]:
    """(description with unit and ranges, LOW, HIGH) of a parameter: LOW and HIGH start at the plausible range."""
    found = {i.path: i for i in numeric_parameters()}
    if path not in found:
        return "Choose a numeric parameter.", no_update, no_update
    info = found[path]
    return (parameter_text(info), *sweep_defaults(info))


def psa_rows(trigger: str | None, rows: list[dict[str, Any]] | None, scenario: str) -> Any:
    """The uncertainty rows after 'Add a row', a reset or a change of scenario.

    A reset gives the scenario's own ``[uncertainty]`` table, else the example; a new scenario
    gives its own table if it has one and keeps the rows as edited otherwise.
    """
    if trigger == "sens-psa-add":
        return [*(rows or []), {"parameter": "", "distribution": ""}]
    own = bundled(scenario).uncertainty
    if trigger == "sens-scenario" and not own:
        return no_update
    return uncertainty_rows(own or EXAMPLE_UNCERTAINTY)


def render_analysis(result: Any) -> tuple[go.Figure, list[html.Li], list[dict[str, Any]], list[dict[str, Any]],
                                          list[html.Button]]:
    """(figure, notes, table columns, table rows, file buttons) of a stored analysis, or placeholders."""
    if result is None:
        return analysis_figure(None, None), [], EMPTY_COLUMNS, [], []
    names = [s["name"] for s in result.manifest.get("scenarios", [])]
    columns, rows = analysis_table(result.table)
    buttons = [html.Button(name, id={"type": "sens-file", "name": name}, n_clicks=0, className="file")
               for name in result_files(result)]
    notes = [html.Li(n) for n in analysis_notes(result)]
    labels = {i.path: f"{i.description[:1].upper()}{i.description[1:]} ({i.unit})" for i in numeric_parameters()}
    return analysis_figure(result.kind, result.figure, names, result.table, labels), notes, columns, rows, buttons


def download(backend: AnalysisBackend, key: str | None, name: str) -> dict[str, Any]:
    """One file of the stored analysis (for dcc.Download); raises InputError without one."""
    return dcc.send_bytes(backend.file(key, name), filename=name)


def register(app: Dash, backend: AnalysisBackend, jobs: JobManager, poll_ms: int) -> None:
    """Wire the Sensitivity view."""
    register_runner(app, "sens", backend, jobs, "analysis", sensitivity_request, [State(i, _prop(i)) for i in FORM],
                    poll_ms)

    @app.callback(*[Output(f"sens-{n}-panel", "style") for n in ANALYSIS_LABELS], Input("sens-analysis", "value"))
    def _panels(analysis: str) -> list[Any]:
        return panel_styles(analysis)

    @app.callback(Output("sens-sweep-info", "children"), Output("sens-sweep-low", "value"),
                  Output("sens-sweep-high", "value"), Input("sens-sweep-param", "value"), prevent_initial_call=True)
    def _sweep(path: str) -> tuple[Any, ...]:
        return sweep_inputs(path)

    @app.callback(Output("sens-psa-table", "deleteSelectedRows"), Input("sens-psa-remove", "n_clicks"),
                  prevent_initial_call=True)
    def _remove(_clicks: int) -> bool:
        return True

    @app.callback(Output("sens-psa-table", "rowData"), Input("sens-psa-add", "n_clicks"),
                  Input("sens-psa-reset", "n_clicks"), Input("sens-scenario", "value"),
                  State("sens-psa-table", "rowData"), prevent_initial_call=True)
    def _psa_rows(_add: int, _reset: int, scenario: str, rows: list[dict[str, Any]] | None) -> Any:
        return psa_rows(str(ctx.triggered_id), rows, scenario)

    @app.callback(Output("sens-message", "children"), *[Input(i, _prop(i)) for i in FORM + RUN])
    def _check(*values: Any) -> Any:
        return form_message(backend, values)

    @app.callback(Output("sens-graph", "figure"), Output("sens-notes", "children"), Output("sens-table", "columnDefs"),
                  Output("sens-table", "rowData"), Output("sens-files", "children"), Input("sens-result", "data"))
    def _render(key: str | None) -> tuple[Any, ...]:
        return render_analysis(backend.result(key))

    @app.callback(Output("sens-download", "data"), Output("sens-status", "children", allow_duplicate=True),
                  Input(FILE, "n_clicks"), State("sens-result", "data"), prevent_initial_call=True)
    def _download(clicks: list[int], key: str | None) -> tuple[Any, Any]:
        if not isinstance(ctx.triggered_id, Mapping) or not ctx.triggered[0].get("value"):
            return no_update, no_update  # the buttons were just drawn, not clicked
        try:
            return download(backend, key, ctx.triggered_id["name"]), no_update
        except InputError as exc:
            return no_update, error_message(str(exc))
