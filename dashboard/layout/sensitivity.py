"""View 5, Sensitivity: a sweep, tornado, PSA or capacity analysis of one scenario, run in the background.

Parameters, units and ranges come from the schema (``parameter_infos``), outcomes from the
simulator's metric catalogue, the tornado's default parameters from ``TORNADO_PARAMETERS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.analysis_inputs import (
    ANALYSIS_LABELS,
    SAMPLERS,
    numeric_parameters,
    parameter_text,
    sweep_defaults,
    tornado_parameters,
    uncertainty_rows,
)
from dashboard.config import DashboardConfig
from dashboard.data import CAPACITY_PARAMETERS, DEFAULT_METRIC, EXAMPLE_UNCERTAINTY, METRIC_CHOICES, TORNADO_DEFAULTS
from dashboard.layout.common import (
    choice_options,
    field,
    graph,
    grid,
    number_input,
    run_controls,
    scenario_options,
)

DEFAULT_PARAMETER = "pathway.patient_delay_median_days"
INTRO = ("How much does an outcome depend on one input? Pick a scenario and an analysis. A one-way "
         "sweep runs the scenario at several values of one parameter; a tornado moves each chosen "
         "parameter alone to the low and high end of its plausible (evidence) range and ranks them by "
         "the swing of the outcome; a probabilistic analysis (PSA) draws every uncertain parameter at "
         "once from a distribution; a capacity analysis varies the number of scanners, theatres or "
         "linear accelerators. Every variant runs on the same simulated patients (common random "
         "numbers), so differences are the parameter's doing, not chance.")
FORMS = ("Distributions: beta(mean=, sd=) or beta(alpha=, beta=) for proportions; gamma(mean=, sd=); "
         "lognormal(median=, sd_log=) or lognormal(low=, high=) as a 95% interval; uniform(low=, high=). "
         "Whole-number parameters are rounded; draws outside the allowed range are clipped and counted.")


def _options(infos: Sequence[Any]) -> list[dict[str, str]]:
    """Parameters by their description and unit (the dotted path on hover and in the search)."""
    return [{"label": f"{i.description[:1].upper()}{i.description[1:]} ({i.unit})", "value": i.path,
             "title": i.path, "search": f"{i.path} {i.description}"} for i in infos]


def _panel(name: str, shown: bool, children: list[Any]) -> html.Fieldset:
    return html.Fieldset(id=f"sens-{name}-panel", className="lever-group analysis-panel",
                         style=None if shown else {"display": "none"},
                         children=[html.Legend(ANALYSIS_LABELS[name]), *children])


def sweep_panel(config: DashboardConfig, catalogue: Mapping[str, Any]) -> html.Fieldset:
    """Parameter (numeric, from the schema) with its unit and ranges, and LOW / HIGH / STEPS."""
    info = catalogue[DEFAULT_PARAMETER]
    low, high = sweep_defaults(info)
    return _panel("sweep", True, [
        field("Parameter",
              dcc.Dropdown(id="sens-sweep-param", value=info.path, clearable=False,
                           options=_options(numeric_parameters())),
              html.Small(parameter_text(info), id="sens-sweep-info", className="help"), wide=True),
        html.Div(className="fields", children=[
            number_input("sens-sweep-low", low, "LOW", "in the parameter's unit", step="any"),
            number_input("sens-sweep-high", high, "HIGH", "in the parameter's unit", step="any"),
            number_input("sens-sweep-steps", 5, "STEPS", f"2 to {config.max_sweep_values} values")]),
    ])


def tornado_panel(config: DashboardConfig) -> html.Fieldset:
    """Parameters to swing (default: the simulator's ``TORNADO_PARAMETERS``)."""
    choices = tornado_parameters()
    paths = {i.path for i in choices}
    return _panel("tornado", False, [
        field("Parameters (each moved alone to both ends of its plausible range)",
              dcc.Dropdown(id="sens-tornado-params", multi=True, options=_options(choices),
                           value=[p for p in TORNADO_DEFAULTS if p in paths][:config.max_tornado_parameters]),
              f"At most {config.max_tornado_parameters} parameters; each costs two runs per replication.",
              wide=True),
    ])


def psa_panel(config: DashboardConfig, choices: Sequence[tuple[str, str]]) -> html.Fieldset:
    """Draws, sampler, an optional second strategy and the editable table of distributions."""
    numeric = numeric_parameters()
    return _panel("psa", False, [
        html.Div(className="fields", children=[
            number_input("sens-psa-draws", 16, "Draws", f"2 to {config.max_psa_draws}"),
            field("Sampler",
                  dcc.RadioItems(id="sens-psa-sampler", value="lhs", inline=True, options=choice_options(SAMPLERS))),
            field("Compare with (optional)",
                  dcc.Dropdown(id="sens-psa-compare", value=None, placeholder="no second strategy",
                               options=scenario_options(choices), style={"width": "16em"}))]),
        html.Label("Uncertain parameters (edit a cell to change it)"),
        grid("sens-psa-table", [
            {"field": "parameter", "headerName": "Parameter", "editable": True, "flex": 1, "minWidth": 220,
             "cellEditor": "agSelectCellEditor", "cellEditorParams": {"values": [i.path for i in numeric]},
             "checkboxSelection": True, "tooltipField": "parameter"},
            {"field": "distribution", "headerName": "Distribution", "editable": True, "flex": 1, "minWidth": 220}],
             uncertainty_rows(EXAMPLE_UNCERTAINTY), dashGridOptions={"rowSelection": "multiple",
                                                                    "stopEditingWhenCellsLoseFocus": True}),
        html.Div(className="buttons", children=[
            html.Button("Add a row", id="sens-psa-add", n_clicks=0),
            html.Button("Remove the ticked rows", id="sens-psa-remove", n_clicks=0),
            html.Button("Reset to the scenario's table (or the example)", id="sens-psa-reset", n_clicks=0)]),
        html.Small(FORMS, className="help"),
    ])


def capacity_panel(config: DashboardConfig) -> html.Fieldset:
    """Resource and the capacities to try."""
    return _panel("capacity", False, [
        html.Div(className="fields", children=[
            field("Resource",
                  dcc.RadioItems(id="sens-capacity-resource", value=next(iter(CAPACITY_PARAMETERS)), inline=True,
                                 options=choice_options({r: f"{r} ({p})" for r, p in CAPACITY_PARAMETERS.items()}))),
            field("Capacities (units)",
                  dcc.Input(id="sens-capacity-values", type="text", value="1, 2, 3, 4", style={"width": "12em"}),
                  f"whole numbers, 2 to {config.max_sweep_values} of them")]),
        html.Small("Queues form only under steady demand: use 3,000 patients or more for capacity questions.",
                   className="help"),
    ])


def sensitivity_view(config: DashboardConfig, choices: Sequence[tuple[str, str]],
                     catalogue: Mapping[str, Any]) -> html.Div:
    """Scenario, analysis, outcome, the analysis's inputs, run controls, the chart, notes and table."""
    names = [n for n, _ in choices]
    return html.Div(className="view", children=[
        html.H2("Sensitivity"),
        html.P(INTRO),
        html.Div(className="fields", children=[
            field("Scenario", dcc.Dropdown(id="sens-scenario", value=names[0] if names else None, clearable=False,
                             options=scenario_options(choices),
                             style={"width": "16em"})),
            field("Analysis",
                  dcc.RadioItems(id="sens-analysis", value="sweep", inline=True,
                                 options=choice_options(ANALYSIS_LABELS))),
            field("Outcome",
                  dcc.Dropdown(id="sens-metric", value=DEFAULT_METRIC, clearable=False, style={"width": "24em"},
                               options=choice_options({m: f"{label} ({unit})" for m, label, unit in METRIC_CHOICES}))),
        ]),
        html.Div(className="levers", children=[sweep_panel(config, catalogue), tornado_panel(config),
                                               psa_panel(config, choices), capacity_panel(config)]),
        html.Div(id="sens-message", className="message", role="alert"),
        run_controls("sens", config, patients=config.sensitivity_patients),
        html.Div(id="sens-results", className="results", children=[
        graph("sens-graph", "", "spinesim-sensitivity"),
        html.Details(className="notes", open=True, children=[
            html.Summary("How to read this"), html.Ul(id="sens-notes", className="caption")]),
        html.Div(className="summary", children=[
            html.H3("Table"),
            html.P("The analysis's table as `spinesim` writes it (numbers shown to 4 significant figures; the "
                   "files below are exact). Click a column header to sort.", className="help"),
            grid("sens-table", [{"field": "none", "headerName": "Run an analysis to fill this table"}], [],
                 height="420px"),  # the columns come with the result
            html.Div(id="sens-files", className="buttons files"),
            dcc.Download(id="sens-download"),
        ]),
        ]),
    ])
