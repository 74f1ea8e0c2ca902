"""Compare strategies: bundled scenarios on the same patients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash, Input, Output, State, no_update

from dashboard.callbacks.results import more_metric, register_results
from dashboard.callbacks.runs import register_runner, start_run
from dashboard.data import Backend, InputError, scenario_choices
from dashboard.jobs import JobManager
from dashboard.layout.compare import scenario_descriptions


def compare_request(names: Sequence[str] | None, patients: Any, replications: Any, seed: Any,
                    max_strategies: int = 8) -> dict[str, Any]:
    """The run request of a comparison (first name = reference); raises InputError."""
    names = list(names or [])
    if len(names) < 2:
        raise InputError("Choose at least two strategies to compare.")
    if len(names) > max_strategies:
        raise InputError(f"Choose at most {max_strategies} strategies (one colour each).")
    return {"kind": "experiment", "scenarios": [{"base": n} for n in names], "patients": patients,
            "replications": replications, "seed": seed}


def autorun(enabled: bool | None, backend: Backend, jobs: JobManager, names: Sequence[str] | None, patients: Any,
            replications: Any, seed: Any, max_strategies: int = 8) -> tuple[Any, Any, Any]:
    """On opening the page, the linked (or default) comparison: from the cache at once, else queued.

    Returns (job to follow, cached result key, status), as a Run click does.
    """
    if not enabled:
        return no_update, no_update, no_update
    try:
        request = compare_request(names, patients, replications, seed, max_strategies)
    except InputError:
        return no_update, no_update, no_update
    job, key, status = start_run(request, backend, jobs, "experiment")
    if job:
        status = (f"Running the comparison ({', '.join(names or [])}) so the charts are ready; "
                  "Cancel stops it, the other tabs stay usable.")
    return job, key, status


def register(app: Dash, backend: Backend, jobs: JobManager, max_strategies: int, poll_ms: int) -> None:
    """Wire the Compare view."""
    register_runner(app, "compare", backend, jobs, "experiment",
                    lambda names, n, r, s: compare_request(names, n, r, s, max_strategies),
                    [State("compare-scenarios", "value")], poll_ms, more=more_metric(backend))
    register_results(app, "compare", backend, backend.max_replications)

    @app.callback(Output("compare-descriptions", "children"), Input("compare-scenarios", "value"))
    def _describe(names: list[str] | None) -> Any:
        return scenario_descriptions(names or [], scenario_choices())

    @app.callback(Output("compare-job", "data", allow_duplicate=True),
                  Output("compare-result", "data", allow_duplicate=True),
                  Output("compare-status", "children", allow_duplicate=True),
                  Input("compare-autorun", "data"), State("compare-scenarios", "value"),
                  State("compare-patients", "value"), State("compare-replications", "value"),
                  State("compare-seed", "value"), prevent_initial_call=True)
    def _autorun(enabled: bool | None, names: list[str] | None, n: Any, r: Any, s: Any) -> tuple[Any, Any, Any]:
        return autorun(enabled, backend, jobs, names, n, r, s, max_strategies)
