"""export_results: an experiment's tables written through the output folder (simulator/output/export.py)."""

from __future__ import annotations

import pytest

from simulator import export_results
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
