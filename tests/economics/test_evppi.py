"""EVPPI by nonparametric regression: a closed-form case, the EVPI limit, bounds, and the smoother."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulator.economics import PSASample, evpi, evppi, smoothing
from simulator.economics.smoothing import fit, smoother

THRESHOLD = 20_000.0


def linear_gaussian(seed: int, draws: int, a: float, b: float, sd_theta: float, sd_noise: float):
    """Two strategies; INB of B against A = a + b theta + noise at THRESHOLD, theta and noise normal.

    The QALY increment carries b theta (so the QALY regression matters) and the cost increment
    carries -a - noise (so the cost regression has to average noise out).
    """
    rng = np.random.default_rng(seed)
    theta, noise, other = rng.normal(0, sd_theta, draws), rng.normal(0, sd_noise, draws), rng.normal(0, 1, draws)
    costs = np.column_stack([np.zeros(draws), -a - noise])
    qalys = np.column_stack([np.zeros(draws), b * theta / THRESHOLD])
    return PSASample(("A", "B"), costs, qalys), pd.DataFrame({"theta": theta, "unrelated": other})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recovers_the_analytic_evppi_of_a_linear_gaussian_case(seed):
    r"""INB = a + b theta + e with theta ~ N(0, s_t^2), e ~ N(0, s_e^2) independent, two strategies.

    Derivation. E[INB | theta] = a + b theta ~ N(a, s^2) with s = |b| s_t. Knowing theta, choose B iff
    a + b theta > 0, so EVPPI(theta) = E[max(0, a + b theta)] - max(0, a). For Z ~ N(m, s^2),
    E[max(0, Z)] = m Phi(m / s) + s phi(m / s) (integrate z over z > 0), hence

        EVPPI = a Phi(a / s) + s phi(a / s) - max(0, a).

    Here a = 300, b = 1000, s_t = 1, s_e = 500 (currency per patient): EVPPI = 266.76.

    Tolerance. With a >> its standard error (mean INB is positive in every sample of this size), the
    estimator is mean_n max(0, g_n) - mean_n INB_n = mean_n [W_n^+ - e_n] + metamodel error, where
    W = -(a + b theta) ~ N(-a, s^2). So its Monte Carlo SD is sqrt(Var(W^+) + s_e^2 / 1) / sqrt(N),
    with E W^+ = -a Phi(-a/s) + s phi(a/s) and E (W^+)^2 = (a^2 + s^2) Phi(-a/s) - a s phi(a/s). The
    metamodel's upward bias is about Var(fit error) x density of g at 0 / 2 = (s_e^2 edf / N) x
    phi(a/s) / s / 2, below 0.1 here. Allow 4 SD (about 28 for N = 10,000; 10% of the value).
    """
    a, b, sd_t, sd_e, draws = 300.0, 1000.0, 1.0, 500.0, 10_000
    sample, parameters = linear_gaussian(seed, draws, a, b, sd_t, sd_e)
    s = abs(b) * sd_t
    exact = a * stats.norm.cdf(a / s) + s * stats.norm.pdf(a / s) - max(0.0, a)
    mean_w = -a * stats.norm.cdf(-a / s) + s * stats.norm.pdf(a / s)
    second_w = (a**2 + s**2) * stats.norm.cdf(-a / s) - a * s * stats.norm.pdf(a / s)
    tolerance = 4 * math.sqrt(second_w - mean_w**2 + sd_e**2) / math.sqrt(draws)
    table = evppi(sample, parameters, [THRESHOLD]).set_index("group")
    assert exact == pytest.approx(266.76, abs=0.01)
    assert abs(table.loc["theta", "evppi"] - exact) < tolerance
    assert table.loc["unrelated", "evppi"] < tolerance
    assert table.loc["theta", "evppi"] < table.loc["theta", "evpi"]
    assert 0 < table.loc["theta", "se"] < tolerance


def deterministic_case(group: int, draws: int = 2000, seed: int = 11):
    """Three strategies whose costs and QALYs are smooth functions of ``group`` parameters only."""
    rng = np.random.default_rng(seed)
    a, b, c, d = rng.beta(2, 5, draws), rng.gamma(2.0, 500.0, draws), rng.normal(0, 1, draws), \
        rng.lognormal(0, 0.5, draws)
    b, c, d = (v if group > k else np.full(draws, v.mean()) for k, v in ((1, b), (2, c), (3, d)))
    costs = np.column_stack([1000 + b, 3000 + 0.5 * b + 200 * np.sin(3 * a) + 100 * d, 5000 * np.exp(-a) + 300 * c])
    qalys = np.column_stack([0.5 + 0 * a, 0.5 + 0.4 * a - 0.02 * d, 0.45 + 0.3 * a**2 + 0.02 * c])
    parameters = pd.DataFrame({"a": a, "b": b, "c": c, "d": d}).iloc[:, :group]
    return PSASample(("x", "y", "z"), costs, qalys), parameters


@pytest.mark.parametrize("group", [1, 2, 3, 4])
def test_evppi_of_every_parameter_is_the_evpi_when_nmb_is_a_function_of_them(group):
    """No noise: E(NMB | all parameters) = NMB, so EVPPI(all) = EVPI on the same sample exactly.

    There is no sampling error between the two (same draws); what is left is the smoother's
    approximation error on smooth functions, which GCV drives towards zero on noise-free data.
    The check: agreement to 0.1% of the EVPI at thresholds where the decision changes.
    """
    sample, parameters = deterministic_case(group)
    thresholds = [5_000, 10_000, 20_000, 50_000]
    table = evppi(sample, parameters, thresholds, groups={"all": list(parameters.columns)})
    assert (table["evpi"] > 1.0).all()
    assert np.allclose(table["evppi"], table["evpi"], rtol=1e-3, atol=0)


@pytest.mark.parametrize("seed", range(8))
def test_evpi_bounds_evppi_bounds_zero_on_random_cases(seed):
    """Random numbers of strategies, draws and parameters; nonlinear effects plus noise."""
    rng = np.random.default_rng(seed)
    draws, strategies, params = int(rng.integers(200, 1200)), int(rng.integers(2, 5)), int(rng.integers(1, 4))
    parameters = pd.DataFrame({f"p{k}": rng.lognormal(0, rng.uniform(0.2, 1.0), draws) if k % 2 else
                               rng.normal(0, 1, draws) for k in range(params)})
    x = parameters.to_numpy()
    costs = 1e4 + 2e3 * np.tanh(x @ rng.normal(0, 1, (params, strategies))) + \
        rng.normal(0, rng.uniform(100, 3000), (draws, strategies))
    qalys = 1 + 0.1 * np.sin(x @ rng.normal(0, 1, (params, strategies))) + \
        rng.normal(0, rng.uniform(0.01, 0.2), (draws, strategies))
    sample = PSASample(tuple(f"s{j}" for j in range(strategies)), costs, qalys)
    groups = {c: [c] for c in parameters.columns} | {"all": list(parameters.columns)}
    table = evppi(sample, parameters, [0, 1e4, 2e4, 5e4], groups=groups, se_draws=0)
    assert (table["evppi"] >= 0).all()
    assert (table["evppi"] <= table["evpi"]).all()
    assert np.array_equal(table["evpi"].to_numpy(), np.tile(evpi(sample, [0, 1e4, 2e4, 5e4])["evpi"], len(groups)))


def test_same_inputs_same_output():
    sample, parameters = linear_gaussian(5, 500, 100.0, 800.0, 1.0, 400.0)
    first = evppi(sample, parameters, [THRESHOLD, 30_000.0])
    pd.testing.assert_frame_equal(first, evppi(sample, parameters, [THRESHOLD, 30_000.0]), check_exact=True)
    assert not first["se"].equals(evppi(sample, parameters, [THRESHOLD, 30_000.0], seed=99)["se"])


def test_population_columns():
    sample, parameters = linear_gaussian(6, 300, 100.0, 800.0, 1.0, 400.0)
    from simulator.economics import Population

    table = evppi(sample, parameters, [THRESHOLD], population=Population(1000, 2, 0.0))
    assert np.allclose(table["evppi_population"], 2000 * table["evppi"], rtol=1e-15)
    assert np.allclose(table["evpi_population"], 2000 * table["evpi"], rtol=1e-15)


def test_linear_and_bilinear_responses_are_fitted_exactly():
    """Planes (and products of linear terms) are unpenalised: the smoother reproduces them.

    Up to rounding: the penalty's null-space eigenvalues come out as ~1e-17 rather than 0 and GCV
    may pick lambda ~ 1e8, which leaves errors ~1e-8 of the response's range; allow 1e-6.
    """
    rng = np.random.default_rng(2)
    x = np.column_stack([rng.gamma(2.0, 3.0, 400), rng.beta(2, 8, 400)])
    for regressors, y in ((x[:, :1], 5.0 + 2.0 * x[:, 0]),
                          (x, 1.0 + x[:, 0] - 3.0 * x[:, 1] + 0.5 * x[:, 0] * x[:, 1])):
        assert np.abs(fit(smoother(regressors), y).fitted - y).max() < 1e-6 * np.ptp(y)


def test_smoother_averages_out_noise():
    """y = sin(2 pi x) + N(0, 0.3^2), 2,000 points: the fit's RMS error against sin is far below 0.3."""
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 2000)
    result = fit(smoother(x[:, None]), np.sin(2 * np.pi * x) + rng.normal(0, 0.3, 2000))
    assert math.sqrt(np.mean((result.fitted - np.sin(2 * np.pi * x)) ** 2)) < 0.3 / 5
    assert 4 < result.edf < 24


def test_tied_and_skewed_parameters_are_handled():
    """A parameter with few distinct values (clipped draws) still gives a fit; its mean is kept."""
    rng = np.random.default_rng(4)
    x = np.clip(rng.normal(0, 1, 500), -0.5, 0.5).round(1)
    y = 3.0 * x + rng.normal(0, 0.1, 500)
    result = fit(smoother(x[:, None]), y)
    # The constant is unpenalised, so the mean is kept to the solver's precision, which tied (near-singular)
    # bases limit to ~2e-8 relative on an AVX-512 machine (a penalised constant is shrunk towards 0).
    assert abs(result.fitted.mean() - y.mean()) < 1e-6 * y.std()
    assert np.allclose(result.fitted, 3.0 * x, atol=0.05)


@pytest.mark.parametrize(("groups", "parameters", "message"), [
    ({"big": [f"p{k}" for k in range(50)]}, pd.DataFrame(np.random.default_rng(0).normal(size=(300, 50)),
                                                         columns=[f"p{k}" for k in range(50)]), "at least 302"),
    ({"twice": ["a", "a"]}, pd.DataFrame({"a": np.arange(300.0)}), "distinct parameters"),
    ({"g": ["nope"]}, pd.DataFrame({"a": np.arange(300.0)}), "no parameter column nope"),
    ({"g": ["a"]}, pd.DataFrame({"a": np.ones(300)}), "the same value in every draw"),
    ({"g": ["a"]}, pd.DataFrame({"a": np.arange(299.0)}), "299 rows"),
    ({"g": list("abcd")}, pd.DataFrame(np.random.default_rng(0).normal(size=(300, 4)), columns=list("abcd")),
     "at least 512"),
])
def test_bad_groups_are_refused(groups, parameters, message):
    sample, _ = linear_gaussian(1, 300, 100.0, 800.0, 1.0, 400.0)  # 300 draws: 299 parameter rows do not pair
    with pytest.raises(ValueError, match=message):
        evppi(sample, parameters, [THRESHOLD], groups=groups)


def test_additive_model_for_large_groups_fits_sums_of_linear_terms_exactly():
    """A group of 6 (above MAX_GROUP) gets s(x1) + ... + s(x6): a sum of linear terms is unpenalised.

    Costs given the clinical course are linear in the unit costs, so this is the case the PSA's
    cost group meets. Up to rounding, as for the tensor product: allow 1e-6 of the response's range.
    """
    rng = np.random.default_rng(8)
    x = np.column_stack([rng.gamma(4.0, 250.0, 64) for _ in range(6)])
    y = 100.0 + x @ np.array([3.0, -1.0, 0.5, 2.0, 0.0, -4.0])
    assert not smoothing.is_additive(smoothing.MAX_GROUP) and smoothing.is_additive(6)
    sm = smoother(x)
    assert sm.basis.shape[1] == 1 + 6 * 3 + 6 * (smoothing.basis_size(64, 6) - 4)
    assert np.allclose(sm.basis @ sm.constant, 1.0)
    assert np.abs(fit(sm, y).fitted - y).max() < 1e-6 * np.ptp(y)


def test_additive_evppi_of_an_additive_deterministic_net_benefit_is_the_evpi():
    """NMB a smooth sum of one-parameter effects of 6 parameters, no noise: EVPPI(all six) = EVPI.

    As for the tensor product (same draws, no sampling error), the gap is the smoother's
    approximation error, driven towards zero by GCV on noise-free data: allow 1% of the EVPI.
    """
    rng = np.random.default_rng(12)
    draws = 400
    x = rng.uniform(0, 1, (draws, 6))
    effect = np.sin(3 * x[:, 0]) + x[:, 1] ** 2 - 0.5 * x[:, 2] + np.exp(-x[:, 3]) + 0.3 * x[:, 4] - x[:, 5] ** 3
    costs = np.column_stack([np.full(draws, 1000.0), 1000.0 + 400 * effect])
    qalys = np.column_stack([np.full(draws, 1.0), 1.0 + 0.02 * np.cos(2 * x[:, 0]) + 0.01 * x[:, 5]])
    sample = PSASample(("a", "b"), costs, qalys)
    parameters = pd.DataFrame(x, columns=[f"p{k}" for k in range(6)])
    table = evppi(sample, parameters, [10_000, 20_000], groups={"all": list(parameters.columns)}, se_draws=0)
    assert (table["evpi"] > 10).all()
    assert np.allclose(table["evppi"], table["evpi"], rtol=1e-2, atol=0)
    assert smoothing.min_draws(6) == 2 * (1 + 3 * 6) and smoothing.min_draws(4) == 512
