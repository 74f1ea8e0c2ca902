"""Named benchmark configurations (as Mesa's ``benchmarks/configurations.py``).

``SCALING``: one replication of the baseline at growing cohort sizes (Parquet output), for the
cost per patient and the peak memory. ``PARALLEL``: the same four replications on one worker,
two local worker processes and a two-worker Dask cluster. ``SPINESIM_BENCH_SIZES`` (comma-separated
patient counts) replaces the default sizes, e.g. ``SPINESIM_BENCH_SIZES=10000,100000 make bench``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Configuration:
    """One benchmarked ``spinesim run``: a bundled scenario, a cohort size, replications, workers."""

    name: str
    scenario: str
    patients: int
    replications: int = 1
    format: str = "parquet"
    seed: int = 1
    workers: int = 1
    executor: str = "local"

    def cli_args(self, out: str) -> list[str]:
        """The arguments of ``spinesim`` for this configuration."""
        return ["run", self.scenario, "--patients", str(self.patients), "--replications", str(self.replications),
                "--format", self.format, "--seed", str(self.seed), "--workers", str(self.workers),
                "--executor", self.executor, "--out", out, "--quiet"]


def _sizes() -> tuple[int, ...]:
    text = os.environ.get("SPINESIM_BENCH_SIZES", "")
    return tuple(int(x) for x in text.split(",") if x.strip()) or (10_000, 100_000, 1_000_000)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


SCALING = tuple(Configuration(_label(n), "baseline", n) for n in _sizes())
PARALLEL_PATIENTS = 50_000
PARALLEL = (
    Configuration("1 worker", "baseline", PARALLEL_PATIENTS, replications=4),
    Configuration("2 workers", "baseline", PARALLEL_PATIENTS, replications=4, workers=2),
    Configuration("Dask, 2 workers", "baseline", PARALLEL_PATIENTS, replications=4, workers=2, executor="dask"),
)
