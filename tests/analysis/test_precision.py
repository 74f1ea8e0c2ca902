"""``spinesim run --replications auto``: precise enough, recorded, and the same bytes as a fixed run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import load_scenario, run_to_precision
from simulator.analysis.precision import MIN_REPLICATIONS, Precision, next_total


@pytest.mark.slow
def test_auto_replications_meet_the_precision_and_match_a_fixed_run(cli, files_of, tmp_path: Path) -> None:
    """The precision asked for is half what the first batch reaches, so more batches must run."""
    common = ["--patients", "800", "--seed", "3", "--quiet", "--format", "csv"]
    first = run_to_precision([load_scenario("baseline")], patients=800, seed=3, precision=0.5,
                             metric="ambulatory_6m", max_replications=MIN_REPLICATIONS)
    precision = float(f"{first.manifest['replications_auto']['relative_half_width']['baseline'] / 2:.3g}")
    code, stdout, _ = cli("run", "baseline", "--replications", "auto", "--precision", str(precision), "--metric",
                          "ambulatory_6m", *common, "--out", tmp_path / "auto")
    assert code == 0 and "replications: auto ->" in stdout
    record = json.loads((tmp_path / "auto" / "manifest.json").read_text())["replications_auto"]
    assert record["reached"] and record["metric"] == "ambulatory_6m" and record["precision"] == precision
    n = record["replications"]
    assert MIN_REPLICATIONS < n < 50 and len(record["batches"]) > 1 and sum(record["batches"]) == n
    summary = (tmp_path / "auto" / "summary.csv").read_text().splitlines()
    row = next(line.split(",") for line in summary if ",ambulatory_6m," in line)
    header = summary[0].split(",")
    est, low, high = (float(row[header.index(c)]) for c in ("estimate", "ci_low", "ci_high"))
    assert (high - low) / 2 <= precision * est + 1e-6
    code, _, _ = cli("run", "baseline", "--replications", str(n), *common, "--out", tmp_path / "fixed")
    auto, fixed = files_of(tmp_path / "auto"), files_of(tmp_path / "fixed")
    for name in ("patients.csv", "events.csv", "states.csv", "summary.csv", "resources.csv"):
        assert auto[name] == fixed[name], name


def test_cap_is_respected_and_reported() -> None:
    results = run_to_precision([load_scenario("baseline")], patients=300, seed=1, precision=0.001,
                               metric="ambulatory_6m", max_replications=4)
    record = results.manifest["replications_auto"]
    assert record["replications"] == 4 and not record["reached"]
    assert results.per_replication["replication"].tolist() == [0, 1, 2, 3]


def test_batches_grow_towards_the_projected_need_at_most_doubling() -> None:
    assert next_total(3, [Precision("a", 1.0, 0.1)], 0.05, 50) == 6  # needs 12: at most double
    assert next_total(8, [Precision("a", 1.0, 0.06)], 0.05, 50) == 12  # needs 11.52 -> 12
    assert next_total(8, [Precision("a", 1.0, 0.051)], 0.05, 50) == 9  # at least one more
    assert next_total(40, [Precision("a", 0.0, 0.1)], 0.05, 50) == 50  # undefined: double, capped
