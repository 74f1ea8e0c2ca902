"""What every what-if analysis shares: parameter checks, metric choice, the lean unit and the grid run.

An analysis is a set of scenarios (one per value, draw or capacity) run on the same patients
(common random numbers: same seed, same replications) through :func:`simulator.run.executor.execute`.
Only the metrics and the resource use come back from each unit (about 1 kB, not megabytes of tables),
which matters when units travel to Dask workers on other machines.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simulator.output.metrics import METRIC_BY_NAME, METRICS, summarise
from simulator.parameters.fields import ParamInfo
from simulator.parameters.scenario import Problem, Scenario, ScenarioError, describe_parameter, parameter_infos
from simulator.run.executor import Cancel, Progress, execute
from simulator.run.experiment import DEFAULT_GRID_DAYS, Unit, run_unit
from simulator.version import environment_versions, package_version

#: Outcomes shown when none are chosen: walking, delay, waits.
DEFAULT_METRICS = ("ambulatory_at_diagnosis", "ambulatory_6m", "diagnostic_delay_median_days",
                   "treatment_wait_median_days", "survival_median_months")
NUMERIC_KINDS = ("int", "float")


@dataclass(frozen=True)
class UnitMetrics:
    """What one (scenario, replication) unit returns to an analysis."""

    metrics: dict[str, float]
    resources: pd.DataFrame


def run_metrics_unit(unit: Unit) -> UnitMetrics:
    """Simulate one replication and keep only its metrics and resource use (runs in a worker).

    The metrics are those of :func:`simulator.run.experiment.run_unit` (the same function, value
    for money included), without keeping the per-patient tables or building the states grid.
    """
    done = run_unit(unit, keep=())
    return UnitMetrics(metrics=done.metrics, resources=done.resources)


@dataclass(frozen=True)
class Grid:
    """Per-replication metrics and resource use of several scenarios run on the same patients."""

    scenarios: list[Scenario]
    per_replication: pd.DataFrame  # scenario, replication, one column per metric
    resources: pd.DataFrame  # scenario, replication, service, uses, utilisation, waits (days), max_queue

    def summary(self) -> pd.DataFrame:
        """Estimates with 95% intervals and paired differences to the first scenario (every metric)."""
        return summarise(self.per_replication, [s.name for s in self.scenarios])


def run_grid(scenarios: list[Scenario], patients: int, replications: int, seed: int, workers: int = 1,
             progress: Progress | None = None, cancel: Cancel | None = None,
             **executor_options: Any) -> Grid:
    """Run every scenario ``replications`` times on the same ``patients`` patients (CRN)."""
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique: {names}")
    units = [Unit(s, seed, r, patients, DEFAULT_GRID_DAYS) for s in scenarios for r in range(replications)]
    done = execute(run_metrics_unit, units, workers=workers, progress=progress, cancel=cancel, **executor_options)
    per_rep = pd.DataFrame([{"scenario": u.scenario.name, "replication": u.replication, **d.metrics}
                            for u, d in zip(units, done, strict=True)])
    resources = pd.concat([d.resources for d in done], ignore_index=True) if done else pd.DataFrame()
    return Grid(list(scenarios), per_rep, resources)


# --- checking what the user asked for -------------------------------------------------------------


def parameter_info(path: str, origin: str, numeric: bool = True) -> ParamInfo:
    """The schema entry of ``path``; :class:`ScenarioError` if unknown (or not numeric when required)."""
    info = describe_parameter(path)
    if info is None:
        paths = [i.path for i in parameter_infos()]
        close = difflib.get_close_matches(path, paths, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else "; `spinesim show baseline` lists them"
        raise ScenarioError([Problem(origin, path, f"no such parameter{hint}")])
    if numeric and info.kind not in NUMERIC_KINDS:
        kind = "an on/off switch" if info.kind == "bool" else f"a choice ({', '.join(info.choices)})"
        raise ScenarioError([Problem(origin, path, f"is {kind}, not a number")])
    return info


def allowed_text(info: ParamInfo) -> str:
    """'1 to 50 scanners' for a parameter's allowed range."""
    low = "-inf" if info.low is None else f"{info.low:g}"
    high = "inf" if info.high is None else f"{info.high:g}"
    return f"{low} to {high} {info.unit}".strip()


def check_value(info: ParamInfo, value: float, origin: str) -> float | int:
    """``value`` as the parameter's type, or :class:`ScenarioError` naming the key, value and range."""
    if isinstance(value, bool) or not math.isfinite(float(value)):
        raise ScenarioError([Problem(origin, info.path, f"= {value!r} is not a finite number")])
    if (info.low is not None and value < info.low) or (info.high is not None and value > info.high):
        raise ScenarioError([Problem(origin, info.path,
                                     f"= {value:g} is outside the allowed range {allowed_text(info)}")])
    if info.kind == "int":
        if float(value) != int(value):
            raise ScenarioError([Problem(origin, info.path, f"= {value:g} must be a whole number ({info.unit})")])
        return int(value)
    return float(value)


def plausible_range(info: ParamInfo, origin: str) -> tuple[float, float]:
    """The documented plausible (evidence) range of a numeric parameter."""
    if info.plausible is None:
        raise ScenarioError([Problem(origin, info.path, "has no documented plausible range")])
    low, high = info.plausible
    return (int(low), int(high)) if info.kind == "int" else (float(low), float(high))


def override(scenario: Scenario, values: dict[str, Any], name: str, origin: str) -> Scenario:
    """``scenario`` with ``values`` applied; a rejected combination is reported against ``origin``."""
    try:
        return scenario.with_overrides(values, name=name)
    except ScenarioError as exc:
        raise ScenarioError([Problem(origin, p.key, p.message) for p in exc.problems]) from None


def resolve_metrics(names: list[str] | tuple[str, ...] | None, default: tuple[str, ...] = DEFAULT_METRICS,
                    origin: str = "--metric") -> tuple[str, ...]:
    """Metric names checked against the catalogue (``default`` when none are given)."""
    chosen = tuple(names) if names else default
    for name in chosen:
        if name not in METRIC_BY_NAME:
            close = difflib.get_close_matches(name, [m.name for m in METRICS], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; choose from {', '.join(METRIC_BY_NAME)}"
            raise ScenarioError([Problem(origin, name, f"no such metric{hint}")])
    return tuple(dict.fromkeys(chosen))


def value_label(value: Any) -> str:
    """A short, exact text for a parameter value (scenario names, chart ticks)."""
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value).lower() if isinstance(value, bool) else str(value)


def scenario_record(scenario: Scenario) -> dict[str, Any]:
    """A scenario as the manifest lists it (as in ``spinesim run``'s manifest)."""
    return {"name": scenario.name, "description": scenario.description, "source": scenario.source,
            "extends_chain": list(scenario.chain), "digest": scenario.digest(), "parameters": scenario.resolved(),
            "uncertainty": scenario.uncertainty}


def base_manifest(kind: str, scenarios: list[Scenario], patients: int, replications: int,
                  seed: int) -> dict[str, Any]:
    """What every analysis manifest holds: enough to reproduce its files to the byte."""
    return {"analysis": kind, "spinesim_version": package_version(), "versions": environment_versions(),
            "seed": seed, "patients": patients,
            "replications": replications,
            "common_random_numbers": "every scenario, value and draw runs on the same patients: streams keyed by "
                                     "(seed, replication, patient, purpose)",
            "scenarios": [scenario_record(s) for s in scenarios]}


def tidy(summary: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """The summary rows of the chosen metrics, in the chosen order."""
    order = {m: i for i, m in enumerate(metrics)}
    rows = summary[summary["metric"].isin(metrics)].copy()
    rows["_order"] = rows["metric"].map(order)
    return rows.sort_values(["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
