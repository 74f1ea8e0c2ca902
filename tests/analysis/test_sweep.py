"""One-way sweeps: files written, values typed, and outcomes move the way the lever says."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from simulator import load_scenario, sweep
from simulator.analysis.common import parameter_info, run_metrics_unit
from simulator.analysis.sweep import range_values
from simulator.economics.value import has_value_metrics
from simulator.output.export import PATIENT_TABLES
from simulator.parameters.scenario import ScenarioError
from simulator.run.experiment import DEFAULT_GRID_DAYS, Unit, run_unit


def test_sweep_cli_writes_table_chart_and_manifest(cli, small, tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    code, stdout, _ = cli("sweep", "baseline", "--param", "pathway.patient_delay_median_days", "--values", "3,60",
                          "--metric", "ambulatory_at_diagnosis", "--metric", "diagnostic_delay_median_days",
                          *small, "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "sweep.csv", "sweep.html"]
    table = pd.read_csv(out / "sweep.csv")
    assert list(table.columns[:3]) == ["parameter", "value", "metric"]
    assert {"estimate", "ci_low", "ci_high", "difference", "difference_low", "difference_high"} <= set(table.columns)
    assert len(table) == 4 and table["value"].tolist() == [3.0, 60.0, 3.0, 60.0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["analysis"] == "sweep" and manifest["values"] == [3.0, 60.0]
    assert set(manifest["files"]) == {"sweep.csv", "sweep.html"}
    assert "plotly" in (out / "sweep.html").read_text()[:5000].lower()
    assert "wrote 3 files" in stdout


def test_longer_patient_delay_lengthens_diagnostic_delay_and_costs_walking() -> None:
    """Median patient delay 3 -> 60 days on the same patients: the delay interval lies above zero.

    Walking at diagnosis falls, but in this model by only ~1 point (most are still walking at
    diagnosis), which 800 patients cannot bound away from zero: only its sign is checked.
    """
    result = sweep(load_scenario("baseline"), "pathway.patient_delay_median_days", [3.0, 60.0],
                   ["ambulatory_at_diagnosis", "diagnostic_delay_median_days"], patients=800, replications=3, seed=7)
    rows = result.table.set_index(["metric", "value"])
    assert rows.loc[("diagnostic_delay_median_days", 60.0), "difference_low"] > 0
    assert rows.loc[("ambulatory_at_diagnosis", 60.0), "difference"] < 0


@pytest.mark.slow
def test_slower_loss_of_walking_keeps_more_patients_walking() -> None:
    """Median motor deficit to loss of walking across its plausible range: walking at 6 months rises (paired CI).

    In model v2 most patients still walk at diagnosis and radiotherapy gives walking back to many
    who do not (the response model), so the 6-month gain over the whole plausible range is about
    2-3 points (walking at diagnosis gains about 9): 4,000 patients x 4 replications give a paired
    interval about a third that wide.
    """
    path = "natural_history.walking_loss_median_days"
    fast, slow_days = parameter_info(path, "test").plausible
    result = sweep(load_scenario("baseline"), path, [float(fast), float(slow_days)],
                   ["ambulatory_6m", "ambulatory_at_diagnosis"], patients=4000, replications=4, seed=8)
    rows = result.table.set_index(["metric", "value"])
    for metric in ("ambulatory_6m", "ambulatory_at_diagnosis"):
        assert rows.loc[(metric, float(slow_days)), "difference_low"] > 0, metric


def test_more_mri_slots_shorten_the_mri_wait() -> None:
    result = sweep(load_scenario("baseline"), "services.mri_slots_per_scanner_day", [0.3, 1.0, 4.0],
                   ["mri_mean_wait_days"], patients=800, replications=2, seed=7)
    waits = result.table["estimate"].tolist()
    assert waits[0] > waits[1] > waits[2]


def test_integer_range_gives_whole_numbers() -> None:
    info = parameter_info("services.mri_scanners", "test")
    assert range_values(1, 4, 4, info) == [1, 2, 3, 4]
    assert range_values(1, 3, 5, info) == [1, 2, 3]  # rounded and de-duplicated
    assert all(isinstance(v, int) for v in range_values(1, 4, 3, info))
    floats = range_values(0.1, 0.3, 3, parameter_info("pathway.p_gp_suspects", "test"))
    assert floats == [0.1, 0.2, 0.3]


def test_sweep_of_a_switch_by_values(cli, small, tmp_path: Path) -> None:
    code, _, _ = cli("sweep", "baseline", "--param", "pathway.fast_track_mri", "--values", "false,true",
                     "--metric", "diagnostic_delay_median_days", *small, "--out", tmp_path / "o")
    assert code == 0
    table = pd.read_csv(tmp_path / "o" / "sweep.csv")
    assert table["value"].tolist() == [False, True]
    assert table["difference"].iloc[1] < 0  # fast-track MRI shortens the diagnostic delay


def test_library_refuses_values_outside_the_allowed_range() -> None:
    with pytest.raises(ScenarioError, match=r"services.mri_scanners: = 99 is outside the allowed range 1 to 50"):
        sweep(load_scenario("baseline"), "services.mri_scanners", [1, 99], patients=10, replications=1)


def test_the_lean_analysis_unit_gives_the_experiment_units_metrics() -> None:
    """The analyses' unit is ``run_unit(unit, keep=())``: the full unit's metrics, value for money included.

    It keeps no per-patient table, yet tabulates the same rows (the metrics are computed block by
    block from them), except the states grid, which no metric reads and which it does not build.
    """
    unit = Unit(load_scenario("baseline"), 11, 2, 300, DEFAULT_GRID_DAYS)
    lean, bare, full = run_metrics_unit(unit), run_unit(unit, keep=()), run_unit(unit)
    assert pd.Series(lean.metrics).equals(pd.Series(full.metrics))
    assert lean.resources.equals(full.resources)
    assert has_value_metrics(pd.DataFrame([lean.metrics]))
    for table in PATIENT_TABLES:
        assert getattr(bare, table).empty and len(getattr(full, table)) == full.rows[table] > 0, table
        assert bare.rows[table] == (0 if table == "states" else full.rows[table]), table
