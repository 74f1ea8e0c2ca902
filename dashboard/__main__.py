"""Serve the dashboard: ``python -m dashboard [--host H] [--port P]`` (``spinesim dashboard`` does the same).

Settings come from :func:`dashboard.server.settings`: these options, then the ``SPINESIM_DASH_*``
environment variables (MAX_PATIENTS, MAX_REPLICATIONS, JOBS, WORKERS, CACHE, DEBUG, PRERUN),
then the defaults.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.server import DEFAULT_HOST, DEFAULT_PORT, serve


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: 127.0.0.1, local only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--max-patients", type=int, default=None,
                        help="cap on patients per replication (default: SPINESIM_DASH_MAX_PATIENTS or 5000)")
    parser.add_argument("--max-replications", type=int, default=None,
                        help="cap on replications per run (default: SPINESIM_DASH_MAX_REPLICATIONS or 20)")
    args = parser.parse_args(argv)
    return serve(args.host, args.port, args.max_patients, args.max_replications)


if __name__ == "__main__":
    sys.exit(main())
