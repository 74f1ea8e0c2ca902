"""Plain-text reports for the terminal: the summary table and the parameter listing."""

from __future__ import annotations

import math

import pandas as pd

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
