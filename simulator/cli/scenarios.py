"""``spinesim validate``, ``list`` and ``show``: the scenario files, checked and explained."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from simulator.analysis.uncertainty import parse_uncertainty
from simulator.cli.common import EXIT_BAD_INPUT, UsageError, report
from simulator.output.report import format_parameters
from simulator.parameters.scenario import BUNDLED_DIR, ScenarioError, bundled_names, list_scenarios, load_scenario


def register(sub: Any) -> None:
    """Add ``validate``, ``list`` and ``show`` to the ``spinesim`` subcommands."""
    validate = sub.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("files", nargs="+", help="scenario TOML files or bundled names")
    validate.set_defaults(handler=cmd_validate)

    lister = sub.add_parser("list", help="list the bundled scenarios")
    lister.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="print a scenario's resolved parameters with units and sources")
    show.add_argument("scenario")
    show.set_defaults(handler=cmd_show)


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
