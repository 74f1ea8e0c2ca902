"""Analytic validation of the capacity layer on its own: ``Service`` as an M/M/c queue.

Poisson arrivals (rate lambda), exponential holding times (rate mu), c servers, one priority class:
the mean wait in queue is Erlang C,

    a = lambda / mu,  rho = a / c,
    C(c, a) = [a^c / c! * 1 / (1 - rho)] / [sum_{k<c} a^k / k! + a^c / c! * 1 / (1 - rho)],
    Wq = C(c, a) / (c * mu - lambda).

The simulated mean wait is compared at a fixed seed with a tolerance of 4 standard errors from
batch means (waits of successive customers are correlated, so the naive SE would be too small).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
import simpy

from simulator.model.services import ROUTINE, URGENT, Service

CUSTOMERS = 40_000
WARM_UP = 2_000
BATCHES = 20


def erlang_c_wait(c: int, arrival_rate: float, service_rate: float) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    a = arrival_rate / service_rate
    rho = a / c
    assert rho < 1
    top = a**c / math.factorial(c) / (1 - rho)
    waiting_probability = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return waiting_probability / (c * service_rate - arrival_rate)


def test_erlang_c_formula_known_values():
    """M/M/1: Wq = rho / (mu - lambda); M/M/2 at a = 1.4: C = 0.5765, Wq = 0.9608 (hand-computed)."""
    assert erlang_c_wait(1, 0.7, 1.0) == pytest.approx(0.7 / 0.3)
    assert erlang_c_wait(2, 1.4, 1.0) == pytest.approx((0.98 / 0.6 * 2) / (2.4 + 0.98 / 0.6 * 2) / 0.6)


@functools.cache
def simulate_mmc(c: int, arrival_rate: float, service_rate: float, seed: int, priorities=None):
    """Run ``CUSTOMERS`` customers through one ``Service``; return waits in arrival order and the service.

    Cached: the M/M/2 run serves both the mean-wait and the waiting-share checks.
    """
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(1 / arrival_rate, CUSTOMERS)
    holds = rng.exponential(1 / service_rate, CUSTOMERS)
    classes = priorities(rng) if priorities else np.full(CUSTOMERS, ROUTINE)
    env = simpy.Environment()
    horizon = float(gaps.sum())
    service = Service(env, "mri", capacity=c, window_day=horizon)
    waits = np.full(CUSTOMERS, np.nan)

    def customer(i):
        waits[i] = yield from service.use(int(classes[i]), float(holds[i]), math.inf)

    def source():
        for i in range(CUSTOMERS):
            yield env.timeout(float(gaps[i]))
            env.process(customer(i))

    env.process(source())
    env.run()
    return waits, classes, service, horizon


def batch_means(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error from ``BATCHES`` equal batches."""
    batches = np.array([b.mean() for b in np.array_split(values, BATCHES)])
    return float(batches.mean()), float(batches.std(ddof=1) / math.sqrt(BATCHES))


@pytest.mark.parametrize("c, utilisation", [(2, 0.7), (1, 0.7), (3, 0.5)])
def test_mean_wait_matches_erlang_c(c, utilisation):
    service_rate = 1.0  # one scan per day
    arrival_rate = utilisation * c * service_rate
    waits, _, service, horizon = simulate_mmc(c, arrival_rate, service_rate, seed=2024 + c)
    assert not np.isnan(waits).any()
    mean, se = batch_means(waits[WARM_UP:])
    expected = erlang_c_wait(c, arrival_rate, service_rate)
    assert abs(mean - expected) <= 4 * se, (mean, expected, se)
    # the service's own counters: every customer was served once; busy share is the utilisation
    assert len(service.waits) == CUSTOMERS
    busy = service.busy_days / (c * horizon)
    assert busy == pytest.approx(utilisation, abs=4 * math.sqrt(utilisation * (1 - utilisation) / CUSTOMERS) + 0.01)


def test_share_of_customers_who_wait_matches_erlang_c():
    """P(wait > 0) is C(c, a) itself; binomial tolerance 4 * sqrt(p(1-p)/n) widened for correlation (x3)."""
    c, arrival_rate, service_rate = 2, 1.4, 1.0
    waits, _, _, _ = simulate_mmc(c, arrival_rate, service_rate, seed=2024 + c)
    share = float((waits[WARM_UP:] > 0).mean())
    p = erlang_c_wait(c, arrival_rate, service_rate) * (c * service_rate - arrival_rate)
    n = CUSTOMERS - WARM_UP
    assert abs(share - p) <= 3 * 4 * math.sqrt(p * (1 - p) / n), (share, p)


URGENT_SHARE = 0.3


def _some_urgent(rng: np.random.Generator) -> np.ndarray:
    return np.where(rng.random(CUSTOMERS) < URGENT_SHARE, URGENT, ROUTINE)


def test_urgent_class_waits_as_a_non_preemptive_priority_queue():
    """Two classes on an M/M/1 (non-preemptive priority, Cobham 1954):

    W1 = W0 / (1 - rho1),  W2 = W0 / ((1 - rho1)(1 - rho)),  W0 = sum_i lambda_i E[S_i^2] / 2 = rho / mu.
    """
    service_rate, rho = 1.0, 0.7
    arrival_rate = rho * service_rate
    waits, classes, _, _ = simulate_mmc(1, arrival_rate, service_rate, seed=5, priorities=_some_urgent)
    rho1 = URGENT_SHARE * rho
    w0 = rho / service_rate
    expected = {URGENT: w0 / (1 - rho1), ROUTINE: w0 / ((1 - rho1) * (1 - rho))}
    for cls, value in expected.items():
        mean, se = batch_means(waits[WARM_UP:][classes[WARM_UP:] == cls])
        assert abs(mean - value) <= 4 * se, (cls, mean, value, se)
    # the overall mean is still M/M/1's (work-conserving, same holding-time distribution)
    mean, se = batch_means(waits[WARM_UP:])
    assert abs(mean - erlang_c_wait(1, arrival_rate, service_rate)) <= 4 * se


def test_infinite_servers_never_queue():
    """M/M/infinity (here c larger than any possible number in system): every wait is exactly 0."""
    waits, _, service, _ = simulate_mmc(CUSTOMERS, 5.0, 1.0, seed=3)
    assert (waits == 0).all()
    assert service.max_queue == 0
