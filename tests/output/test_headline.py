"""The answer first (simulator.output.headline): verdicts, formats and cards from a summary table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simulator import (
    HEADLINE_METRICS,
    METRIC_BY_NAME,
    comparisons,
    format_change,
    format_interval,
    format_value,
    identical_to_reference,
    verdict,
)
from simulator.output.headline import card_summary
from simulator.vocabulary import listing


@pytest.mark.parametrize("low,high,better,word", [
    (0.01, 0.05, True, "better"), (0.01, 0.05, False, "worse"), (-0.05, -0.01, True, "worse"),
    (-0.05, -0.01, False, "better"), (-0.01, 0.02, True, "no clear difference"), (0.01, 0.02, None, "higher"),
    (math.nan, math.nan, True, "no interval (one replication)"),
])
def test_verdict_reads_the_interval_of_the_difference(low, high, better, word):
    assert verdict(low, high, better, difference=(low + high) / 2 if low == low else 0.3) == word


def test_a_zero_difference_with_zero_spread_is_identical_not_unclear():
    assert verdict(0.0, 0.0, True, difference=0.0) == "identical"
    assert verdict(-0.01, 0.01, True, difference=0.0) == "no clear difference"


def test_formats_give_percent_per_100_and_units_and_never_minus_zero():
    assert format_value(0.5834, "proportion") == "58.3%"
    assert format_value(312.4, "days") == "312 days" and format_value(3.14, "VAS 0-10") == "3.1"
    assert format_change(0.042, "proportion") == "+4.2 per 100 patients"
    assert format_change(-12.0, "days") == "-12 days"
    assert format_change(-0.00001, "proportion") == "0.0 per 100 patients"
    assert format_interval(0.01, 0.074, "proportion", change=True) == "95% CI +1.0 to +7.4"
    assert format_interval(-0.102, -0.0001, "proportion", change=True) == "95% CI -10.2 to 0.0"
    assert format_interval(math.nan, 1.0, "days") == "no interval"
    assert format_interval(-12.4, 3.6, "days", change=True) == "95% CI -12 to +4"  # days are not scaled
    assert format_interval(2.94, 3.46, "VAS 0-10") == "95% CI 2.9 to 3.5"


def _summary(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    out = []
    for scenario, metric, diff, low, high in rows:
        m = METRIC_BY_NAME[metric]
        out.append({"scenario": scenario, "metric": metric, "label": m.label, "unit": m.unit,
                    "higher_is_better": m.higher_is_better, "estimate": 0.5, "ci_low": 0.4, "ci_high": 0.6,
                    "difference": diff, "difference_low": low, "difference_high": high, "reference": "a"})
    return pd.DataFrame(out)


def test_comparisons_follow_the_headline_tuple_and_skip_the_reference():
    rows = [(s, m, d, lo, hi) for m in reversed(HEADLINE_METRICS)
            for s, d, lo, hi in (("a", math.nan, math.nan, math.nan), ("b", 0.03, 0.01, 0.05))]
    cards = comparisons(_summary(rows))
    assert list(cards) == ["b"]
    assert [c.metric.name for c in cards["b"]] == list(HEADLINE_METRICS)
    walking = cards["b"][1]
    assert walking.change_text == "+3.0 per 100 patients (95% CI +1.0 to +5.0)" and walking.verdict == "better"
    assert walking.estimate_text == "50.0% (95% CI 40.0 to 60.0)"


def test_identical_to_reference_needs_every_difference_zero_with_zero_spread():
    same = _summary([("a", "ambulatory_6m", math.nan, math.nan, math.nan), ("b", "ambulatory_6m", 0.0, 0.0, 0.0),
                     ("b", "survival_12m", 0.0, 0.0, 0.0)])
    assert identical_to_reference(same, "b") and not identical_to_reference(same, "a")
    differs = _summary([("b", "ambulatory_6m", 0.0, 0.0, 0.0), ("b", "survival_12m", 0.0, -0.01, 0.01)])
    assert not identical_to_reference(differs, "b")


def test_listing_joins_words_as_a_sentence_does():
    assert [listing(["a"]), listing(["a", "b"]), listing(["a", "b", "c"], "or")] == ["a", "a and b", "a, b or c"]


def test_a_card_without_verdicts_says_why():
    assert card_summary([]) == "no interval: run at least two replications"
