"""``spinesim calibrate``: the model against its published targets, and the fit (``--fit``)."""

from __future__ import annotations

import argparse
from typing import Any

from simulator.calibration.report import format_report, run_targets
from simulator.cli.analyses import register_fit_options, run_fit
from simulator.cli.args import bounded_int
from simulator.cli.common import MAX_PATIENTS, progress_bar, report


def register(sub: Any) -> None:
    """Add ``calibrate`` to the ``spinesim`` subcommands."""
    calibrate = sub.add_parser("calibrate", help="compare the model with its published calibration targets")
    calibrate.add_argument("--patients", type=bounded_int("--patients", 100, MAX_PATIENTS), default=20000,
                           help="patients per target run (default 20,000)")
    calibrate.add_argument("--seed", type=bounded_int("--seed", 0, 2**63 - 1), default=2026)
    calibrate.add_argument("--workers", type=bounded_int("--workers", 1, 256), default=1)
    register_fit_options(calibrate)
    calibrate.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration targets and print the report; exit 1 if a target fails."""
    if args.fit:
        return run_fit(args)
    with progress_bar(False, "calibrating", "targets") as bar:
        rows = run_targets(patients=args.patients, seed=args.seed, workers=args.workers, progress=bar)
    report(format_report(rows))
    return 0 if all(r.passed for r in rows if not r.target.comparison) else 1
