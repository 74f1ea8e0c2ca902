"""Calibration fitting: move chosen parameters within their plausible ranges to match the targets.

The objective is the sum over calibration targets of distance^2, where distance =
|simulated - published| / tolerance (1 = at the edge of tolerance). Every evaluation uses the
same seed and patients (common random numbers), so the objective changes smoothly with the
parameters rather than jumping with sampling noise. Parameters are searched in [0, 1] coordinates
over their plausible range (``ParamInfo.plausible``) with a bounded Nelder-Mead or Powell search.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.optimize import minimize

from simulator.analysis.common import parameter_info, plausible_range
from simulator.analysis.outputs import AnalysisResult
from simulator.calibration.report import run_targets
from simulator.parameters.scenario import Problem, Scenario, ScenarioError, flatten, load_scenario
from simulator.run.executor import Progress
from simulator.version import environment_versions, package_version

METHODS = ("Nelder-Mead", "Powell")
MAX_DISTANCE = 100.0  # a target that cannot be computed (NaN) counts as this far off
#: overrides -> target results (objects with .target.id, .published, .simulated, .tolerance, .passed, .distance)
Evaluate = Callable[[dict[str, float]], list[Any]]


def targets_evaluator(patients: int, seed: int, workers: int = 1, **executor_options: Any) -> Evaluate:
    """Run the calibration targets at given overrides (same patients and seed every time)."""
    def evaluate(overrides: dict[str, float]) -> list[Any]:
        return run_targets(patients=patients, seed=seed, workers=workers, progress=None, overrides=overrides,
                           **executor_options)
    return evaluate


def objective(results: list[Any]) -> float:
    """Sum of squared distances (each capped at :data:`MAX_DISTANCE`) over the targets (not the comparisons)."""
    return float(sum(min(r.distance, MAX_DISTANCE) ** 2 for r in results if not r.target.comparison))


@dataclass
class FitResult:
    """Starting and fitted values, the objective before and after, and the targets at both."""

    parameters: list[str]
    start: dict[str, float]
    fitted: dict[str, float]
    before: list[Any]
    after: list[Any]
    evaluations: int
    message: str
    scenario: Scenario  # the base scenario with the fitted values

    @property
    def objective_before(self) -> float:
        """Sum of squared distances at the start."""
        return objective(self.before)

    @property
    def objective_after(self) -> float:
        """Sum of squared distances at the fitted values."""
        return objective(self.after)

    def table(self) -> pd.DataFrame:
        """One row per target: published, tolerance, simulated and distance before and after."""
        return pd.DataFrame([{
            "target": b.target.id, "published": b.published, "tolerance": b.tolerance,
            "simulated_before": _value(b.simulated), "distance_before": b.distance, "passed_before": b.passed,
            "simulated_after": _value(a.simulated), "distance_after": a.distance, "passed_after": a.passed}
            for b, a in zip(self.before, self.after, strict=True)])

    def parameter_table(self) -> pd.DataFrame:
        """One row per fitted parameter: start, fitted value, unit and plausible range."""
        rows = []
        for path in self.parameters:
            info = parameter_info(path, "fit")
            low, high = plausible_range(info, "fit")
            rows.append({"parameter": path, "unit": info.unit, "start": self.start[path],
                         "fitted": self.fitted[path], "plausible_low": low, "plausible_high": high})
        return pd.DataFrame(rows)

    def toml(self, base: str = "baseline", parent: Scenario | None = None) -> str:
        """The fitted values as a scenario file that extends ``base``."""
        return self.scenario.to_toml(extends=base, parent=parent or load_scenario(base))


def _value(simulated: Any) -> float:
    return float(getattr(simulated, "value", simulated))


def _significant(x: float, digits: int = 6) -> float:
    return float(f"{x:.{digits}g}")


def fit(parameters: list[str], patients: int = 20000, seed: int = 2026, workers: int = 1,
        method: str = "Nelder-Mead", max_evaluations: int = 60, base: str = "baseline",
        evaluate: Evaluate | None = None, progress: Progress | None = None,
        **executor_options: Any) -> FitResult:
    """Minimise the sum of squared target distances over ``parameters`` (bounded to their plausible range).

    ``evaluate`` defaults to the calibration targets run with ``patients``, ``seed`` and
    ``workers``; any function from overrides to target results will do (tests use a stub).
    """
    if method not in METHODS:
        raise ScenarioError([Problem("fit", "--fit-method", f"= {method!r} is not one of {', '.join(METHODS)}")])
    if not parameters or len(set(parameters)) != len(parameters):
        raise ScenarioError([Problem("fit", "--fit", "give one or more distinct parameter paths")])
    infos = [parameter_info(p, "--fit") for p in parameters]
    for info in infos:
        if info.kind != "float":
            raise ScenarioError([Problem("--fit", info.path, "is a whole number; fit continuous parameters only")])
    ranges = [plausible_range(info, "--fit") for info in infos]
    base_scenario = load_scenario(base)
    flat = flatten(base_scenario.resolved())
    start = {p: float(flat[p]) for p in parameters}
    evaluate = evaluate or targets_evaluator(patients, seed, workers, **executor_options)
    cache: dict[tuple[float, ...], tuple[float, list[Any]]] = {}

    def values(z: np.ndarray) -> dict[str, float]:
        z = np.clip(z, 0.0, 1.0)
        return {p: _significant(lo + zi * (hi - lo)) for p, (lo, hi), zi in zip(parameters, ranges, z, strict=True)}

    def f(z: np.ndarray) -> float:
        point = values(z)
        key = tuple(point.values())
        if key not in cache:
            results = evaluate(point)
            cache[key] = (objective(results), results)
            if progress:
                progress(min(len(cache), max_evaluations), max_evaluations)
        return cache[key][0]

    z0 = np.array([min(1.0, max(0.0, (start[p] - lo) / (hi - lo))) for p, (lo, hi) in zip(parameters, ranges,
                                                                                           strict=True)])
    before = evaluate(start)
    options: dict[str, Any] = {"maxfev": max_evaluations, "xtol" if method == "Powell" else "xatol": 1e-3}
    if method == "Nelder-Mead":
        step = np.where(z0 < 0.5, 0.25, -0.25)
        options["initial_simplex"] = np.vstack([z0] + [z0 + np.eye(len(z0))[i] * step[i] for i in range(len(z0))])
    found = minimize(f, z0, method=method, bounds=[(0.0, 1.0)] * len(z0), options=options)
    fitted = values(found.x)
    if objective(before) <= f(found.x):  # never report a worse point than the start
        fitted = dict(start)
    after = evaluate(fitted) if tuple(fitted.values()) not in cache else cache[tuple(fitted.values())][1]
    if progress:
        progress(max_evaluations, max_evaluations)
    description = (f"{base} with {', '.join(parameters)} fitted to the calibration targets "
                   f"(sum of squared distances {objective(before):.4g} -> {objective(after):.4g}; "
                   f"{patients} patients, seed {seed}, {method}).")
    scenario = base_scenario.with_overrides(fitted, name=f"{base}-fitted", description=description)
    return FitResult(list(parameters), start, fitted, before, after, len(cache), str(found.message), scenario)


def fit_result(result: FitResult, patients: int, seed: int, method: str) -> AnalysisResult:
    """Tables (targets, parameters), a before/after distance chart and the fitted scenario file."""
    table = result.table()
    figure = go.Figure([go.Bar(x=table["target"], y=table[f"distance_{when}"], name=when)
                        for when in ("before", "after")])
    figure.add_hline(y=1.0, line_dash="dash", line_color="grey")
    figure.update_layout(title="Calibration fit: distance to each target (1 = edge of tolerance)",
                         yaxis_title="|simulated - published| / tolerance", barmode="group", template="plotly_white")
    manifest = {"analysis": "fit", "spinesim_version": package_version(), "versions": environment_versions(),
                "patients": patients, "seed": seed,
                "method": method, "parameters": result.parameters, "start": result.start, "fitted": result.fitted,
                "objective": "sum over targets of (|simulated - published| / tolerance)^2",
                "objective_before": _finite(result.objective_before),
                "objective_after": _finite(result.objective_after),
                "evaluations": result.evaluations, "optimizer_message": result.message}
    out = AnalysisResult("fit", {"fit": table, "fit_parameters": result.parameter_table()}, figure, manifest)
    out.files["fitted.toml"] = result.toml()
    return out


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None
