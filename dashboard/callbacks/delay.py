"""Delay explorer: a sweep of one delay, the walking-versus-delay curve, and one patient's journey."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, State, no_update

from dashboard.callbacks.runs import register_runner
from dashboard.data import Backend, InputError, bundled, parameter_catalogue, scenario_values
from dashboard.explorer import (
    DELAY_CHOICES,
    curve_caption,
    journey_candidates,
    reference_index,
    sweep,
    sweep_specs,
)
from dashboard.figures import delay_curve, delay_curve_points, journey_timeline, strategy_colours
from dashboard.jobs import JobManager

BASELINE_SETTING = "baseline delays"


def sweep_points(lever: str) -> list[dict[str, Any]]:
    """The sweep of ``lever`` around the baseline scenario's values (names = plain settings)."""
    catalogue = parameter_catalogue()
    points = sweep(lever, scenario_values(bundled("baseline")), {p: i.high for p, i in catalogue.items()})
    for p in points:
        p["name"] = p["setting"]
    return points


def delay_request(lever: str, patients: Any, replications: Any, seed: Any) -> dict[str, Any]:
    """The run request of a delay sweep; raises InputError for an unknown delay."""
    if lever not in DELAY_CHOICES:
        raise InputError(f"Choose which wait to stretch ({', '.join(DELAY_CHOICES.values())}).")
    return {"kind": "experiment", "scenarios": sweep_specs(sweep_points(lever)), "patients": patients,
            "replications": replications, "seed": seed}


def slider_marks(lever: str) -> tuple[dict[int, str], int]:
    """Slider marks (short labels of the sweep settings) and the index of the baseline setting."""
    marks = {}
    for i, p in enumerate(sweep_points(lever)):
        label = p["setting"]
        marks[i] = "baseline" if label == BASELINE_SETTING else label.split(" ", 1)[-1].replace("delay ", "")
    return marks, reference_index(lever)


def render_curve(results: Any, point: int | None) -> tuple[go.Figure, str, list[dict[str, Any]], Any]:
    """(curve, caption, patient options, first patient) for the selected sweep point."""
    if results is None:
        empty = delay_curve_points_empty()
        return delay_curve(empty), curve_caption(empty, None), [], None
    names = [s.name for s in results.scenarios]
    selected = names[min(max(int(point or 0), 0), len(names) - 1)]
    points = delay_curve_points(results.patients, {n: n for n in names})
    options = journey_candidates(results.patients, BASELINE_SETTING, selected) if BASELINE_SETTING in names else []
    return (delay_curve(points, selected), curve_caption(points, selected), options,
            options[0]["value"] if options else None)


def delay_curve_points_empty() -> pd.DataFrame:
    """An empty curve table (before any run)."""
    return delay_curve_points(pd.DataFrame(columns=["scenario", "diagnosed"]), {})


def render_journey(backend: Backend, results: Any, point: int | None, patient_id: int | None,
                   ) -> tuple[go.Figure, str]:
    """The chosen patient's timeline with the baseline delays and with the chosen delay."""
    if results is None or patient_id is None:
        return journey_timeline({}, {}), ""
    names = [s.name for s in results.scenarios]
    selected = names[min(max(int(point or 0), 0), len(names) - 1)]
    shown = [BASELINE_SETTING] if selected == BASELINE_SETTING else [BASELINE_SETTING, selected]
    journeys = backend.journeys(results, 0, int(patient_id), shown)
    onset = journeys[BASELINE_SETTING]["onset_day"] or 0.0
    titles = {n: ("With the baseline delays" if n == BASELINE_SETTING else f"With {n}") for n in shown}
    data = {titles[n]: (journeys[n]["events"], journeys[n]["states"]) for n in shown}
    colours = strategy_colours(titles[n] for n in shown)
    caption = ("Move the slider away from 'baseline' to compare this patient with a longer delay."
               if len(shown) == 1 else
               "Same person, same disease, same luck: only the delay differs. Compare when the diagnosis "
               "diamond falls and how dark the band is by then.")
    return journey_timeline(data, colours, origin_day=onset, patient_label=f"patient {patient_id}"), caption


def register(app: Dash, backend: Backend, jobs: JobManager, poll_ms: int) -> None:
    """Wire the Delay explorer view."""
    register_runner(app, "delay", backend, jobs, "experiment", delay_request, [State("delay-lever", "value")], poll_ms)

    @app.callback(Output("delay-point", "marks"), Output("delay-point", "value"),
                  Output("delay-result", "data", allow_duplicate=True), Input("delay-lever", "value"),
                  prevent_initial_call="initial_duplicate")
    def _marks(lever: str) -> tuple[Any, ...]:
        marks, ref = slider_marks(lever)
        return marks, min(ref + 2, len(marks) - 1), None

    @app.callback(Output("delay-curve-graph", "figure"), Output("delay-curve-caption", "children"),
                  Output("delay-patient", "options"), Output("delay-patient", "value"),
                  Input("delay-result", "data"), Input("delay-point", "value"))
    def _curve(key: str | None, point: int) -> tuple[Any, ...]:
        return render_curve(backend.results(key), point)

    @app.callback(Output("delay-journey-graph", "figure"), Output("delay-journey-caption", "children"),
                  Input("delay-patient", "value"), Input("delay-point", "value"), State("delay-result", "data"))
    def _journey(patient_id: int | None, point: int, key: str | None) -> tuple[Any, ...]:
        try:
            return render_journey(backend, backend.results(key), point, patient_id)
        except (InputError, ValueError) as exc:
            return no_update, f"Cannot show this patient: {exc}"
