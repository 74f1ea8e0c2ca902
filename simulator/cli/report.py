"""``spinesim report``: the self-contained HTML report of a comparison, with its value-for-money chapters.

Runs the scenarios on the same patients (the first is the reference) and writes one HTML page: the
answer first, the charts and summary, the parameters that differ, then the question, population,
perspective, horizon and discounting, value for money with intervals (value table, net benefit, CE
plane and acceptability over replications), budget impact, pathway KPIs and the filled CHEERS 2022
and STRESS-DES checklists. The file is written in one step; bad input exits 2 before anything runs.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from simulator.cli.common import (
    add_execution_options,
    add_run_options,
    load_all,
    report,
)
from simulator.cli.paired import run_paired
from simulator.output.html_report import html_report
from simulator.output.staged_file import check_output_file, write_text_file
from simulator.output.value_report import value_sections


def register(sub: Any) -> None:
    """Add ``report`` to the ``spinesim`` subcommands."""
    p = sub.add_parser("report", help="write the HTML report of a comparison: outcomes, value for money, budget "
                                      "impact, KPIs, CHEERS 2022 and STRESS-DES checklists")
    p.add_argument("scenarios", nargs="+", help="bundled scenario names or TOML paths (first = reference)")
    add_run_options(p, replications=5)
    add_execution_options(p)
    p.add_argument("--out", required=True, metavar="FILE.html", help="the report file to write")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out file")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """``spinesim report``."""
    out = check_output_file(args.out, args.overwrite)
    scenarios = load_all(args.scenarios)
    start = time.perf_counter()
    results = run_paired(args, scenarios, "report")
    seconds = time.perf_counter() - start
    names = " vs ".join(s.name for s in scenarios)
    page = html_report(results, scenarios[0], value_sections(results, results.net_benefit, results.per_replication),
                       title=f"Cost-utility analysis by discrete-event simulation: {names}")
    write_text_file(out, page, args.overwrite)
    report(f"wrote {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB): {names}, {args.patients:,} patients x "
           f"{args.replications} replications in {seconds:.0f} s", done=f"the report was written to {out}")
    return 0
