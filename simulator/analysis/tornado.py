"""Tornado: each parameter moved alone to the low and high end of its plausible range.

The plausible range is the one the evidence supports (``ParamInfo.plausible``, listed by
``spinesim show``). All runs share the base scenario's patients (common random numbers), so each
swing is a paired comparison, not a difference of two noisy estimates.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from simulator.analysis.charts import tornado_figure
from simulator.analysis.common import (
    base_manifest,
    override,
    parameter_info,
    plausible_range,
    resolve_metrics,
    run_grid,
    value_label,
)
from simulator.analysis.outputs import AnalysisResult
from simulator.parameters.scenario import Problem, Scenario, ScenarioError, flatten
from simulator.run.executor import Cancel, Progress
from simulator.vocabulary import DEFAULT_METRIC

#: Numeric parameters a planner would question: pathway delays, progression, who walks after treatment,
#: how survival depends on walking, and MRI capacity.
DEFAULT_PARAMETERS = (
    "pathway.patient_delay_median_days",
    "pathway.p_gp_suspects",
    "pathway.referral_median_days",
    "pathway.hospital_assessment_days",
    "pathway.mri_booking_days",
    "natural_history.walking_loss_median_days",
    "natural_history.p_cord_compression",
    "natural_history.survival.hr_not_walking",
    "response.p_walk_rt_not_walking",
    "response.surgery_odds_ratio",
    "services.mri_slots_per_scanner_day",
)
COLUMNS = ["parameter", "unit", "metric", "base_value", "low_value", "high_value", "base_estimate", "low_estimate",
           "low_ci_low", "low_ci_high", "low_difference", "low_difference_low", "low_difference_high",
           "high_estimate", "high_ci_low", "high_ci_high", "high_difference", "high_difference_low",
           "high_difference_high", "swing"]


def tornado(scenario: Scenario, parameters: list[str] | None = None, metric: str = DEFAULT_METRIC,
            patients: int = 2000, replications: int = 3, seed: int = 1, workers: int = 1,
            progress: Progress | None = None, cancel: Cancel | None = None,
            **executor_options: Any) -> AnalysisResult:
    """Swing of ``metric`` when each parameter goes to the ends of its plausible range, largest first.

    ``swing`` = |outcome at high end - outcome at low end|, in the metric's unit; the differences
    are paired with the base scenario (95% t-intervals over replications).
    """
    origin = "tornado"
    (metric,) = resolve_metrics([metric])
    paths = list(parameters) if parameters else list(DEFAULT_PARAMETERS)
    repeated = sorted({p for p in paths if paths.count(p) > 1})
    if repeated:
        raise ScenarioError([Problem(origin, repeated[0], "parameter given twice")])
    base_values = flatten(scenario.resolved())
    ends: list[tuple[str, Any, Any]] = []
    variants = [scenario.with_overrides({}, name=f"{scenario.name}:base")]
    for path in paths:
        info = parameter_info(path, origin)
        low, high = plausible_range(info, origin)
        if low == high:
            raise ScenarioError([Problem(origin, path, f"plausible range is a single value ({value_label(low)})")])
        ends.append((path, low, high))
        leaf = path.rsplit(".", 1)[-1]
        variants += [override(scenario, {path: v}, f"{scenario.name}:{leaf}={value_label(v)}@{end}", origin)
                     for end, v in (("low", low), ("high", high))]
    grid = run_grid(variants, patients, replications, seed, workers, progress, cancel, **executor_options)
    summary = grid.summary()
    rows = summary[summary["metric"] == metric].set_index("scenario")
    base = rows.loc[variants[0].name]
    records = []
    for i, (path, low, high) in enumerate(ends):
        record: dict[str, Any] = {"parameter": path, "unit": parameter_info(path, origin).unit, "metric": metric,
                                  "base_value": base_values[path], "low_value": low, "high_value": high,
                                  "base_estimate": base["estimate"]}
        for end, variant in (("low", variants[1 + 2 * i]), ("high", variants[2 + 2 * i])):
            row = rows.loc[variant.name]
            for col in ("estimate", "ci_low", "ci_high", "difference", "difference_low", "difference_high"):
                record[f"{end}_{col}"] = row[col]
        record["swing"] = abs(record["high_estimate"] - record["low_estimate"])
        records.append(record)
    table = pd.DataFrame(records, columns=COLUMNS)
    table = table.sort_values("swing", ascending=False, kind="stable", na_position="last").reset_index(drop=True)
    for col in ("base_value", "low_value", "high_value"):
        table[col] = table[col].astype(float)
    manifest = base_manifest("tornado", [scenario], patients, replications, seed)
    manifest.update({"metric": metric, "parameters": [{"path": p, "low": lo, "high": hi} for p, lo, hi in ends],
                     "ends": "each parameter alone at the low and high end of its documented plausible range",
                     "swing": "|outcome at high end - outcome at low end|; differences are paired with the base"})
    return AnalysisResult("tornado", {"tornado": table}, tornado_figure(table, metric), manifest)

