"""Value charts and words: one trace per strategy, paired increments, PSA draws read either way, the sentence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.economics.value import acceptability, psa_acceptability, psa_samples, replication_acceptability
from simulator.output.headline import format_money, icer_words, value_sentence
from simulator.output.html_report import PALETTE
from simulator.output.value_charts import (
    acceptability_figure,
    budget_figure,
    ce_plane_figure,
    colours_for,
    incremental,
    nmb_at,
    nmb_figure,
    threshold_grid,
)

NAMES = ("baseline", "fast-track-mri", "mri-capacity")


def _samples() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for r in range(6):
        base_cost, base_q = 20_000 + rng.normal(0, 300), 1.40 + rng.normal(0, 0.01)
        rows += [{"strategy": "baseline", "replication": r, "cost": base_cost, "qalys": base_q},
                 {"strategy": "fast-track-mri", "replication": r, "cost": base_cost + 300, "qalys": base_q + 0.02},
                 {"strategy": "mri-capacity", "replication": r, "cost": base_cost + 900, "qalys": base_q}]
    return pd.DataFrame(rows)


def test_increments_are_paired_sample_by_sample():
    plane = incremental(_samples(), "baseline")
    fast = plane[plane["strategy"] == "fast-track-mri"]
    np.testing.assert_allclose(fast["incremental_cost"], 300.0, rtol=1e-9)
    np.testing.assert_allclose(fast["incremental_qalys"], 0.02, rtol=1e-6)
    assert (plane.loc[plane["strategy"] == "baseline", ["incremental_cost", "incremental_qalys"]] == 0).all().all()


def test_every_value_chart_has_one_trace_per_strategy_named_by_meta():
    samples = _samples()
    ceac = acceptability(samples, threshold_grid([20_000, 30_000]))
    budget = pd.DataFrame([{"scenario": n, "year": y, "item": "total", "estimate": 1e6, "ci_low": 9e5,
                            "ci_high": 1.1e6} for n in NAMES for y in (1, 2)])
    for fig in (ce_plane_figure(samples, "baseline", "GBP", 30_000), acceptability_figure(ceac, "GBP", 30_000),
                nmb_figure(samples, "baseline", 30_000, "GBP"), budget_figure(budget, "GBP")):
        assert [t.meta for t in fig.data] == list(NAMES), fig.layout.title.text
        assert fig.layout.meta["summary"]


def test_the_plane_draws_each_cloud_and_its_mean_and_the_threshold_line():
    fig = ce_plane_figure(_samples(), "baseline", "GBP", 30_000)
    fast = fig.data[1]
    assert len(fast.x) == 7 and fast.marker.symbol[-1] == "diamond"  # six replications, then the mean
    assert fast.y[-1] == pytest.approx(300.0)
    assert len(fig.data[0].x) == 1  # the reference is the origin
    (line,) = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert line.y1 / line.x1 == pytest.approx(30_000)


def test_the_acceptability_curve_sums_to_one_and_matches_the_replication_table():
    samples = _samples()
    grid = threshold_grid([20_000, 30_000])
    assert grid[0] == 0 and grid[-1] == 50_000
    ceac = acceptability(samples, grid)
    assert np.allclose(ceac.groupby("threshold")["probability"].sum(), 1.0)
    per_rep = samples.rename(columns={"strategy": "scenario", "cost": "cost_per_patient",
                                      "qalys": "qalys_per_patient"})
    table = replication_acceptability(per_rep, grid)
    assert table["p_cost_effective"].tolist() == ceac["probability"].tolist()
    at_0 = ceac[ceac["threshold"] == 0].set_index("strategy")["probability"]
    assert at_0["baseline"] == 1.0  # nothing is worth paying for: the cheapest wins every replication


def test_psa_draws_are_read_from_the_ce_plane_table_or_else_from_the_per_draw_metrics():
    samples = _samples().rename(columns={"replication": "draw"})
    long = pd.concat([samples.assign(metric=m, estimate=samples[c]) for m, c in (
        ("cost_per_patient", "cost"), ("qalys_per_patient", "qalys"))])
    from_draws = psa_samples({"psa_draws": long.rename(columns={"strategy": "scenario"})})
    from_plane = psa_samples({"ce_plane": samples})
    pd.testing.assert_frame_equal(from_draws.reset_index(drop=True), from_plane.reset_index(drop=True),
                                  check_dtype=False)
    assert psa_samples({"psa_draws": long.rename(columns={"strategy": "scenario"}).query(
        "metric == 'cost_per_patient'")}) is None  # a PSA without QALYs has no plane
    own = pd.DataFrame({"threshold": [1.0], "strategy": ["baseline"], "probability": [1.0], "extra": [0]})
    assert psa_acceptability({"ceac": own}, [5.0]).columns.tolist() == ["threshold", "strategy", "probability"]


@pytest.mark.parametrize("dc, dq, words", [
    (300.0, 0.02, "costs £15,000 per QALY gained against baseline"),
    (-10.0, 0.02, "gives more QALYs than baseline for no more cost (it dominates)"),
    (900.0, 0.0, "costs more than baseline and gives no more QALYs (it is dominated)"),
    (-400.0, -0.02, "saves £20,000 per QALY lost against baseline"),
    (0.0, 0.0, "is identical to baseline on these patients"),
])
def test_the_icer_in_words(dc, dq, words):
    assert words in icer_words("x", "baseline", dc, dq, "GBP")


def test_the_sentence_names_the_threshold_the_share_and_the_kind_of_uncertainty():
    text = value_sentence("fast-track-mri", "baseline", 300.0, 0.02, 0.625, 30_000, "GBP")
    assert text.startswith("fast-track-mri costs £15,000 per QALY gained against baseline; at £30,000 per QALY")
    assert "best value in 62% of replications (patient-level noise" in text
    assert "of PSA draws (parameter uncertainty" in value_sentence("a", "b", 1.0, 1.0, 0.5, 20_000, "EUR", "psa")
    assert format_money(-1234.5, "EUR") == "-€1,234" and format_money(2.0, "USD", signed=True) == "+US$2"


def test_the_net_benefit_bars_have_their_interval_whiskers_and_name_the_threshold():
    samples = _samples()
    fig = nmb_figure(samples, "baseline", 30_000, "GBP")
    table = nmb_at(samples, "baseline", 30_000).set_index("strategy")
    for bar in fig.data:
        r = table.loc[bar.meta]
        assert bar.y[0] == pytest.approx(r["nmb"])
        assert bar.error_y.array[0] > 0 and bar.error_y.arrayminus[0] > 0
        assert bar.error_y.array[0] == pytest.approx(r["nmb_high"] - r["nmb"])  # up to the interval's top
        assert bar.error_y.arrayminus[0] == pytest.approx(r["nmb"] - r["nmb_low"])
    assert fig.layout.title.text == f"Net monetary benefit at {format_money(30_000, 'GBP')} per QALY"
    assert fig.layout.yaxis.title.text == "Net monetary benefit per patient (£)"
    assert fig.layout.showlegend is False  # the bars are labelled on the axis


def test_the_acceptability_curves_wear_each_strategys_colour_on_a_percent_axis():
    """The dashboard passes its strategy colours: each curve is drawn in its strategy's colour (the others
    in the report palette), as a line readable beside the plane's clouds, on an axis from 0 to 100%."""
    ceac = acceptability(_samples(), threshold_grid([30_000]))
    assert colours_for(NAMES, {"fast-track-mri": "#123456"}) == {
        "baseline": PALETTE[0], "fast-track-mri": "#123456", "mri-capacity": PALETTE[2]}
    fig = acceptability_figure(ceac, "GBP", colours={"baseline": "#abcdef"})
    lines = {t.meta: t.line for t in fig.data}
    assert lines["baseline"].color == "#abcdef" and lines["mri-capacity"].color == PALETTE[2]
    assert {line.width for line in lines.values()} == {2.5}
    assert tuple(fig.layout.yaxis.range) == (-2, 102)  # a probability of 0 or 1 is not cut by the frame


def test_the_budget_summary_gives_each_strategy_s_total_over_the_horizon():
    """Mutation-tested: the figure's words name every strategy with its summed yearly cost."""
    budget = pd.DataFrame([{"scenario": n, "year": y, "item": "total", "estimate": 1e6 * (i + 1), "ci_low": 9e5,
                            "ci_high": 1.1e6 * (i + 1)} for i, n in enumerate(NAMES) for y in (1, 2)])
    summary = budget_figure(budget, "GBP").layout.meta["summary"]
    expected = "; ".join(f"{n} {format_money(2e6 * (i + 1), 'GBP')}" for i, n in enumerate(NAMES))
    assert summary.endswith(f"over the horizon: {expected}."), summary
