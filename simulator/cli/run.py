"""``spinesim run``: scenarios on the same patients, written to a folder block by block.

Fixed replications stream each block's tables into the staged output folder (bounded memory);
``--replications auto`` adds replications until the 95% interval is narrow enough, then writes.
This module imports only what a run needs, so the command starts quickly.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.analysis.precision import run_to_precision
from simulator.cli.args import bounded_float, format_choice, outputs_option
from simulator.cli.common import (
    UsageError,
    add_execution_options,
    add_precision_options,
    add_run_options,
    execution_options,
    load_all,
    progress_bar,
    report,
)
from simulator.economics.value import format_value
from simulator.output.export import export_results
from simulator.output.folder import Committed, check_output_dir
from simulator.output.report import format_summary
from simulator.parameters.scenario import Scenario
from simulator.run.executor import ExecutorError
from simulator.run.experiment import DEFAULT_GRID_DAYS, Results, export_experiment
from simulator.vocabulary import DEFAULT_METRIC


def register(sub: Any) -> None:
    """Add ``run`` to the ``spinesim`` subcommands."""
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


def run_scenarios(args: argparse.Namespace, scenarios: list[Scenario], progress: Any, out: Path,
                  formats: tuple[str, ...]) -> tuple[Results, Committed]:
    """``spinesim run``'s experiment, written to ``out``: fixed or automatic replications, on the chosen executor.

    Fixed replications are written straight to the folder, block by block (bounded memory); an
    automatic run is written once its replications are settled.
    """
    options = execution_options(args)
    auto = args.replications == "auto"
    if not auto and (args.precision is not None or args.metric is not None):
        raise UsageError("spinesim run: --precision and --metric need --replications auto")
    try:
        if not auto:
            return export_experiment(scenarios, args.patients, args.replications, args.seed, out, formats,
                                     overwrite=args.overwrite, workers=args.workers, grid_days=args.grid_days,
                                     progress=progress, **options)
        results = run_to_precision(scenarios, args.patients, args.seed, precision=args.precision or 0.05,
                                   metric=args.metric or DEFAULT_METRIC, max_replications=args.max_replications,
                                   workers=args.workers, grid_days=args.grid_days, progress=progress, **options)
    except ExecutorError as exc:
        raise UsageError(f"spinesim run: {exc}") from None
    auto_record = results.manifest["replications_auto"]
    verdict = "reached" if auto_record["reached"] else "NOT reached (cap)"
    report(f"replications: auto -> {auto_record['replications']} ({auto_record['metric']} 95% CI within "
           f"{auto_record['precision']:.1%} of the estimate: {verdict})")
    return results, export_results(results, out, formats=formats, overwrite=args.overwrite)
