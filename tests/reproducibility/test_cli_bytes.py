"""Parallel == sequential through the real fan-out: ``spinesim run`` files are identical to the byte.

``simulator.cli.main.main`` is called in-process; ``--workers 2`` goes through the process pool
(forkserver) that the CLI really uses. Every file is compared, ``manifest.json`` included.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from simulator.cli.main import main

RUN = ["run", "baseline", "surgery-eligible", "rt-only", "--patients", "1500", "--replications", "2", "--seed", "7",
       "--quiet"]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("bytes")
    out = {}
    for label, workers in (("sequential", "1"), ("parallel", "2"), ("sequential-again", "1")):
        folder = base / label
        assert main([*RUN, "--workers", workers, "--out", str(folder)]) == 0
        out[label] = folder
    return out


def test_every_table_and_the_manifest_are_written(runs):
    names = set(_digests(runs["sequential"]))
    tables = {"patients", "events", "states", "trajectories", "costs", "summary", "resources", "value", "net_benefit",
              "budget", "kpis"}
    assert names == {f"{t}.{fmt}" for t in tables for fmt in ("csv", "parquet")} | {"manifest.json"}


def test_two_workers_write_the_same_bytes_as_one(runs):
    assert _digests(runs["parallel"]) == _digests(runs["sequential"])


def test_a_second_identical_run_writes_the_same_bytes(runs):
    assert _digests(runs["sequential-again"]) == _digests(runs["sequential"])


def test_the_manifest_records_the_checksums_it_was_written_with(runs):
    import json

    manifest = json.loads((runs["sequential"] / "manifest.json").read_text())
    digests = _digests(runs["sequential"])
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == \
        {k: v for k, v in digests.items() if k != "manifest.json"}
    assert manifest["seed"] == 7 and manifest["patients"] == 1500 and manifest["replications"] == 2
    assert [s["name"] for s in manifest["scenarios"]] == ["baseline", "surgery-eligible", "rt-only"]
