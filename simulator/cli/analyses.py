"""Command line of the what-if analyses.

``spinesim sweep|tornado|psa|capacity`` (added to the parser by :func:`register`),
``spinesim run``'s experiment (:func:`run_scenarios`: fixed or ``--replications auto``) and
``spinesim calibrate --fit``. Bad input raises ``UsageError``/``ScenarioError``/``OutputError``
before anything is written, so ``spinesim`` prints one line and exits 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.analysis.capacity import RESOURCES, capacity
from simulator.analysis.common import parameter_info
from simulator.analysis.fit import METHODS, fit, fit_result
from simulator.analysis.outputs import AnalysisResult
from simulator.analysis.psa import psa
from simulator.analysis.psa_value import value_text
from simulator.analysis.sweep import MAX_VALUES, parse_values, range_values, sweep
from simulator.analysis.tornado import tornado
from simulator.analysis.uncertainty import SAMPLERS
from simulator.cli.args import bounded_float, bounded_int, output_folder, outputs_option
from simulator.cli.common import (
    UsageError,
    add_execution_options,
    add_run_options,
    execution_options,
    load_all,
    progress_bar,
    report,
)
from simulator.economics import Population
from simulator.output.folder import check_output_dir
from simulator.parameters.scenario import load_scenario
from simulator.run.executor import ExecutorError
from simulator.vocabulary import DEFAULT_METRIC, listing

MAX_DRAWS = 10_000


def _items(texts: list[str] | str | None) -> list[str]:
    """Comma-separated and/or repeated option values, flattened."""
    if not texts:
        return []
    texts = [texts] if isinstance(texts, str) else texts
    return [item.strip() for text in texts for item in text.split(",") if item.strip()]


# --- the analysis subcommands --------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, replications: int = 3) -> None:
    add_run_options(p, replications=replications)
    add_execution_options(p)
    outputs_option(p)
    p.add_argument("--overwrite", action="store_true", help="replace the files of a non-empty --out folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def register(sub: Any) -> None:
    """Add ``sweep``, ``tornado``, ``psa`` and ``capacity`` to the ``spinesim`` subcommands."""
    p = sub.add_parser("sweep", help="run a scenario at several values of one parameter (same patients)")
    p.add_argument("scenario", help="bundled scenario name or TOML path")
    p.add_argument("--param", required=True, help="dotted parameter path, e.g. services.mri_scanners")
    values = p.add_mutually_exclusive_group(required=True)
    values.add_argument("--values", help="comma-separated values, e.g. 1,2,3 or true,false")
    values.add_argument("--range", metavar="LOW:HIGH:COUNT",
                        help="COUNT evenly spaced numbers from LOW to HIGH, both included (e.g. 3:60:5)")
    p.add_argument("--metric", action="append", help="outcome(s) to tabulate (repeat or comma-separate)")
    _add_common(p)
    p.set_defaults(handler=cmd_sweep)

    p = sub.add_parser("tornado", help="swing of an outcome over each parameter's plausible range")
    p.add_argument("scenario")
    p.add_argument("--params", help="comma-separated parameter paths (default: ~10 influential ones)")
    p.add_argument("--metric", default=DEFAULT_METRIC, help=f"the outcome (default {DEFAULT_METRIC})")
    _add_common(p)
    p.set_defaults(handler=cmd_tornado)

    p = sub.add_parser("psa", help="probabilistic sensitivity analysis over the [uncertainty] tables")
    p.add_argument("scenarios", nargs="+", help="scenarios (first = reference); each may have [uncertainty]")
    p.add_argument("--draws", type=bounded_int("--draws", 2, MAX_DRAWS), required=True,
                   help=f"parameter draws (2 to {MAX_DRAWS:,})")
    p.add_argument("--sampler", choices=SAMPLERS, default="lhs", help="Latin hypercube (default) or Sobol")
    p.add_argument("--metric", action="append", help="outcome(s) to summarise (repeat or comma-separate)")
    p.add_argument("--arrivals-per-year", type=bounded_float("--arrivals-per-year", 1, 1e9),
                   help="patients a year the decision affects (with --decision-years: the population EVPI)")
    p.add_argument("--decision-years", type=bounded_int("--decision-years", 1, 100),
                   help="years the decision stands (with --arrivals-per-year; later years discounted at the "
                        "reference's cost discount rate)")
    _add_common(p, replications=2)
    p.set_defaults(handler=cmd_psa)

    p = sub.add_parser("capacity", help="use, queues, waits and outcomes at several capacities of a resource")
    p.add_argument("scenario")
    p.add_argument("--resource", required=True, choices=list(RESOURCES), help=listing(list(RESOURCES), "or"))
    p.add_argument("--values", required=True, help="comma-separated capacities, e.g. 1,2,3,4")
    p.add_argument("--metric", action="append", help="outcome(s) to tabulate (repeat or comma-separate)")
    _add_common(p)
    p.set_defaults(handler=cmd_capacity)


def _run(args: argparse.Namespace, compute: Callable[[dict[str, Any]], AnalysisResult],
         columns: list[str], more: Callable[[AnalysisResult], str] | None = None) -> int:
    """Check the folder, run the analysis, write its files atomically, print the table (and ``more``)."""
    out = Path(args.out)
    check_output_dir(out, args.overwrite)
    settings = {"patients": args.patients, "replications": args.replications, "seed": args.seed,
                "workers": args.workers, **execution_options(args)}
    try:
        with progress_bar(args.quiet, args.command, "runs") as bar:
            result = compute({**settings, "progress": bar})
    except ExecutorError as exc:
        raise UsageError(f"spinesim {args.command}: {exc}") from None
    written = result.write(out, overwrite=args.overwrite)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format):
        table = result.table[columns].to_string(index=False)
    extra = ["", more(result)] if more is not None else []
    report("\n".join([table, *extra, *result.notes, "", written.note()]),
           done=f"the analysis finished: {written.note()}")
    return 0


def _metric_list(args: argparse.Namespace) -> list[str] | None:
    return _items(args.metric) or None


def cmd_sweep(args: argparse.Namespace) -> int:
    """``spinesim sweep``."""
    info = parameter_info(args.param, "--param", numeric=False)
    if args.values is not None:
        values = parse_values(_items(args.values), info)
    else:
        low, high, count = _range(args.range)
        values = range_values(low, high, count, info)
    scenario = load_scenario(args.scenario)
    return _run(args, lambda s: sweep(scenario, info.path, values, _metric_list(args), **s),
                ["value", "metric", "estimate", "ci_low", "ci_high", "difference"])


def _range(text: str) -> tuple[float, float, int]:
    """``--range LOW:HIGH:COUNT``: two numbers and how many evenly spaced values (2 to MAX_VALUES)."""
    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        low, high, count = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise UsageError(f"spinesim sweep: --range {text!r} is not LOW:HIGH:COUNT (e.g. 3:60:5: five values "
                         "from 3 to 60)") from None
    if not 2 <= count <= MAX_VALUES:
        raise UsageError(f"spinesim sweep: --range {text}: COUNT = {count} is outside 2 to {MAX_VALUES} "
                         "(the number of values)")
    return low, high, count


def cmd_tornado(args: argparse.Namespace) -> int:
    """``spinesim tornado``."""
    scenario = load_scenario(args.scenario)
    params = _items(args.params) or None
    return _run(args, lambda s: tornado(scenario, params, args.metric, **s),
                ["parameter", "low_value", "high_value", "low_estimate", "high_estimate", "swing"])


def cmd_psa(args: argparse.Namespace) -> int:
    """``spinesim psa``: outcomes over the draws, then value for money (ICERs, NMB, CEAC, CEAF, EVPI, EVPPI)."""
    if (args.arrivals_per_year is None) != (args.decision_years is None):
        raise UsageError("spinesim psa: --arrivals-per-year and --decision-years go together (the population EVPI "
                         "needs both)")
    scenarios = load_all(args.scenarios)
    population = None if args.arrivals_per_year is None else Population(
        args.arrivals_per_year, args.decision_years, scenarios[0].params.economics.discount_costs)
    return _run(args, lambda s: psa(scenarios, args.draws, _metric_list(args), args.sampler, population=population,
                                    **s),
                ["scenario", "metric", "estimate", "low", "high", "between_draw_sd", "monte_carlo_se", "p_best"],
                more=lambda result: value_text(result.tables, result.manifest["value_for_money"]))


def cmd_capacity(args: argparse.Namespace) -> int:
    """``spinesim capacity``."""
    try:
        values = [int(v) for v in _items(args.values)]
    except ValueError:
        raise UsageError(f"spinesim capacity: --values {args.values!r} must be whole numbers, e.g. 1,2,3,4") from None
    scenario = load_scenario(args.scenario)
    return _run(args, lambda s: capacity(scenario, args.resource, values, _metric_list(args), **s),
                ["capacity", "utilisation", "mean_wait_days", "max_queue", "metric", "estimate", "difference"])


# --- spinesim calibrate --fit ----------------------------------------------------------------------


def register_fit_options(p: argparse.ArgumentParser) -> None:
    """``--fit PARAM...`` and its options on ``spinesim calibrate``."""
    p.add_argument("--fit", nargs="+", metavar="PARAM", help="fit these parameters to the targets "
                   "(within their plausible ranges) and write a scenario extending baseline")
    p.add_argument("--fit-out", type=output_folder("--fit-out"),
                   help="folder for the fitted scenario, target table, chart and manifest")
    p.add_argument("--fit-method", choices=METHODS, default="Nelder-Mead", help="optimiser (default Nelder-Mead)")
    p.add_argument("--fit-max-evaluations", type=bounded_int("--fit-max-evaluations", 2, 10_000), default=40,
                   help="most target runs (default 40)")
    p.add_argument("--fit-overwrite", action="store_true", help="replace the files of a non-empty --fit-out")


def run_fit(args: argparse.Namespace) -> int:
    """``spinesim calibrate --fit``: fit, print before/after, write the files (exit 0)."""
    params = _items(args.fit)
    if not args.fit_out:
        raise UsageError("spinesim calibrate: --fit needs --fit-out DIR")
    out = Path(args.fit_out)
    check_output_dir(out, args.fit_overwrite)
    with progress_bar(False, "fitting", "evaluations") as bar:
        result = fit(params, patients=args.patients, seed=args.seed, workers=args.workers, method=args.fit_method,
                     max_evaluations=args.fit_max_evaluations, progress=bar)
    written = fit_result(result, args.patients, args.seed, args.fit_method).write(out, overwrite=args.fit_overwrite)
    with pd.option_context("display.width", 200, "display.float_format", "{:.4g}".format):
        tables = f"{result.parameter_table().to_string(index=False)}\n\n{result.table().to_string(index=False)}"
    done = f"{written.note()} (fitted scenario: {out / 'fitted.toml'})"
    report(f"{tables}\n\nsum of squared distances {result.objective_before:.4g} -> {result.objective_after:.4g} "
           f"({result.evaluations} evaluations)\n{done}", done=f"the fit finished: {done}")
    return 0
