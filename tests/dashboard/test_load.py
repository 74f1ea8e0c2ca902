"""The bounded load test of issue 11: 3 rounds of 20 concurrent runs of 3,000 patients on a real server.

Passes on results and orphans only: 60 of 60 runs give a result, the server stops cleanly on
SIGTERM and leaves no process behind. Times (GET / during the load, run times) are printed by
``make loadtest``, never asserted here.
"""

from __future__ import annotations

import pytest

from dashboard.loadtest import run_load_test

pytestmark = pytest.mark.slow


def test_sixty_concurrent_runs_all_give_results_and_stopping_leaves_nothing_behind():
    report = run_load_test(runs=20, rounds=3, patients=3000, replications=1)
    print("\n".join(report.lines()))  # noqa: T201
    assert report.results == report.asked == 60, report.failures[:3]
    assert report.stop_code == 0 and report.orphans == []
