"""Capacity planning: with scarce MRI slots, more scanners mean less use per scanner, shorter waits."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator import capacity, load_scenario

SCARCE_MRI = '''name = "scarce-mri"
description = "Baseline with few MRI slots per scanner (test fixture)."
extends = "baseline"

[services]
mri_slots_per_scanner_day = 0.3
'''


def test_capacity_cli_shows_use_waits_and_outcomes(cli, small, write_scenario, tmp_path: Path) -> None:
    scenario = write_scenario("scarce-mri", SCARCE_MRI)
    out = tmp_path / "capacity"
    code, stdout, _ = cli("capacity", scenario, "--resource", "mri", "--values", "1,2,4", *small, "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["capacity.csv", "capacity.html", "capacity_value.csv",
                                                    "manifest.json"]
    table = pd.read_csv(out / "capacity.csv")
    assert set(table["parameter"]) == {"services.mri_scanners"}
    use = table[table["metric"] == "ambulatory_at_diagnosis"].set_index("capacity")
    assert use.index.tolist() == [1, 2, 4]
    assert use["utilisation"].is_monotonic_decreasing and use["mean_wait_days"].is_monotonic_decreasing
    assert use.loc[1, "mean_wait_days"] > 5 * use.loc[4, "mean_wait_days"]
    assert use["max_queue"].iloc[0] >= use["max_queue"].iloc[-1]
    delay = table[table["metric"] == "diagnostic_delay_median_days"].set_index("capacity")
    assert delay.loc[1, "difference"] > 0  # one scanner: longer delay than with four (paired)
    assert pd.isna(delay.loc[4, "difference"])  # the largest capacity is the reference
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["reference_capacity"] == 4 and manifest["resource"] == "mri"
    assert set(manifest["sufficient_capacity"]) >= {"ambulatory_at_diagnosis", "ambulatory_6m"}
    assert "no worse than with 4" in stdout


def test_capacity_value_prices_each_extra_unit_against_the_current_capacity(write_scenario) -> None:
    """Scarce MRI, one scanner now: 2 and 4 scanners against 1 (added to the run), on the same patients.

    The capacity's own cost is capacity x cost per scanner-day x the arrival window (the same
    patients, so the same window), shared over the cohort: its increment is exactly proportional
    to the extra scanners. The care used changes with the queue; the two parts add up to the
    incremental cost, and the cost per QALY is the ratio of the mean increments.
    """
    scenario = load_scenario(write_scenario("scarce-mri", SCARCE_MRI))
    result = capacity(scenario, "mri", [2, 4], metrics=["ambulatory_6m"], patients=300, replications=2, seed=7)
    table = result.tables["capacity_value"].set_index("capacity")
    assert table.index.tolist() == [1, 2, 4] and table["extra_units"].tolist() == [0, 1, 3]
    assert (table["reference_capacity"] == 1).all() and result.manifest["current_capacity"] == 1
    current = table.loc[1]
    for column in ("incremental_cost", "incremental_cost_low", "incremental_cost_high", "incremental_qalys",
                   "incremental_qalys_low", "incremental_qalys_high", "incremental_capacity_cost"):
        assert current[column] == 0.0, column  # the same scenario on the same patients: zero, exactly
    extra = table.loc[[2, 4]]
    assert (extra["incremental_capacity_cost"] > 0).all()
    # resources_table rounds each service's capacity cost to 1e-6: allow that, shared over 300 patients
    assert extra.loc[4, "incremental_capacity_cost"] == pytest.approx(3 * extra.loc[2, "incremental_capacity_cost"],
                                                                      rel=0, abs=1e-7)
    assert np.allclose(extra["incremental_capacity_cost"] + extra["incremental_use_cost"], extra["incremental_cost"],
                       rtol=0, atol=1e-9)
    assert np.allclose(table["capacity_cost"] + table["use_cost"], table["cost"], rtol=0, atol=1e-9)
    assert np.allclose(extra["icer"], extra["incremental_cost"] / extra["incremental_qalys"], rtol=1e-12)
    assert ((extra["incremental_cost_low"] <= extra["incremental_cost"])
            & (extra["incremental_cost"] <= extra["incremental_cost_high"])).all()
    mri_day = scenario.params.costs.capacity.mri_scanner_day
    assert extra.loc[2, "incremental_capacity_cost"] > mri_day / 300  # at least a day of a scanner per 300 patients
    assert any("capacity 1 (the scenario's own) was added" in n for n in result.notes)
    assert any(n.startswith("capacity 4 (+3 vs 1): cost per patient") for n in result.notes)
