"""The ``spinesim`` command: run, validate, list, show, calibrate, dashboard.

Bad input (a malformed scenario, an out-of-range value, an unknown name, a bad argument, an
unusable output folder) gets one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from dashboard import serve
from simulator.calibration.report import format_report, run_targets
from simulator.cli.analyses import register as register_analyses
from simulator.cli.analyses import register_fit_options, run_fit, run_scenarios
from simulator.cli.args import bounded_float, bounded_int, format_choice, outputs_option
from simulator.cli.common import (
    EXIT_BAD_INPUT,
    MAX_PATIENTS,
    MAX_REPLICATIONS,
    UsageError,
    add_execution_options,
    add_precision_options,
    add_run_options,
    load_all,
)
from simulator.output.export import OutputError, check_output_dir, export_results
from simulator.output.report import format_parameters, format_summary
from simulator.parameters.scenario import ScenarioError, list_scenarios, load_scenario
from simulator.run.executor import Cancelled, ExecutorError
from simulator.run.experiment import DEFAULT_GRID_DAYS
from simulator.run.progress import ProgressBar


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        # "argument --x: --x = 5 is outside ..." -> "--x = 5 is outside ..."
        message = re.sub(r"^argument (\S+): (?=\1 )", "", message)
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="spinesim", description="Simulate breast cancer spinal metastasis care pathways.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run scenarios on the same patients and write the tables")
    run.add_argument("scenarios", nargs="+", help="bundled scenario names or TOML paths (first = reference)")
    add_run_options(run, auto=True)
    add_precision_options(run)
    add_execution_options(run)
    outputs_option(run)
    run.add_argument("--format", type=format_choice, default="both", help="csv, parquet or both (default both)")
    run.add_argument("--grid-days", type=bounded_float("--grid-days", 1, 3650), default=DEFAULT_GRID_DAYS,
                     help="spacing of the states table (days; default one month, 30.44)")
    run.add_argument("--overwrite", action="store_true", help="replace the files of a non-empty --out folder")
    run.add_argument("--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=cmd_run)

    validate = sub.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("files", nargs="+", help="scenario TOML files or bundled names")
    validate.set_defaults(handler=cmd_validate)

    lister = sub.add_parser("list", help="list the bundled scenarios")
    lister.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="print a scenario's resolved parameters with units and sources")
    show.add_argument("scenario")
    show.set_defaults(handler=cmd_show)

    calibrate = sub.add_parser("calibrate", help="compare the model with its published calibration targets")
    calibrate.add_argument("--patients", type=bounded_int("--patients", 100, MAX_PATIENTS), default=20000,
                           help="patients per target run (default 20,000)")
    calibrate.add_argument("--seed", type=bounded_int("--seed", 0, 2**63 - 1), default=2026)
    calibrate.add_argument("--workers", type=bounded_int("--workers", 1, 256), default=1)
    register_fit_options(calibrate)
    calibrate.set_defaults(handler=cmd_calibrate)

    dash = sub.add_parser("dashboard", help="start the dashboard (http://127.0.0.1:8050)")
    dash.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1: this machine only)")
    dash.add_argument("--port", type=bounded_int("--port", 1, 65535), default=8050)
    dash.add_argument("--max-patients", type=bounded_int("--max-patients", 100, MAX_PATIENTS), default=20000,
                      help="largest cohort one request may ask for")
    dash.add_argument("--max-replications", type=bounded_int("--max-replications", 1, MAX_REPLICATIONS),
                      default=10, help="most replications one request may ask for")
    dash.set_defaults(handler=cmd_dashboard)

    register_analyses(sub)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenarios and export the tables."""
    out = Path(args.out)
    check_output_dir(out, args.overwrite)
    scenarios = load_all(args.scenarios)
    bar = None if args.quiet else ProgressBar("simulating", unit="replications")
    results = run_scenarios(args, scenarios, bar)
    formats = ("csv", "parquet") if args.format == "both" else (args.format,)
    written = export_results(results, out, formats=formats, overwrite=args.overwrite)
    print(format_summary(results.summary))
    print(f"\nwrote {len(written)} files to {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files; print OK or every problem."""
    failed = False
    for ref in args.files:
        try:
            scenario = load_scenario(ref)
            print(f"{ref}: OK ({scenario.name})")
        except ScenarioError as exc:
            failed = True
            print(str(exc), file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    """List bundled scenarios with their questions."""
    for name, description in list_scenarios():
        print(f"{name}\n    {description}\n")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the resolved parameters of one scenario."""
    print(format_parameters(load_scenario(args.scenario)))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration targets and print the report; exit 1 if a target fails."""
    if args.fit:
        return run_fit(args)
    rows = run_targets(patients=args.patients, seed=args.seed, workers=args.workers,
                       progress=ProgressBar("calibrating", unit="targets"))
    print(format_report(rows))
    return 0 if all(r.passed for r in rows) else 1


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Start the dashboard."""
    serve(host=args.host, port=args.port, max_patients=args.max_patients, max_replications=args.max_replications)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spinesim`` console command."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except (UsageError, ScenarioError, OutputError, ExecutorError) as exc:
        print(str(exc).strip(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Cancelled:
        print("spinesim: cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        sys.stderr.close()
        return 0
    except OSError as exc:  # disk full, permission denied while writing: the output was not written
        print(f"spinesim: cannot write output: {exc.strerror or exc} ({exc.filename or ''}); "
              "nothing in the output folder was changed", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("spinesim: interrupted; no partial output was written", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
