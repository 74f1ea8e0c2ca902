"""Tornado: each parameter at the ends of its plausible range, largest swing first."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from simulator import TORNADO_PARAMETERS, describe_parameter, load_scenario


def test_tornado_cli_orders_by_swing_and_writes_files(cli, small, tmp_path: Path) -> None:
    out = tmp_path / "tornado"
    params = "natural_history.walking_loss_median_days,pathway.mri_booking_days,natural_history.p_cord_compression"
    code, stdout, _ = cli("tornado", "baseline", "--params", params, "--metric", "ambulatory_6m", *small, "--out", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "tornado.csv", "tornado.html"]
    table = pd.read_csv(out / "tornado.csv")
    assert sorted(table["parameter"]) == sorted(params.split(","))
    assert table["swing"].is_monotonic_decreasing
    assert (table["swing"] - (table["high_estimate"] - table["low_estimate"]).abs()).abs().max() < 1e-5
    for _, row in table.iterrows():  # the ends are the documented plausible range
        assert (row["low_value"], row["high_value"]) == tuple(describe_parameter(row["parameter"]).plausible)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["metric"] == "ambulatory_6m" and len(manifest["parameters"]) == 3


def test_default_parameters_are_numeric_and_valid_at_both_ends() -> None:
    base = load_scenario("baseline")
    assert 8 <= len(TORNADO_PARAMETERS) <= 12
    for path in TORNADO_PARAMETERS:
        info = describe_parameter(path)
        assert info is not None and info.kind in ("int", "float") and info.plausible is not None
        for value in info.plausible:
            base.with_overrides({path: int(value) if info.kind == "int" else float(value)})
