"""Callbacks: thin wiring from inputs to ``data`` and ``figures``; the logic is plain functions.

Each module has plain functions (importable and testable without a server) and a ``register(app,
...)`` that wires them; nothing registers itself on import.
"""

from __future__ import annotations

from dash import Dash

from dashboard.analyses import AnalysisBackend
from dashboard.callbacks import compare, delay, export, sensitivity, tabs, url, value, whatif
from dashboard.config import DashboardConfig
from dashboard.data import Backend
from dashboard.jobs import JobManager
from dashboard.layout import VIEWS


def register_callbacks(app: Dash, backend: Backend, config: DashboardConfig, analyses: AnalysisBackend,
                       jobs: JobManager) -> None:
    """Register every view's callbacks on ``app``."""
    compare.register(app, backend, jobs, config.max_strategies, config.poll_ms)
    value.register(app, backend, analyses, jobs, config.max_strategies, config.poll_ms)
    whatif.register(app, backend, jobs, config.poll_ms, config.max_replications)
    delay.register(app, backend, jobs, config.poll_ms)
    export.register(app, backend)
    sensitivity.register(app, analyses, jobs, config.poll_ms)
    tabs.register(app, list(VIEWS))
    url.register(app, config)
