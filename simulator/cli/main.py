"""The ``spinesim`` command: run, validate, list, show, calibrate, dashboard.

Bad input (a malformed scenario, an out-of-range value, an unknown name, a bad argument, an
unusable output folder) gets one clear line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from dashboard import serve
from simulator.analysis.uncertainty import parse_uncertainty
from simulator.calibration.report import format_report, run_targets
from simulator.cli import EXIT_INTERRUPTED, INTERRUPTED
from simulator.cli.analyses import register as register_analyses
from simulator.cli.analyses import register_fit_options, run_fit, run_scenarios
from simulator.cli.args import bounded_float, bounded_int, format_choice, host_address, outputs_option
from simulator.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_PRINTED,
    MAX_PATIENTS,
    MAX_REPLICATIONS,
    ReportError,
    UsageError,
    add_execution_options,
    add_precision_options,
    add_run_options,
    load_all,
    progress_bar,
    report,
)
from simulator.cli.report import register as register_report
from simulator.cli.value import register as register_value
from simulator.economics.value import format_value
from simulator.output.folder import OutputError, check_output_dir
from simulator.output.report import format_parameters, format_summary
from simulator.parameters.scenario import BUNDLED_DIR, ScenarioError, bundled_names, list_scenarios, load_scenario
from simulator.run.executor import Cancelled, ExecutorError
from simulator.run.experiment import DEFAULT_GRID_DAYS
from simulator.version import version_text

#: an option value that starts with "-": a negative number, range or list (``--range -5:1000:3``)
_DASHED_VALUE = re.compile(r"^-\.?\d")


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (no usage dump) and exit code 2.

    ``--range -5:1000:3`` is read as ``--range=-5:1000:3``: argparse itself takes any word that
    starts with "-" for an option, unless it is a plain negative number.
    """

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
                         ) -> tuple[argparse.Namespace, list[str]]:
        words: list[str] = []
        for word in sys.argv[1:] if args is None else args:
            if words and words[-1].startswith("--") and "=" not in words[-1] and _DASHED_VALUE.match(word):
                words[-1] = f"{words[-1]}={word}"
            else:
                words.append(word)
        return super().parse_known_args(words, namespace)

    def error(self, message: str) -> NoReturn:
        # "argument --x: --x = 5 is outside ..." -> "--x = 5 is outside ..."
        message = re.sub(r"^argument (\S+): (?=\1 )", "", message)
        raise UsageError(f"{self.prog}: {message}")


class _Version(argparse.Action):
    """``--version``: one unwrapped line, then stop."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        report(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="spinesim", description="Simulate breast cancer spinal metastasis care pathways.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version of spinesim and of the packages that determine its output")
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
    dash.add_argument("--host", type=host_address, default="127.0.0.1",
                      help="interface to bind (default 127.0.0.1: this machine only)")
    dash.add_argument("--port", type=bounded_int("--port", 1, 65535), default=8050)
    dash.add_argument("--max-patients", type=bounded_int("--max-patients", 100, MAX_PATIENTS), default=None,
                      help="largest cohort one request may ask for (default: SPINESIM_DASH_MAX_PATIENTS or 5,000)")
    dash.add_argument("--max-replications", type=bounded_int("--max-replications", 1, MAX_REPLICATIONS),
                      default=None, help="most replications one request may ask for "
                      "(default: SPINESIM_DASH_MAX_REPLICATIONS or 20)")
    dash.set_defaults(handler=cmd_dashboard)

    register_analyses(sub)
    register_value(sub)
    register_report(sub)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    """Run scenarios and export the tables."""
    out = Path(args.out)
    check_output_dir(out, args.overwrite)
    scenarios = load_all(args.scenarios)
    formats = ("csv", "parquet") if args.format == "both" else (args.format,)
    with progress_bar(args.quiet, "simulating", "replications") as bar:
        results, written = run_scenarios(args, scenarios, bar, out, formats)
    value = ""
    if len(results.value):
        economics = scenarios[0].params.economics
        value = "\n\nvalue for money (discounted, per patient of the cohort)\n" + format_value(
            {"value": results.value, "net_benefit": results.net_benefit}, economics.currency)
    report(f"{format_summary(results.summary)}{value}\n\n{written.note()}",
           done=f"the run finished: {written.note()}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate scenario files (their ``[uncertainty]`` tables included); print OK or every problem."""
    failed = False
    for ref in args.files:
        try:
            scenario = load_scenario(ref)
            uncertain = len(parse_uncertainty(scenario)) if scenario.uncertainty else 0
            report(f"{ref}: OK ({scenario.name}" + (f"; {uncertain} uncertain parameters)" if uncertain else ")"))
        except ScenarioError as exc:
            failed = True
            print(str(exc), file=sys.stderr)
    return EXIT_BAD_INPUT if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    """List bundled scenarios with their questions (none found is a broken install: exit 2)."""
    if not bundled_names():
        raise UsageError(f"spinesim list: no bundled scenarios in {BUNDLED_DIR} (is spinesim installed whole?)")
    report("".join(f"{name}\n    {description}\n\n" for name, description in list_scenarios()).rstrip("\n") + "\n")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Print the resolved parameters of one scenario."""
    report(format_parameters(load_scenario(args.scenario)))
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration targets and print the report; exit 1 if a target fails."""
    if args.fit:
        return run_fit(args)
    with progress_bar(False, "calibrating", "targets") as bar:
        rows = run_targets(patients=args.patients, seed=args.seed, workers=args.workers, progress=bar)
    report(format_report(rows))
    return 0 if all(r.passed for r in rows if not r.target.comparison) else 1


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``spinesim`` command (the console script calls it through ``simulator.cli.launch``).

    Every failure is one line on stderr that says what happened to the output folder.
    """
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args) or 0)
    except SystemExit as exc:  # --help and --version print and stop
        return int(exc.code or 0)
    except (UsageError, ScenarioError, OutputError, ExecutorError) as exc:
        _say(str(exc).strip())
        return EXIT_BAD_INPUT
    except ReportError as exc:
        _silence_stdout()
        _say(str(exc))
        return EXIT_NOT_PRINTED
    except Cancelled as exc:
        _say("spinesim: cancelled" + _outcome(exc))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        _silence_stdout()
        return 0
    except OSError as exc:  # disk full, permission denied while writing
        where = f" ({exc.filename})" if exc.filename else ""
        _say(f"spinesim: cannot write output: {exc.strerror or exc}{where}" + _outcome(exc))
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        _say(INTERRUPTED + _outcome(exc))
        return EXIT_INTERRUPTED


def _outcome(exc: BaseException) -> str:
    """What happened to the output folder, as the staging step noted it on the exception (or nothing)."""
    notes = getattr(exc, "__notes__", [])
    return "".join(f"; {note}" for note in notes)


def _say(line: str) -> None:
    """One line on stderr (a second Ctrl-C while printing it is ignored)."""
    try:
        print(line, file=sys.stderr)
    except (KeyboardInterrupt, OSError):
        pass


def _silence_stdout() -> None:
    """Point standard output at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture): nothing to flush
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
