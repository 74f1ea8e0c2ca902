"""``spinesim run --replications auto``: precise enough, recorded, and the same bytes as a fixed run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import load_scenario, run_to_precision
from simulator.analysis.precision import MIN_REPLICATIONS, Precision, next_total

PILOT_REPLICATIONS = 12


@pytest.mark.slow
def test_auto_replications_meet_the_precision_and_match_a_fixed_run(cli, files_of, tmp_path: Path) -> None:
    """The precision asked for is what 12 replications reach and the first batch does not, so more must run.

    (Half of what the first batch reaches is not a safe choice: 3 replications' SD is a chi-square with
    2 degrees of freedom, and a low draw asks for a precision 50 replications cannot reach.)
    """
    common = ["--patients", "800", "--seed", "4", "--quiet", "--format", "csv"]

    def reached(replications: int) -> float:
        run = run_to_precision([load_scenario("baseline")], patients=800, seed=4, precision=1e-9,
                               metric="ambulatory_6m", max_replications=replications)
        return run.manifest["replications_auto"]["relative_half_width"]["baseline"]

    precision = float(f"{reached(PILOT_REPLICATIONS) * 1.01:.3g}")
    assert reached(MIN_REPLICATIONS) > precision, "the first batch must fall short for the test to mean anything"
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
