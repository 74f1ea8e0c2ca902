"""Strategies against a reference: paired intervals, exact zeros for no change, NMB tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from simulator.economics import compare_to_reference, incremental_analysis, nmb_table, quadrant


def per_replication(values: dict[str, list[tuple[float, float]]]) -> pd.DataFrame:
    """{strategy: [(cost, qalys) per replication]} as the tidy input table."""
    return pd.DataFrame([{"strategy": s, "replication": r, "cost": c, "qalys": q}
                         for s, rows in values.items() for r, (c, q) in enumerate(rows)])


def noisy(seed: int, replications: int = 5) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    return list(zip(rng.normal(20_000, 3_000, replications), rng.normal(1.2, 0.2, replications), strict=True))


def test_a_strategy_that_changes_nothing_has_exactly_zero_increments():
    """Common random numbers make 'changes nothing' identical per replication: zero to the last bit."""
    base = noisy(1)
    table = compare_to_reference(per_replication({"baseline": base, "no-op": list(base)}), "baseline")
    row = table.set_index("strategy").loc["no-op"]
    for column in ("incremental_cost", "incremental_qalys"):
        assert (row[column], row[f"{column}_low"], row[f"{column}_high"]) == (0.0, 0.0, 0.0)
    assert row["quadrant"] == "same" and math.isnan(row["icer"])
    nmb = nmb_table(per_replication({"baseline": base, "no-op": list(base)}), "baseline", [20_000, 30_000])
    assert (nmb.loc[nmb["strategy"] == "no-op", ["incremental_nmb", "incremental_nmb_low",
                                                 "incremental_nmb_high"]].to_numpy() == 0.0).all()


def test_paired_interval_by_hand():
    """Differences 1, 2, 3, 4 (cost): mean 2.5, SD sqrt(5/3), t(0.975, 3) = 3.182446 -> 2.5 +- 2.0541."""
    reference = [(10.0, 1.0), (20.0, 1.0), (30.0, 1.0), (40.0, 1.0)]
    other = [(11.0, 1.5), (22.0, 1.5), (33.0, 1.5), (44.0, 1.5)]
    row = compare_to_reference(per_replication({"ref": reference, "new": other}), "ref").iloc[1]
    half = 3.182446305284263 * math.sqrt(5 / 3) / 2
    assert row["incremental_cost"] == 2.5
    assert row["incremental_cost_low"] == pytest.approx(2.5 - half, rel=1e-12)
    assert row["incremental_cost_high"] == pytest.approx(2.5 + half, rel=1e-12)
    assert row["incremental_qalys"] == 0.5 and row["icer"] == 5.0
    assert row["quadrant"] == "more costly, more effective"
    # The unpaired spread of the costs (SD 12.9 over replications) is far wider than the paired one.
    assert row["cost_high"] - row["cost_low"] > 5 * (row["incremental_cost_high"] - row["incremental_cost_low"])


def test_pairing_is_by_replication_not_row_order():
    frame = per_replication({"ref": noisy(2), "new": noisy(3)})
    shuffled = frame.sample(frac=1.0, random_state=7)
    ordered = compare_to_reference(frame, "ref").set_index("strategy")
    again = compare_to_reference(shuffled, "ref").set_index("strategy")
    pd.testing.assert_frame_equal(ordered, again.loc[ordered.index])


def test_one_replication_gives_no_interval():
    row = compare_to_reference(per_replication({"ref": [(1.0, 1.0)], "new": [(2.0, 1.5)]}), "ref").iloc[1]
    assert row["incremental_cost"] == 1.0 and math.isnan(row["incremental_cost_low"])


def test_nmb_table_ranks_and_increments():
    frame = per_replication({"ref": noisy(4), "a": noisy(5), "b": noisy(6)})
    table = nmb_table(frame, "ref", [0, 20_000, 1e6])
    summary = compare_to_reference(frame, "ref").set_index("strategy")
    for row in table.to_dict("records"):
        expected = row["threshold"] * summary.loc[row["strategy"], "qalys"] - summary.loc[row["strategy"], "cost"]
        assert row["nmb"] == pytest.approx(expected, rel=1e-12)
        inc = (row["threshold"] * summary.loc[row["strategy"], "incremental_qalys"]
               - summary.loc[row["strategy"], "incremental_cost"])
        assert row["incremental_nmb"] == pytest.approx(inc, rel=1e-9, abs=1e-6)
    for _, at in table.groupby("threshold"):
        assert sorted(at["rank"]) == [1, 2, 3]
        assert at.loc[at["best"], "nmb"].item() == at["nmb"].max()
    # At a zero threshold the cheapest wins; the NMB winner at any threshold is on the frontier.
    cheapest = summary["cost"].idxmin()
    assert table[(table["threshold"] == 0) & table["best"]]["strategy"].item() == cheapest
    on_frontier = set(incremental_analysis(summary.reset_index()).query("on_frontier")["strategy"])
    assert set(table.loc[table["best"], "strategy"]) <= on_frontier


@pytest.mark.parametrize(("dc", "dq", "expected"), [
    (0.0, 0.0, "same"), (-1.0, 0.0, "dominant"), (0.0, 0.1, "dominant"), (-1.0, 0.1, "dominant"),
    (1.0, 0.0, "dominated"), (0.0, -0.1, "dominated"), (1.0, -0.1, "dominated"),
    (1.0, 0.1, "more costly, more effective"), (-1.0, -0.1, "less costly, less effective"),
])
def test_quadrants(dc, dq, expected):
    assert quadrant(dc, dq) == expected


@pytest.mark.parametrize(("frame", "reference", "message"), [
    (per_replication({"ref": noisy(1), "new": noisy(2)}), "other", "not one of the strategies"),
    (per_replication({"ref": noisy(1, 5), "new": noisy(2, 4)}), "ref", "not paired: replication"),
    (per_replication({"ref": noisy(1)}).drop(columns="qalys"), "ref", "missing column"),
    (pd.concat([per_replication({"ref": noisy(1)})] * 2), "ref", "more than once"),
])
def test_bad_replication_tables_are_refused(frame, reference, message):
    with pytest.raises(ValueError, match=message):
        compare_to_reference(frame, reference)


@pytest.mark.parametrize("thresholds", [[], [-1.0], [float("nan")], [float("inf")]])
def test_bad_thresholds_are_refused(thresholds):
    with pytest.raises(ValueError, match="thresholds"):
        nmb_table(per_replication({"ref": noisy(1)}), "ref", thresholds)
