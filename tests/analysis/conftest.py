"""Fixtures of the what-if analysis tests: small runs, scenario files in tmp_path, a Dask cluster."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from simulator.cli.main import main

#: Small enough that the whole analysis suite stays well under 90 s on 2 cores.
PATIENTS = "800"
SMALL = ["--patients", PATIENTS, "--replications", "2", "--seed", "7", "--quiet"]

UNCERTAIN = '''name = "uncertain"
description = "Baseline with parameter uncertainty (test fixture)."
extends = "baseline"

[uncertainty]
"pathway.patient_delay_median_days" = { dist = "lognormal", low = 5, high = 20 }
"natural_history.p_cord_compression" = { dist = "beta", mean = 0.3, sd = 0.05 }
"natural_history.walking_loss_median_days" = { dist = "gamma", mean = 38, sd = 8 }
"pathway.gp_max_visits" = { dist = "uniform", low = 3, high = 8 }
'''


@pytest.fixture
def write_scenario(tmp_path: Path) -> Callable[[str, str], Path]:
    """``write_scenario(name, text)`` writes ``tmp_path/NAME.toml`` and returns its path."""
    def write(name: str, text: str) -> Path:
        path = tmp_path / f"{name}.toml"
        path.write_text(text)
        return path
    return write


@pytest.fixture
def uncertain(write_scenario: Callable[[str, str], Path]) -> Path:
    """A scenario file extending baseline with an [uncertainty] table of four distributions."""
    return write_scenario("uncertain", UNCERTAIN)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """``cli(*argv)`` runs ``spinesim`` in-process: (exit code, stdout, stderr)."""
    def run(*argv: str) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err
    return run


@pytest.fixture
def small() -> list[str]:
    """CLI options for a small, quiet run."""
    return list(SMALL)


@pytest.fixture
def files_of() -> Callable[[Path], dict[str, bytes]]:
    """``files_of(folder)``: every file of an output folder by name, as bytes."""
    def read(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    return read


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """The address of a 2-process Dask LocalCluster (one thread each), shared by the Dask tests."""
    from distributed import LocalCluster  # in the test extra: a missing Dask fails, never skips

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster.scheduler_address
