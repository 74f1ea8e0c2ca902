"""Penalised regression splines with GCV smoothing: the metamodel behind the EVPPI estimate.

Strong, Oakley & Brennan (2014) estimate EVPPI by regressing net benefit on the parameters of
interest with a generalised additive model (mgcv's ``gam``; tensor-product cubic regression
splines, ``te(..., bs = "cr")``, for a group) or a Gaussian process. This module is a small,
deterministic version of the first, in numpy and scipy only:

- Each parameter is rescaled linearly to [0, 1] (a linear map keeps linear functions linear and
  puts every parameter of a group on the same footing for one smoothing parameter).
- One parameter: a cubic B-spline basis of up to 24 functions with interior knots at equally
  spaced quantiles of the draws (as mgcv's ``cr`` basis places its knots, so skewed or clipped
  distributions are covered where the draws are) and the curvature penalty int f''(x)^2 dx,
  computed exactly (an O'Sullivan penalised spline; Wand & Ormerod 2008). A group of d <= 4
  parameters: the tensor product of such bases (12, 7 or 5 functions per parameter for d = 2, 3,
  4), penalised by the sum of the marginal penalties, as ``te()`` does. Linear functions, and
  products of linear functions, are unpenalised: a plane is fitted exactly. Fewer functions are
  used when there are few draws (at most about draws / 2 in all), and fewer knots when a
  parameter takes few distinct values.
- A larger group: an additive model, a sum of one-parameter splines ``s(x1) + ... + s(xd)`` (the
  alternative to ``te()`` that BCEA's ``evppi`` offers), each after the first centred over the
  draws so that the constant is counted once. It needs far fewer draws than a tensor product of
  d > 4 margins, and it leaves out interactions between the group's parameters: where the net
  benefit depends on a product of them (a response odds ratio times a utility), it can
  underestimate the EVPPI. Sums of linear functions are unpenalised, so a net benefit linear in
  the group (costs, given the clinical course) is fitted exactly.
- One smoothing parameter per group, chosen to minimise the GCV score n RSS / (n - edf)^2: a
  grid of 0.05 steps in log10 lambda, then Brent's method within a step of the best point.
  Because every parameter is on the same [0, 1] scale the common penalty treats them alike;
  mgcv's ``te()`` would give each its own smoothing parameter, at the cost of an iterative
  multi-dimensional search. With one parameter the penalised problem diagonalises once per
  group (Demmler-Reinsch: X'X and S are diagonalised together), after which each response and
  each lambda cost O(p): the fit is fast for thousands of draws and the same data always give
  the same fit.
- The coefficients' approximate posterior is N(beta_hat, sigma^2 (X'X + lambda S)^-1) with
  sigma^2 = RSS / (n - edf) (Wood, *Generalized Additive Models*, 2nd ed., 2017), used to carry
  the metamodel's error into a standard error of the EVPPI, as the voi package does for ``gam``.

A Gaussian process was not chosen: its hyperparameters need a non-convex likelihood
optimisation with restarts to be reliable, and each evaluation costs O(n^3) in the draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
from scipy import linalg, optimize
from scipy.interpolate import BSpline

DEGREE = 3
#: Basis functions per parameter, by group size (the most; fewer when draws are few).
BASIS_SIZE = {1: 24, 2: 12, 3: 7, 4: 5}
MAX_GROUP = max(BASIS_SIZE)
LOG10_LAMBDA = (-10.0, 8.0)
GRID_STEP = 0.05
#: Relative ridge added to X'X + S so that the joint diagonalisation is always defined.
RIDGE = 1e-10


@dataclass(frozen=True)
class Smoother:
    """A penalised spline basis for one set of regressors, diagonalised once.

    Attributes:
        basis: array (n, p), the tensor-product B-spline basis at the draws.
        transform: array (p, p), W with W'(X'X + S)W = I and W'SW = diag(nu).
        nu: array (p,), the penalty's eigenvalues in that basis, in [0, 1].
        constant: array (p,), coefficients whose fit is 1 at every draw (B-splines sum to one).
    """

    basis: np.ndarray
    transform: np.ndarray
    nu: np.ndarray
    constant: np.ndarray  # (p,), the coefficients of the constant function 1


@dataclass(frozen=True)
class Fit:
    """A penalised regression fit of one response.

    Attributes:
        fitted: array (n,), the fitted conditional means (units of the response).
        coef: array (p,), the spline coefficients.
        scale: array (p, p), a square root of their approximate posterior covariance.
        edf: effective degrees of freedom (trace of the hat matrix).
        log10_lambda: the chosen smoothing parameter (NaN for a constant response).
    """

    fitted: np.ndarray
    coef: np.ndarray
    scale: np.ndarray
    edf: float
    log10_lambda: float

    def sample(self, basis: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
        """Array (size, n) of fitted values drawn from the coefficients' approximate posterior."""
        coefs = self.coef + rng.standard_normal((size, len(self.coef))) @ self.scale.T
        return coefs @ basis.T


def rescale(x: np.ndarray) -> np.ndarray:
    """``x`` mapped linearly onto [0, 1] (its minimum to 0, its maximum to 1)."""
    low, high = float(np.min(x)), float(np.max(x))
    return (x - low) / (high - low)


def knots(u: np.ndarray, size: int) -> np.ndarray:
    """Cubic-spline knots on [0, 1]: interior knots at equally spaced quantiles of ``u``, distinct."""
    inner = np.unique(np.quantile(u, np.linspace(0.0, 1.0, size - DEGREE + 1)[1:-1]))
    inner = inner[(inner > 0.0) & (inner < 1.0)]
    return np.concatenate([np.zeros(DEGREE + 1), inner, np.ones(DEGREE + 1)])


def marginal(u: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """B-spline basis (n, k) at ``u`` and its curvature penalty int B_i'' B_j'' over [0, 1] (k, k)."""
    t = knots(u, size)
    splines = BSpline(t, np.eye(len(t) - DEGREE - 1), DEGREE, extrapolate=False)
    # B'' is linear between knots, so two Gauss-Legendre points per interval integrate B_i'' B_j'' exactly.
    edges = np.unique(t)
    nodes, weights = np.polynomial.legendre.leggauss(2)
    mid, half = (edges[1:] + edges[:-1]) / 2, (edges[1:] - edges[:-1]) / 2
    points = (mid[:, None] + half[:, None] * nodes).ravel()
    second = splines.derivative(2)(points) * np.sqrt((half[:, None] * weights).ravel())[:, None]
    return splines(u), second.T @ second


def is_additive(group: int) -> bool:
    """Whether a group of ``group`` parameters gets the additive model (more than MAX_GROUP)."""
    return group > MAX_GROUP


def min_draws(group: int) -> int:
    """Fewest draws for a group of ``group`` parameters: twice the coefficients of its smallest basis.

    A tensor product of cubic margins (4 functions each) has 4^group coefficients: 8, 32, 128 and
    512 draws for 1 to 4 parameters; the additive model 1 + 3 x group (two draws per coefficient).
    """
    smallest = 1 + DEGREE * group if is_additive(group) else (DEGREE + 1) ** group
    return 2 * smallest


def basis_size(draws: int, group: int) -> int:
    """Basis functions per parameter: BASIS_SIZE[group] (24 when additive), fewer when draws are few.

    At most about draws / 2 coefficients in all: (draws / 2)^(1/group) per margin of a tensor
    product, 1 + (draws / 2 - 1) / group per term of the additive model.
    """
    if is_additive(group):
        return max(DEGREE + 1, min(BASIS_SIZE[1], 1 + int((draws / 2 - 1) / group)))
    return max(DEGREE + 1, min(BASIS_SIZE[group], int((draws / 2) ** (1.0 / group))))


def smoother(x: np.ndarray) -> Smoother:
    """The penalised spline for regressors ``x`` (n, d): a tensor product for d <= MAX_GROUP, else additive."""
    n, d = x.shape
    size = basis_size(n, d)
    margins = [marginal(rescale(x[:, j]), size) for j in range(d)]
    if is_additive(d):
        return _additive(margins)
    basis = reduce(lambda a, b: np.einsum("ni,nj->nij", a, b).reshape(n, -1), [b for b, _ in margins])
    eyes = [np.eye(b.shape[1]) for b, _ in margins]
    penalty = sum(reduce(np.kron, [margins[k][1] if k == j else eyes[k] for k in range(d)]) for j in range(d))
    return _diagonalised(basis, penalty, np.ones(basis.shape[1]))


def _additive(margins: list[tuple[np.ndarray, np.ndarray]]) -> Smoother:
    """s(x1) + ... + s(xd): the first term whole (it carries the constant), the others centred over the draws."""
    blocks, penalties = [margins[0][0]], [margins[0][1]]
    for basis, penalty in margins[1:]:
        centred = linalg.null_space(basis.mean(axis=0)[None, :])  # coefficients whose fit averages 0
        blocks.append(basis @ centred)
        penalties.append(centred.T @ penalty @ centred)
    first = blocks[0].shape[1]
    basis = np.hstack(blocks)
    constant = np.concatenate([np.ones(first), np.zeros(basis.shape[1] - first)])
    return _diagonalised(basis, linalg.block_diag(*penalties), constant)


def _diagonalised(basis: np.ndarray, penalty: np.ndarray, constant: np.ndarray) -> Smoother:
    """X'X and the penalty (scaled to X'X's size) diagonalised together (Demmler-Reinsch)."""
    gram = basis.T @ basis
    penalty = penalty * np.linalg.norm(gram) / np.linalg.norm(penalty)
    total = gram + penalty
    total += RIDGE * np.trace(total) / len(total) * np.eye(len(total))
    nu, transform = linalg.eigh(penalty, total)
    return Smoother(basis, transform, np.clip(nu, 0.0, 1.0), constant)


def _gcv(n: int, yy: float, z2: np.ndarray, nu: np.ndarray, log10_lambda: float) -> float:
    """GCV score at one smoothing parameter from the response's coordinates z (z2 = z^2)."""
    lam = 10.0 ** log10_lambda
    h = (1.0 - nu) + lam * nu
    edf = float(np.sum((1.0 - nu) / h))
    rss = max(yy - 2.0 * float(np.sum(z2 / h)) + float(np.sum((1.0 - nu) * z2 / h**2)), 0.0)
    return n * rss / (n - edf) ** 2 if n - edf >= 1 else np.inf


def fit(sm: Smoother, y: np.ndarray) -> Fit:
    """Penalised least-squares fit of ``y`` (n,) with its smoothing parameter chosen by GCV.

    A constant response is returned as it is, with zero posterior covariance.
    """
    n, p = sm.basis.shape
    if np.ptp(y) == 0:
        # B-splines sum to one at every point, so the constant's coefficients give it exactly.
        return Fit(y.astype(float).copy(), float(y[0]) * sm.constant, np.zeros((p, p)), 1.0, float("nan"))
    # Centre first (the constant is unpenalised, so the fit is unchanged) to keep RSS = y'y - ...
    # free of cancellation when the response has a large mean.
    mean = float(np.mean(y))
    yc = y - mean
    z = sm.transform.T @ (sm.basis.T @ yc)
    yy, z2 = float(yc @ yc), z**2
    low, high = LOG10_LAMBDA
    grid = np.arange(low, high + GRID_STEP / 2, GRID_STEP)
    scores = np.array([_gcv(n, yy, z2, sm.nu, g) for g in grid])
    best = float(grid[int(np.argmin(scores))])
    found = optimize.minimize_scalar(lambda v: _gcv(n, yy, z2, sm.nu, v), method="bounded",
                                     bounds=(max(low, best - GRID_STEP), min(high, best + GRID_STEP)),
                                     options={"xatol": 1e-4})
    lam = float(found.x) if found.fun <= scores.min() else best
    h = (1.0 - sm.nu) + 10.0**lam * sm.nu
    coef = sm.transform @ (z / h) + mean * sm.constant  # the mean added back through the constant's coefficients
    fitted = sm.basis @ coef
    edf = float(np.sum((1.0 - sm.nu) / h))
    sigma2 = float(np.sum((y - fitted) ** 2)) / max(n - edf, 1.0)
    return Fit(fitted, coef, sm.transform * np.sqrt(sigma2 / h), edf, lam)
