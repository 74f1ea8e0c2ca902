"""The Kaplan-Meier median used by the survival metrics equals scipy.stats.ecdf's, to the bit.

The metrics compute it in numpy so that a run does not import scipy.stats (half a second of
start-up); scipy stays the reference implementation here.
"""

import math

import numpy as np
from scipy import stats

from simulator.output.metrics import km_median


def _scipy_median(durations: np.ndarray, observed: np.ndarray) -> float:
    sf = stats.ecdf(stats.CensoredData(uncensored=durations[observed], right=durations[~observed])).sf
    below = np.nonzero(sf.probabilities <= 0.5)[0]
    return float(sf.quantiles[below[0]]) if len(below) else math.nan


def test_km_median_equals_scipy_with_ties_censoring_and_none():
    rng = np.random.default_rng(20261201)
    for k in range(3000):
        n = int(rng.integers(1, 80))
        durations = np.round(rng.exponential(100, n), int(rng.integers(0, 3)))  # rounding makes ties
        observed = rng.random(n) < rng.random()
        if k % 5 == 0:
            observed[:] = True  # no censoring: scipy's ECDF branch
        if k % 7 == 0:
            observed[:] = False  # all censored: never reached
        expected, got = _scipy_median(durations, observed), km_median(durations, observed)
        assert got == expected or (math.isnan(expected) and math.isnan(got)), (k, expected, got)


def test_km_median_of_nothing_is_nan():
    assert math.isnan(km_median(np.array([]), np.array([], dtype=bool)))
