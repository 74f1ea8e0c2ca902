"""The Dash application: layout, callbacks and the background-job manager, with no model logic."""

from __future__ import annotations

import diskcache
from dash import Dash, DiskcacheManager

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
from dashboard.layout import TITLE, build_layout


def create_app(config: DashboardConfig | None = None) -> Dash:
    """A ready-to-serve Dash app (``app.server`` is the Flask/WSGI application).

    Background runs go to separate processes through ``DiskcacheManager``; results are kept in a
    disk cache under ``config.cache_dir`` (a new temporary directory by default).
    """
    config = config or DashboardConfig.from_env()
    cache_dir = config.resolved_cache_dir()
    manager = DiskcacheManager(diskcache.Cache(str(cache_dir / "jobs")))
    store = ResultStore(cache_dir, config.cache_size_bytes)
    backend = Backend(store, config.max_patients, config.max_replications, config.workers)
    app = Dash(__name__, title=TITLE, background_callback_manager=manager, update_title=None,
               suppress_callback_exceptions=False)
    choices = scenario_choices()
    app.layout = build_layout(config, choices, parameter_catalogue(), scenario_values(bundled(choices[0][0])),
                              column_dictionary())
    register_callbacks(app, backend, config, AnalysisBackend(store, Caps.from_config(config), config.workers))
    return app
