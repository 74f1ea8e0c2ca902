"""Experiments: scenarios x replications on the same patients (common random numbers).

``run_experiment`` is the one entry point (in the spirit of Mesa's ``batch_run``): every unit is
one (scenario, replication), seeded by (seed, replication, patient, purpose) alone, and the
tables come back tidy and keyed by ``scenario, replication, patient_id``.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.economics.budget import Budget, block_budget, budget_rows, replication_budget, summarise_budget
from simulator.economics.patient import patient_economics
from simulator.economics.value import has_value_metrics, value_tables
from simulator.model.simulation import Replication, simulate
from simulator.output.export import FORMATS, PATIENT_TABLES, join_parts, part_path, write_part, write_table
from simulator.output.folder import Committed, staged_output
from simulator.output.kpis import KPIS, kpi_rows, replication_kpis
from simulator.output.metrics import VALUE_COLUMNS, metric_rows, replication_metrics, summarise
from simulator.output.tables import events_table, patients_table, resources_table, states_table, trajectories_table
from simulator.parameters.scenario import Scenario
from simulator.run.executor import Cancel, Progress, execute
from simulator.version import environment_versions, package_version
from simulator.vocabulary import DAYS_PER_MONTH

DEFAULT_GRID_DAYS = DAYS_PER_MONTH


@dataclass(frozen=True)
class Unit:
    """One independent piece of work: a scenario's replication.

    With ``sink`` (a folder), the unit writes its per-patient tables there block by block, as parts
    in ``formats`` (joined later by the parent), instead of returning them.
    """

    scenario: Scenario
    seed: int
    replication: int
    patients: int
    grid_days: float
    sink: str | None = None
    formats: tuple[str, ...] = ()


@dataclass
class UnitResult:
    """The tables and metrics of one unit (the per-patient tables empty when they went to the sink)."""

    patients: pd.DataFrame
    events: pd.DataFrame
    states: pd.DataFrame
    trajectories: pd.DataFrame
    costs: pd.DataFrame
    resources: pd.DataFrame
    metrics: dict[str, float]
    events_simulated: int
    rows: dict[str, int] = field(default_factory=dict)  # rows of each per-patient table
    parts: int = 0  # blocks written to the sink
    budget: Budget = field(default_factory=dict)  # item -> amount per calendar year
    kpis: dict[str, float] = field(default_factory=dict)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one replication.

    A replication allocates hundreds of thousands of long-lived records that all die together;
    collecting mid-run only rescans them (it made a 100k-patient run 1.3x slower). Cycles left by
    finished SimPy processes are collected when the collector resumes, or after each block.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def block_tables(block: Replication, scenario: str, replication: int, grid_days: float,
                 states: bool = True) -> tuple[dict[str, pd.DataFrame], Budget]:
    """The per-patient tables of one block of patients (``states=False``: without the states grid).

    And the block's budget: its costs and patients per calendar year (from the same costed lines as
    the costs table).
    """
    params = block.params
    patients = patients_table(block, scenario, replication, params)
    events = events_table(block, scenario, replication)
    trajectories = trajectories_table(block, scenario, replication, params)
    economics = patient_economics(patients, events, trajectories, params)
    patients = patients.merge(economics.per_patient, on=["scenario", "replication", "patient_id"], how="left")
    tables = {"patients": patients, "events": events, "trajectories": trajectories, "costs": economics.costs}
    if states:
        tables["states"] = states_table(block, scenario, replication, params, grid_days)
    return tables, block_budget(economics.lines, patients, params.economics.horizon_years)


class _Blocks:
    """What a unit keeps of each finished block.

    Its tables (or their parts, written to the sink), the rows the metrics and KPIs read (the
    symptomatic and diagnosed, and every patient's value columns) and its budget.
    """

    def __init__(self, unit: Unit, keep: tuple[str, ...]):
        self.unit, self.keep = unit, keep
        self.tables: dict[str, list[pd.DataFrame]] = {name: [] for name in PATIENT_TABLES}
        self.rows = dict.fromkeys(PATIENT_TABLES, 0)
        self.metric_rows: list[pd.DataFrame] = []
        self.values: list[pd.DataFrame] = []
        self.kpi_rows: list[pd.DataFrame] = []
        self.budgets: list[Budget] = []
        self.parts = 0

    def __call__(self, block: Replication) -> None:
        unit = self.unit
        tables, budget = block_tables(block, unit.scenario.name, unit.replication, unit.grid_days,
                                      "states" in self.keep)
        patients = tables["patients"]
        self.metric_rows.append(metric_rows(patients))
        self.values.append(patients[list(VALUE_COLUMNS)])
        self.kpi_rows.append(kpi_rows(patients, tables["events"], block.services.mri_scan_days))
        self.budgets.append(budget)
        for name, frame in tables.items():
            self.rows[name] += len(frame)
            if unit.sink:
                write_part(frame, Path(unit.sink), name, self.parts, unit.formats)
            elif name in self.keep:
                self.tables[name].append(frame)
        self.parts += 1
        if unit.sink and not gc.isenabled():
            gc.collect()  # the finished block's SimPy cycles: memory stays bounded by the block

    def table(self, name: str) -> pd.DataFrame:
        return _concat(self.tables[name])


def run_unit(unit: Unit, keep: tuple[str, ...] = PATIENT_TABLES) -> UnitResult:
    """Simulate one replication of one scenario and tabulate it, block by block (runs in a worker).

    ``keep``: the per-patient tables to return (the metrics never need the others).
    """
    with gc_paused():
        params, name = unit.scenario.params, unit.scenario.name
        blocks = _Blocks(unit, keep)
        rep = simulate(params, unit.seed, unit.replication, unit.patients, on_block=blocks)
        resources = resources_table(rep, name, unit.replication, params)
        metrics = replication_metrics(_concat(blocks.metric_rows), resources, cohort=_concat(blocks.values))
        return UnitResult(
            patients=blocks.table("patients"), events=blocks.table("events"), states=blocks.table("states"),
            trajectories=blocks.table("trajectories"), costs=blocks.table("costs"), resources=resources,
            metrics=metrics, events_simulated=rep.events_simulated, rows=blocks.rows, parts=blocks.parts,
            budget=replication_budget(blocks.budgets, resources, params.economics.horizon_years),
            kpis=replication_kpis(_concat(blocks.kpi_rows), resources, params.targets))


@dataclass
class Results:
    """Everything an experiment produced, as tidy tables plus a manifest."""

    scenarios: list[Scenario]
    patients: pd.DataFrame
    events: pd.DataFrame
    states: pd.DataFrame
    trajectories: pd.DataFrame
    costs: pd.DataFrame
    resources: pd.DataFrame
    per_replication: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict[str, Any]
    events_simulated: int = field(default=0, compare=False)
    value: pd.DataFrame = field(default_factory=pd.DataFrame)
    net_benefit: pd.DataFrame = field(default_factory=pd.DataFrame)
    budget: pd.DataFrame = field(default_factory=pd.DataFrame)
    kpis: pd.DataFrame = field(default_factory=pd.DataFrame)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The exported tables by name."""
        return {"patients": self.patients, "events": self.events, "states": self.states,
                "trajectories": self.trajectories, "costs": self.costs, "summary": self.summary,
                "resources": self.resources, "value": self.value, "net_benefit": self.net_benefit,
                "budget": self.budget, "kpis": self.kpis}


def run_experiment(scenarios: list[Scenario], patients: int, replications: int, seed: int, workers: int = 1,
                   grid_days: float = DEFAULT_GRID_DAYS, progress: Progress | None = None,
                   cancel: Cancel | None = None, **executor_options: Any) -> Results:
    """Run every scenario on the same ``patients`` synthetic patients, ``replications`` times."""
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique: {names}")
    units = [Unit(s, seed, r, patients, grid_days) for s in scenarios for r in range(replications)]
    done = execute(run_unit, units, workers=workers, progress=progress, cancel=cancel, **executor_options)
    return assemble_results(scenarios, list(zip(units, done, strict=True)), patients, replications, seed, grid_days)


def export_experiment(scenarios: list[Scenario], patients: int, replications: int, seed: int, out_dir: Path | str,
                      formats: tuple[str, ...] = FORMATS, overwrite: bool = False, workers: int = 1,
                      grid_days: float = DEFAULT_GRID_DAYS, progress: Progress | None = None,
                      cancel: Cancel | None = None, **executor_options: Any) -> tuple[Results, Committed]:
    """:func:`run_experiment` written straight to ``out_dir``, in bounded memory.

    Each unit writes its per-patient tables block by block into the staging folder (in its worker);
    the parts are then joined in (scenario, replication, block) order, so the files are the same
    whatever the number of workers (up to ``workers`` files are joined at once, each by one thread),
    and the folder is swapped in whole. The returned results carry the summaries and resources;
    their per-patient tables are empty (they are in the files).
    """
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique: {names}")
    with staged_output(Path(out_dir), overwrite) as staging:
        parts = staging.path / ".parts"
        units = [Unit(s, seed, r, patients, grid_days, sink=str(parts / f"unit-{k:05d}"), formats=formats)
                 for k, (s, r) in enumerate((s, r) for s in scenarios for r in range(replications))]
        done = execute(run_unit, units, workers=workers, progress=progress, cancel=cancel, **executor_options)
        results = assemble_results(scenarios, list(zip(units, done, strict=True)), patients, replications, seed,
                                   grid_days)
        joins = [([part_path(Path(u.sink), table, b, fmt) for u, d in zip(units, done, strict=True)
                   for b in range(d.parts)], staging.path / f"{table}.{fmt}")
                 for table in PATIENT_TABLES for fmt in formats]
        pool = ThreadPoolExecutor(max_workers=max(1, workers))  # pyarrow and file copies release the GIL
        try:
            for job in [pool.submit(join_parts, sources, target) for sources, target in joins]:
                job.result()  # each file by one thread, in part order: the same bytes; errors raise here
        finally:
            pool.shutdown(cancel_futures=True)  # after an error or Ctrl-C, the joins not yet started never start
        shutil.rmtree(parts)
        for name, frame in results.tables().items():
            if name not in PATIENT_TABLES:
                for fmt in formats:
                    write_table(frame, staging.path / f"{name}.{fmt}")
        results.manifest["rows"].update({table: sum(d.rows[table] for d in done) for table in PATIENT_TABLES})
        return results, staging.commit(results.manifest)


def assemble_results(scenarios: list[Scenario], done: list[tuple[Unit, UnitResult]], patients: int,
                     replications: int, seed: int, grid_days: float) -> Results:
    """The :class:`Results` of finished units, given in (scenario, replication) order."""
    names = [s.name for s in scenarios]
    per_rep = pd.DataFrame([{"scenario": u.scenario.name, "replication": u.replication, **d.metrics}
                            for u, d in done])
    frames = [d for _, d in done]
    results = Results(
        scenarios=list(scenarios),
        patients=_concat([d.patients for d in frames]),
        events=_concat([d.events for d in frames]),
        states=_concat([d.states for d in frames]),
        trajectories=_concat([d.trajectories for d in frames]),
        costs=_concat([d.costs for d in frames]),
        resources=_concat([d.resources for d in frames]),
        per_replication=per_rep,
        summary=summarise(per_rep, names),
        manifest={},
        events_simulated=sum(d.events_simulated for d in frames),
        budget=summarise_budget(pd.DataFrame([row for u, d in done for row in budget_rows(
            u.scenario.name, u.replication, d.budget)]), names),
        kpis=summarise(pd.DataFrame([{"scenario": u.scenario.name, "replication": u.replication, **d.kpis}
                                     for u, d in done]), names, KPIS),
    )
    if len(per_rep) and has_value_metrics(per_rep):
        tables = value_tables(per_rep, names[0], list(scenarios[0].params.economics.wtp_thresholds))
        results.value, results.net_benefit = tables["value"], tables["net_benefit"]
    results.manifest = manifest(results, patients, replications, seed, grid_days)
    return results


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def manifest(results: Results, patients: int, replications: int, seed: int, grid_days: float) -> dict[str, Any]:
    """What was run, with every resolved parameter: enough to reproduce the files to the byte."""
    return {
        "spinesim_version": package_version(),
        "versions": environment_versions(),
        "seed": seed,
        "patients": patients,
        "replications": replications,
        "grid_days": grid_days,
        "common_random_numbers": "streams keyed by (seed, replication, patient, purpose)",
        "scenarios": [{"name": s.name, "description": s.description, "source": s.source,
                       "extends_chain": list(s.chain), "digest": s.digest(), "parameters": s.resolved(),
                       "uncertainty": s.uncertainty} for s in results.scenarios],
        "rows": {name: int(len(frame)) for name, frame in results.tables().items()},
    }
