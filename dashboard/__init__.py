"""spinesim's Dash dashboard: compare strategies, ask what-if, explore delays, run sensitivity analyses, export.

``create_app(config)`` builds the app; ``serve(host, port, ...)`` runs it (bound to 127.0.0.1 by
default). The dashboard imports only ``simulator``'s public API, and only in ``dashboard.data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dash import Dash

    from dashboard.config import DashboardConfig


def create_app(config: DashboardConfig | None = None) -> Dash:
    """Build the Dash app (see :func:`dashboard.app.create_app`)."""
    from dashboard.app import create_app as _create

    return _create(config)


def serve(host: str = "127.0.0.1", port: int = 8050, max_patients: int | None = None,
          max_replications: int | None = None, **kwargs: Any) -> int:
    """Serve the dashboard until stopped; the exit code (see :func:`dashboard.server.serve`)."""
    from dashboard.server import serve as _serve

    return _serve(host, port, max_patients, max_replications, **kwargs)
