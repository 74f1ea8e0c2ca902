"""Running scenarios on the same patients for a command that compares them replication by replication.

Apart from ``common`` because it loads the simulation itself: ``common`` stays light, so that
``spinesim --version``, ``list``, ``show`` and ``validate`` start without it.
"""

from __future__ import annotations

import argparse

from simulator.cli.common import UsageError, execution_options, progress_bar
from simulator.parameters.scenario import Scenario
from simulator.run.executor import ExecutorError
from simulator.run.experiment import Results, run_experiment


def run_paired(args: argparse.Namespace, scenarios: list[Scenario], command: str) -> Results:
    """Run ``scenarios`` on the same patients with a progress bar, for a command that pairs replications.

    Paired intervals need two replications; an executor that fails becomes one line naming ``command``.
    """
    if args.replications < 2:
        raise UsageError(f"spinesim {command}: --replications must be at least 2 (paired intervals need two)")
    with progress_bar(args.quiet, "simulating", "replications") as bar:
        try:
            return run_experiment(scenarios, args.patients, args.replications, args.seed, workers=args.workers,
                                  progress=bar, **execution_options(args))
        except ExecutorError as exc:
            raise UsageError(f"spinesim {command}: {exc}") from None
