"""Probabilistic sensitivity analysis (PSA): outcomes over draws from the scenarios' ``[uncertainty]``.

K parameter sets are drawn with ``scipy.stats.qmc`` (Latin hypercube or scrambled Sobol, seeded
from ``seed``) and mapped through each distribution's ppf. Every scenario runs on every draw with
the same uniforms (so strategies are compared at the same parameter values) and on the same
patients (same seed and replications for every draw).

Two sources of spread are kept apart. Between draws: the parameters (patients are held fixed by
common random numbers, so the spread across draws is the parameters' doing). Within a draw: patient
sampling, measured by the replications; ``monte_carlo_se`` = within-draw SD / sqrt(replications) is
the simulation error of each draw's estimate. When it is not small beside ``between_draw_sd``, add
patients or replications.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis.charts import psa_figure
from simulator.analysis.common import base_manifest, override, resolve_metrics, run_grid
from simulator.analysis.outputs import AnalysisResult
from simulator.analysis.psa_value import check_same_money, value_for_money
from simulator.analysis.uncertainty import Distribution, parse_uncertainty, uniforms
from simulator.economics import Population
from simulator.economics.value import COST, QALYS
from simulator.output.metrics import METRIC_BY_NAME
from simulator.parameters.scenario import Problem, Scenario, ScenarioError, flatten
from simulator.run.executor import Cancel, Progress

MIN_DRAWS = 2
VALUE_METRICS = (COST, QALYS)  # always summarised: the noise split of cost and QALYs
SEPARATION = ("between_draw_sd: spread of each draw's estimate across parameter draws (patients held "
              "fixed by common random numbers): parameter uncertainty. within_draw_sd: SD across "
              "replications at fixed parameters: patient-sampling noise. monte_carlo_se = within_draw_sd"
              " / sqrt(replications): simulation error of each draw's estimate.")


def _distributions(scenarios: list[Scenario]) -> dict[str, list[Distribution]]:
    """Each scenario's validated distributions; every problem of every scenario in one error."""
    out, problems = {}, []
    for scenario in scenarios:
        try:
            out[scenario.name] = parse_uncertainty(scenario)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    if not any(out.values()):
        names = ", ".join(s.name for s in scenarios)
        raise ScenarioError([Problem("psa", "uncertainty", f"no [uncertainty] table in {names}; add "
                                     '"PATH" = { dist = "beta", mean = .., sd = .. } entries')])
    return out


def draw_scenarios(scenarios: list[Scenario], draws: int, sampler: str,
                   seed: int) -> tuple[list[Scenario], pd.DataFrame, dict[str, Any], dict[str, list[Distribution]]]:
    """The scenario of every (draw, scenario), the drawn values (long table), the clip counts, the distributions."""
    if draws < MIN_DRAWS:
        raise ScenarioError([Problem("psa", "--draws", f"= {draws}: at least {MIN_DRAWS} draws are needed")])
    dists = _distributions(scenarios)
    keys = sorted({d.draw_key for found in dists.values() for d in found})  # one uniform per key
    u = uniforms(draws, len(keys), sampler, seed)
    columns: dict[tuple[str, str], np.ndarray] = {}
    rows, clipped = [], {}
    for scenario in scenarios:
        for dist in dists[scenario.name]:
            values, mask = dist.values(u[:, keys.index(dist.draw_key)])
            columns[(scenario.name, dist.path)] = values
            clipped[f"{scenario.name}:{dist.path}"] = int(mask.sum())
            rows += [{"draw": k, "scenario": scenario.name, "parameter": dist.path, "value": float(values[k]),
                      "clipped": bool(mask[k])} for k in range(draws)]
    variants = []
    for k in range(draws):
        for scenario in scenarios:
            values = {d.path: _typed(d, columns[(scenario.name, d.path)][k]) for d in dists[scenario.name]}
            variants.append(override(scenario, values, f"{scenario.name}#{k}", f"psa draw {k} of {scenario.name}"))
    record = {s.name: {d.path: {"distribution": d.describe(), **d.spec} for d in dists[s.name]} for s in scenarios}
    return variants, pd.DataFrame(rows), {"distributions": record, "clipped_draws": clipped}, dists


def replaced_values(scenarios: list[Scenario], dists: dict[str, list[Distribution]]) -> list[str]:
    """Notes for scenario values that lie outside the central 95% of the distribution that replaces them.

    A scenario that changes a parameter its parent's ``[uncertainty]`` varies (``awareness`` halves
    the patient delay) loses that change in the PSA unless it restates the entry around its value.
    """
    notes = []
    for scenario in scenarios:
        flat = flatten(scenario.resolved())
        for d in dists[scenario.name]:
            low, high = (float(v) for v in d.rv.ppf([0.025, 0.975]))
            value = flat[d.path]
            if not low <= value <= high:
                notes.append(f"{scenario.name}: {d.path} = {value:g} lies outside the central 95% ({low:.4g} to "
                             f"{high:.4g}) of {d.describe()}, which replaces it in every draw; restate the entry "
                             "around the scenario's value in its own [uncertainty]")
    return notes


def _typed(dist: Distribution, value: float) -> float | int:
    return int(value) if dist.info.kind == "int" else float(value)


def _draw_table(per_rep: pd.DataFrame, names: list[str], metrics: tuple[str, ...]) -> pd.DataFrame:
    """Per draw, scenario and metric: the mean over replications and the within-draw SD."""
    per_rep = per_rep.assign(draw=per_rep["scenario"].str.rsplit("#", n=1).str[1].astype(int),
                             scenario=per_rep["scenario"].str.rsplit("#", n=1).str[0])
    long = per_rep.melt(id_vars=["draw", "scenario", "replication"], value_vars=list(metrics), var_name="metric",
                        value_name="x")
    grouped = long.groupby(["draw", "scenario", "metric"], sort=False)["x"]
    table = pd.DataFrame({"estimate": grouped.mean(), "within_draw_sd": grouped.std(ddof=1)}).reset_index()
    order = {n: i for i, n in enumerate(names)}
    table["_s"], table["_m"] = table["scenario"].map(order), table["metric"].map(metrics.index)
    return table.sort_values(["_m", "_s", "draw"]).drop(columns=["_s", "_m"]).reset_index(drop=True)


def _summary(draw_table: pd.DataFrame, names: list[str], metrics: tuple[str, ...], replications: int) -> pd.DataFrame:
    """Per scenario and metric: mean and 95% range over draws, noise split, differences, P(best)."""
    rows = []
    for metric in metrics:
        m = METRIC_BY_NAME[metric]
        rows_m = draw_table[draw_table["metric"] == metric]
        wide = rows_m.pivot(index="draw", columns="scenario", values="estimate")[names]
        best = _best(wide, m.higher_is_better)
        reference = wide[names[0]].to_numpy(float)
        for name in names:
            x = wide[name].to_numpy(float)
            sd = rows_m.loc[rows_m["scenario"] == name, "within_draw_sd"].to_numpy(float)
            pooled = math.sqrt(_mean(sd**2)) if replications > 1 else math.nan
            row = {"scenario": name, "metric": metric, "label": m.label, "unit": m.unit,
                   "higher_is_better": m.higher_is_better, "estimate": _mean(x), "low": _pct(x, 2.5),
                   "high": _pct(x, 97.5), "between_draw_sd": _sd(x), "within_draw_sd": pooled,
                   "monte_carlo_se": pooled / math.sqrt(replications), "difference": math.nan,
                   "difference_low": math.nan, "difference_high": math.nan, "p_better_than_reference": math.nan,
                   "p_best": best.get(name, math.nan), "reference": names[0]}
            if name != names[0]:
                diff = x - reference
                row.update(difference=_mean(diff), difference_low=_pct(diff, 2.5), difference_high=_pct(diff, 97.5))
                if m.higher_is_better is not None:
                    known = diff[~np.isnan(diff)]
                    row["p_better_than_reference"] = _mean((known > 0) if m.higher_is_better else (known < 0))
            rows.append(row)
    return pd.DataFrame(rows)


def _mean(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return float(x.mean()) if len(x) else math.nan


def _pct(x: np.ndarray, q: float) -> float:
    x = x[~np.isnan(x)]
    return float(np.percentile(x, q)) if len(x) else math.nan


def _sd(x: np.ndarray) -> float:
    x = x[~np.isnan(x)]
    return float(x.std(ddof=1)) if len(x) > 1 else math.nan


def _best(wide: pd.DataFrame, higher_is_better: bool | None) -> dict[str, float]:
    """Share of draws in which each scenario has the best estimate (a tie shares the draw equally).

    Draws in which no scenario has an estimate are left out.
    """
    if higher_is_better is None:
        return {}
    values = wide.to_numpy(float) * (1 if higher_is_better else -1)
    values = values[~np.isnan(values).all(axis=1)]
    if not len(values):
        return {}
    values = np.where(np.isnan(values), -np.inf, values)
    winners = values == values.max(axis=1, keepdims=True)
    credit = winners / winners.sum(axis=1, keepdims=True)
    return {name: float(credit[:, i].mean()) for i, name in enumerate(wide.columns)}


def psa(scenarios: list[Scenario], draws: int, metrics: list[str] | None = None, sampler: str = "lhs",
        patients: int = 2000, replications: int = 2, seed: int = 1, workers: int = 1,
        progress: Progress | None = None, cancel: Cancel | None = None, population: Population | None = None,
        **executor_options: Any) -> AnalysisResult:
    """Run every scenario on ``draws`` parameter draws (same patients); summarise outcomes, differences and value.

    The first scenario is the reference for differences. ``p_best`` is the share of draws in which
    a scenario has the best estimate (``Metric.higher_is_better``; empty for metrics with no
    better direction). Cost and QALYs per patient are always summarised; the value-for-money
    tables (``simulator.analysis.psa_value``) are added to ``tables``, with ``population`` (the
    patients the decision affects) giving the population EVPI.
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError([Problem("psa", "scenarios", f"scenario named twice: {names}")])
    check_same_money(scenarios)
    chosen = tuple(dict.fromkeys((*resolve_metrics(metrics), *VALUE_METRICS)))
    variants, parameters, record, dists = draw_scenarios(scenarios, draws, sampler, seed)
    grid = run_grid(variants, patients, replications, seed, workers, progress, cancel, **executor_options)
    per_draw = _draw_table(grid.per_replication, names, chosen)
    summary = _summary(per_draw, names, chosen, replications)
    value, value_notes, value_record = value_for_money(grid.per_replication, scenarios, parameters, dists,
                                                       population)
    manifest = base_manifest("psa", scenarios, patients, replications, seed)
    manifest.update({"draws": draws, "sampler": sampler, "metrics": list(chosen), "reference": names[0],
                     "separation_of_uncertainty": SEPARATION, **record, "value_for_money": value_record,
                     "clipping": "draws outside a parameter's allowed range are clipped to it (counts in "
                                 "clipped_draws); whole-number parameters are rounded"})
    tables = {"psa": summary, "psa_draws": per_draw, "psa_parameters": parameters, **value}
    result = AnalysisResult("psa", tables, psa_figure(per_draw, chosen), manifest)
    if replications < 2:
        result.notes.append("one replication per draw: patient-sampling noise (within_draw_sd) is not measured")
    result.notes.extend([*replaced_values(scenarios, dists), *value_notes])
    return result
