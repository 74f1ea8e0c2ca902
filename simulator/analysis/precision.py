"""Replications with a stated precision: add replications until the 95% interval is narrow enough.

Replication ``r`` of a scenario is always the same unit, seeded by (seed, r) alone, whatever batch
it runs in; batch sizes depend only on the results so far. So the run is deterministic, and an
automatic run that stops at N replications writes the same tables as ``--replications N``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simulator.analysis.common import resolve_metrics
from simulator.output.metrics import interval
from simulator.parameters.scenario import Scenario
from simulator.run.executor import Cancel, Progress, execute
from simulator.run.experiment import DEFAULT_GRID_DAYS, Results, Unit, UnitResult, assemble_results, run_unit
from simulator.vocabulary import DEFAULT_METRIC

MIN_REPLICATIONS = 3  # the first batch: enough for a first estimate of the spread


@dataclass(frozen=True)
class Precision:
    """How close one scenario's estimate is: relative half-width of its 95% interval."""

    scenario: str
    estimate: float
    half_width: float

    @property
    def relative(self) -> float:
        """Half-width / |estimate| (0 when both are 0; inf when undefined)."""
        if self.half_width == 0:
            return 0.0
        if not math.isfinite(self.half_width) or self.estimate == 0 or math.isnan(self.estimate):
            return math.inf
        return self.half_width / abs(self.estimate)


def precision_of(per_rep: pd.DataFrame, metric: str, names: list[str]) -> list[Precision]:
    """The relative precision of ``metric`` for each scenario."""
    out = []
    for name in names:
        est, low, high = interval(per_rep.loc[per_rep["scenario"] == name, metric].to_numpy(float))
        half = (high - low) / 2 if not (math.isnan(low) or math.isnan(high)) else math.inf
        out.append(Precision(name, est, half))
    return out


def next_total(done: int, precisions: list[Precision], target: float, cap: int) -> int:
    """Replications to have after the next batch: the projected need, at most double, at least one more.

    The projection uses half-width ~ 1/sqrt(n): n_needed = n * (relative / target)^2.
    """
    worst = max(p.relative for p in precisions)
    need = done * 2 if not math.isfinite(worst) else math.ceil(done * (worst / target) ** 2)
    return min(cap, max(done + 1, min(need, 2 * done)))


def run_to_precision(scenarios: list[Scenario], patients: int, seed: int, precision: float = 0.05,
                     metric: str = DEFAULT_METRIC, max_replications: int = 50, workers: int = 1,
                     grid_days: float = DEFAULT_GRID_DAYS, progress: Progress | None = None,
                     cancel: Cancel | None = None, **executor_options: Any) -> Results:
    """Like :func:`simulator.run_experiment`, with as many replications as ``metric`` needs.

    Stops when the 95% interval's half-width is at most ``precision`` x |estimate| (relative, e.g.
    0.05 = 5%) for every scenario, or at ``max_replications``. ``Results.manifest`` records the
    outcome under ``"replications_auto"``.
    """
    (metric,) = resolve_metrics([metric], origin="--metric")
    if not 0 < precision < 1:
        raise ValueError(f"precision = {precision} must be between 0 and 1 (relative half-width)")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique: {names}")
    done: dict[tuple[int, int], UnitResult] = {}
    total, batches = min(MIN_REPLICATIONS, max_replications), []
    while True:
        start = len(done) // len(scenarios)
        units = [Unit(s, seed, r, patients, grid_days) for r in range(start, total) for s in scenarios]
        results = execute(run_unit, units, workers=workers, progress=progress, cancel=cancel, **executor_options)
        done.update({(names.index(u.scenario.name), u.replication): d for u, d in zip(units, results, strict=True)})
        batches.append(total - start)
        per_rep = _per_replication(done, names)
        reached = precision_of(per_rep, metric, names)
        met = all(p.relative <= precision for p in reached)
        if met or total >= max_replications:
            break
        total = next_total(total, reached, precision, max_replications)
    results = assemble(scenarios, done, patients, total, seed, grid_days)
    results.manifest["replications_auto"] = {
        "metric": metric, "precision": precision, "max_replications": max_replications, "replications": total,
        "reached": met, "batches": batches,
        "relative_half_width": {p.scenario: _finite(p.relative) for p in reached},
        "rule": "add replications until the 95% t-interval half-width <= precision x |estimate| for every "
                "scenario, or max_replications"}
    return results


def _finite(x: float) -> float | None:
    return round(x, 6) if math.isfinite(x) else None


def _per_replication(done: dict[tuple[int, int], UnitResult], names: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{"scenario": names[s], "replication": r, **done[(s, r)].metrics} for s, r in sorted(done)])


def assemble(scenarios: list[Scenario], done: dict[tuple[int, int], UnitResult], patients: int, replications: int,
             seed: int, grid_days: float) -> Results:
    """``run_experiment``'s results from units keyed by (scenario index, replication), in its order."""
    ordered = [(Unit(scenarios[s], seed, r, patients, grid_days), done[(s, r)]) for s, r in sorted(done)]
    return assemble_results(scenarios, ordered, patients, replications, seed, grid_days)
