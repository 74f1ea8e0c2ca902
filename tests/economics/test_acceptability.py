"""PSA sample, CE plane, CEAC and CEAF: probabilities, tie splitting, consistency with the NMB table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.economics import (
    PSASample,
    ce_plane,
    ceac,
    ceaf,
    expected_outcomes,
    incremental_analysis,
    optimal_on_frontier,
)

THRESHOLDS = [0.0, 5_000.0, 20_000.0, 30_000.0, 50_000.0, 100_000.0]


def random_sample(seed: int, draws: int = 400, strategies: int = 4) -> PSASample:
    """Correlated costs and QALYs, strategies ordered so that each costs more and gains more on average."""
    rng = np.random.default_rng(seed)
    mean_cost = np.sort(rng.uniform(10_000, 30_000, strategies))
    mean_qaly = np.sort(rng.uniform(1.0, 1.8, strategies))
    shared = rng.normal(0, 1, (draws, 1))
    costs = mean_cost + 2_000 * shared + rng.normal(0, 1_500, (draws, strategies))
    qalys = mean_qaly + 0.1 * shared + rng.normal(0, 0.15, (draws, strategies))
    return PSASample(tuple(f"s{i}" for i in range(strategies)), costs, qalys)


def test_ceac_by_hand_with_a_tie():
    """Four draws x three strategies at threshold 0 (NMB = -cost): winners a, b, (a, c tie), c."""
    costs = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 3.0], [1.0, 2.0, 1.0], [3.0, 2.0, 1.0]])
    sample = PSASample(("a", "b", "c"), costs, np.zeros_like(costs))
    curve = ceac(sample, [0.0]).set_index("strategy")["probability"]
    assert curve.to_dict() == {"a": 0.375, "b": 0.25, "c": 0.375}


@pytest.mark.parametrize("seed", range(5))
def test_ceac_is_a_probability_at_every_threshold(seed):
    curve = ceac(random_sample(seed), THRESHOLDS)
    assert curve["probability"].between(0.0, 1.0).all()
    sums = curve.groupby("threshold")["probability"].sum()
    assert np.allclose(sums, 1.0, rtol=0, atol=1e-12)
    assert sorted(sums.index) == THRESHOLDS


def test_identical_strategies_split_their_wins():
    base = random_sample(9, strategies=2)
    costs = np.column_stack([base.costs, base.costs[:, 1]])
    qalys = np.column_stack([base.qalys, base.qalys[:, 1]])
    curve = ceac(PSASample(("a", "b", "b-again"), costs, qalys), THRESHOLDS)
    wide = curve.pivot(index="threshold", columns="strategy", values="probability")
    assert (wide["b"] == wide["b-again"]).all()
    assert np.allclose(wide.sum(axis=1), 1.0, atol=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_ceaf_follows_the_expected_nmb_and_the_frontier(seed):
    """The CEAF's strategy has the highest mean NMB, is on the CE frontier of the mean outcomes, is the
    one the frontier's ICERs pick, and its probability is its CEAC value."""
    sample = random_sample(seed)
    front = ceaf(sample, THRESHOLDS)
    curve = ceac(sample, THRESHOLDS).set_index(["threshold", "strategy"])["probability"]
    means = expected_outcomes(sample)
    analysis = incremental_analysis(means[["strategy", "cost", "qalys"]])
    for row in front.to_dict("records"):
        nmb = row["threshold"] * means["qalys"] - means["cost"]
        assert row["strategy"] == means.loc[nmb.idxmax(), "strategy"]
        assert row["expected_nmb"] == pytest.approx(nmb.max(), rel=1e-12, abs=1e-9)
        assert analysis.set_index("strategy").loc[row["strategy"], "on_frontier"]
        assert row["strategy"] == optimal_on_frontier(analysis, row["threshold"])
        assert row["probability"] == curve[(row["threshold"], row["strategy"])]


def test_ce_plane_increments_against_the_reference():
    sample = random_sample(3, draws=10, strategies=3)
    plane = ce_plane(sample, reference="s1")
    assert len(plane) == 30 and set(plane["reference"]) == {"s1"}
    ref = plane[plane["strategy"] == "s1"]
    assert (ref["incremental_cost"] == 0.0).all() and (ref["incremental_qalys"] == 0.0).all()
    row = plane[(plane["draw"] == 4) & (plane["strategy"] == "s2")].iloc[0]
    assert row["incremental_cost"] == sample.costs[4, 2] - sample.costs[4, 1]
    assert row["incremental_qalys"] == sample.qalys[4, 2] - sample.qalys[4, 1]


def test_expected_outcomes_are_means_and_percentiles():
    sample = random_sample(4, draws=200, strategies=2)
    table = expected_outcomes(sample).set_index("strategy")
    assert table.loc["s1", "cost"] == pytest.approx(sample.costs[:, 1].mean(), rel=1e-12)
    assert table.loc["s0", "qalys_p97.5"] == pytest.approx(np.percentile(sample.qalys[:, 0], 97.5), rel=1e-12)


def test_from_table_round_trip():
    sample = random_sample(5, draws=6, strategies=3)
    tidy = ce_plane(sample)[["draw", "strategy", "cost", "qalys"]].sample(frac=1.0, random_state=1)
    again = PSASample.from_table(tidy, strategies=sample.strategies)
    assert np.array_equal(again.costs, sample.costs) and np.array_equal(again.qalys, sample.qalys)


def test_a_sample_cannot_be_changed():
    sample = random_sample(6, draws=5, strategies=2)
    with pytest.raises(ValueError):
        sample.costs[0, 0] = 1.0


@pytest.mark.parametrize(("build", "message"), [
    (lambda: PSASample(("a", "b"), np.zeros((5, 3)), np.zeros((5, 3))), "strategies"),
    (lambda: PSASample(("a", "b"), np.zeros((5, 2)), np.zeros((4, 2))), "arrays"),
    (lambda: PSASample(("a", "a"), np.zeros((5, 2)), np.zeros((5, 2))), "more than once"),
    (lambda: PSASample(("a",), np.zeros((1, 1)), np.zeros((1, 1))), "at least 2"),
    (lambda: PSASample(("a",), np.full((3, 1), np.nan), np.zeros((3, 1))), "costs"),
    (lambda: PSASample.from_table(pd.DataFrame({"draw": [0, 0, 1], "strategy": ["a", "b", "a"],
                                                "cost": [1.0, 2.0, 3.0], "qalys": [1.0, 1.0, 1.0]})), "missing"),
    (lambda: ceac(random_sample(1, draws=5), []), "thresholds"),
    (lambda: ce_plane(random_sample(1, draws=5), reference="nobody"), "reference"),
])
def test_bad_samples_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
