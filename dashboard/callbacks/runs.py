"""Starting, running and cancelling simulations in the background, the same way in every view.

A click on Run calls :func:`start_run`: the request is validated and, when its results are already
cached, their key goes straight to the page (instant). Otherwise the request is stored, which
starts a Dash background callback (``DiskcacheManager``: a separate process, so the page stays
responsive) that reports progress and can be cancelled (the process is killed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from dash import Dash, Input, Output, State, html, no_update

from dashboard.data import InputError, Scenario
from dashboard.store import ResultStore

RequestBuilder = Callable[..., dict[str, Any]]


class Runner(Protocol):
    """What a view's runner needs: ``data.Backend`` (experiments) or ``analyses.AnalysisBackend``."""

    store: ResultStore

    def plan(self, request: Mapping[str, Any]) -> tuple[str, list[Scenario]]:
        """Check a request; return its key and scenarios (raises InputError)."""

    def run(self, request: Mapping[str, Any], progress: Callable[[int, int], None] | None = None) -> str:
        """Run a request (or find it stored); return the result key."""

    def describe(self, request: Mapping[str, Any], scenarios: list[Scenario]) -> str:
        """What a planned request runs, in a few words (for the status line)."""


def error_message(text: str) -> html.Div:
    """A visible error (kept as typed, line breaks included)."""
    return html.Div(text, className="error", style={"whiteSpace": "pre-wrap"})


def start_run(request: Mapping[str, Any] | None, backend: Runner,
              error: str | None = None) -> tuple[Any, Any, Any]:
    """(request to run in the background, cached result key, status) for a Run click."""
    if error:
        return no_update, no_update, error_message(error)
    if request is None:
        return no_update, no_update, no_update
    try:
        key, scenarios = backend.plan(request)
    except InputError as exc:
        return no_update, no_update, error_message(str(exc))
    what = backend.describe(request, scenarios)
    if key in backend.store:
        return no_update, key, f"Shown from the cache (already run): {what}."
    return {**request, "key": key}, no_update, f"Running {what} ..."


def background_run(request: Mapping[str, Any] | None, backend: Runner,
                   set_progress: Callable[[tuple[str, str]], None]) -> tuple[Any, Any]:
    """Run a stored request (in the background process); return (result key, status)."""
    if not request:
        return no_update, no_update
    try:
        key = backend.run(request, progress=lambda done, total: set_progress((str(done), str(max(total, 1)))))
    except InputError as exc:
        return no_update, error_message(str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure of the model is reported on the page
        return no_update, error_message(f"The simulation failed: {type(exc).__name__}: {exc}")
    return key, "Done."


def register_runner(app: Dash, prefix: str, backend: Runner, build: RequestBuilder,
                    states: list[State], poll_ms: int = 400) -> None:
    """Wire Run, Cancel, progress and status of view ``prefix``.

    ``build(*values)`` turns the values of ``states`` plus patients, replications and seed into a
    request dict (or raises InputError with a message for the page).
    """
    def _build(values: tuple[Any, ...]) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return build(*values), None
        except InputError as exc:
            return None, str(exc)

    @app.callback(
        Output(f"{prefix}-request", "data"),
        Output(f"{prefix}-result", "data", allow_duplicate=True),
        Output(f"{prefix}-status", "children", allow_duplicate=True),
        Input(f"{prefix}-run", "n_clicks"),
        *states,
        State(f"{prefix}-patients", "value"), State(f"{prefix}-replications", "value"),
        State(f"{prefix}-seed", "value"),
        prevent_initial_call=True,
    )
    def _start(_clicks: int, *values: Any) -> tuple[Any, Any, Any]:
        request, problem = _build(values)
        return start_run(request, backend, problem)

    @app.callback(
        Output(f"{prefix}-result", "data", allow_duplicate=True),
        Output(f"{prefix}-status", "children", allow_duplicate=True),
        Input(f"{prefix}-request", "data"),
        background=True,
        running=[(Output(f"{prefix}-run", "disabled"), True, False),
                 (Output(f"{prefix}-cancel", "disabled"), False, True),
                 (Output(f"{prefix}-progress-box", "style"), {"display": "flex"}, {"display": "none"})],
        progress=[Output(f"{prefix}-progress", "value"), Output(f"{prefix}-progress", "max")],
        cancel=[Input(f"{prefix}-cancel", "n_clicks")],
        interval=poll_ms,
        prevent_initial_call=True,
    )
    def _run(set_progress: Callable[[tuple[str, str]], None], request: dict[str, Any] | None) -> tuple[Any, Any]:
        return background_run(request, backend, set_progress)

    @app.callback(Output(f"{prefix}-status", "children", allow_duplicate=True),
                  Input(f"{prefix}-cancel", "n_clicks"), prevent_initial_call=True)
    def _cancelled(clicks: int) -> Any:
        return "Cancelled: the background run was stopped." if clicks else no_update
