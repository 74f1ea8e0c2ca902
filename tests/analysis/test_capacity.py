"""Capacity planning: with scarce MRI slots, more scanners mean less use per scanner, shorter waits."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

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
    assert sorted(p.name for p in out.iterdir()) == ["capacity.csv", "capacity.html", "manifest.json"]
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
