"""Unit tests of ``simulator/model/sampling.py``: inverse-CDF draws from uniforms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from simulator.model.sampling import (
    exponential,
    exponential_rate,
    lognormal,
    normal_quantile,
    pick,
    with_odds_ratio,
)


class TestPick:
    SHARES = (0.2, 0.5, 0.3)

    @pytest.mark.parametrize("u, expected", [
        (0.0, 0), (0.199999, 0), (0.2, 1), (0.69999, 1), (0.7, 2), (0.999999, 2),
    ])
    def test_boundaries(self, u, expected):
        assert pick(u, self.SHARES) == expected

    def test_zero_share_is_never_picked(self):
        us = np.linspace(0, 1, 1001, endpoint=False)
        assert 1 not in {pick(u, (0.4, 0.0, 0.6)) for u in us}

    def test_frequencies_match_the_shares(self):
        """On an evenly spaced grid of uniforms the counts are the shares (to one grid step)."""
        n = 10_000
        counts = np.bincount([pick((i + 0.5) / n, self.SHARES) for i in range(n)], minlength=3)
        np.testing.assert_allclose(counts / n, self.SHARES, atol=1 / n)


class TestLognormal:
    @pytest.mark.parametrize("median, sigma", [(10.0, 1.1), (75.0, 0.8), (0.5, 0.1)])
    def test_median_at_u_half(self, median, sigma):
        assert lognormal(0.5, median, sigma) == pytest.approx(median, rel=1e-12)

    def test_quantiles_match_scipy(self):
        for u in (0.05, 0.25, 0.75, 0.95):
            expected = stats.lognorm(s=0.9, scale=180.0).ppf(u)
            assert lognormal(u, 180.0, 0.9) == pytest.approx(expected, rel=1e-9)

    def test_monotone_in_u(self):
        values = [lognormal(u, 10.0, 1.0) for u in np.linspace(0.001, 0.999, 50)]
        assert values == sorted(values)

    def test_extreme_uniforms_stay_finite(self):
        assert math.isfinite(lognormal(0.0, 10.0, 3.0)) and lognormal(0.0, 10.0, 3.0) > 0
        assert math.isfinite(lognormal(1.0, 10.0, 3.0))
        assert math.isfinite(normal_quantile(0.0)) and math.isfinite(normal_quantile(1.0))


class TestExponential:
    @pytest.mark.parametrize("median", [1.0, 21.0, 400.0])
    def test_median_at_u_half(self, median):
        assert exponential(0.5, median) == pytest.approx(median, rel=1e-12)

    def test_quantiles_match_scipy(self):
        median = 30.0
        for u in (0.1, 0.5, 0.9, 0.99):
            assert exponential(u, median) == pytest.approx(stats.expon(scale=median / math.log(2)).ppf(u))

    def test_infinite_median_is_never(self):
        assert exponential(0.3, math.inf) == math.inf

    def test_zero_median_is_immediate(self):
        assert exponential(0.7, 0.0) == 0.0

    def test_u_one_is_finite(self):
        assert math.isfinite(exponential(1.0, 10.0))

    def test_rate_form(self):
        rate = 0.01
        assert exponential_rate(0.5, rate) == pytest.approx(math.log(2) / rate)
        assert exponential_rate(0.5, 0.0) == math.inf
        assert exponential_rate(0.5, -1.0) == math.inf


class TestWithOddsRatio:
    def test_odds_multiply(self):
        # p = 0.5 has odds 1; odds 3 is p = 0.75
        assert with_odds_ratio(0.5, 3.0) == pytest.approx(0.75)
        p, r = 0.57, 1.6
        q = with_odds_ratio(p, r)
        assert q / (1 - q) == pytest.approx(r * p / (1 - p))

    def test_ratio_one_is_identity(self):
        for p in (0.01, 0.3, 0.93):
            assert with_odds_ratio(p, 1.0) == pytest.approx(p)

    def test_inverse_ratio_undoes(self):
        assert with_odds_ratio(with_odds_ratio(0.63, 2.5), 1 / 2.5) == pytest.approx(0.63)

    def test_certainties_stay_certain(self):
        assert with_odds_ratio(0.0, 5.0) == 0.0
        assert with_odds_ratio(1.0, 0.2) == 1.0

    def test_direction(self):
        assert with_odds_ratio(0.4, 2.0) > 0.4 > with_odds_ratio(0.4, 0.5)
