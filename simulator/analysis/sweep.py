"""One-way sweeps: one scenario run at several values of one parameter, on the same patients.

Every value runs with the same seed and replications (common random numbers), so the paired
difference to the first value isolates the parameter's effect from patient-sampling noise.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.charts import sweep_figure
from simulator.analysis.common import (
    Grid,
    base_manifest,
    check_value,
    override,
    parameter_info,
    resolve_metrics,
    run_grid,
    tidy,
    value_label,
)
from simulator.analysis.outputs import AnalysisResult
from simulator.parameters.fields import ParamInfo
from simulator.parameters.scenario import Problem, Scenario, ScenarioError
from simulator.run.executor import Cancel, Progress

MAX_VALUES = 100
COLUMNS = ["parameter", "value", "metric", "label", "unit", "higher_is_better", "estimate", "ci_low", "ci_high",
           "difference", "difference_low", "difference_high"]


def parse_values(texts: list[str], info: ParamInfo, origin: str = "--values") -> list[Any]:
    """Typed, range-checked values from their text (numbers, true/false, or a choice)."""
    values: list[Any] = []
    for text in texts:
        text = text.strip()
        if info.kind == "bool":
            if text.lower() not in ("true", "false"):
                raise ScenarioError([Problem(origin, info.path, f"= {text!r} must be true or false")])
            values.append(text.lower() == "true")
        elif info.kind == "choice":
            if text not in info.choices:
                raise ScenarioError([Problem(origin, info.path,
                                             f"= {text!r} is not one of {', '.join(info.choices)}")])
            values.append(text)
        else:
            try:
                number = float(text)
            except ValueError:
                raise ScenarioError([Problem(origin, info.path, f"= {text!r} is not a number")]) from None
            values.append(check_value(info, number, origin))
    return checked_values(values, info, origin)


def range_values(low: float, high: float, steps: int, info: ParamInfo, origin: str = "--range") -> list[Any]:
    """``steps`` evenly spaced values from ``low`` to ``high``; whole numbers for integer parameters."""
    if info.kind not in ("int", "float"):
        raise ScenarioError([Problem(origin, info.path, f"is {'on/off' if info.kind == 'bool' else 'a choice'}: "
                                                        "give its values with --values, not a range")])
    if not 2 <= steps <= MAX_VALUES:
        raise ScenarioError([Problem(origin, info.path, f"STEPS = {steps} is outside 2 to {MAX_VALUES}")])
    check_value(info, low, origin)
    check_value(info, high, origin)
    grid = np.linspace(low, high, steps)
    if info.kind == "int":
        values: list[Any] = list(dict.fromkeys(int(round(x)) for x in grid))
    else:
        values = [float(f"{x:.10g}") for x in grid]
    return checked_values(values, info, origin)


def checked_values(values: list[Any], info: ParamInfo, origin: str) -> list[Any]:
    """At least two distinct values (numbers range-checked), at most :data:`MAX_VALUES`."""
    if info.kind in ("int", "float"):
        values = [check_value(info, v, origin) for v in values]
    if len(values) < 2:
        raise ScenarioError([Problem(origin, info.path, "a sweep needs at least two values")])
    if len(values) > MAX_VALUES:
        raise ScenarioError([Problem(origin, info.path, f"{len(values)} values; at most {MAX_VALUES}")])
    repeated = sorted({value_label(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ScenarioError([Problem(origin, info.path, f"value given twice: {', '.join(repeated)}")])
    return values


def value_scenarios(scenario: Scenario, info: ParamInfo, values: list[Any], origin: str) -> list[Scenario]:
    """One scenario per value, named ``SCENARIO:LEAF=VALUE`` (validated before anything runs)."""
    leaf = info.path.rsplit(".", 1)[-1]
    return [override(scenario, {info.path: v}, f"{scenario.name}:{leaf}={value_label(v)}", origin) for v in values]


def sweep_grid(scenario: Scenario, info: ParamInfo, values: list[Any], patients: int, replications: int,
               seed: int, workers: int, progress: Progress | None, cancel: Cancel | None,
               executor_options: dict[str, Any], origin: str) -> Grid:
    """Run the scenario at every value on the same patients."""
    variants = value_scenarios(scenario, info, values, origin)
    return run_grid(variants, patients, replications, seed, workers, progress, cancel, **executor_options)


def sweep_table(grid: Grid, info: ParamInfo, values: list[Any], metrics: tuple[str, ...]) -> pd.DataFrame:
    """Tidy rows: value x metric with estimate, 95% CI and paired difference to the first value."""
    by_name = {s.name: v for s, v in zip(grid.scenarios, values, strict=True)}
    table = tidy(grid.summary(), metrics)
    table.insert(0, "value", table.pop("scenario").map(by_name))
    table.insert(0, "parameter", info.path)
    if info.kind in ("int", "float", "bool"):
        table["value"] = table["value"].astype({"int": "int64", "float": "float64", "bool": "bool"}[info.kind])
    return table[COLUMNS]


def sweep(scenario: Scenario, parameter: str, values: list[Any], metrics: list[str] | None = None,
          patients: int = 2000, replications: int = 3, seed: int = 1, workers: int = 1,
          progress: Progress | None = None, cancel: Cancel | None = None,
          **executor_options: Any) -> AnalysisResult:
    """Run ``scenario`` at each value of ``parameter`` (a dotted path) on the same patients.

    Values are checked against the allowed range first (a :class:`ScenarioError` names the key,
    the value and the range); nothing runs if any is refused.
    """
    origin = "sweep"
    info = parameter_info(parameter, origin, numeric=False)
    values = checked_values(list(values), info, origin)
    chosen = resolve_metrics(metrics)
    grid = sweep_grid(scenario, info, values, patients, replications, seed, workers, progress, cancel,
                      executor_options, origin)
    table = sweep_table(grid, info, values, chosen)
    manifest = base_manifest("sweep", [scenario], patients, replications, seed)
    manifest.update({"parameter": info.path, "unit": info.unit, "values": values, "metrics": list(chosen),
                     "difference": f"paired difference to the first value ({value_label(values[0])}), "
                                   "over replications, with its 95% t-interval"})
    return AnalysisResult("sweep", {"sweep": table}, sweep_figure(table, info.path, info.unit), manifest)
