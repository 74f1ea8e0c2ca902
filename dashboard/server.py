"""Serving the dashboard: one configuration path, safe binding, and a clean stop.

``python -m dashboard`` and ``spinesim dashboard`` both end in :func:`serve`, which reads the
settings in one place (:func:`settings`: explicit arguments, then ``SPINESIM_DASH_*`` environment
variables, then the defaults of :class:`DashboardConfig`). It refuses the debugger on any address
but loopback, warns loudly when binding beyond loopback, and on Ctrl+C or SIGTERM stops the job
workers, frees the port and removes its temporary folder.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from werkzeug.debug import DebuggedApplication
from werkzeug.serving import make_server

from dashboard.app import create_app, stop_jobs
from dashboard.config import ConfigError, DashboardConfig, env_flag

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8050


class _Stop(Exception):
    """Raised in the main thread by SIGTERM, to leave the server loop through its clean-up."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` reaches only this machine (127.0.0.0/8, ::1 or localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_binding(host: str, debug: bool) -> str | None:
    """Refuse debug beyond loopback (ConfigError); return a warning when ``host`` is not loopback."""
    if is_loopback(host):
        return None
    if debug:
        raise ConfigError(f"--host {host}: debug mode (SPINESIM_DASH_DEBUG) serves an interactive debugger that runs "
                          "code on this machine; it is refused on any address but 127.0.0.1 or localhost")
    line = "!" * 78
    return (f"{line}\n! WARNING: the dashboard is listening on {host}, beyond this machine.\n"
            "! Anyone who can reach this address can run simulations and read every result; there is no\n"
            "! login. Use --host 127.0.0.1 (the default) unless this network is yours alone.\n"
            f"{line}")


def settings(max_patients: int | None = None, max_replications: int | None = None, debug: bool | None = None,
             **overrides: Any) -> DashboardConfig:
    """The configuration: explicit arguments, then ``SPINESIM_DASH_*``, then the defaults (ConfigError if bad)."""
    return DashboardConfig.from_env(max_patients=max_patients, max_replications=max_replications,
                                    debug=debug if debug is not None else env_flag("SPINESIM_DASH_DEBUG"),
                                    **overrides)


def _raise_stop(_signum: int, _frame: Any) -> None:
    raise _Stop


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_patients: int | None = None,
          max_replications: int | None = None, debug: bool | None = None, **overrides: Any) -> int:
    """Serve on ``http://host:port`` until Ctrl+C or SIGTERM; return the exit code (0, or 2 for bad settings)."""
    try:
        config = settings(max_patients, max_replications, debug, **overrides)
        warning = check_binding(host, config.debug)
    except ConfigError as exc:
        print(f"spinesim dashboard: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    if warning:
        print(warning, file=sys.stderr)  # noqa: T201
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        with tempfile.TemporaryDirectory(prefix="spinesim-dash-") as tmp:
            if config.cache_dir is None:  # a private cache, removed when the server stops
                config = replace(config, cache_dir=Path(tmp))
            app = create_app(config)
            try:
                return _run(app, host, port, config.debug)
            finally:
                stop_jobs(app)
    except _Stop:  # SIGTERM before the server loop started: everything above is cleaned up
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(app: Any, host: str, port: int, debug: bool) -> int:
    """Serve ``app`` in this thread until stopped; the port is closed on the way out."""
    wsgi = app.server
    if debug:  # loopback only (check_binding)
        app.enable_dev_tools(debug=True)
        wsgi = DebuggedApplication(app.server, evalex=True)
    try:
        server = make_server(host, port, wsgi, threaded=True)
    except OSError as exc:
        print(f"spinesim dashboard: cannot listen on {host}:{port}: {exc.strerror or exc} "  # noqa: T201
              "(another server on that port? choose one with --port)", file=sys.stderr)
        return 2
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print(f"spinesim dashboard on http://{host}:{server.server_port}/ (Ctrl+C to stop)", flush=True)  # noqa: T201
    try:
        server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        server.server_close()
        print("spinesim dashboard stopped", flush=True)  # noqa: T201
    return 0
