"""Capacity planning: one resource's capacity varied, with its use, queues and waits, and what they cost.

Each capacity runs on the same patients (common random numbers); outcome differences are paired
with the largest capacity asked for, so the table shows the capacity below which an outcome
(walking, by default) becomes worse than with ample capacity.

Value for money (table ``capacity_value``): each capacity against the scenario's current one
(added to the run if not asked for), per patient: the incremental cost (care used plus the cost
of providing the capacity, ``costs.capacity``), the incremental QALYs, both with paired 95%
intervals over replications (``simulator.economics.compare_to_reference``), and the cost per QALY
gained.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from simulator.analysis.charts import capacity_figure
from simulator.analysis.common import Grid, base_manifest, parameter_info, resolve_metrics, tidy
from simulator.analysis.outputs import AnalysisResult
from simulator.analysis.sweep import checked_values, sweep_grid
from simulator.economics import compare_to_reference
from simulator.economics.value import icer_text, per_strategy
from simulator.output.metrics import METRIC_BY_NAME
from simulator.parameters.scenario import Problem, Scenario, ScenarioError, flatten
from simulator.run.executor import Cancel, Progress
from simulator.vocabulary import SERVICE_KINDS

#: Resource name (as in ``Results.resources``) -> the parameter that sets its capacity.
RESOURCES = {kind.name: kind.capacity_parameter for kind in SERVICE_KINDS}
DEFAULT_METRICS = ("ambulatory_at_diagnosis", "ambulatory_6m", "diagnostic_delay_median_days",
                   "treatment_wait_median_days")
COLUMNS = ["resource", "parameter", "capacity", "uses", "utilisation", "mean_wait_days", "p90_wait_days",
           "max_queue", "metric", "label", "unit", "estimate", "ci_low", "ci_high", "difference",
           "difference_low", "difference_high", "worse_than_most"]
VALUE_COLUMNS = ["resource", "capacity", "extra_units", "cost", "capacity_cost", "use_cost", "qalys",
                 "incremental_cost", "incremental_cost_low", "incremental_cost_high", "incremental_capacity_cost",
                 "incremental_use_cost", "incremental_qalys", "incremental_qalys_low", "incremental_qalys_high", "icer",
                 "quadrant", "reference_capacity", "replications"]


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


def capacity_value(grid: Grid, resource: str, by_name: dict[str, int], current: int, patients: int) -> pd.DataFrame:
    """Per capacity, against ``current``: cost per patient (use + capacity), QALYs, paired increments, ICER."""
    rows = per_strategy(grid.per_replication)
    reference = next(name for name, value in by_name.items() if value == current)
    versus = compare_to_reference(rows, reference)
    provided = grid.resources.groupby(["scenario", "replication"], sort=False)["capacity_cost"].sum() / patients
    share = provided.groupby(level="scenario", sort=False).mean()  # capacity cost per patient, over replications
    table = versus.assign(resource=resource, capacity=versus["strategy"].map(by_name), reference_capacity=current,
                          capacity_cost=versus["strategy"].map(share))
    table["extra_units"] = table["capacity"] - current
    table["use_cost"] = table["cost"] - table["capacity_cost"]
    table["incremental_capacity_cost"] = table["capacity_cost"] - float(share[reference])
    table["incremental_use_cost"] = table["incremental_cost"] - table["incremental_capacity_cost"]
    return table.sort_values("capacity").reset_index(drop=True)[VALUE_COLUMNS]


def value_notes(table: pd.DataFrame, currency: str) -> list[str]:
    """A heading, then one line per capacity other than the current: what its extra units cost and buy."""
    current = int(table["reference_capacity"].iloc[0])
    notes = [f"value for money per patient against the current capacity {current} ({currency}; cost = care used + "
             "the capacity's own cost; paired 95% intervals over replications):"]
    for r in table[table["extra_units"] != 0].itertuples():
        text = icer_text(pd.Series(r._asdict()), currency)
        notes.append(f"capacity {r.capacity} ({r.extra_units:+d} vs {r.reference_capacity}): cost per patient "
                     f"{r.incremental_cost:+,.0f} [{r.incremental_cost_low:+,.0f}, {r.incremental_cost_high:+,.0f}] "
                     f"(capacity {r.incremental_capacity_cost:+,.0f}, care used {r.incremental_use_cost:+,.0f}), QALYs "
                     f"{r.incremental_qalys:+.4f} [{r.incremental_qalys_low:+.4f}, {r.incremental_qalys_high:+.4f}]: "
                     f"{text}")
    return notes


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
    current = int(flatten(scenario.resolved())[info.path])
    added = current not in values
    values = sorted({*values, current})  # the current capacity is the reference of the value table
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
    worth = capacity_value(grid, resource, by_name, current, patients)
    manifest = base_manifest("capacity", [scenario], patients, replications, seed)
    manifest.update({"resource": resource, "parameter": info.path, "values": sorted(values), "metrics": list(chosen),
                     "reference_capacity": ordered[0], "sufficient_capacity": enough,
                     "difference": f"paired difference to capacity {ordered[0]} (the largest asked for)",
                     "worse_than_most": "the 95% interval of that difference lies wholly on the worse side",
                     "current_capacity": current,
                     "capacity_value": f"per patient against the current capacity {current}: cost = care used + the "
                                       "cost of providing the capacity (capacity x cost per unit-day x arrival window, "
                                       "shared over the cohort); paired 95% t-intervals over replications"})
    result = AnalysisResult("capacity", {"capacity": table, "capacity_value": worth},
                            capacity_figure(table, resource, chosen), manifest)
    for metric, value in enough.items():
        label = METRIC_BY_NAME[metric].label
        result.notes.append(f"{label}: no worse than with {ordered[0]} from {value} upward" if value is not None
                            else f"{label}: worse than with {ordered[0]} at every smaller capacity")
    if added:
        result.notes.append(f"capacity {current} (the scenario's own) was added: the value table compares with it")
    result.notes.extend(value_notes(worth, scenario.params.economics.currency))
    return result
