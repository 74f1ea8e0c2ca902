"""The ``[uncertainty]`` table of a scenario: one distribution per parameter path, validated and sampled.

    [uncertainty]
    "response.p_walk_rt_not_walking" = { dist = "beta", mean = 0.6, sd = 0.05 }
    "pathway.patient_delay_median_days" = { dist = "lognormal", low = 5, high = 20 }   # 95% interval

Forms: ``beta`` {mean, sd} or {alpha, beta} (proportions); ``gamma`` {mean, sd}; ``lognormal``
{median, sd_log} or {low, high} (a 95% interval); ``uniform`` {low, high}. Two optional keys:
``group = "surgical response"`` names the finer group the parameter belongs to for EVPPI, and
``same_draw_as = "PATH"`` draws it from the same uniform as another entry of the table (perfect
rank correlation, for a parameter defined from another, e.g. a utility set equal to another's).
Every stated bound or centre (``low``, ``high``, ``mean``, ``median``) must lie in the allowed range.

Out-of-range draws: a distribution that puts more than :data:`MAX_OUTSIDE` (1%) of its mass outside
the parameter's allowed range is refused (it describes another quantity). Below that, a draw outside
the range is clipped to the nearest bound, never resampled (resampling would change the
distribution everywhere), and the number of clipped draws is recorded in the PSA manifest. Draws
of whole-number parameters are rounded to the nearest whole number.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import stats
from scipy.stats import qmc

from simulator.analysis.common import allowed_text, parameter_info
from simulator.parameters.fields import ParamInfo
from simulator.parameters.scenario import Problem, Scenario, ScenarioError

MAX_OUTSIDE = 0.01  # largest probability mass a distribution may put outside the allowed range
Z95 = float(stats.norm.ppf(0.975))
SAMPLERS = ("lhs", "sobol")
PSA_STREAM = 0x50534100  # spawn key of the parameter-draw stream ("PSA"), apart from patient streams
#: The README's example table (and the dashboard's): five parameters of walking, survival and delay,
#: each centred on its baseline value, one of each form.
EXAMPLE_UNCERTAINTY: dict[str, dict[str, Any]] = {
    "response.p_walk_rt_not_walking": {"dist": "beta", "mean": 0.6, "sd": 0.05},
    "response.surgery_odds_ratio": {"dist": "gamma", "mean": 4.0, "sd": 1.0},
    "natural_history.survival.hr_not_walking": {"dist": "lognormal", "median": 3.0, "sd_log": 0.2},
    "pathway.patient_delay_median_days": {"dist": "lognormal", "low": 5, "high": 20},
    "pathway.gp_max_visits": {"dist": "uniform", "low": 3, "high": 8},
}
FORMS = {"beta": ({"mean", "sd"}, {"alpha", "beta"}), "gamma": ({"mean", "sd"},),
         "lognormal": ({"median", "sd_log"}, {"low", "high"}), "uniform": ({"low", "high"},)}
GROUP, SAME_DRAW_AS = "group", "same_draw_as"
OPTIONAL_KEYS = (GROUP, SAME_DRAW_AS)  # beside a form's own keys
LOCATION_KEYS = ("low", "high", "mean", "median")  # values of the parameter itself: inside its allowed range
MAX_GROUP_NAME = 60  # characters of a group name


@dataclass(frozen=True)
class Distribution:
    """One uncertain parameter: its path, schema entry, declared form and frozen scipy distribution."""

    path: str
    info: ParamInfo
    spec: dict[str, Any]
    rv: Any  # scipy.stats frozen distribution

    @property
    def group(self) -> str | None:
        """The finer EVPPI group it was given (``group = ...``), or None."""
        return self.spec.get(GROUP)

    @property
    def draw_key(self) -> str:
        """The path whose uniform it is drawn from: its own, or that of ``same_draw_as``."""
        return str(self.spec.get(SAME_DRAW_AS, self.path))

    def values(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Parameter values for uniforms ``u`` in (0, 1) (ppf), clipped to the allowed range, and the clip mask."""
        x = np.asarray(self.rv.ppf(u), dtype=float)
        low = -math.inf if self.info.low is None else self.info.low
        high = math.inf if self.info.high is None else self.info.high
        clipped = (x < low) | (x > high)
        x = np.clip(x, low, high)
        if self.info.kind == "int":
            x = np.rint(x)
        return x, clipped

    def describe(self) -> str:
        """'beta(mean=0.3, sd=0.05)' for tables and messages."""
        args = ", ".join(f"{k}={v:g}" for k, v in sorted(self.spec.items()) if k not in ("dist", *OPTIONAL_KEYS))
        return f"{self.spec['dist']}({args})"


def _frozen(dist: str, p: dict[str, float], where: str, problems: list[Problem], file: str) -> Any:
    """The scipy distribution of one form, or None with the problem recorded.

    Every spread must be positive, every mean inside the distribution's support, and the derived
    shape parameters finite (an sd of 1e-300 would overflow them).
    """
    def bad(message: str) -> None:
        problems.append(Problem(file, where, message))
    try:
        rv = _distribution(dist, p, bad)
    except (OverflowError, ZeroDivisionError):
        rv = None
        bad(f"{dist}({_listed(p)}) cannot be computed: its spread is too small or too large for its centre")
    if rv is None:
        return None
    if not all(math.isfinite(float(x)) for x in (*rv.args, *rv.kwds.values())) or not _spread_ok(rv):
        bad(f"{dist}({_listed(p)}) cannot be computed: its spread is too small or too large for its centre")
        return None
    return rv


def _listed(p: dict[str, float]) -> str:
    return ", ".join(f"{k}={v:g}" for k, v in sorted(p.items()))


def _spread_ok(rv: Any) -> bool:
    """Whether the frozen distribution has a finite median and a positive, finite spread."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        median, sd = float(rv.median()), float(rv.std())
    return math.isfinite(median) and math.isfinite(sd) and sd > 0


def _distribution(dist: str, p: dict[str, float], bad: Callable[[str], None]) -> Any:
    if dist == "beta" and "mean" in p:
        mean, sd = p["mean"], p["sd"]
        if not 0 < mean < 1:
            return bad(f"beta mean = {mean:g} must be between 0 and 1 (exclusive)")
        if not 0 < sd or not sd**2 < mean * (1 - mean):
            return bad(f"beta sd = {sd:g} must be > 0 with sd^2 < mean*(1-mean) = {mean * (1 - mean):.4g}")
        k = mean * (1 - mean) / sd**2 - 1
        return stats.beta(mean * k, (1 - mean) * k)
    if dist == "beta":
        if p["alpha"] <= 0 or p["beta"] <= 0:
            return bad(f"beta alpha = {p['alpha']:g} and beta = {p['beta']:g} must both be > 0")
        return stats.beta(p["alpha"], p["beta"])
    if dist == "gamma":
        if p["mean"] <= 0 or p["sd"] <= 0:
            return bad(f"gamma mean = {p['mean']:g} and sd = {p['sd']:g} must both be > 0")
        return stats.gamma((p["mean"] / p["sd"]) ** 2, scale=p["sd"] ** 2 / p["mean"])
    if dist == "lognormal" and "median" in p:
        if p["median"] <= 0 or p["sd_log"] <= 0:
            return bad(f"lognormal median = {p['median']:g} and sd_log = {p['sd_log']:g} must both be > 0")
        return stats.lognorm(p["sd_log"], scale=p["median"])
    if dist == "lognormal":
        if not 0 < p["low"] < p["high"]:
            return bad(f"lognormal 95% interval low = {p['low']:g}, high = {p['high']:g} needs 0 < low < high")
        sigma = (math.log(p["high"]) - math.log(p["low"])) / (2 * Z95)
        return stats.lognorm(sigma, scale=math.sqrt(p["low"] * p["high"]))
    if not p["low"] < p["high"]:
        return bad(f"uniform low = {p['low']:g} must be below high = {p['high']:g}")
    return stats.uniform(p["low"], p["high"] - p["low"])


def parse_distribution(path: str, spec: Any, scenario: Scenario) -> tuple[Distribution | None, list[Problem]]:
    """Validate one ``[uncertainty]`` entry; return the distribution or the problems found."""
    file, where, problems = scenario.source, f"uncertainty.{path}", []
    try:
        info = parameter_info(path, file)
    except ScenarioError as exc:
        return None, [Problem(file, where, exc.problems[0].message)]
    if not isinstance(spec, dict) or spec.get("dist") not in FORMS:
        got = spec.get("dist") if isinstance(spec, dict) else spec
        return None, [Problem(file, where, f"dist = {got!r} is not one of {', '.join(FORMS)} "
                                           '(write e.g. { dist = "beta", mean = 0.3, sd = 0.05 })')]
    dist = spec["dist"]
    keys = set(spec) - {"dist", *OPTIONAL_KEYS}
    if keys not in FORMS[dist]:
        forms = " or ".join("{" + ", ".join(sorted(f)) + "}" for f in FORMS[dist])
        return None, [Problem(file, where, f"{dist} takes {forms}; got {{{', '.join(sorted(keys))}}} "
                                           f"(optional: {', '.join(OPTIONAL_KEYS)})")]
    optional = _optional_problem(spec, path)
    if optional:
        return None, [Problem(file, where, optional)]
    numbers = {k: spec[k] for k in keys}
    for k, v in numbers.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return None, [Problem(file, where, f"{k} = {v!r} must be a finite number")]
    rv = _frozen(dist, {k: float(v) for k, v in numbers.items()}, where, problems, file)
    if rv is None:
        return None, problems
    for k in (k for k in LOCATION_KEYS if k in numbers):
        if (info.low is not None and numbers[k] < info.low) or (info.high is not None and numbers[k] > info.high):
            return None, [Problem(file, where, f"{k} = {numbers[k]:g} is outside the allowed range "
                                               f"{allowed_text(info)}")]
    low = -math.inf if info.low is None else info.low
    high = math.inf if info.high is None else info.high
    outside = float(rv.cdf(low) + rv.sf(high))
    if outside > MAX_OUTSIDE:
        problems.append(Problem(file, where, f"{dist} puts {outside:.2%} of its draws outside the allowed range "
                                             f"{low:g} to {high:g} {info.unit} (at most {MAX_OUTSIDE:.0%})"))
        return None, problems
    try:
        scenario.with_overrides({path: _typed(info, float(rv.median()))})
    except ScenarioError as exc:
        return None, [Problem(file, where, f"cannot vary alone: {p.key}: {p.message}") for p in exc.problems]
    return Distribution(path, info, dict(spec), rv), []


def _typed(info: ParamInfo, value: float) -> float | int:
    return int(round(value)) if info.kind == "int" else float(value)


def _optional_problem(spec: dict[str, Any], path: str) -> str | None:
    """What is wrong with an entry's ``group`` or ``same_draw_as`` on its own, or None."""
    group = spec.get(GROUP)
    if GROUP in spec and (not isinstance(group, str) or not group.strip() or len(group) > MAX_GROUP_NAME
                          or not group.isprintable()):
        return f"group = {group!r} must be a name of 1 to {MAX_GROUP_NAME} printable characters"
    leader = spec.get(SAME_DRAW_AS)
    if SAME_DRAW_AS in spec and (not isinstance(leader, str) or leader == path):
        return f"same_draw_as = {leader!r} must be the path of another entry of the table"
    return None


def _link_problems(dists: list[Distribution], scenario: Scenario) -> list[Problem]:
    """``same_draw_as`` must name another entry of the table that is itself drawn on its own."""
    own = {d.path: d for d in dists}
    problems = []
    for d in dists:
        if d.draw_key == d.path:
            continue
        leader = own.get(d.draw_key)
        if leader is None or leader.draw_key != leader.path:
            why = "is not an entry of the table" if leader is None else "is itself drawn with another entry"
            problems.append(Problem(scenario.source, f"uncertainty.{d.path}",
                                    f"same_draw_as = {d.draw_key!r} {why} (name an entry drawn on its own)"))
    return problems


def parse_uncertainty(scenario: Scenario) -> list[Distribution]:
    """Every distribution of ``scenario.uncertainty`` (in path order); :class:`ScenarioError` lists all problems."""
    out, problems = [], []
    for path in sorted(scenario.uncertainty):
        dist, found = parse_distribution(path, scenario.uncertainty[path], scenario)
        problems.extend(found)
        if dist is not None:
            out.append(dist)
    if not problems:
        problems = _link_problems(out, scenario)
    if problems:
        raise ScenarioError(problems)
    return out


def with_uncertainty(scenario: Scenario, table: dict[str, Any]) -> Scenario:
    """``scenario`` with ``table`` added to its ``[uncertainty]`` (e.g. for a benchmark; not validated here)."""
    return replace(scenario, uncertainty={**scenario.uncertainty, **table})


def uniforms(draws: int, dimensions: int, sampler: str = "lhs", seed: int = 1) -> np.ndarray:
    """A (draws x dimensions) quasi-random design in (0, 1) from ``scipy.stats.qmc``, seeded from ``seed``.

    The stream is keyed apart from every patient stream. Sobol designs balance best with a power of
    two draws (other counts are allowed).
    """
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler = {sampler!r} is not one of {', '.join(SAMPLERS)}")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(PSA_STREAM,)))
    kind = qmc.LatinHypercube if sampler == "lhs" else qmc.Sobol
    try:
        engine = kind(dimensions, rng=rng)  # scipy >= 1.15
    except TypeError:  # pragma: no cover - older scipy
        engine = kind(dimensions, seed=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Sobol: "balance properties ... power of 2"
        u = engine.random(draws)
    return np.clip(u, 1e-12, 1 - 1e-12)  # keep ppf finite at the ends
