"""What the ``spinesim`` commands share: the usage error, the run options, the caps, loading scenarios."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from simulator.cli.args import bounded_float, bounded_int
from simulator.parameters.scenario import Scenario, ScenarioError, load_scenario
from simulator.run.executor import EXECUTORS, SCHEDULER_TIMEOUT_S
from simulator.run.progress import ProgressBar
from simulator.vocabulary import DEFAULT_METRIC

EXIT_BAD_INPUT = 2
EXIT_NOT_PRINTED = 1
MAX_PATIENTS = 10_000_000
MAX_REPLICATIONS = 1_000


class UsageError(Exception):
    """Bad input that deserves one line and exit code 2."""


class ReportError(Exception):
    """The command did its work but could not print its report (standard output failed)."""


def report(text: str, done: str = "") -> None:
    """Print ``text`` on standard output now; if that fails, raise :class:`ReportError` saying ``done``."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        happened = f"; {done}" if done else ""
        raise ReportError(f"spinesim: cannot print to standard output ({exc.strerror or exc}){happened}") from None


@contextmanager
def progress_bar(quiet: bool, label: str, unit: str) -> Iterator[ProgressBar | None]:
    """A progress bar on stderr (``None`` when ``quiet``) whose line is ended however the block ends."""
    if quiet:
        yield None
        return
    with ProgressBar(label, unit=unit) as bar:
        yield bar


def add_run_options(p: argparse.ArgumentParser, patients: int = 2000, replications: int = 3,
                    auto: bool = False) -> None:
    """``--patients``, ``--replications`` (optionally ``auto``), ``--seed`` and ``--workers``."""
    p.add_argument("--patients", type=bounded_int("--patients", 1, MAX_PATIENTS), default=patients,
                   help=f"patients per scenario and replication (1 to {MAX_PATIENTS:,}; default {patients})")
    p.add_argument("--replications", type=replications_or_auto if auto else
                   bounded_int("--replications", 1, MAX_REPLICATIONS),
                   default=replications, help=f"replications (1 to {MAX_REPLICATIONS}"
                   f"{'; or auto, see --precision' if auto else ''}; default {replications})")
    p.add_argument("--seed", type=bounded_int("--seed", 0, 2**63 - 1), default=1, help="master seed (default 1)")
    p.add_argument("--workers", type=bounded_int("--workers", 1, 256), default=1,
                   help="worker processes (default 1; output is identical for any number)")


def replications_or_auto(text: str) -> int | str:
    """``--replications``: a whole number, or ``auto`` (see ``--precision``)."""
    if text.strip().lower() == "auto":
        return "auto"
    return bounded_int("--replications", 1, MAX_REPLICATIONS)(text)


def add_execution_options(p: argparse.ArgumentParser) -> None:
    """``--executor local|dask``, ``--scheduler tcp://HOST:8786`` and ``--scheduler-timeout``."""
    p.add_argument("--executor", choices=EXECUTORS, default="local",
                   help="local processes (default) or a Dask cluster; results are identical")
    p.add_argument("--scheduler", metavar="tcp://HOST:8786",
                   help="Dask scheduler address (with --executor dask; default: a local Dask cluster)")
    p.add_argument("--scheduler-timeout", type=bounded_float("--scheduler-timeout", 0.1, 600),
                   default=SCHEDULER_TIMEOUT_S, help="seconds to reach the scheduler (default 10)")


def execution_options(args: argparse.Namespace) -> dict[str, Any]:
    """The executor keywords of :func:`simulator.run.executor.execute`, checked together."""
    if args.scheduler and args.executor != "dask":
        raise UsageError(f"spinesim {args.command}: --scheduler needs --executor dask")
    return {"executor": args.executor, "scheduler": args.scheduler, "scheduler_timeout": args.scheduler_timeout}


def add_precision_options(p: argparse.ArgumentParser) -> None:
    """``--precision``, ``--max-replications`` and ``--metric`` for ``--replications auto``."""
    p.add_argument("--precision", type=bounded_float("--precision", 0.001, 0.5), default=None,
                   help="with --replications auto: target 95%% CI half-width relative to the estimate "
                        "(default 0.05)")
    p.add_argument("--max-replications", type=bounded_int("--max-replications", 2, MAX_REPLICATIONS),
                   default=50, help="with --replications auto: the cap (default 50)")
    p.add_argument("--metric", default=None,
                   help=f"with --replications auto: the outcome to make precise (default {DEFAULT_METRIC})")


def load_all(refs: Sequence[str]) -> list[Scenario]:
    """Load scenarios by name or path, collecting every problem into one ScenarioError."""
    loaded, problems = [], []
    for ref in refs:
        try:
            loaded.append(load_scenario(ref))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    names = [s.name for s in loaded]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"spinesim run: scenario named twice: {', '.join(duplicates)}")
    return loaded
