"""The dashboard's only door to the simulator: scenarios, runs, journeys, exports and analyses, cached.

Everything the browser asks for is described by plain JSON (a *scenario spec* and a *run
request*) and answered by a key: the hash of the resolved scenarios and run settings. Results are
stored under that key in a disk cache, so the same request is never simulated twice, any process
(the web server or a background job) can read them, and there is no "current result" shared by
users. A scenario spec is ``{"base": NAME | {"toml": TEXT, "filename": NAME}, "overrides":
{dotted.path: value}, "name": NAME}``; only bundled names and uploaded text are accepted, never a
server path. The what-if analyses (sweep, tornado, PSA, capacity) are planned and checked in
``dashboard.analyses`` and called through :func:`run_analysis`.
"""

from __future__ import annotations

import dataclasses
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from dashboard.checks import check_run_settings, flatten
from dashboard.store import ResultStore, make_key
from simulator import (
    CAPACITY_RESOURCES,
    COLUMNS,
    METRICS,
    TORNADO_PARAMETERS,
    AnalysisResult,
    ParamInfo,
    Results,
    Scenario,
    ScenarioError,
    capacity,
    export_results,
    list_scenarios,
    load_scenario,
    parameter_infos,
    parse_uncertainty,
    patient_journey,
    psa,
    run_experiment,
    sweep,
    tornado,
)
from simulator import EXAMPLE_UNCERTAINTY as _EXAMPLE_UNCERTAINTY

TABLES = ("patients", "events", "states", "summary", "resources")
EXPORT_FILES = tuple(f"{t}.{fmt}" for t in TABLES for fmt in ("csv", "parquet")) + ("manifest.json",)


class InputError(ValueError):
    """A request from the page that cannot be run; the message is shown to the user as is."""


# --- scenarios -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def scenario_choices() -> tuple[tuple[str, str], ...]:
    """(name, description) of every bundled scenario, baseline first."""
    return tuple(list_scenarios())


@lru_cache(maxsize=1)
def parameter_catalogue() -> dict[str, ParamInfo]:
    """The schema's parameters by dotted path (unit, allowed range, kind, description)."""
    return {info.path: info for info in parameter_infos()}


@lru_cache(maxsize=64)
def bundled(name: str) -> Scenario:
    """A bundled scenario by name (refuses anything that is not a bundled name)."""
    names = [n for n, _ in scenario_choices()]
    if name not in names:
        raise InputError(f"'{name}' is not a bundled scenario (choose one of: {', '.join(names)})")
    return load_scenario(name)


def scenario_values(scenario: Scenario) -> dict[str, Any]:
    """Every parameter value of a scenario by dotted path."""
    return flatten(scenario.resolved())


def scenario_from_upload(text: str, filename: str = "upload.toml") -> Scenario:
    """Validate an uploaded scenario file exactly as ``spinesim run`` would.

    ``extends`` may name a bundled scenario only (no paths on this server). Raises
    :class:`InputError` with the simulator's messages, naming ``filename`` rather than a temp path.
    """
    shown = Path(filename).name or "upload.toml"
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{shown}: not valid TOML: {exc}") from None
    parent = doc.get("extends")
    names = [n for n, _ in scenario_choices()]
    if parent is not None and parent not in names:
        raise InputError(f"{shown}: extends = {parent!r}: an uploaded scenario may only extend a "
                         f"bundled scenario ({', '.join(names)})")
    with tempfile.TemporaryDirectory(prefix="spinesim-upload-") as tmp:
        path = Path(tmp) / "uploaded.toml"
        path.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(str(path))
        except ScenarioError as exc:
            raise InputError(str(exc).replace(str(path), shown)) from None
    name = doc.get("name") if isinstance(doc.get("name"), str) else Path(shown).stem
    return scenario.with_overrides({}, name=name)  # detach from the temporary file


def build_scenario(spec: Mapping[str, Any]) -> Scenario:
    """The scenario a spec describes (base, then overrides, then name); raises InputError."""
    base = spec.get("base", "baseline")
    if isinstance(base, Mapping):
        scenario = scenario_from_upload(str(base.get("toml", "")), str(base.get("filename", "upload.toml")))
    else:
        scenario = bundled(str(base))
    overrides = dict(spec.get("overrides") or {})
    name = spec.get("name")
    if overrides or name:
        try:
            scenario = scenario.with_overrides(overrides, name=name or scenario.name,
                                               description=spec.get("description"))
        except ScenarioError as exc:
            raise InputError(str(exc)) from None
    return scenario


def scenario_toml(spec: Mapping[str, Any], parent: str) -> str:
    """The spec as a scenario file that extends the bundled ``parent`` (only changed values)."""
    parent_scenario = bundled(parent)
    return build_scenario(spec).to_toml(extends=parent_scenario.name, parent=parent_scenario)


# --- requests and their keys ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _version() -> str:
    """The installed spinesim version (part of every cache key)."""
    try:
        return version("spinesim")
    except PackageNotFoundError:  # a source tree that is not installed
        return "unknown"


def request_key(kind: str, scenarios: Sequence[Scenario], **settings: Any) -> str:
    """A stable key for a request: resolved scenarios (name + digest), settings, package version."""
    payload = {"kind": kind, "scenarios": [(s.name, s.digest()) for s in scenarios],
               "settings": settings, "version": _version()}
    return make_key(payload)


# --- running ---------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def plan(request: Mapping[str, Any], max_patients: int, max_replications: int) -> tuple[str, list[Scenario]]:
    """Validate a run request and return its key and scenarios (raises InputError).

    ``request`` is ``{"kind": "experiment"|"journey", "scenarios": [spec, ...], "patients": n,
    "replications": r, "seed": s}`` and, for a journey, ``"replication"`` and ``"patient_id"``.
    """
    kind = request.get("kind", "experiment")
    scenarios = [build_scenario(spec) for spec in request.get("scenarios", [])]
    names = [s.name for s in scenarios]
    if not scenarios:
        raise InputError("choose at least one scenario")
    if len(set(names)) != len(names):
        raise InputError(f"each strategy may appear once (got {', '.join(names)})")
    patients, replications, seed = (request.get(k) for k in ("patients", "replications", "seed"))
    problems = check_run_settings(patients, replications, seed, max_patients, max_replications)
    if problems:
        raise InputError("; ".join(problems))
    settings: dict[str, Any] = {"patients": int(patients), "replications": int(replications),
                                "seed": int(seed)}
    if kind == "journey":
        settings.update(replication=int(request.get("replication", 0)),
                        patient_id=int(request.get("patient_id", 0)))
    elif kind != "experiment":
        raise InputError(f"unknown request kind {kind!r}")
    return request_key(kind, scenarios, **settings), scenarios


def run(request: Mapping[str, Any], store: ResultStore, max_patients: int, max_replications: int,
        workers: int = 1, progress: Progress | None = None) -> str:
    """Run (or find in the cache) what ``request`` describes; return the result key."""
    key, scenarios = plan(request, max_patients, max_replications)
    if key in store:
        return key
    n, reps, seed = int(request["patients"]), int(request["replications"]), int(request["seed"])
    if request.get("kind") == "journey":
        value: Any = journeys(scenarios, seed, int(request.get("replication", 0)),
                              int(request.get("patient_id", 0)), n)
    else:
        value = run_experiment(scenarios, n, reps, seed, workers=workers, progress=progress)
    store.put(key, value)
    return key


def journeys(scenarios: Sequence[Scenario], seed: int, replication: int, patient_id: int,
             patients: int) -> dict[str, dict[str, Any]]:
    """The same patient's journey under each scenario: events, daily states, onset day."""
    out = {}
    for s in scenarios:
        j = patient_journey(s, seed, replication, patient_id, patients)
        onset = j.patient.get("onset_day")
        out[s.name] = {"events": j.events, "states": j.states, "patient": j.patient,
                       "onset_day": None if onset is None or onset != onset else float(onset)}
    return out


def export_file(store: ResultStore, key: str, filename: str) -> bytes:
    """One file of a result's export (as ``spinesim run --out`` writes it), by whitelisted name."""
    if filename not in EXPORT_FILES:
        raise InputError(f"unknown export file {filename!r}")
    results = store.get(key)
    if not isinstance(results, Results):
        raise InputError("these results are no longer available: run again")
    folder = store.directory / "exports" / key
    if not (folder / "manifest.json").exists():
        export_results(results, folder, formats=("csv", "parquet"), overwrite=True)
    return (folder / filename).read_bytes()


def column_dictionary() -> list[dict[str, str]]:
    """The simulator's data dictionary as rows: table, column, meaning, unit, allowed values."""
    rows = []
    for table, columns in COLUMNS.items():
        for c in columns:
            rows.append({"table": table, "column": c.name, "meaning": c.meaning, "unit": str(c.unit or ""),
                         "allowed": str(c.allowed or "")})
    return rows


class Backend:
    """What the callbacks use: the run caps, the result store and the run function, bound together."""

    def __init__(self, store: ResultStore, max_patients: int, max_replications: int, workers: int = 1):
        self.store = store
        self.max_patients = max_patients
        self.max_replications = max_replications
        self.workers = workers

    def plan(self, request: Mapping[str, Any]) -> tuple[str, list[Scenario]]:
        """Validate a request; return its key and scenarios (raises InputError)."""
        return plan(request, self.max_patients, self.max_replications)

    def run(self, request: Mapping[str, Any], progress: Progress | None = None) -> str:
        """Run a request (or find it cached); return the result key."""
        return run(request, self.store, self.max_patients, self.max_replications, self.workers, progress)

    def describe(self, request: Mapping[str, Any], scenarios: Sequence[Scenario]) -> str:
        """The scenarios a request runs (for the status line)."""
        return ", ".join(s.name for s in scenarios)

    def results(self, key: Any) -> Results | None:
        """The experiment results under ``key``, or None."""
        value = self.store.get(key)
        return value if isinstance(value, Results) else None

    def journeys(self, results: Results, replication: int, patient_id: int,
                 names: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The same patient's journey under the named scenarios of ``results`` (cached)."""
        chosen = [s for s in results.scenarios if s.name in names]
        n, seed = int(results.manifest["patients"]), int(results.manifest["seed"])
        key = request_key("journey", chosen, patients=n, seed=seed, replication=replication,
                          patient_id=patient_id)
        value = self.store.get(key)
        if value is None:
            value = journeys(chosen, seed, replication, patient_id, n)
            self.store.put(key, value)
        return value

    def export_file(self, key: str, filename: str) -> bytes:
        """One exported file of a result (whitelisted name)."""
        return export_file(self.store, key, filename)


# --- what-if analyses (planned by dashboard.analyses) ----------------------------------------

ANALYSES: dict[str, Callable[..., AnalysisResult]] = {"sweep": sweep, "tornado": tornado, "psa": psa,
                                                      "capacity": capacity}
METRIC_CHOICES: tuple[tuple[str, str, str], ...] = tuple((m.name, m.label, m.unit) for m in METRICS)
TORNADO_DEFAULTS, CAPACITY_PARAMETERS = tuple(TORNADO_PARAMETERS), dict(CAPACITY_RESOURCES)
#: The README's example PSA table, copied so that the page's edits never touch the simulator's.
EXAMPLE_UNCERTAINTY = {path: dict(spec) for path, spec in _EXAMPLE_UNCERTAINTY.items()}
def _refusal(exc: ScenarioError) -> InputError:
    return InputError("\n".join(f"{p.key}: {p.message}" for p in exc.problems))


def uncertain_scenario(scenario: Scenario, table: Mapping[str, Mapping[str, Any]]) -> Scenario:
    """``scenario`` with ``table`` as its whole ``[uncertainty]``, validated (InputError lists every problem)."""
    uncertain = dataclasses.replace(scenario, uncertainty={k: dict(v) for k, v in table.items()})
    try:
        parse_uncertainty(uncertain)
    except ScenarioError as exc:
        raise _refusal(exc) from None
    return uncertain


def run_analysis(kind: str, *args: Any, **kwargs: Any) -> AnalysisResult:
    """Run ``simulator.KIND(*args, **kwargs)``; a refused input becomes an InputError."""
    try:
        return ANALYSES[kind](*args, **kwargs)
    except ScenarioError as exc:
        raise _refusal(exc) from None
