"""Plain-text reports for the terminal: the summary table, the budget impact, the KPIs, the parameters."""

from __future__ import annotations

import math

import pandas as pd

from simulator.output.headline import format_change, format_interval, format_money, format_value
from simulator.parameters.scenario import Scenario, parameter_table

HEADLINE = ("diagnosed", "ambulatory_at_diagnosis", "walking_unaided_at_diagnosis", "not_walking_at_diagnosis",
            "ambulatory_3m", "ambulatory_6m", "ambulatory_12m", "walking_unaided_6m", "ambulatory_onset_6m",
            "median_days_ambulatory", "vas_3m", "pain_overall_response_3m", "pain_complete_response_3m",
            "survival_median_months", "survival_12m", "diagnostic_delay_median_days", "share_surgery",
            "surgical_referral", "retreated", "mri_mean_wait_days", "mri_utilisation")


def _num(x: float, unit: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if unit == "proportion":
        return f"{100 * x:.1f}%"
    return f"{x:.1f}"


def format_summary(summary: pd.DataFrame, metrics: tuple[str, ...] = HEADLINE) -> str:
    """Headline metrics per scenario: estimate [95% CI] and paired difference to the reference."""
    lines = []
    reference = summary["reference"].iloc[0] if len(summary) else ""
    for name, group in summary.groupby("scenario", sort=False):
        lines.append(f"\n{name}" + (" (reference)" if name == reference else f" vs {reference}"))
        for _, row in group.set_index("metric").loc[[m for m in metrics if m in set(group["metric"])]].iterrows():
            unit = row["unit"]
            text = f"  {row['label']:<36} {_num(row['estimate'], unit):>8} " \
                   f"[{_num(row['ci_low'], unit)}, {_num(row['ci_high'], unit)}]"
            if name != reference:
                diff = row["difference"]
                sign = "+" if diff == diff and diff > 0 else ""
                text += f"  diff {sign}{_num(diff, unit)} [{_num(row['difference_low'], unit)}, " \
                        f"{_num(row['difference_high'], unit)}]"
            lines.append(text)
    return "\n".join(lines).lstrip("\n")


def format_parameters(scenario: Scenario) -> str:
    """Every resolved parameter with unit, allowed range and source."""
    head = [f"{scenario.name}: {scenario.description}", f"extends: {' -> '.join(scenario.chain)}", ""]
    rows = parameter_table(scenario)
    width = max(len(r["path"]) for r in rows)
    body = [f"{r['path']:<{width}}  {str(r['value']):>10}  {r['unit']:<16} [{r['allowed']}]  {r['source']}"
            for r in rows]
    return "\n".join(head + body)


def format_budget(budget: pd.DataFrame, currency: str) -> str:
    """Per strategy and calendar year: total cost, the budget impact against the reference, patients treated."""
    if budget.empty:
        return "no budget: nothing was run"
    rows = budget.set_index(["scenario", "year", "item"])
    reference = budget["reference"].iloc[0]
    lines = [f"{'strategy':<24} {'year':>4} {'total cost [95% CI]':>40} {'impact vs ' + reference + ' [95% CI]':>44}"
             f" {'treated':>8}"]
    for (name, year), _ in budget.groupby(["scenario", "year"], sort=False):
        total, treated = rows.loc[(name, year, "total")], rows.loc[(name, year, "patients_treated")]
        cost = f"{format_money(total['estimate'], currency)} [{format_money(total['ci_low'], currency)}, " \
               f"{format_money(total['ci_high'], currency)}]"
        impact = "reference" if name == reference else (
            f"{format_money(total['difference'], currency, signed=True)} "
            f"[{format_money(total['difference_low'], currency, signed=True)}, "
            f"{format_money(total['difference_high'], currency, signed=True)}]")
        lines.append(f"{name:<24} {year:>4} {cost:>40} {impact:>44} {treated['estimate']:>8,.0f}")
    return "\n".join(lines)


def format_kpis(kpis: pd.DataFrame) -> str:
    """Each pathway KPI per strategy: estimate with its 95% interval and the paired difference."""
    if kpis.empty:
        return "no KPIs: nothing was run"
    lines = []
    for _, group in kpis.groupby("metric", sort=False):
        lines.append(str(group["label"].iloc[0]))
        for _, r in group.iterrows():
            unit = str(r["unit"])
            text = f"  {r['scenario']:<24} {format_value(r['estimate'], unit):>12} " \
                   f"({format_interval(r['ci_low'], r['ci_high'], unit)})"
            if r["scenario"] != r["reference"]:
                text += f"; {format_change(r['difference'], unit, str(r['metric']).endswith('_utilisation'))} " \
                        f"({format_interval(r['difference_low'], r['difference_high'], unit, change=True)})"
            lines.append(text)
    return "\n".join(lines)
