"""``python -m benchmarks`` (``make bench``): speed and memory of spinesim, printed, never asserted.

For each named configuration (``benchmarks/configurations.py``):

* wall time of the whole ``spinesim run ... --format csv`` command, run as a subprocess (start-up,
  simulation, tables, export), and patients per second of that wall time;
* peak memory (max RSS) of that command, read by a small wrapper process with
  ``resource.getrusage(RUSAGE_CHILDREN)`` so each configuration is measured on its own;
* simulated SimPy events per second of an in-process ``run_experiment`` (``Results.events_simulated``);
* the ratio of the model's simulation time (``simulate``: cohort draw + SimPy processes) to a bare
  SimPy loop that schedules the same number of events with the same number of patients arriving
  over time (``benchmarks/bare_simpy.py``).

Then peak memory per 1,000 patients, beside the in-memory size of the output tables per 1,000
patients, so one sees whether memory grows faster than the tables themselves. Two rows are slots
to be wired by their owners: the dashboard's click-to-charts time and the PSA speed-up.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bare_simpy import bare_loop
from benchmarks.configurations import CONFIGURATIONS, Configuration

#: Runs argv[1:] as a child and prints its wall time and peak RSS (KiB on Linux) as JSON.
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
print(json.dumps({"code": code, "wall": wall,
                  "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass
class Row:
    config: Configuration
    cli_wall: float
    peak_mib: float
    events: int
    run_wall: float
    simulate_wall: float
    bare_wall: float
    bare_events: int
    tables_mib: float
    bare25_wall: float  # PLATFORM.md's reference design: the same patients, 25 timeouts each


def _spinesim() -> list[str]:
    script = Path(sys.executable).with_name("spinesim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


def measure_cli(config: Configuration) -> tuple[float, float]:
    """Wall seconds and peak MiB of the whole CLI command, in a fresh wrapper process."""
    out = tempfile.mkdtemp(prefix="spinesim-bench-")
    try:
        command = [*_spinesim(), *config.cli_args(os.path.join(out, "run"))]
        done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], check=True, capture_output=True, text=True)
        report = json.loads(done.stdout)
        if report["code"] != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {report['code']}")
        return report["wall"], report["maxrss_kib"] / 1024
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure_in_process(config: Configuration) -> tuple[int, float, float, float]:
    """(events simulated, run_experiment seconds, simulate seconds, output tables MiB)."""
    from simulator import load_scenario, run_experiment
    from simulator.model.simulation import simulate

    scenario = load_scenario(config.scenario)
    start = time.perf_counter()
    results = run_experiment([scenario], config.patients, config.replications, config.seed)
    run_wall = time.perf_counter() - start
    tables = sum(int(frame.memory_usage(deep=True).sum()) for frame in results.tables().values()) / 2**20
    events = results.events_simulated
    del results
    start = time.perf_counter()
    simulate(scenario.params, config.seed, 0, config.patients)
    simulate_wall = time.perf_counter() - start
    return events, run_wall, simulate_wall, tables


BARE_STEPS = 25  # the and PLATFORM.md's reference: ~15,000 patients/s at 25 timeouts per patient


def measure(config: Configuration) -> Row:
    cli_wall, peak = measure_cli(config)
    events, run_wall, simulate_wall, tables = measure_in_process(config)
    bare_wall, bare_events = bare_loop(events // config.replications, config.patients, config.seed)
    bare25_wall, _ = bare_loop(config.patients * (BARE_STEPS + 3), config.patients, config.seed)
    return Row(config, cli_wall, peak, events, run_wall, simulate_wall, bare_wall, bare_events, tables, bare25_wall)


# --- slots wired by their owners --------------------------------------------------------------------------


def dashboard_cold_time_to_charts() -> float | None:
    """Seconds from Run to charts for the default comparison when nothing was computed before (simulation included)."""
    try:
        from dashboard.bench import time_to_charts
    except ImportError:
        return None
    return float(time_to_charts(precomputed=False, timeout_s=300.0))


def dashboard_time_to_charts() -> float | None:
    """Seconds from clicking Run on the dashboard's default comparison to every chart drawn (``dashboard.bench``).

    Returns None when the dashboard's benchmark is not importable.
    """
    try:
        from dashboard.bench import time_to_charts
    except ImportError:
        return None
    return float(time_to_charts(timeout_s=120.0))


PSA_PATIENTS = 20000  # per draw (1 replication): units of ~2 s, so worker start-up (~1.5 s once) does not dominate


def psa_speedup(draws: int = 8) -> float | None:
    """SLOT: speed-up of the PSA with 2 workers over 1 worker on ``draws`` draws (``simulator.analysis.psa``).

    Returns None when the PSA is not importable.
    """
    try:
        from simulator.analysis.psa import psa
        from simulator.analysis.uncertainty import with_uncertainty
    except ImportError:
        return None
    from simulator import load_scenario

    baseline = load_scenario("baseline")
    walk = baseline.params.response.p_walk_rt_not_walking
    delay = baseline.params.pathway.patient_delay_median_days
    scenarios = [with_uncertainty(baseline, {
        "response.p_walk_rt_not_walking": {"dist": "beta", "mean": walk, "sd": 0.05},
        "pathway.patient_delay_median_days": {"dist": "lognormal", "low": delay / 2, "high": delay * 2},
    })]
    walls = {}
    for workers in (1, 2):
        start = time.perf_counter()
        psa(scenarios, draws, patients=PSA_PATIENTS, replications=1, seed=1, workers=workers)
        walls[workers] = time.perf_counter() - start
    return walls[1] / walls[2]


def _slot(label: str, fn, unit: str) -> str:
    try:
        value = fn()
    except Exception as exc:  # a slot must never stop the table
        return f"{label:<46} failed: {type(exc).__name__}: {exc}".splitlines()[0]
    return f"{label:<46} {'not wired' if value is None else format(value, '.2f') + unit}"


# --- the table ----------------------------------------------------------------------------------------------


def main() -> int:
    print(f"spinesim benchmarks (python {sys.version.split()[0]}, {os.cpu_count()} CPUs); never asserted\n")
    rows = []
    for config in CONFIGURATIONS:
        print(f"measuring {config.name}: {config.scenario}, {config.patients:,} patients ...", file=sys.stderr)
        rows.append(measure(config))

    head = (f"{'config':<7} {'patients':>9} {'cli wall s':>10} {'patients/s':>11} {'events':>10} {'events/s':>10} "
            f"{'peak MiB':>9} {'sim s':>7} {'bare s':>7} {'x bare':>7} {'bare25 s':>9} {'x bare25':>9}")
    print(head)
    print("-" * len(head))
    for r in rows:
        n = r.config.patients
        print(f"{r.config.name:<7} {n:>9,} {r.cli_wall:>10.2f} {n / r.cli_wall:>11,.0f} {r.events:>10,} "
              f"{r.events / r.run_wall:>10,.0f} {r.peak_mib:>9.0f} {r.simulate_wall:>7.2f} {r.bare_wall:>7.2f} "
              f"{r.simulate_wall / r.bare_wall:>7.1f} {r.bare25_wall:>9.2f} {r.simulate_wall / r.bare25_wall:>9.2f}")
    print()
    print("cli wall s: whole `spinesim run SCENARIO --patients N --replications 1 --format csv` (subprocess)")
    print("events/s:   Results.events_simulated / wall time of an in-process run_experiment (tables included)")
    print("sim s:      simulate() alone (cohort draw + SimPy); bare s: bare SimPy loop, same events and patients")
    print(f"bare25 s:   bare SimPy loop, same patients arriving over time, {BARE_STEPS} timeouts each (the design the")
    print("            issue's 3x aim refers to); the model schedules ~4 events per patient, so it is compared")
    print("            with both: the same events (a floor no model reaches) and the same patients")
    for r in rows:
        print(f"            {r.config.name}: bare loop scheduled {r.bare_events:,} events vs the model's "
              f"{r.events // r.config.replications:,}")

    print("\nmemory per 1,000 patients")
    for r in rows:
        per_k = r.config.patients / 1000
        print(f"  {r.config.name:<7} peak {r.peak_mib / per_k:7.2f} MiB   output tables in memory "
              f"{r.tables_mib / per_k:6.2f} MiB")
    if len(rows) >= 2:
        small, large = rows[0], rows[-1]
        extra_k = (large.config.patients - small.config.patients) / 1000
        marginal = (large.peak_mib - small.peak_mib) / extra_k
        tables = (large.tables_mib - small.tables_mib) / extra_k
        print(f"  marginal ({small.config.name} -> {large.config.name}): peak {marginal:.2f} MiB per 1,000 patients, "
              f"output tables {tables:.2f} MiB per 1,000 patients (ratio {marginal / tables:.1f})")

    print("\nslots")
    print(_slot("dashboard click-to-charts (default comparison)", dashboard_time_to_charts, " s"))
    print(_slot("  the same, cold (nothing precomputed)", dashboard_cold_time_to_charts, " s"))
    print(_slot(f"PSA speed-up, 2 workers over 1 (8 draws x {PSA_PATIENTS:,})", psa_speedup, "x"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
