"""``spinesim value``: the cost-utility comparison of scenarios run on the same patients.

Prints each strategy's mean cost and QALYs per patient, the paired increments against the first
scenario with their 95% intervals, the ICER and dominance status, net monetary benefit at every
willingness-to-pay threshold of the reference scenario and the share of replications in which each
strategy is best, the budget impact per calendar year and the pathway KPIs; writes those tables, the
summary and the costs to ``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.cli.args import format_choice, outputs_option
from simulator.cli.common import (
    add_execution_options,
    add_run_options,
    load_all,
    report,
)
from simulator.cli.paired import run_paired
from simulator.economics.value import format_value
from simulator.output.export import write_outputs
from simulator.output.folder import check_output_dir
from simulator.output.report import format_budget, format_kpis


def register(sub: Any) -> None:
    """Add ``value`` to the ``spinesim`` subcommands."""
    p = sub.add_parser("value", help="costs, QALYs, ICERs and net benefit of scenarios on the same patients")
    p.add_argument("scenarios", nargs="+", help="bundled scenario names or TOML paths (first = reference)")
    add_run_options(p, replications=5)
    add_execution_options(p)
    outputs_option(p)
    p.add_argument("--format", type=format_choice, default="csv", help="csv, parquet or both (default csv)")
    p.add_argument("--overwrite", action="store_true", help="replace the files of a non-empty --out folder")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_value)


def cmd_value(args: argparse.Namespace) -> int:
    """``spinesim value``."""
    out = Path(args.out)
    check_output_dir(out, args.overwrite)
    scenarios = load_all(args.scenarios)
    results = run_paired(args, scenarios, "value")
    economics = scenarios[0].params.economics
    tables = {"value": results.value, "net_benefit": results.net_benefit}
    formats = ("csv", "parquet") if args.format == "both" else (args.format,)
    summary = results.summary
    written = write_outputs({**tables, "summary": summary, "costs": results.costs, "budget": results.budget,
                             "kpis": results.kpis}, results.manifest, out, formats, args.overwrite)
    text = format_value({**tables, "acceptability": results.net_benefit[["threshold", "strategy",
                                                                          "p_cost_effective"]]},
                        economics.currency)
    cohort = scenarios[0].params.cohort
    report(f"{text}\n\ncosts are discounted at {economics.discount_costs:.1%} and QALYs at "
           f"{economics.discount_outcomes:.1%} a year over {economics.horizon_years:g} years, "
           f"{economics.perspective} perspective, {economics.currency} {economics.price_year} prices\n\n"
           f"budget impact per calendar year (undiscounted; the open cohort of {args.patients:,} patients "
           f"entering at {cohort.arrivals_per_year:,g} a year)\n{format_budget(results.budget, economics.currency)}"
           f"\n\npathway KPIs (mean over replications, 95% CI; difference vs {scenarios[0].name})\n"
           f"{format_kpis(results.kpis)}\n\n{written.note()}", done=f"the run finished: {written.note()}")
    return 0
