"""Compare strategies: bundled scenarios on the same patients."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import Dash, Input, Output, State

from dashboard.callbacks.results import register_results
from dashboard.callbacks.runs import register_runner
from dashboard.data import Backend, InputError, scenario_choices
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


def register(app: Dash, backend: Backend, max_strategies: int, poll_ms: int) -> None:
    """Wire the Compare view."""
    register_runner(app, "compare", backend,
                    lambda names, n, r, s: compare_request(names, n, r, s, max_strategies),
                    [State("compare-scenarios", "value")], poll_ms)
    register_results(app, "compare", backend)

    @app.callback(Output("compare-descriptions", "children"), Input("compare-scenarios", "value"))
    def _describe(names: list[str] | None) -> Any:
        return scenario_descriptions(names or [], scenario_choices())
