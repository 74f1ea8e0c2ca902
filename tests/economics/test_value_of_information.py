"""EVPI per patient and per population: hand-computed cases and its bounds."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.economics import Population, PSASample, evpi


def test_evpi_by_hand():
    """Two draws, two strategies, threshold 0 (NMB = -cost).

    Costs (a, b): draw 1 (100, 50), draw 2 (100, 250). Expected NMB: a -100, b -150, so a is chosen
    (-100). With perfect information: draw 1 b (-50), draw 2 a (-100), mean -75. EVPI = 25.
    """
    sample = PSASample(("a", "b"), np.array([[100.0, 50.0], [100.0, 250.0]]), np.zeros((2, 2)))
    row = evpi(sample, [0.0]).iloc[0]
    assert (row["nmb_current_information"], row["nmb_perfect_information"], row["evpi"]) == (-100.0, -75.0, 25.0)


def test_no_value_when_one_strategy_wins_every_draw():
    rng = np.random.default_rng(1)
    qalys = np.column_stack([rng.uniform(1, 2, 50), rng.uniform(3, 4, 50)])  # b always gains more
    costs = np.column_stack([rng.uniform(10, 20, 50), rng.uniform(0, 5, 50)])  # and costs less
    assert (evpi(PSASample(("a", "b"), costs, qalys), [0, 1e3, 1e5])["evpi"] == 0.0).all()


@pytest.mark.parametrize("seed", range(5))
def test_evpi_is_never_negative_and_bounded_by_the_mean_regret(seed):
    """0 <= EVPI <= E[max NMB - NMB of the chosen strategy], which is the same number: check both."""
    rng = np.random.default_rng(seed)
    sample = PSASample(("a", "b", "c"), rng.normal(1e4, 2e3, (300, 3)), rng.normal(1.0, 0.2, (300, 3)))
    table = evpi(sample, [0, 2e4, 5e4])
    for row in table.to_dict("records"):
        nmb = sample.nmb(row["threshold"])
        chosen = int(np.argmax(nmb.mean(axis=0)))
        assert row["evpi"] >= 0
        assert row["evpi"] == pytest.approx(np.mean(nmb.max(axis=1) - nmb[:, chosen]), rel=1e-12)


def test_population_size_by_hand():
    """100 a year for 3 years at 3.5%: 100 x (1 + 1/1.035 + 1/1.035^2) = 289.9695..."""
    assert Population(100, 3, 0.035).size == pytest.approx(100 * (1 + 1 / 1.035 + 1 / 1.035**2), rel=1e-14)
    assert Population(250, 4, 0.0).size == 1000.0


def test_population_evpi():
    sample = PSASample(("a", "b"), np.array([[100.0, 50.0], [100.0, 250.0]]), np.zeros((2, 2)))
    row = evpi(sample, [0.0], Population(1000, 5, 0.0)).iloc[0]
    assert row["evpi_population"] == 25.0 * 5000


@pytest.mark.parametrize(("args", "message"), [
    ((0, 5, 0.035), "annual"), ((100, 0, 0.035), "years"), ((100, 2.5, 0.035), "years"),
    ((100, 5, 0.2), "rate"), ((100, 5, -0.01), "rate"),
])
def test_bad_populations_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        Population(*args)
