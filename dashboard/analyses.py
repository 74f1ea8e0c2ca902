"""Sensitivity analyses from the page: a request checked against the schema and the caps, run once, kept.

A request is plain JSON: ``{"kind": "analysis", "analysis": "sweep"|"tornado"|"psa"|"capacity",
"scenario": NAME, "metric": NAME, "patients", "replications", "seed"}`` plus, per analysis,
``parameter, low, high, steps`` (sweep), ``parameters`` (tornado), ``draws, sampler, uncertainty,
compare`` (PSA; ``compare`` one name or a list, and optionally ``metrics``, a list of outcomes) or
``resource, values`` (capacity). :func:`plan_analysis` refuses anything out of
range or too costly before it runs; :class:`AnalysisBackend` runs it in the caller's process (a
background job) and stores the ``AnalysisResult`` under the request's key. No Dash here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dashboard.analysis_inputs import (
    ANALYSIS_LABELS,
    SAMPLERS,
    capacity_values,
    choose,
    numeric_parameters,
    sweep_values,
    tornado_parameters,
)
from dashboard.checks import check_run_settings, whole_number_problem
from dashboard.config import DashboardConfig
from dashboard.data import (
    CAPACITY_PARAMETERS,
    METRIC_CHOICES,
    AnalysisResult,
    InputError,
    Scenario,
    build_scenario,
    bundled,
    parameter_catalogue,
    request_key,
    run_analysis,
    uncertain_scenario,
)
from dashboard.store import ResultStore

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Caps:
    """What one analysis may cost (from :class:`DashboardConfig`)."""

    max_patients: int
    max_replications: int
    max_runs: int  # simulations: scenario variants x replications
    max_histories: int  # simulations x patients
    max_values: int  # sweep values and capacities
    max_parameters: int  # tornado parameters
    max_draws: int  # PSA draws

    @classmethod
    def from_config(cls, config: DashboardConfig) -> Caps:
        """The caps a dashboard configuration sets."""
        return cls(config.max_patients, config.max_replications, config.max_analysis_runs,
                   config.max_analysis_histories, config.max_sweep_values, config.max_tornado_parameters,
                   config.max_psa_draws)


@dataclass(frozen=True)
class Plan:
    """A checked request: key, scenarios, cost in simulations, and the simulator call's arguments."""

    key: str
    analysis: str
    scenarios: list[Scenario]
    runs: int
    patients: int
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """'One-way sweep on baseline: 10 simulations x 1000 patients'."""
        names = " and ".join(s.name for s in self.scenarios)
        return (f"{ANALYSIS_LABELS[self.analysis]} on {names}: {self.runs} simulations x {self.patients} "
                f"patients = {self.runs * self.patients:,} patient histories")


def _variant(name: str, overrides: Mapping[str, Any]) -> None:
    """Refuse, before anything runs, a value the scenario cannot take (e.g. shares no longer summing to 1)."""
    build_scenario({"base": name, "overrides": dict(overrides), "name": f"{name} (check)"})


def _sweep(request: Mapping[str, Any], name: str, caps: Caps) -> tuple[tuple[Any, ...], dict[str, Any], int]:
    info = choose(request.get("parameter"), numeric_parameters(), "a numeric parameter to sweep")
    values = sweep_values(info, request.get("low"), request.get("high"), request.get("steps"), caps.max_values)
    for v in (values[0], values[-1]):
        _variant(name, {info.path: v})
    return (info.path, values), {"parameter": info.path, "values": values}, len(values)


def _tornado(request: Mapping[str, Any], name: str, caps: Caps) -> tuple[tuple[Any, ...], dict[str, Any], int]:
    paths = list(dict.fromkeys(request.get("parameters") or []))
    if not paths:
        raise InputError("Choose at least one parameter for the tornado.")
    if len(paths) > caps.max_parameters:
        raise InputError(f"{len(paths)} parameters: at most {caps.max_parameters} (this server's limit)")
    choices = tornado_parameters()
    for path in paths:
        info = choose(path, choices, "parameters with a plausible range")
        assert info.plausible is not None
        for end in info.plausible:
            _variant(name, {path: int(end) if info.kind == "int" else float(end)})
    return (paths,), {"parameters": paths}, 1 + 2 * len(paths)


def _psa(request: Mapping[str, Any], scenarios: list[Scenario], caps: Caps) -> tuple[list[Scenario], dict[str, Any]]:
    problem = whole_number_problem("Draws", request.get("draws"), 2, caps.max_draws, "this server's limit")
    if problem:
        raise InputError(problem)
    sampler = request.get("sampler", "lhs")
    if sampler not in SAMPLERS:
        raise InputError(f"sampler {sampler!r} is not one of {', '.join(SAMPLERS)}")
    table = request.get("uncertainty") or {}
    if not isinstance(table, Mapping) or not table:
        raise InputError("the PSA needs at least one uncertain parameter: add a row")
    settings: dict[str, Any] = {"draws": int(float(request["draws"])), "sampler": sampler}
    metrics = request.get("metrics")
    if metrics is not None:  # the Value view asks for cost and QALYs together
        known = {m for m, _, _ in METRIC_CHOICES}
        if not isinstance(metrics, list) or not metrics or not set(metrics) <= known:
            raise InputError(f"PSA outcomes {metrics!r}: choose outcomes of this model")
        settings["metrics"] = list(dict.fromkeys(metrics))
    return [uncertain_scenario(s, table) for s in scenarios], settings


def _compared(compare: Any, reference: str) -> list[str]:
    """The strategies a PSA compares with the reference: one name or a list (the Value view), each once."""
    names = compare if isinstance(compare, list) else [compare] if compare else []
    return [str(n) for n in dict.fromkeys(names) if n and n != reference]


def _capacity(request: Mapping[str, Any], name: str, caps: Caps) -> tuple[tuple[Any, ...], dict[str, Any], int]:
    resource = request.get("resource")
    if resource not in CAPACITY_PARAMETERS:
        raise InputError(f"Choose a resource: {', '.join(CAPACITY_PARAMETERS)}")
    info = parameter_catalogue()[CAPACITY_PARAMETERS[resource]]
    values = capacity_values(request.get("values"), info, caps.max_values)
    for v in (values[0], values[-1]):
        _variant(name, {info.path: v})
    return (resource, values), {"resource": resource, "values": values}, len(values)


def plan_analysis(request: Mapping[str, Any], caps: Caps) -> Plan:
    """Check a request (schema ranges, the caps, the scenario) and return its plan; raises InputError."""
    analysis = request.get("analysis")
    if analysis not in ANALYSIS_LABELS:
        raise InputError(f"Choose an analysis: {', '.join(ANALYSIS_LABELS.values())}.")
    metric = request.get("metric")
    if metric not in {m for m, _, _ in METRIC_CHOICES}:
        raise InputError("Choose an outcome.")
    patients, replications, seed = (request.get(k) for k in ("patients", "replications", "seed"))
    problems = check_run_settings(patients, replications, seed, caps.max_patients, caps.max_replications)
    if problems:
        raise InputError("\n".join(problems))
    name = str(request.get("scenario"))
    scenarios = [bundled(name)]
    if analysis == "psa":
        scenarios += [bundled(str(other)) for other in _compared(request.get("compare"), name)]
        scenarios, settings = _psa(request, scenarios, caps)
        args, variants = (settings["draws"],), settings["draws"] * len(scenarios)
    else:
        check = {"sweep": _sweep, "tornado": _tornado, "capacity": _capacity}[analysis]
        args, settings, variants = check(request, name, caps)
    n, reps = int(float(patients)), int(float(replications))
    runs = variants * reps
    if runs > caps.max_runs or runs * n > caps.max_histories:
        raise InputError(f"This asks for {runs} simulations of {n} patients ({runs * n:,} patient histories); "
                         f"this server allows {caps.max_runs} simulations and {caps.max_histories:,} histories. "
                         "Use fewer values, parameters, draws, replications or patients.")
    settings.update(metric=metric, patients=n, replications=reps, seed=int(float(seed)))
    key = request_key(f"analysis-{analysis}", scenarios, **settings)
    kwargs: dict[str, Any] = {"patients": n, "replications": reps, "seed": settings["seed"]}
    if analysis == "tornado":
        kwargs["metric"] = metric
    else:
        kwargs["metrics"] = settings.get("metrics") or [metric]
    if analysis == "psa":
        kwargs["sampler"] = settings["sampler"]
        return Plan(key, analysis, scenarios, runs, n, (scenarios, *args), kwargs)
    return Plan(key, analysis, scenarios, runs, n, (scenarios[0], *args), kwargs)


def analysis_notes(result: AnalysisResult) -> list[str]:
    """What the result's numbers mean (from its manifest) and the analysis's own notes."""
    m = result.manifest
    keys = {"sweep": ("difference",), "tornado": ("ends", "swing"),
            "psa": ("separation_of_uncertainty", "clipping"), "capacity": ("difference", "worse_than_most")}
    notes = [f"{k.replace('_', ' ').capitalize()}: {m[k]}" for k in keys.get(result.kind, ()) if m.get(k)]
    clipped = {k: v for k, v in (m.get("clipped_draws") or {}).items() if v}
    if clipped:
        notes.append("Clipped draws: " + ", ".join(f"{k} {v}" for k, v in clipped.items()))
    if m.get("common_random_numbers"):
        notes.append(f"Common random numbers: {m['common_random_numbers']}.")
    return notes + list(result.notes)


class AnalysisBackend:
    """Plans, runs and keeps sensitivity analyses (same interface as ``data.Backend`` for the runner)."""

    def __init__(self, store: ResultStore, caps: Caps, workers: int = 1):
        self.store = store
        self.caps = caps
        self.workers = workers

    def plan(self, request: Mapping[str, Any]) -> tuple[str, list[Scenario]]:
        """Check a request; return its key and scenarios (raises InputError)."""
        plan = plan_analysis(request, self.caps)
        return plan.key, plan.scenarios

    def run(self, request: Mapping[str, Any], progress: Progress | None = None) -> str:
        """Run a request (or find it stored); return the result key."""
        plan = plan_analysis(request, self.caps)
        if plan.key not in self.store:
            result = run_analysis(plan.analysis, *plan.args, workers=self.workers, progress=progress, **plan.kwargs)
            self.store.put(plan.key, result)
        return plan.key

    def describe(self, request: Mapping[str, Any], scenarios: Sequence[Scenario] = ()) -> str:
        """'One-way sweep on baseline: 3 simulations x 400 patients = ...' (for the status line)."""
        return plan_analysis(request, self.caps).describe()

    def result(self, key: Any) -> AnalysisResult | None:
        """The analysis stored under ``key``, or None."""
        value = self.store.get(key)
        return value if isinstance(value, AnalysisResult) else None

    def file(self, key: Any, name: str) -> bytes:
        """One file of the result as ``spinesim KIND --out`` writes it (CSV tables, chart, manifest.json)."""
        result = self.result(key)
        if result is None:
            raise InputError("These results are no longer available: run again.")
        if name not in result_files(result):
            raise InputError(f"unknown file {name!r}")
        return self.store.file(str(key), name, lambda folder: result.write(folder, overwrite=True))


def result_files(result: AnalysisResult) -> list[str]:
    """The files of a result: its tables as CSV, its chart as HTML and manifest.json."""
    return [f"{t}.csv" for t in result.tables] + [f"{result.kind}.html", *result.files, "manifest.json"]
