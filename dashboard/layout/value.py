"""View: Value for money. Costs and QALYs on the CE plane, acceptability, net benefit at a threshold, budget, KPIs.

The strategies run on the same patients (the first is the reference); the threshold's unit and range
come from the schema (``economics.wtp_thresholds``) and its starting value from the first scenario.
The PSA, run from the view, replaces the replications' cloud by its draws (parameter uncertainty).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.layout.common import field, graph, number_input, run_controls, scenario_options

CAPTIONS: dict[str, str] = {
    "plane": "Each strategy's cost and QALYs per patient against the reference, sample by sample (dots) and on "
             "average (diamond). Below the dashed line (slope: the threshold) a strategy is worth its cost.",
    "ceac": "At each willingness to pay, the share of samples in which each strategy has the highest net "
            "monetary benefit; the dashed line is the threshold chosen above.",
    "nmb": "Net monetary benefit per patient (threshold x QALYs - cost) at the chosen threshold: the highest bar "
           "is the best value. Whiskers: 95% t-interval of the mean over the samples.",
    "budget": "Cost paid in each calendar year by the simulated open cohort (patients entering at the scenario's "
              "rate), undiscounted, capacity included. Whiskers: 95% interval over replications.",
}
SOURCES = {"replications": "Replications (patient-level noise)", "psa": "PSA draws (parameter uncertainty)"}


def value_view(config: DashboardConfig, choices: Sequence[tuple[str, str]], parent_values: Mapping[str, Any],
               threshold_unit: str) -> html.Div:
    """Strategy picker, threshold, run controls, the sentence, the charts, the tables and the PSA."""
    names = [n for n, _ in choices]
    default = [n for n in config.value_scenarios if n in names] or names[:2]
    thresholds = parent_values.get("economics.wtp_thresholds") or [30_000]
    return html.Div(className="view", children=[
        html.H2("Value for money"),
        html.P("What each strategy costs and what it buys, per patient, against the reference (the first one you "
               "pick), on the same simulated patients; and what the service pays each year and how the pathway "
               "meets its waiting targets. Replications show patient-level noise only; run the PSA below to see "
               "parameter uncertainty."),
        field("Strategies (first = reference)",
              dcc.Dropdown(id="value-scenarios", multi=True, value=default, clearable=False,
                           options=scenario_options(choices)), wide=True),
        html.Div(className="fields", children=[
            number_input("value-threshold", max(thresholds), f"Willingness to pay ({threshold_unit})",
                         "NICE: 20,000 to 30,000 per QALY gained", step=1000, width="10em"),
            field("Uncertainty shown", dcc.RadioItems(id="value-source", value="replications", inline=True,
                                                      options=source_options(False))),
        ]),
        html.Div(id="value-threshold-message", className="message", role="alert"),
        run_controls("value", config),
        html.Div(id="value-results", className="results", children=[
            html.Div(className="stale-note", children="Out of date: running the new settings..."),
            html.Section(className="headline", **{"aria-labelledby": "value-answer-title"}, children=[
                html.H3("The answer first", id="value-answer-title"),
                html.Div(id="value-sentence", className="value-sentence", **{"aria-live": "polite"},
                         children=html.P("Press Run: each strategy's cost per QALY and its chance of being the "
                                         "best value appear here.", className="help")),
                html.P(id="value-source-note", className="help"),
            ]),
            html.Div(className="chart-grid", children=[
                graph(f"value-{name}-graph", caption, f"spinesim-value-{name}") for name, caption in CAPTIONS.items()]),
            html.Section(className="summary", children=[
                html.H3("Costs, QALYs and net benefit"),
                html.Div(id="value-table", children=html.P("No results yet.", className="help"))]),
            html.Section(className="summary", children=[
                html.H3("Pathway KPIs with 95% intervals"),
                html.P(id="value-kpi-note", className="help"),
                html.Div(id="value-kpis", children=html.P("No results yet.", className="help"))]),
        ]),
        html.Details(className="psa", children=[
            html.Summary("Parameter uncertainty: run the PSA from here"),
            html.P("Draws the uncertain parameters, runs every chosen strategy on each draw (the same patients), "
                   "and shows the draws on the plane and in the curve instead of the replications."),
            html.P(id="value-psa-note", className="help"),
            html.Div(className="fields", children=[
                number_input("valuepsa-draws", min(16, config.max_psa_draws), "Draws",
                             f"2 to {config.max_psa_draws}")]),
            run_controls("valuepsa", config, patients=min(300, config.max_patients), replications=1),
            html.Div(id="valuepsa-results", className="results", children=html.Div(
                className="stale-note", children="Running the PSA: the plane and the curve switch to its draws "
                                                 "when it is done.")),
        ]),
    ])


def source_options(psa_ready: bool) -> list[dict[str, Any]]:
    """The choices of what the cloud shows (the PSA's only once it has run)."""
    return [{"label": SOURCES["replications"], "value": "replications"},
            {"label": SOURCES["psa"] + ("" if psa_ready else ": run the PSA first"), "value": "psa",
             "disabled": not psa_ready}]
