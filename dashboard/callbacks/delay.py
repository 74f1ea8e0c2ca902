"""Delay explorer: two absolute delays on the same patients, their outcomes in words, and one patient's journey."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, no_update

from dashboard.callbacks.runs import register_runner
from dashboard.checks import whole_number_problem
from dashboard.data import HEADLINE_METRICS, Backend, InputError, bundled, parameter_catalogue, scenario_values
from dashboard.explorer import (
    DELAY_CHOICES,
    MAX_WEEKS,
    delay_specs,
    journey_candidates,
    median_delays,
    outcome_caption,
    setting_name,
)
from dashboard.figures import delay_outcomes, journey_timeline, strategy_colours
from dashboard.figures.style import figure_summary
from dashboard.jobs import JobManager


def delay_request(lever: str, weeks_a: Any, weeks_b: Any, patients: Any, replications: Any,
                  seed: Any) -> dict[str, Any]:
    """The run request comparing two delays of ``lever`` (in weeks); raises InputError."""
    if lever not in DELAY_CHOICES:
        raise InputError(f"Choose which delay to set ({', '.join(DELAY_CHOICES.values())}).")
    for label, value in (("Setting A", weeks_a), ("Setting B", weeks_b)):
        problem = whole_number_problem(f"{label} (weeks)", value, 0, MAX_WEEKS)
        if problem:
            raise InputError(problem)
    if float(weeks_a) == float(weeks_b):
        raise InputError("Choose two different delays to compare.")
    catalogue = parameter_catalogue()
    specs = delay_specs(lever, [float(weeks_a), float(weeks_b)], scenario_values(bundled("baseline")),
                        {p: i.high for p, i in catalogue.items()})
    return {"kind": "experiment", "scenarios": specs, "patients": patients, "replications": replications,
            "seed": seed}


def render_outcomes(results: Any) -> tuple[go.Figure, str, str, list[dict[str, Any]], Any]:
    """(outcome chart, its text, caption, patient options, first patient) of a delay comparison."""
    if results is None:
        fig = delay_outcomes(_empty(), {}, HEADLINE_METRICS)
        return fig, figure_summary(fig), "", [], None
    names = [s.name for s in results.scenarios]
    fig = delay_outcomes(results.summary, strategy_colours(names), HEADLINE_METRICS)
    labels = dict(zip(results.summary["metric"], results.summary["label"], strict=True))
    options = journey_candidates(results.patients, labels, names[0], names[-1])
    caption = outcome_caption(results.summary, median_delays(results.patients))
    return fig, figure_summary(fig), caption, options, options[0]["value"] if options else None


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["scenario", "metric", "label", "unit", "estimate", "ci_low", "ci_high"])


def render_journey(backend: Backend, results: Any, patient_id: int | None) -> tuple[go.Figure, str, str]:
    """The chosen patient's timeline under both settings, its text and a caption."""
    if results is None or patient_id is None:
        fig = journey_timeline({}, {})
        return fig, figure_summary(fig), ""
    names = [s.name for s in results.scenarios]
    journeys = backend.journeys(results, 0, int(patient_id), names)
    onset = journeys[names[0]]["onset_day"] or 0.0
    data = {n: (journeys[n]["events"], journeys[n]["states"]) for n in names}
    fig = journey_timeline(data, strategy_colours(names), origin_day=onset, patient_label=f"patient {patient_id}")
    return fig, figure_summary(fig), ("Same person, same disease, same luck: only the delay differs. Compare when "
                                      "the diagnosis line falls and which band the person is in by then.")


def register(app: Dash, backend: Backend, jobs: JobManager, poll_ms: int) -> None:
    """Wire the Delay explorer view."""
    register_runner(app, "delay", backend, jobs, "experiment", delay_request,
                    [State("delay-lever", "value"), State("delay-a", "value"), State("delay-b", "value")], poll_ms)

    @app.callback(Output("delay-settings", "children"), Input("delay-lever", "value"), Input("delay-a", "value"),
                  Input("delay-b", "value"))
    def _settings(lever: str, a: Any, b: Any) -> str:
        if lever not in DELAY_CHOICES or a is None or b is None:
            return ""
        return f"Compare: {setting_name(lever, float(a))} (A) with {setting_name(lever, float(b))} (B)."

    @app.callback(Output("delay-outcomes-graph", "figure"), Output("delay-outcomes-graph-text", "children"),
                  Output("delay-caption", "children"), Output("delay-patient", "options"),
                  Output("delay-patient", "value"), Input("delay-result", "data"))
    def _outcomes(key: str | None) -> tuple[Any, ...]:
        return render_outcomes(backend.results(key))

    @app.callback(Output("delay-journey-graph", "figure"), Output("delay-journey-graph-text", "children"),
                  Output("delay-journey-caption", "children"), Input("delay-patient", "value"),
                  State("delay-result", "data"))
    def _journey(patient_id: int | None, key: str | None) -> tuple[Any, ...]:
        try:
            return render_journey(backend, backend.results(key), patient_id)
        except (InputError, ValueError) as exc:
            return no_update, no_update, f"Cannot show this patient: {exc}"
