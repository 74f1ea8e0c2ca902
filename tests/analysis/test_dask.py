"""Dask distributed gives the same bytes as local processes, whatever the workers; a bad scheduler fails fast."""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path

import dask
import distributed  # noqa: F401 - registers the distributed.* settings read below
import pandas as pd
import pytest

from simulator import load_scenario
from simulator.run.executor import ExecutorError, execute
from simulator.run.experiment import DEFAULT_GRID_DAYS, Unit, run_unit

pytestmark = pytest.mark.slow


def _square(x: int) -> int:
    return x * x


def test_execute_on_dask_returns_results_in_unit_order_with_progress(dask_scheduler: str) -> None:
    seen: list[tuple[int, int]] = []
    out = execute(_square, list(range(23)), executor="dask", scheduler=dask_scheduler,
                  progress=lambda done, total: seen.append((done, total)))
    assert out == [x * x for x in range(23)]
    assert seen[0] == (0, 23) and seen[-1] == (23, 23)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_failing_unit_raises_its_own_error_through_dask(dask_scheduler: str) -> None:
    with pytest.raises(ZeroDivisionError):
        execute(lambda x: 1 / x, [1, 0, 2], executor="dask", scheduler=dask_scheduler)


def test_a_local_dask_cluster_starts_its_workers_without_the_statistical_profiler() -> None:
    key = "distributed.worker.profile.enabled"
    before = dask.config.get(key)
    assert execute(partial(dask.config.get, key), [None], workers=1, executor="dask") == [False]  # in the worker
    assert dask.config.get(key) == before  # this process's own setting is left as it was


def test_run_unit_identical_on_dask_and_locally(dask_scheduler: str) -> None:
    unit = Unit(load_scenario("baseline"), 5, 1, 300, DEFAULT_GRID_DAYS)
    (remote,) = execute(run_unit, [unit], executor="dask", scheduler=dask_scheduler)
    local = run_unit(unit)
    assert remote.patients.equals(local.patients)
    assert pd.Series(remote.metrics).equals(pd.Series(local.metrics))  # NaN == NaN here


@pytest.mark.parametrize(("command", "local"), [
    (["run", "baseline", "fast-track-mri", "--format", "both"], ["--workers", "2"]),  # local processes
    (["sweep", "baseline", "--param", "services.mri_scanners", "--range", "1:3:3"], ["--workers", "1"]),
    (["psa", "UNCERTAIN", "--draws", "3"], ["--workers", "1"]),
], ids=["run", "sweep", "psa"])
def test_outputs_are_byte_identical_on_dask_and_locally(cli, small, files_of, uncertain: Path, dask_scheduler: str,
                                                         tmp_path: Path, command: list[str], local: list[str]) -> None:
    command = [str(uncertain) if c == "UNCERTAIN" else c for c in command]
    outputs = {}
    for how, options in {"local": local, "dask": ["--executor", "dask", "--scheduler", dask_scheduler]}.items():
        code, _, err = cli(*command, *small, *options, "--out", tmp_path / how)
        assert code == 0, err
        outputs[how] = files_of(tmp_path / how)
    assert "manifest.json" in outputs["dask"] and len(outputs["dask"]) >= 3
    assert outputs["dask"] == outputs["local"]


def test_unreachable_scheduler_fails_fast_with_one_line(cli, small, tmp_path: Path) -> None:
    started = time.monotonic()
    code, _, err = cli("sweep", "baseline", "--param", "services.mri_scanners", "--values", "1,2", *small,
                       "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1", "--scheduler-timeout", "1",
                       "--out", tmp_path / "never")
    assert code == 2 and time.monotonic() - started < 15
    assert err.count("\n") == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 1 s" in err
    assert not (tmp_path / "never").exists()
    with pytest.raises(ExecutorError, match="not a scheduler address"):
        execute(_square, [1, 2], executor="dask", scheduler="nonsense", scheduler_timeout=1)
