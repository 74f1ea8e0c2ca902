"""``python -m benchmarks`` (``make bench``): speed and memory of spinesim, printed, never asserted.

What a user of ``spinesim run`` would ask, on this machine (figures move +-20-30% on a shared one):

* **how close to SimPy itself** (the headline): ``simulate()`` (cohort draw, SimPy processes,
  nothing tabulated) against a bare SimPy loop that schedules the same number of events for the
  same number of patients arriving over time (``benchmarks/bare_simpy.py``), measured in the
  same run;
* **patients per second** of the whole command (start-up, simulation, tables, Parquet files), as
  a subprocess, at each cohort size, and whether the cost per patient stays flat as cohorts grow;
* **peak memory** of that command (max RSS read with ``resource.getrusage``), in total and per
  1,000 patients: with bounded memory the total stops growing beyond one block of patients;
* **workers**: four replications on one worker, two local worker processes and a two-worker Dask
  cluster (the same files in every case);
* the dashboard's click-to-charts time, the PSA's 2-worker speed-up, and the PSA row: 64 draws x 3
  strategies x 5,000 patients, its wall time and patient-simulations per second.
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
from benchmarks.configurations import PARALLEL, SCALING, Configuration

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
    simulate_wall: float
    bare_wall: float
    bare_events: int


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


def measure_simulate(config: Configuration) -> tuple[int, float]:
    """(events SimPy scheduled, seconds) of ``simulate()`` alone, its blocks dropped as they finish."""
    from simulator import load_scenario
    from simulator.model.simulation import simulate

    params = load_scenario(config.scenario).params
    start = time.perf_counter()
    rep = simulate(params, config.seed, 0, config.patients, on_block=lambda block: None)
    return rep.events_simulated, time.perf_counter() - start


def measure(config: Configuration) -> Row:
    cli_wall, peak = measure_cli(config)
    events, simulate_wall = measure_simulate(config)
    bare_wall, bare_events = bare_loop(events, config.patients, config.seed)
    return Row(config, cli_wall, peak, events, simulate_wall, bare_wall, bare_events)


# --- the dashboard and the PSA ----------------------------------------------------------------------------


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
    """Speed-up of the PSA with 2 workers over 1 worker on ``draws`` draws (``simulator.analysis.psa``).

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


PSA_ROW = (64, ("baseline", "surgery-eligible", "fast-track-mri"), 5000)  # draws, strategies, patients per draw


def psa_row(workers: int = 2) -> tuple[float, float] | None:
    """The value-for-money PSA a planner runs (baseline's own [uncertainty] table).

    ``spinesim psa`` on 64 draws x 3 strategies x 5,000 patients (1 replication) with ``workers``:
    (wall seconds, patient-simulations per second). None when the PSA is not importable.
    """
    try:
        from simulator.analysis.psa import psa
    except ImportError:
        return None
    from simulator import load_scenario

    draws, names, patients = PSA_ROW
    start = time.perf_counter()
    psa([load_scenario(n) for n in names], draws, patients=patients, replications=1, seed=1, workers=workers)
    wall = time.perf_counter() - start
    return wall, draws * len(names) * patients / wall


def _psa_row_text() -> str:
    draws, names, patients = PSA_ROW
    label = f"PSA {draws} draws x {len(names)} strategies x {patients:,} patients, 2 workers"
    try:
        measured = psa_row()
    except Exception as exc:  # one failed measurement must never stop the table
        return f"{label:<46} failed: {type(exc).__name__}: {exc}".splitlines()[0]
    if measured is None:
        return f"{label:<46} not available"
    wall, rate = measured
    return f"{label:<46} {wall:.1f} s ({rate:,.0f} patient-simulations/s)"


def _measured(label: str, fn, unit: str) -> str:
    try:
        value = fn()
    except Exception as exc:  # one failed measurement must never stop the table
        return f"{label:<46} failed: {type(exc).__name__}: {exc}".splitlines()[0]
    return f"{label:<46} {'not available' if value is None else format(value, '.2f') + unit}"


# --- the table ----------------------------------------------------------------------------------------------


def _scaling(rows: list[Row]) -> None:
    reference = rows[len(rows) // 2]
    print(f"Headline: simulate() takes {reference.simulate_wall / reference.bare_wall:.1f}x the time of a bare SimPy "
          f"loop with the same {reference.events:,} events ({reference.config.patients:,} patients)\n")
    head = (f"{'patients':>10} {'command s':>10} {'patients/s':>11} {'cost/patient':>13} {'peak MiB':>9} "
            f"{'MiB/1k pts':>11} {'simulate s':>11} {'bare SimPy s':>13} {'x bare':>7} {'events/pt':>10}")
    print(head)
    print("-" * len(head))
    first = rows[0]
    for r in rows:
        n = r.config.patients
        cost = (r.cli_wall / n) / (first.cli_wall / first.config.patients) - 1
        print(f"{n:>10,} {r.cli_wall:>10.2f} {n / r.cli_wall:>11,.0f} {cost:>+12.0%} {r.peak_mib:>9.0f} "
              f"{r.peak_mib / (n / 1000):>11.3f} {r.simulate_wall:>11.2f} {r.bare_wall:>13.2f} "
              f"{r.simulate_wall / r.bare_wall:>7.1f} {r.events / n:>10.2f}")
    print()
    print("command s:    the whole `spinesim run baseline --patients N --replications 1 --format parquet`")
    print("cost/patient: seconds per patient of the command against the smallest cohort (flat = 0%)")
    print("peak MiB:     its largest resident memory; MiB/1k pts the same per 1,000 patients")
    print("simulate s:   simulate() alone (cohort draw and SimPy processes, no tables), in this process")
    print("bare SimPy s: a bare SimPy loop scheduling the same number of events for the same patients")
    for a, b in zip(rows, rows[1:], strict=False):
        grow = (b.peak_mib - a.peak_mib) / ((b.config.patients - a.config.patients) / 1000)
        print(f"memory from {a.config.patients:,} to {b.config.patients:,} patients: "
              f"{grow:+.3f} MiB per extra 1,000 patients")


def _parallel() -> None:
    walls = {}
    for config in PARALLEL:
        print(f"measuring {config.name}: 4 x {config.patients:,} patients ...", file=sys.stderr)
        try:
            walls[config.name] = measure_cli(config)[0]
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"  {config.name}: failed ({exc})")
    one, two, dask = (walls.get(c.name) for c in PARALLEL)
    print(f"\nworkers (4 replications of {PARALLEL[0].patients:,} patients, whole command, same files)")
    for config in PARALLEL:
        if config.name in walls:
            print(f"  {config.name:<16} {walls[config.name]:8.2f} s")
    if one and two:
        print(f"  speed-up of 2 local workers over 1: {one / two:.2f}x")
    if two and dask:
        print(f"  Dask (2 workers) against 2 local workers: {dask / two:.2f}x the time")


def main() -> int:
    print(f"spinesim benchmarks (python {sys.version.split()[0]}, {os.cpu_count()} CPUs); never asserted\n")
    rows = []
    for config in SCALING:
        print(f"measuring {config.name}: {config.scenario}, {config.patients:,} patients ...", file=sys.stderr)
        rows.append(measure(config))
    _scaling(rows)
    _parallel()
    print("\ndashboard and PSA")
    print(_measured("dashboard click-to-charts (default comparison)", dashboard_time_to_charts, " s"))
    print(_measured("  the same, cold (nothing precomputed)", dashboard_cold_time_to_charts, " s"))
    print(_measured(f"PSA speed-up, 2 workers over 1 (8 draws x {PSA_PATIENTS:,})", psa_speedup, "x"))
    print(_psa_row_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
