"""``spinesim value``: the cost-utility comparison printed and written, paired on the same patients."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulator.cli.main import EXIT_BAD_INPUT, main

RUN = ["value", "baseline", "fast-track-mri", "mri-capacity", "--patients", "400", "--replications", "2",
       "--seed", "4", "--quiet"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("value") / "out"
    capture = pytest.MonkeyPatch()
    printed: list[str] = []
    capture.setattr("builtins.print", lambda *a, **k: printed.append(" ".join(map(str, a))))
    try:
        assert main([*RUN, "--out", str(out)]) == 0
    finally:
        capture.undo()
    return out, "\n".join(printed)


def test_prints_icers_net_benefit_and_the_chance_of_being_best(written):
    _, text = written
    assert "ICER vs reference" in text and "reference" in text
    assert "net monetary benefit at GBP 20,000 per QALY" in text and "GBP 30,000" in text
    assert "probability of the highest net benefit" in text
    for name in ("baseline", "fast-track-mri", "mri-capacity"):
        assert name in text


def test_writes_the_value_tables_paired_with_the_reference(written):
    out, _ = written
    value = pd.read_csv(out / "value.csv")
    assert list(value["strategy"]) == ["baseline", "fast-track-mri", "mri-capacity"]
    reference = value[value["strategy"] == "baseline"].iloc[0]
    assert reference["incremental_cost"] == 0 and reference["incremental_qalys"] == 0
    nmb = pd.read_csv(out / "net_benefit.csv")
    assert set(nmb["strategy"]) == set(value["strategy"])
    for name in ("budget.csv", "kpis.csv", "costs.csv", "manifest.json"):
        assert (out / name).is_file(), name


def test_one_replication_is_refused_in_one_line(tmp_path: Path, capsys):
    code = main(["value", "baseline", "fast-track-mri", "--replications", "1", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == EXIT_BAD_INPUT and len(err) == 1 and "--replications must be at least 2" in err[0]
    assert not (tmp_path / "x").exists()
