"""Serve the dashboard: ``python -m dashboard [--host H] [--port P]`` (also ``spinesim dashboard``)."""

from __future__ import annotations

import argparse
import logging
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from dashboard.app import create_app
from dashboard.config import DashboardConfig


def serve(host: str = "127.0.0.1", port: int = 8050, max_patients: int | None = None,
          max_replications: int | None = None, debug: bool = False) -> None:
    """Start the dashboard on ``http://host:port`` (local only by default) until interrupted.

    ``max_patients`` and ``max_replications`` cap what a user may run (defaults: DashboardConfig,
    or the ``SPINESIM_DASH_MAX_*`` environment variables).
    """
    config = DashboardConfig.from_env(max_patients=max_patients, max_replications=max_replications)
    with tempfile.TemporaryDirectory(prefix="spinesim-dash-") as tmp:
        if config.cache_dir is None:  # a private cache, removed when the server stops
            config = replace(config, cache_dir=Path(tmp))
        app = create_app(config)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        print(f"spinesim dashboard on http://{host}:{port}/ (Ctrl+C to stop)")  # noqa: T201
        app.run(host=host, port=port, debug=debug or config.debug)


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, local only)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--max-patients", type=int, default=None, help="cap on patients per replication")
    parser.add_argument("--max-replications", type=int, default=None, help="cap on replications per run")
    args = parser.parse_args(argv)
    serve(args.host, args.port, args.max_patients, args.max_replications)


if __name__ == "__main__":
    main()
