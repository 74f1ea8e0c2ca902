"""Turn uniforms into the distributions the model uses (inverse-CDF, so CRN stays monotone)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

_STD = NormalDist()
_EPS = 1e-12
LN2 = math.log(2.0)


def normal_quantile(u: float) -> float:
    """Standard normal quantile of ``u`` (clipped away from 0 and 1)."""
    return _STD.inv_cdf(min(max(u, _EPS), 1.0 - _EPS))


def lognormal(u: float, median: float, sigma: float) -> float:
    """A lognormal draw with the given median and log-SD."""
    return median * math.exp(sigma * normal_quantile(u))


def exponential(u: float, median: float) -> float:
    """An exponential draw with the given median (``inf`` for an infinite median)."""
    if median == math.inf:
        return math.inf
    return -median / LN2 * math.log1p(-min(u, 1.0 - _EPS))


def exponential_rate(u: float, rate: float) -> float:
    """An exponential draw with the given rate (per day); ``inf`` when the rate is zero."""
    if rate <= 0.0:
        return math.inf
    return -math.log1p(-min(u, 1.0 - _EPS)) / rate


def pick(u: float, shares: Sequence[float]) -> int:
    """The index of the category that ``u`` falls in, for shares that sum to 1."""
    acc = 0.0
    for i, s in enumerate(shares):
        acc += s
        if u < acc:
            return i
    return len(shares) - 1


def with_odds_ratio(p: float, odds_ratio: float) -> float:
    """The probability ``p`` with its odds multiplied by ``odds_ratio``."""
    if p <= 0.0 or p >= 1.0:
        return p
    odds = p / (1.0 - p) * odds_ratio
    return odds / (1.0 + odds)
