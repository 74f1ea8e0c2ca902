"""Starting, following and cancelling background runs, the same way in every view.

A click on Run calls :func:`start_run`: the request is checked against every cap and, when its
results are already cached, their key goes straight to the page (instant). Otherwise it goes to
the server's :class:`~dashboard.jobs.JobManager` (worker processes, a bounded queue) and the page
polls :func:`job_view` for its place in the queue, its progress and finally its result key, while
the charts show that they are out of date. Cancel stops the job (its worker is killed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard.data import InputError, Scenario
from dashboard.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Busy, JobManager
from dashboard.store import ResultStore

RequestBuilder = Callable[..., dict[str, Any]]
SHOWN, HIDDEN = {"display": "flex"}, {"display": "none"}


class Runner(Protocol):
    """What a view's runner needs: ``data.Backend`` (experiments) or ``analyses.AnalysisBackend``."""

    store: ResultStore

    def plan(self, request: Mapping[str, Any]) -> tuple[str, list[Scenario]]:
        """Check a request; return its key and scenarios (raises InputError)."""

    def describe(self, request: Mapping[str, Any], scenarios: list[Scenario]) -> str:
        """What a planned request runs, in a few words (for the status line)."""


def error_message(text: str) -> html.Div:
    """A visible error (kept as typed, line breaks included)."""
    return html.Div(text, className="error", style={"whiteSpace": "pre-wrap"})


def start_run(request: Mapping[str, Any] | None, backend: Runner, jobs: JobManager, kind: str,
              error: str | None = None) -> tuple[Any, Any, Any]:
    """(job to follow, cached result key, status) for a Run click."""
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
        return None, key, f"Shown from the cache (already run): {what}."
    try:
        job_id = jobs.submit(kind, dict(request), key)
    except Busy as exc:
        return no_update, no_update, error_message(str(exc))
    return {"id": job_id, "what": what}, no_update, f"Queued: {what}."


@dataclass(frozen=True)
class JobView:
    """Everything the page shows of a followed job."""

    result: Any = no_update
    status: Any = no_update
    done: str = "0"
    total: str = "1"
    active: bool = False
    finished: bool = False

    def outputs(self) -> tuple[Any, ...]:
        """Values for: result, status, progress value and max, progress box, Run/Cancel disabled, poll off, stale."""
        return (self.result, self.status, self.done, self.total, SHOWN if self.active else HIDDEN, self.active,
                not self.active, not self.active, "results stale" if self.active else "results")


def job_view(job: Mapping[str, Any] | None, jobs: JobManager) -> JobView:
    """What the page shows of ``job`` now: its place in the queue, its progress, or how it ended."""
    if not job:
        return JobView()
    status = jobs.status(job.get("id"))
    what = job.get("what", "the run")
    if status is None:
        return JobView(status=error_message("The server no longer knows this run (it may have restarted): "
                                            "press Run again."))
    if status.state == QUEUED:
        ahead = status.position - 1
        return JobView(status=(f"Waiting to start: place {status.position} in the queue "
                               f"({ahead} run{'s' if ahead != 1 else ''} ahead, {jobs.running()} running now). "
                               f"{what}."), active=True)
    if status.state == RUNNING:
        return JobView(status=f"Running {what}: {status.done} of {max(status.total, 1)} simulations done.",
                       done=str(status.done), total=str(max(status.total, 1)), active=True)
    if status.state == DONE:
        return JobView(result=status.result, status="Done.", finished=True)
    if status.state in (FAILED, CANCELLED):
        return JobView(status=error_message(status.message) if status.state == FAILED else status.message,
                       finished=True)
    return JobView()


def register_runner(app: Dash, prefix: str, backend: Runner, jobs: JobManager, kind: str, build: RequestBuilder,
                    states: list[State], poll_ms: int = 400, more: Callable[[Any], str | None] | None = None,
                    autorun: bool = False) -> None:
    """Wire Run, Cancel, the queue position and progress, and the stale charts of view ``prefix``.

    ``build(*values)`` turns the values of ``states`` plus patients, replications and seed into a
    request dict (or raises InputError with a message for the page). With ``more``, the button
    ``{prefix}-more`` runs the same request with as many replications as the outcome ``more(result
    key)`` needs (the auto-replication engine). With ``autorun``, a truthy ``{prefix}-autorun`` store
    (set when a shared link is opened) runs the view as a click would.
    """
    def _build(values: tuple[Any, ...]) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return build(*values), None
        except InputError as exc:
            return None, str(exc)

    triggers = ([Input(f"{prefix}-run", "n_clicks")] + ([Input(f"{prefix}-more", "n_clicks")] if more else [])
                + ([Input(f"{prefix}-autorun", "data")] if autorun else []))

    @app.callback(
        Output(f"{prefix}-job", "data"),
        Output(f"{prefix}-result", "data", allow_duplicate=True),
        Output(f"{prefix}-status", "children", allow_duplicate=True),
        *triggers, State(f"{prefix}-result", "data"), *states,
        State(f"{prefix}-patients", "value"), State(f"{prefix}-replications", "value"),
        State(f"{prefix}-seed", "value"),
        prevent_initial_call=True,
    )
    def _start(*args: Any) -> tuple[Any, Any, Any]:
        shown, values = args[len(triggers)], args[len(triggers) + 1:]
        if ctx.triggered_id == f"{prefix}-autorun" and not args[len(triggers) - 1]:
            return no_update, no_update, no_update
        request, problem = _build(values)
        if more and request is not None and ctx.triggered_id == f"{prefix}-more":
            metric = more(shown)
            if metric is None:
                return no_update, no_update, error_message("Run first: there is nothing to refine yet.")
            request = {**request, "auto": metric}
        return start_run(request, backend, jobs, kind, problem)

    @app.callback(
        Output(f"{prefix}-result", "data", allow_duplicate=True),
        Output(f"{prefix}-status", "children", allow_duplicate=True),
        Output(f"{prefix}-progress", "value"), Output(f"{prefix}-progress", "max"),
        Output(f"{prefix}-progress-box", "style"), Output(f"{prefix}-run", "disabled"),
        Output(f"{prefix}-cancel", "disabled"), Output(f"{prefix}-poll", "disabled"),
        Output(f"{prefix}-results", "className"),
        Input(f"{prefix}-job", "data"), Input(f"{prefix}-poll", "n_intervals"),
        prevent_initial_call=True,
    )
    def _follow(job: dict[str, Any] | None, _ticks: int) -> tuple[Any, ...]:
        return job_view(job, jobs).outputs()

    @app.callback(Output(f"{prefix}-job", "data", allow_duplicate=True),
                  Output(f"{prefix}-status", "children", allow_duplicate=True),
                  Input(f"{prefix}-cancel", "n_clicks"), State(f"{prefix}-job", "data"), prevent_initial_call=True)
    def _cancel(clicks: int, job: dict[str, Any] | None) -> tuple[Any, Any]:
        if not clicks or not job:
            return no_update, no_update
        jobs.cancel(job.get("id"))
        return None, "Cancelled: the run was stopped."
