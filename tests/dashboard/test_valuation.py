"""The Value view's numbers (dashboard.valuation) on samples whose answer is known by construction.

Strategy "fast" costs 900 to 1,100 more than "usual" and gains 0.045 to 0.055 QALYs in every sample,
so its incremental cost-effectiveness ratio lies between 16,364 and 24,444 per QALY: at 10,000 per QALY
"usual" has the higher net monetary benefit in every sample, at 30,000 "fast" does.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dashboard.analyses import Caps, plan_analysis
from dashboard.config import DashboardConfig
from dashboard.data import EXAMPLE_UNCERTAINTY, InputError, acceptability, bundled, format_money, threshold_grid
from dashboard.valuation import (
    REPLICATIONS,
    ValueData,
    best_shares,
    charts,
    from_results,
    parse_threshold,
    psa_request,
    sentences,
    threshold_range,
    uncertainty_note,
    value_rows,
)

SAMPLES = 6


@pytest.fixture
def data() -> ValueData:
    rng = np.random.default_rng(7)
    usual_cost, usual_qalys = rng.uniform(18_000, 22_000, SAMPLES), rng.uniform(1.2, 1.6, SAMPLES)
    extra_cost, extra_qalys = rng.uniform(900, 1_100, SAMPLES), rng.uniform(0.045, 0.055, SAMPLES)
    samples = pd.DataFrame({
        "strategy": ["usual"] * SAMPLES + ["fast"] * SAMPLES, "replication": [*range(SAMPLES)] * 2,
        "cost": [*usual_cost, *(usual_cost + extra_cost)], "qalys": [*usual_qalys, *(usual_qalys + extra_qalys)]})
    return ValueData(REPLICATIONS, "usual", ("usual", "fast"), "GBP", (20_000.0, 30_000.0), samples,
                     acceptability(samples, threshold_grid([30_000])), "synthetic")


def best_named(sentence: str) -> str:
    """The strategy the first sentence names as the best value."""
    found = re.match(r"At £[\d,]+ per QALY, (\S+) has the highest net monetary benefit", sentence)
    assert found, sentence
    return found.group(1)


def mean_nmb(data: ValueData, name: str, threshold: float) -> float:
    own = data.samples[data.samples["strategy"] == name]
    return float((threshold * own["qalys"] - own["cost"]).mean())


@pytest.mark.parametrize("typed", ["thirty thousand", "", None, -1, 1_000_001, float("nan"), True])
def test_a_threshold_outside_the_schema_range_is_refused_naming_the_range_and_unit(typed):
    low, high, unit = threshold_range()
    assert (low, high, unit) == (0.0, 1_000_000.0, "GBP per QALY")  # economics.wtp_thresholds in the schema
    with pytest.raises(InputError) as caught:
        parse_threshold(typed)
    message = str(caught.value)
    assert message.startswith("Willingness to pay = ") and repr(typed) in message
    assert "from 0 to 1,000,000 (GBP per QALY)" in message


def test_a_threshold_in_range_is_read_as_a_number():
    assert parse_threshold("25000") == 25_000.0
    assert parse_threshold(0) == 0.0 and parse_threshold(1_000_000) == 1_000_000.0


def test_the_first_sentence_names_the_strategy_with_the_highest_net_benefit_at_the_threshold(data):
    low, high = sentences(data, 10_000), sentences(data, 30_000)
    gap_low = mean_nmb(data, "usual", 10_000) - mean_nmb(data, "fast", 10_000)
    gap_high = mean_nmb(data, "fast", 30_000) - mean_nmb(data, "usual", 30_000)
    assert gap_low > 0 and gap_high > 0  # the construction: the curve crosses between the two
    assert low[0] == (f"At £10,000 per QALY, usual has the highest net monetary benefit: "
                      f"{format_money(mean_nmb(data, 'usual', 10_000), 'GBP')} per patient (mean over replications), "
                      f"{format_money(gap_low, 'GBP')} more than fast.")
    assert high[0].startswith("At £30,000 per QALY, fast has the highest net monetary benefit: "
                              f"{format_money(mean_nmb(data, 'fast', 30_000), 'GBP')} per patient")
    assert f"{format_money(gap_high, 'GBP')} more than usual." in high[0]
    # then one sentence per strategy against the reference, with its share of samples at the threshold
    assert len(low) == len(high) == 2
    assert low[1].startswith("fast costs £") and "against usual" in low[1]
    assert "best value in 0% of replications" in low[1] and "best value in 100% of replications" in high[1]


def test_changing_the_threshold_changes_the_answer_only_where_the_curve_crosses(data):
    icer_low, icer_high = 900 / 0.055, 1_100 / 0.045  # the ICER lies between these in every sample
    assert best_shares(data, icer_low - 1) == {"usual": 1.0, "fast": 0.0}
    assert best_shares(data, icer_high + 1) == {"usual": 0.0, "fast": 1.0}
    named = {t: best_named(sentences(data, t)[0]) for t in (0, 5_000, icer_low - 1, icer_high + 1, 500_000)}
    assert named == {0: "usual", 5_000: "usual", icer_low - 1: "usual", icer_high + 1: "fast", 500_000: "fast"}


def test_value_rows_give_each_strategy_its_net_benefit_and_share_at_the_threshold(data):
    rows = {r["strategy"]: r for r in value_rows(data, 30_000)}
    assert rows["usual"]["incremental_cost"] == "reference" and rows["usual"]["best"] == "0%"
    assert rows["fast"]["best"] == "100%"
    for name in ("usual", "fast"):
        assert rows[name]["nmb"] == pytest.approx(mean_nmb(data, name, 30_000), abs=0.01)
    extra = data.samples.groupby("strategy")["cost"].mean()
    assert rows["fast"]["incremental_cost"].startswith(format_money(extra["fast"] - extra["usual"], "GBP", True))


def test_charts_draw_each_strategy_and_describe_the_threshold(data):
    drawn = charts(data, 30_000, None, {"usual": "#000000", "fast": "#E69F00"})
    assert drawn["budget"] is None  # no comparison: no budget
    for name in ("plane", "ceac", "nmb"):
        assert {t.meta for t in drawn[name].data if t.meta} == {"usual", "fast"}, name
    assert drawn["nmb"].layout.meta["summary"].endswith("highest for fast.")
    assert "£30,000 per QALY" in drawn["nmb"].layout.meta["summary"]
    assert charts(None, 30_000, None, {}) == {"plane": None, "ceac": None, "nmb": None, "budget": None}


def test_a_comparison_without_costs_and_qalys_has_no_value_samples():
    assert from_results(None) is None
    assert from_results(SimpleNamespace(per_replication=pd.DataFrame({"scenario": ["a"], "replication": [0],
                                                                      "ambulatory_6m": [0.5]}))) is None


def test_the_psa_request_compares_every_chosen_strategy_on_cost_and_qalys():
    with pytest.raises(InputError, match="at least two strategies"):
        psa_request(["baseline"], 8, 200, 1, 1)
    request = psa_request(["baseline", "fast-track-mri", "rt-only"], 8, 200, 1, 1)
    assert request["compare"] == ["fast-track-mri", "rt-only"] and request["metrics"] == ["cost_per_patient",
                                                                                         "qalys_per_patient"]
    own = bundled("baseline").uncertainty
    assert request["uncertainty"] == {k: dict(v) for k, v in (own or EXAMPLE_UNCERTAINTY).items()}
    assert ("own [uncertainty] table" if own else "README's example table") in uncertainty_note(["baseline"])
    plan = plan_analysis(request, Caps.from_config(DashboardConfig()))
    assert [s.name for s in plan.scenarios] == ["baseline", "fast-track-mri", "rt-only"]
    assert plan.kwargs["metrics"] == ["cost_per_patient", "qalys_per_patient"]
    with pytest.raises(InputError, match="choose outcomes of this model"):
        plan_analysis({**request, "metrics": ["not_an_outcome"]}, Caps.from_config(DashboardConfig()))
