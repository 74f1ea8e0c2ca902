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

from dashboard.checks import check_run_settings, flatten, whole_number_problem
from dashboard.store import ResultStore, make_key
from simulator import (
    CAPACITY_RESOURCES,
    COLUMNS,
    EVENT_KINDS,
    METRIC_BY_NAME,
    METRICS,
    NO_TREATMENT,
    SERVICE_KINDS,
    TORNADO_PARAMETERS,
    TREATMENT_KINDS,
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
    run_to_precision,
    sweep,
    tornado,
)
from simulator import DEFAULT_METRIC as DEFAULT_METRIC  # the outcome a sensitivity analysis starts on
from simulator import EXAMPLE_UNCERTAINTY as _EXAMPLE_UNCERTAINTY

# Re-exported for the rest of the dashboard (this module is its only door to the simulator): the answer-first
# words, and the Value view's value-for-money words and charts
from simulator import HEADLINE_METRICS as HEADLINE_METRICS  # the answer-first outcomes
from simulator import INTERVAL_METHOD as INTERVAL_METHOD
from simulator import SAMPLE_KINDS as SAMPLE_KINDS
from simulator import UNCERTAINTY_TEXT_KEYS as UNCERTAINTY_TEXT_KEYS  # an entry's words (group, same_draw_as)
from simulator import Comparison as Comparison
from simulator import Event as Event  # the event log's names
from simulator import acceptability as acceptability
from simulator import acceptability_figure as acceptability_figure
from simulator import budget_figure as budget_figure
from simulator import ce_plane_figure as ce_plane_figure
from simulator import comparisons as comparisons
from simulator import format_change as format_change
from simulator import format_interval as format_interval
from simulator import format_money as format_money
from simulator import format_value as format_value
from simulator import html_report as html_report
from simulator import identical_to_reference as identical_to_reference
from simulator import nmb_at as nmb_at
from simulator import nmb_figure as nmb_figure
from simulator import per_strategy as per_strategy
from simulator import psa_acceptability as psa_acceptability
from simulator import psa_samples as psa_samples
from simulator import replication_interval as replication_interval  # the summary's interval, for the figures
from simulator import threshold_grid as threshold_grid
from simulator import value_sentence as value_sentence
from simulator import verdict as verdict

#: readable names of the model's events and services, from the simulator's vocabularies
EVENT_LABELS = {kind.name: kind.label[:1].lower() + kind.label[1:] for kind in EVENT_KINDS}
SERVICE_LABELS = {kind.name: kind.label for kind in SERVICE_KINDS}
#: each treatment's label, in the vocabulary's order (the order of the treatment-mix bars)
TREATMENT_LABELS = {**{kind.code: kind.label for kind in TREATMENT_KINDS}, NO_TREATMENT: "No treatment"}

TABLES = ("patients", "events", "states", "summary", "resources")
EXPORT_FILES = tuple(f"{t}.{fmt}" for t in TABLES for fmt in ("csv", "parquet")) + ("manifest.json",)
UPLOAD_MAX_BYTES = 200_000  # a scenario file is a few kB; the bundled baseline is about 12 kB
UPLOAD_MAX_KEYS = 2_000  # the schema has a few hundred parameters
UPLOAD_MAX_DEPTH = 8  # tables within tables
#: "Run more replications": the auto-replication engine's target (relative half-width of the 95% interval).
AUTO_PRECISION = 0.02


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
    size = len(text.encode("utf-8", "replace"))
    if size > UPLOAD_MAX_BYTES:
        raise InputError(f"{shown} is {size:,} bytes: a scenario file may be at most {UPLOAD_MAX_BYTES:,} bytes "
                         f"({UPLOAD_MAX_BYTES // 1000} kB)")
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{shown}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{shown}: not a scenario file: its arrays or tables are nested too deeply "
                         f"(at most {UPLOAD_MAX_DEPTH} levels)") from None
    _check_shape(doc, shown)
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


def _check_shape(doc: Mapping[str, Any], shown: str) -> None:
    """Refuse, before validation, a file with too many keys or too deep a nesting (no recursion)."""
    keys, stack = 0, [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > UPLOAD_MAX_DEPTH:
            raise InputError(f"{shown}: not a scenario file: its arrays or tables are nested more than "
                             f"{UPLOAD_MAX_DEPTH} levels deep")
        children = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
        keys += len(value) if isinstance(value, Mapping) else 0
        if keys > UPLOAD_MAX_KEYS:
            raise InputError(f"{shown}: more than {UPLOAD_MAX_KEYS:,} keys: a scenario file sets at most a few "
                             "hundred parameters")
        stack.extend((child, depth + 1) for child in children if isinstance(child, Mapping | list))


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


def plan(request: Mapping[str, Any], max_patients: int, max_replications: int,
         max_strategies: int = 8) -> tuple[str, list[Scenario]]:
    """Validate a run request against every cap and return its key and scenarios (raises InputError).

    ``request`` is ``{"kind": "experiment"|"journey", "scenarios": [spec, ...], "patients": n,
    "replications": r, "seed": s}``, for a journey also ``"replication"`` and ``"patient_id"``, and
    ``"auto": METRIC`` for as many replications (up to the cap) as ``METRIC`` needs. The caps are
    checked here, where the work starts (in the server and again in the worker), not only by the page.
    """
    kind = request.get("kind", "experiment")
    specs = request.get("scenarios") or []
    if not isinstance(specs, list) or not specs:
        raise InputError("choose at least one scenario")
    if len(specs) > max_strategies:
        raise InputError(f"{len(specs)} strategies: at most {max_strategies} can be compared at once "
                         "(one colour each; this server's limit)")
    scenarios = [build_scenario(spec) for spec in specs]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"each strategy may appear once (got {', '.join(names)})")
    patients, replications, seed = (request.get(k) for k in ("patients", "replications", "seed"))
    problems = check_run_settings(patients, replications, seed, max_patients, max_replications)
    if problems:
        raise InputError("; ".join(problems))
    settings: dict[str, Any] = {"patients": int(patients), "replications": int(replications),
                                "seed": int(seed)}
    if kind == "journey":
        for label, value, high in (("Replication", request.get("replication", 0), settings["replications"] - 1),
                                   ("Patient", request.get("patient_id", 0), settings["patients"] - 1)):
            problem = whole_number_problem(label, value, 0, high)
            if problem:
                raise InputError(problem)
        settings.update(replication=int(request.get("replication", 0)),
                        patient_id=int(request.get("patient_id", 0)))
    elif kind != "experiment":
        raise InputError(f"unknown request kind {kind!r}")
    if request.get("auto") is not None:
        if request["auto"] not in METRIC_BY_NAME or kind != "experiment":
            raise InputError(f"more replications: {request['auto']!r} is not an outcome of this model")
        settings.update(auto=request["auto"], precision=AUTO_PRECISION)
    return request_key(kind, scenarios, **settings), scenarios


def run(request: Mapping[str, Any], store: ResultStore, max_patients: int, max_replications: int,
        workers: int = 1, progress: Progress | None = None, max_strategies: int = 8) -> str:
    """Run (or find in the cache) what ``request`` describes; return the result key."""
    key, scenarios = plan(request, max_patients, max_replications, max_strategies)
    if key in store:
        return key
    n, reps, seed = int(request["patients"]), int(request["replications"]), int(request["seed"])
    if request.get("kind") == "journey":
        value: Any = journeys(scenarios, seed, int(request.get("replication", 0)),
                              int(request.get("patient_id", 0)), n)
    elif request.get("auto") is not None:  # at least one more replication than asked, at most the cap
        cap = min(max_replications, max(2 * reps, reps + 1))
        value = run_to_precision(scenarios, n, seed, AUTO_PRECISION, str(request["auto"]), max_replications=cap,
                                 workers=workers, progress=progress)
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
    return store.file(key, filename, lambda folder: export_results(results, folder, formats=("csv", "parquet"),
                                                                   overwrite=True))


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

    def __init__(self, store: ResultStore, max_patients: int, max_replications: int, workers: int = 1,
                 max_strategies: int = 8):
        self.store = store
        self.max_patients = max_patients
        self.max_replications = max_replications
        self.workers = workers
        self.max_strategies = max_strategies

    def plan(self, request: Mapping[str, Any]) -> tuple[str, list[Scenario]]:
        """Validate a request; return its key and scenarios (raises InputError)."""
        return plan(request, self.max_patients, self.max_replications, self.max_strategies)

    def run(self, request: Mapping[str, Any], progress: Progress | None = None) -> str:
        """Run a request (or find it cached); return the result key."""
        return run(request, self.store, self.max_patients, self.max_replications, self.workers, progress,
                   self.max_strategies)

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
