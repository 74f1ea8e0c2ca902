"""Named benchmark configurations (as Mesa's ``benchmarks/configurations.py``): small and large."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Configuration:
    """One benchmarked run: a bundled scenario, a cohort size, one replication, CSV output."""

    name: str
    scenario: str
    patients: int
    replications: int = 1
    format: str = "csv"
    seed: int = 1

    def cli_args(self, out: str) -> list[str]:
        """The arguments of ``spinesim`` for this configuration."""
        return ["run", self.scenario, "--patients", str(self.patients), "--replications", str(self.replications),
                "--format", self.format, "--seed", str(self.seed), "--out", out, "--quiet"]


SMALL = Configuration("small", "baseline", 10_000)
LARGE = Configuration("large", "baseline", 100_000)
CONFIGURATIONS = (SMALL, LARGE)
