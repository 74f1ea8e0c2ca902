"""The Dash application: layout, callbacks and the job manager, with no model logic."""

from __future__ import annotations

from dash import Dash

from dashboard.analyses import AnalysisBackend, Caps
from dashboard.callbacks import register_callbacks
from dashboard.config import DashboardConfig
from dashboard.data import (
    Backend,
    ResultStore,
    bundled,
    column_dictionary,
    parameter_catalogue,
    scenario_choices,
    scenario_values,
)
from dashboard.jobs import JobManager
from dashboard.layout import TITLE, build_layout

JOBS = "spinesim_jobs"  # where the app's job manager is kept: app.server.extensions[JOBS]
PRERUN = "spinesim_prerun"  # the job id of the default comparison queued at start (None if cached)
INDEX = """<!DOCTYPE html>
<html lang="en">
  <head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
  <body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""


def create_app(config: DashboardConfig | None = None, jobs: JobManager | None = None) -> Dash:
    """A ready-to-serve Dash app (``app.server`` is the Flask/WSGI application).

    Runs go to ``jobs`` (a new :class:`JobManager` of ``config.job_workers`` worker processes by
    default; stop it with :func:`stop_jobs`). Results are kept in a disk cache under
    ``config.cache_dir`` (a new temporary directory by default).
    """
    config = config or DashboardConfig.from_env()
    cache_dir = config.resolved_cache_dir()
    store = ResultStore(cache_dir, config.cache_size_bytes)
    backend = Backend(store, config.max_patients, config.max_replications, config.workers, config.max_strategies)
    jobs = jobs or JobManager(config, config.job_workers, config.max_queued_jobs)
    app = Dash(__name__, title=TITLE, update_title=None, suppress_callback_exceptions=False,
               index_string=INDEX, meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}])
    app.server.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes  # larger requests get HTTP 413
    app.server.extensions[JOBS] = jobs
    choices = scenario_choices()
    app.layout = build_layout(config, choices, parameter_catalogue(), scenario_values(bundled(choices[0][0])),
                              column_dictionary())
    register_callbacks(app, backend, config, AnalysisBackend(store, Caps.from_config(config), config.workers), jobs)
    if config.prerun_compare:
        app.server.extensions[PRERUN] = precompute_default(backend, jobs, config)
    return app


def precompute_default(backend: Backend, jobs: JobManager, config: DashboardConfig) -> str | None:
    """Queue the default comparison as soon as the server starts, so the opening page finds it ready.

    The page's own start of the same comparison then joins this job (same key) or reads the result
    from the cache. Returns the job id (None when it is already cached or cannot be planned).
    """
    request = {"kind": "experiment", "scenarios": [{"base": n} for n in config.default_scenarios],
               "patients": config.default_patients, "replications": config.default_replications,
               "seed": config.default_seed}
    try:
        key, _ = backend.plan(request)
    except ValueError:
        return None
    return None if key in backend.store else jobs.submit("experiment", request, key)


def stop_jobs(app: Dash) -> None:
    """Stop the app's job manager and its worker processes (idempotent)."""
    jobs = app.server.extensions.get(JOBS)
    if jobs is not None:
        jobs.shutdown()
