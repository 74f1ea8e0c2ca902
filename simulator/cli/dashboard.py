"""``spinesim dashboard``: serve the dashboard (its caps from the options, else the environment)."""

from __future__ import annotations

import argparse
import os
import socket
from typing import Any

from dashboard import serve
from simulator.cli.args import bounded_int, host_address
from simulator.cli.common import MAX_PATIENTS, MAX_REPLICATIONS, UsageError


def register(sub: Any) -> None:
    """Add ``dashboard`` to the ``spinesim`` subcommands."""
    dash = sub.add_parser("dashboard", help="start the dashboard (http://127.0.0.1:8050)")
    dash.add_argument("--host", type=host_address, default="127.0.0.1",
                      help="interface to bind (default 127.0.0.1: this machine only)")
    dash.add_argument("--port", type=bounded_int("--port", 1, 65535), default=8050)
    dash.add_argument("--max-patients", type=bounded_int("--max-patients", 100, MAX_PATIENTS), default=None,
                      help="largest cohort one request may ask for (default: SPINESIM_DASH_MAX_PATIENTS or 5,000)")
    dash.add_argument("--max-replications", type=bounded_int("--max-replications", 1, MAX_REPLICATIONS),
                      default=None, help="most replications one request may ask for "
                      "(default: SPINESIM_DASH_MAX_REPLICATIONS or 20)")
    dash.set_defaults(handler=cmd_dashboard)


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Start the dashboard (after checking that ``--host`` and ``--port`` can be listened on)."""
    try:
        socket.create_server((args.host, args.port)).close()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno and exc.errno > 0 else str(exc.strerror or exc)
        reason = reason.split(" (while attempting")[0]
        raise UsageError(f"spinesim dashboard: cannot listen on --host {args.host} --port {args.port}: "
                         f"{reason}") from None
    return serve(host=args.host, port=args.port, max_patients=args.max_patients,
                 max_replications=args.max_replications)
