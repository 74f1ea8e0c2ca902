"""Run the calibration targets and report published vs simulated, tolerance and pass/fail."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from simulator.calibration.targets import Estimate, Target, estimate, load_targets
from simulator.parameters.scenario import load_scenario
from simulator.run.executor import Progress, execute
from simulator.run.experiment import Unit, UnitResult, run_unit


@dataclass(frozen=True)
class TargetResult:
    """A target with its simulated estimate."""

    target: Target
    simulated: Estimate

    @property
    def published(self) -> float:
        """The published figure."""
        return self.target.published

    @property
    def tolerance(self) -> float:
        """Allowed absolute difference."""
        return self.target.tolerance

    @property
    def distance(self) -> float:
        """|simulated - published| in tolerances (<= 1 passes)."""
        if math.isnan(self.simulated.value):
            return math.inf
        return abs(self.simulated.value - self.published) / self.tolerance

    @property
    def passed(self) -> bool:
        """Within tolerance."""
        return self.distance <= 1.0


def run_targets(patients: int = 20000, seed: int = 2026, workers: int = 1, progress: Progress | None = None,
                overrides: dict[str, Any] | None = None, targets: list[Target] | None = None,
                **executor_options: Any) -> list[TargetResult]:
    """Simulate each distinct (scenario, overrides) once and evaluate every target on it.

    ``overrides`` (dotted paths) apply on top of every target's scenario: the calibration fit
    uses them to try parameter values.
    """
    targets = targets if targets is not None else load_targets()
    keys = list(dict.fromkeys([t.run_key() for t in targets] + [k for t in targets if (k := t.compare_key())]))
    units = []
    for name, pairs in keys:
        scenario = load_scenario(name).with_overrides({**dict(pairs), **(overrides or {})})
        units.append(Unit(scenario, seed, 0, patients, 365.25))
    done: list[UnitResult] = execute(run_unit, units, workers=workers, progress=progress, **executor_options)
    by_key = {key: result.patients for key, result in zip(keys, done, strict=True)}
    return [TargetResult(t, estimate(t, by_key[t.run_key()], by_key.get(t.compare_key()))) for t in targets]


def _fmt(x: float, unit: str) -> str:
    if math.isnan(x):
        return "-"
    return f"{100 * x:.1f}%" if unit == "proportion" else f"{x:.1f}"


def format_report(rows: list[TargetResult]) -> str:
    """The calibration table: published, simulated [95% CI] (n), tolerance, pass/fail.

    Comparisons (published figures the model is checked against but not calibrated to) follow the
    targets, each with the reason it is not a target; they do not count towards the pass total.
    """
    header = f"{'target':<36} {'published':>9} {'simulated [95% CI]':>28} {'n':>6} {'tolerance':>10}  result"
    targets = [r for r in rows if not r.target.comparison]
    comparisons = [r for r in rows if r.target.comparison]
    lines = [header, *(_row(r) for r in targets)]
    passed = sum(r.passed for r in targets)
    widened = [r.target for r in targets if r.target.widened]
    lines.append(f"\n{passed} of {len(targets)} targets within tolerance")
    if widened:
        lines.append("\n* widened: the tolerance is wider than the study's own precision, because")
        lines += [f"  {t.id}: {t.widened}" for t in widened]
    if comparisons:
        lines.append("\ncompared, not calibrated (the model is not fitted to these):")
        lines += [_row(r) for r in comparisons]
        lines += [f"  {r.target.id}: {r.target.comparison}" for r in comparisons]
    lines.append("Sources and populations: simulator/calibration/targets.toml")
    return "\n".join(lines)


def _row(r: TargetResult) -> str:
    sim, unit = r.simulated, r.target.unit
    ci = f"{_fmt(sim.value, unit)} [{_fmt(sim.low, unit)}, {_fmt(sim.high, unit)}]"
    tol = f"±{_fmt(r.tolerance, unit)}" + ("*" if r.target.widened else "")
    verdict = ("within" if r.passed else "outside") if r.target.comparison else ("pass" if r.passed else "FAIL")
    return f"{r.target.id:<36} {_fmt(r.published, unit):>9} {ci:>28} {sim.n:>6} {tol:>10}  {verdict}"
