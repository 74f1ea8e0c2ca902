"""Capacity planning: one resource's capacity varied, with its use, queues and waits, and what they cost.

Each capacity runs on the same patients (common random numbers); outcome differences are paired
with the largest capacity asked for, so the table shows the capacity below which an outcome
(walking, by default) becomes worse than with ample capacity.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from simulator.analysis.charts import capacity_figure
from simulator.analysis.common import base_manifest, parameter_info, resolve_metrics, tidy
from simulator.analysis.outputs import AnalysisResult
from simulator.analysis.sweep import checked_values, sweep_grid
from simulator.output.metrics import METRIC_BY_NAME
from simulator.parameters.scenario import Problem, Scenario, ScenarioError
from simulator.run.executor import Cancel, Progress
from simulator.vocabulary import SERVICE_KINDS

#: Resource name (as in ``Results.resources``) -> the parameter that sets its capacity.
RESOURCES = {kind.name: kind.capacity_parameter for kind in SERVICE_KINDS}
DEFAULT_METRICS = ("ambulatory_at_diagnosis", "ambulatory_6m", "diagnostic_delay_median_days",
                   "treatment_wait_median_days")
COLUMNS = ["resource", "parameter", "capacity", "uses", "utilisation", "mean_wait_days", "p90_wait_days",
           "max_queue", "metric", "label", "unit", "estimate", "ci_low", "ci_high", "difference",
           "difference_low", "difference_high", "worse_than_most"]


def resource_use(resources: pd.DataFrame, service: str, by_name: dict[str, int]) -> pd.DataFrame:
    """Per capacity: mean uses, utilisation and waits (days) over replications, and the longest queue."""
    rows = resources[resources["service"] == service]
    use = rows.groupby("scenario", sort=False).agg(
        uses=("uses", "mean"), utilisation=("utilisation", "mean"), mean_wait_days=("mean_wait_days", "mean"),
        p90_wait_days=("p90_wait_days", "mean"), max_queue=("max_queue", "max")).reset_index()
    use.insert(0, "capacity", use.pop("scenario").map(by_name))
    return use


def _worse(row: pd.Series) -> bool:
    """The paired 95% interval of the difference to the largest capacity lies wholly on the bad side."""
    better = METRIC_BY_NAME[row["metric"]].higher_is_better
    if better is None or math.isnan(row["difference_low"]):
        return False
    return bool(row["difference_high"] < 0) if better else bool(row["difference_low"] > 0)


def sufficient_capacity(table: pd.DataFrame, metric: str) -> int | None:
    """The smallest capacity from which no larger one is significantly better on ``metric``."""
    rows = table[table["metric"] == metric].sort_values("capacity", ascending=False)
    enough = None
    for _, row in rows.iterrows():
        if row["worse_than_most"]:
            break
        enough = int(row["capacity"])
    return enough


def capacity(scenario: Scenario, resource: str, values: list[int], metrics: list[str] | None = None,
             patients: int = 2000, replications: int = 3, seed: int = 1, workers: int = 1,
             progress: Progress | None = None, cancel: Cancel | None = None,
             **executor_options: Any) -> AnalysisResult:
    """Run ``scenario`` at each capacity of ``resource`` (mri, theatre or radiotherapy: units of it)."""
    origin = "capacity"
    if resource not in RESOURCES:
        raise ScenarioError([Problem(origin, "--resource", f"= {resource!r} is not one of {', '.join(RESOURCES)}")])
    info = parameter_info(RESOURCES[resource], origin)
    values = checked_values(list(values), info, origin)
    chosen = resolve_metrics(metrics, default=DEFAULT_METRICS)
    ordered = sorted(values, reverse=True)  # the largest first: the reference of the paired differences
    grid = sweep_grid(scenario, info, ordered, patients, replications, seed, workers, progress, cancel,
                      executor_options, origin)
    by_name = {s.name: v for s, v in zip(grid.scenarios, ordered, strict=True)}
    outcomes = tidy(grid.summary(), chosen)
    outcomes.insert(0, "capacity", outcomes.pop("scenario").map(by_name))
    table = resource_use(grid.resources, resource, by_name).merge(outcomes, on="capacity")
    table.insert(0, "parameter", info.path)
    table.insert(0, "resource", resource)
    table["worse_than_most"] = table.apply(_worse, axis=1) if len(table) else []
    order = {m: i for i, m in enumerate(chosen)}
    table = table.assign(_m=table["metric"].map(order)).sort_values(["_m", "capacity"], kind="stable")
    table = table.drop(columns="_m").reset_index(drop=True)[COLUMNS]
    enough = {m: sufficient_capacity(table, m) for m in chosen if METRIC_BY_NAME[m].higher_is_better is not None}
    manifest = base_manifest("capacity", [scenario], patients, replications, seed)
    manifest.update({"resource": resource, "parameter": info.path, "values": sorted(values), "metrics": list(chosen),
                     "reference_capacity": ordered[0], "sufficient_capacity": enough,
                     "difference": f"paired difference to capacity {ordered[0]} (the largest asked for)",
                     "worse_than_most": "the 95% interval of that difference lies wholly on the worse side"})
    result = AnalysisResult("capacity", {"capacity": table}, capacity_figure(table, resource, chosen), manifest)
    for metric, value in enough.items():
        label = METRIC_BY_NAME[metric].label
        result.notes.append(f"{label}: no worse than with {ordered[0]} from {value} upward" if value is not None
                            else f"{label}: worse than with {ordered[0]} at every smaller capacity")
    return result
