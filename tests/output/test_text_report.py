"""The plain-text tables the command line prints (simulator/output/report.py), on hand-made summaries."""

from __future__ import annotations

import math

import pandas as pd

from simulator import load_scenario
from simulator.output.report import format_budget, format_kpis, format_parameters, format_summary

NAN = math.nan


def _row(scenario: str, metric: str, label: str, unit: str, estimate: float, low: float, high: float,
         diff: float = NAN, diff_low: float = NAN, diff_high: float = NAN) -> dict:
    return {"scenario": scenario, "reference": "baseline", "metric": metric, "label": label, "unit": unit,
            "estimate": estimate, "ci_low": low, "ci_high": high, "difference": diff, "difference_low": diff_low,
            "difference_high": diff_high}


def test_the_summary_gives_each_scenario_its_estimates_and_paired_differences():
    summary = pd.DataFrame([
        _row("baseline", "ambulatory_6m", "Walking at 6 months", "proportion", 0.8125, 0.80, 0.825),
        _row("baseline", "delay_days", "Delay", "days", 31.25, 30.0, 32.5),
        _row("fast", "ambulatory_6m", "Walking at 6 months", "proportion", 0.85, 0.84, 0.86, 0.0375, 0.03, 0.045),
        _row("fast", "delay_days", "Delay", "days", 20.0, 19.0, 21.0, -11.25, -12.0, -10.5),
    ])
    lines = [x for x in format_summary(summary, ("ambulatory_6m", "delay_days")).splitlines() if x]
    assert lines[0] == "baseline (reference)" and lines[3] == "fast vs baseline"
    assert lines[1].split() == ["Walking", "at", "6", "months", "81.2%", "[80.0%,", "82.5%]"]
    assert lines[2].split() == ["Delay", "31.2", "[30.0,", "32.5]"]  # days are not percentages
    assert lines[4].endswith("85.0% [84.0%, 86.0%]  diff +3.8% [3.0%, 4.5%]")
    assert lines[5].endswith("20.0 [19.0, 21.0]  diff -11.2 [-12.0, -10.5]")
    assert format_summary(summary.iloc[:0]) == ""


def test_a_missing_estimate_prints_a_dash():
    summary = pd.DataFrame([_row("baseline", "ambulatory_6m", "Walking", "proportion", NAN, NAN, NAN)])
    assert format_summary(summary, ("ambulatory_6m",)).splitlines()[1].split() == ["Walking", "-", "[-,", "-]"]


def test_the_parameters_list_every_parameter_with_its_value_unit_range_and_source():
    scenario = load_scenario("baseline")
    lines = format_parameters(scenario).splitlines()
    assert lines[0].startswith("baseline: ") and lines[1] == f"extends: {' -> '.join(scenario.chain)}"
    body = lines[3:]
    line = next(x for x in body if x.startswith("services.mri_scanners "))
    assert str(scenario.params.services.mri_scanners) in line.split() and "[1 to" in line
    width = max(len(x.split()[0]) for x in body)
    assert all(x[:width].rstrip() == x.split()[0] and x[width:width + 2] == "  " for x in body)  # one column


def _budget(name: str, year: int, item: str, estimate: float, diff: float = NAN, low: float = NAN,
            high: float = NAN) -> dict:
    return {"scenario": name, "reference": "baseline", "year": year, "item": item, "estimate": estimate,
            "ci_low": estimate - 10, "ci_high": estimate + 10, "difference": diff, "difference_low": low,
            "difference_high": high}


def test_the_budget_names_its_reference_and_signs_every_impact():
    """The impact column says what it is compared with; an impact and both ends of its interval carry a
    sign (a rise of the whole interval reads '+£1,200', not '£1,200')."""
    budget = pd.DataFrame([
        _budget("baseline", 1, "total", 1000.0), _budget("baseline", 1, "patients_treated", 40.0),
        _budget("fast", 1, "total", 2200.0, 1200.0, 900.0, 1500.0), _budget("fast", 1, "patients_treated", 41.0),
    ])
    header, reference, fast = format_budget(budget, "GBP").splitlines()
    assert "impact vs baseline [95% CI]" in header and "total cost [95% CI]" in header
    assert reference.split()[:2] == ["baseline", "1"] and "reference" in reference
    assert "£2,200 [£2,190, £2,210]" in fast
    assert "+£1,200 [+£900, +£1,500]" in fast and fast.split()[-1] == "41"
    assert format_budget(budget.iloc[:0], "GBP") == "no budget: nothing was run"


def test_a_utilisation_kpi_changes_in_percentage_points():
    """A service's utilisation is a share of its capacity: its change is in percentage points, while a
    share of patients changes per 100 patients."""
    def kpi(name: str, metric: str, estimate: float, diff: float = NAN) -> dict:
        return {**_row(name, metric, metric, "proportion", estimate, estimate - 0.01, estimate + 0.01,
                       diff, diff - 0.01, diff + 0.01)}
    kpis = pd.DataFrame([kpi("baseline", "mri_within_week", 0.6), kpi("fast", "mri_within_week", 0.9, 0.3),
                         kpi("baseline", "mri_utilisation", 0.5), kpi("fast", "mri_utilisation", 0.7, 0.2)])
    lines = format_kpis(kpis).splitlines()
    assert lines[0] == "mri_within_week" and lines[3] == "mri_utilisation"  # the table's order, not the alphabet's
    assert "+30.0 per 100 patients" in lines[2] and "+20.0 percentage points" in lines[5]
    assert "percentage points" not in lines[2]
