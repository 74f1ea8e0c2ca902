"""The job manager: worker processes from a forkserver, a bounded queue with positions, cancel, shutdown.

These would have caught the lost jobs of issue 11: a job forked from the threaded server (the
workers' parent here is the forkserver, not the server), an unbounded number of jobs at once,
and workers outliving the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.config import DashboardConfig
from dashboard.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Busy, JobManager


def request(seed: int, patients: int = 60, replications: int = 1) -> dict:
    return {"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}], "patients": patients,
            "replications": replications, "seed": seed}


def wait_for(jobs: JobManager, job_id: str, states: tuple[str, ...], timeout_s: float = 120):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        status = jobs.status(job_id)
        if status.state in states:
            return status
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {jobs.status(job_id)}")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(f"/proc/{pid}").exists() else "X"
    return state not in ("Z", "X")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.fixture
def jobs(tmp_path):
    manager = JobManager(DashboardConfig(cache_dir=tmp_path, max_patients=5000), workers=1, max_queued=3)
    yield manager
    manager.shutdown()


def test_a_job_runs_in_a_worker_that_was_not_forked_from_this_process(jobs):
    job = jobs.submit("experiment", request(1), "a" * 24)
    status = wait_for(jobs, job, (DONE, FAILED))
    assert status.state == DONE and len(status.result) == 24 and status.total == 2 and status.done == 2
    (pid,) = jobs.pids()
    assert parent_of(pid) != os.getpid()  # started by the forkserver, a single-threaded process


def test_one_worker_runs_one_job_the_rest_wait_with_their_place_in_line_and_the_queue_is_bounded(jobs):
    assert jobs.wait_ready()
    ids = [jobs.submit("experiment", request(1, patients=1000, replications=2), f"{1:024x}")]
    wait_for(jobs, ids[0], (RUNNING, DONE))
    ids += [jobs.submit("experiment", request(seed, patients=200), f"{seed:024x}") for seed in range(2, 5)]
    queued = [jobs.status(i) for i in ids[1:]]
    if queued[0].state == QUEUED:  # the first is still running: the others wait in order
        assert [s.position for s in queued] == [1, 2, 3] and all(s.queued == 3 for s in queued)
        with pytest.raises(Busy, match="busy"):
            jobs.submit("experiment", request(99), "f" * 24)
    assert jobs.running() <= 1
    assert jobs.cancel(ids[2]) and jobs.status(ids[2]).state == CANCELLED
    for i in (ids[0], ids[1], ids[3]):
        assert wait_for(jobs, i, (DONE, FAILED, CANCELLED)).state == DONE


def test_the_same_request_twice_is_one_job_and_needs_both_cancels(jobs):
    first = jobs.submit("experiment", request(7, patients=3000, replications=3), "b" * 24)
    assert jobs.submit("experiment", request(7, patients=3000, replications=3), "b" * 24) == first
    assert not jobs.cancel(first)  # another page still watches it
    assert jobs.cancel(first) and jobs.status(first).state == CANCELLED


def test_cancelling_a_running_job_kills_its_worker_and_a_new_one_takes_over(jobs):
    job = jobs.submit("experiment", request(3, patients=5000, replications=3), "c" * 24)
    wait_for(jobs, job, (RUNNING,))
    (before,) = jobs.pids()
    assert jobs.cancel(job)
    deadline = time.monotonic() + 10
    while alive(before) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(before)
    after = jobs.submit("experiment", request(4), "d" * 24)
    assert wait_for(jobs, after, (DONE, FAILED)).state == DONE and jobs.pids() != [before]


def test_a_refused_request_fails_with_its_message_and_the_worker_survives(jobs):
    bad = {**request(1), "patients": 10**7}  # forged past the page: the worker checks the caps again
    job = jobs.submit("experiment", bad, "e" * 24)
    status = wait_for(jobs, job, (DONE, FAILED))
    assert status.state == FAILED and "outside 10 to 5000" in status.message
    assert wait_for(jobs, jobs.submit("experiment", request(2), "0" * 24), (DONE, FAILED)).state == DONE


def test_shutdown_stops_every_worker(tmp_path):
    manager = JobManager(DashboardConfig(cache_dir=tmp_path), workers=2, max_queued=5)
    manager.submit("experiment", request(5, patients=3000, replications=3), "1" * 24)
    pids = manager.pids()
    manager.shutdown()
    assert len(pids) == 2 and not any(alive(p) for p in pids)
    with pytest.raises(Busy, match="stopping"):
        manager.submit("experiment", request(6), "2" * 24)


SERVER = """
import sys, time
from pathlib import Path
from dashboard.config import DashboardConfig
from dashboard.jobs import JobManager
if __name__ == "__main__":
    jobs = JobManager(DashboardConfig(cache_dir=Path(sys.argv[1])), workers=2)
    jobs.submit("experiment", {"kind": "experiment", "scenarios": [{"base": "baseline"}], "patients": 5000,
                "replications": 5, "seed": 1}, "3" * 24)
    time.sleep(3)
    print(*jobs.pids(), flush=True)
    time.sleep(600)
"""


def test_workers_exit_by_themselves_when_the_server_is_killed(tmp_path):
    script = tmp_path / "server.py"
    script.write_text(SERVER)
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "cache")], stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in proc.stdout.readline().split()]
    proc.send_signal(signal.SIGKILL)  # no clean-up at all
    proc.wait()
    deadline = time.monotonic() + 15
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(pids) == 2 and not any(alive(p) for p in pids)
