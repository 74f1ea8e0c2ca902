"""export_results: an experiment's tables written through the output folder (simulator/output/export.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulator import export_results
from simulator.output.export import join_parts, write_table
from simulator.output.folder import OutputError


def test_export_writes_then_replaces_only_with_overwrite(tmp_path, tiny_scenario, run_cached):
    results = run_cached([tiny_scenario], 200, 1, 3)
    out = tmp_path / "cohort"
    first = export_results(results, out, formats=("csv",))
    assert (out / "manifest.json").is_file() and (out / "patients.csv").is_file()
    with pytest.raises(OutputError):
        export_results(results, out, formats=("csv",))  # a folder with output is never overwritten by default
    again = export_results(results, out, formats=("csv",), overwrite=True)
    assert sorted(again.files) == sorted(first.files)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_joining_parts_gives_one_file_in_order_with_one_header_and_deletes_the_parts(tmp_path, suffix):
    """Mutation-tested: a table streamed in blocks is one file, each part's rows in turn (Parquet: a row group each)."""
    frames = [pd.DataFrame({"pid": [2 * k, 2 * k + 1], "day": [0.5 * k, 1.0]}) for k in range(3)]
    parts = [tmp_path / f"part-{k}{suffix}" for k in range(3)]
    for frame, part in zip(frames, parts, strict=True):
        write_table(frame, part)
    target = tmp_path / f"table{suffix}"
    join_parts(parts, target)
    joined = pd.read_csv(target) if suffix == ".csv" else pd.read_parquet(target)
    pd.testing.assert_frame_equal(joined, pd.concat(frames, ignore_index=True))
    assert not any(p.exists() for p in parts)
    if suffix == ".parquet":
        assert pq.ParquetFile(target).num_row_groups == 3


def test_text_files_are_utf8_whatever_the_locale(tmp_path):
    """Mutation-tested: a note with '£' or '×' is written as UTF-8 even where the locale is plain ASCII."""
    text = "cost £1,200 × 3 patients, Frankel D (walks with aid)"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    code = ("import pathlib, sys; from simulator.output.export import write_outputs; "
            f"write_outputs({{}}, {{'seed': 1}}, pathlib.Path(sys.argv[1]), texts={{'note.txt': {ascii(text)}}})")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "note.txt").read_bytes() == text.encode("utf-8")
