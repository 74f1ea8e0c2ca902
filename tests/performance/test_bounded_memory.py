"""Peak memory of ``spinesim run`` is bounded by the block of patients, not by the cohort.

The cohort is drawn, simulated and written block by block (``simulator.model.simulation``,
``BLOCK_PATIENTS``), so 200,000 patients must not need more memory than 50,000 beyond noise, and
stay under the 1 GiB that a million-patient run is allowed (issue 9). Measured as the child's
maximum resident set size by ``resource.getrusage`` in a wrapper process: a memory figure, not a
wall-clock one, so it does not depend on how busy the machine is.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

BOUND_MIB = 1024
#: allowed growth from 50k to 200k patients: allocator noise and the per-patient summaries kept for
#: the metrics (a few MiB), far below the ~2 MiB per 1,000 patients that whole tables would need
GROWTH_MIB = 120

_WRAPPER = """
import json, resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
print(json.dumps({"code": code, "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def _peak_mib(patients: int, out) -> float:
    command = [sys.executable, "-m", "simulator", "run", "baseline", "--patients", str(patients),
               "--replications", "1", "--format", "parquet", "--seed", "3", "--out", str(out), "--quiet"]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True,
                          timeout=3600, check=True)
    report = json.loads(done.stdout)
    assert report["code"] == 0
    return report["maxrss_kib"] / 1024


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_cohort(tmp_path):
    small = _peak_mib(50_000, tmp_path / "small")
    large = _peak_mib(200_000, tmp_path / "large")
    assert large < BOUND_MIB, f"200,000 patients peaked at {large:.0f} MiB"
    assert large - small < GROWTH_MIB, f"peak {small:.0f} MiB at 50,000 and {large:.0f} MiB at 200,000 patients"
