"""The dashboard under concurrent use: ``python -m dashboard.loadtest`` (``make loadtest``), bounded.

Starts a real server (``python -m dashboard`` on a free loopback port, in its own session), then
runs ``rounds`` rounds of ``runs`` concurrent comparisons of ``patients`` patients each, every one
with its own seed, through the same HTTP callbacks the page uses (Run, then polling the job), while
a probe times ``GET /`` every quarter second. Then it stops the server with SIGTERM and looks for
any process left in the server's session. Prints what it measured; passes when every run gave a
result and nothing was left behind (times are printed, never asserted). Traffic goes to 127.0.0.1
only, and every loop is bounded in count and time.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RUN_TIMEOUT_S = 600.0  # one run, queue included, at most
POLL_S = 0.5


@dataclass
class LoadReport:
    """What the load test measured."""

    asked: int = 0
    results: int = 0
    failures: list[str] = field(default_factory=list)
    get_times: list[float] = field(default_factory=list)
    run_times: list[float] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)
    stop_code: int | None = None
    wall_s: float = 0.0

    @property
    def passed(self) -> bool:
        """Every run gave a result, the server stopped cleanly and left no process behind."""
        return self.results == self.asked and not self.orphans and self.stop_code == 0

    def lines(self) -> list[str]:
        """The printed report."""
        gets = sorted(self.get_times) or [float("nan")]
        runs = sorted(self.run_times) or [float("nan")]
        return [
            f"results: {self.results} of {self.asked}" + (f" (failures: {self.failures[:3]})" if self.failures else ""),
            f"GET / during the test: {len(self.get_times)} requests, median {gets[len(gets) // 2]:.3f} s, "
            f"max {gets[-1]:.3f} s (under 1 s throughout: {'yes' if gets[-1] < 1 else 'no'})",
            f"one run, click to result (queue included): median {runs[len(runs) // 2]:.1f} s, max {runs[-1]:.1f} s",
            f"server stopped with SIGTERM: exit code {self.stop_code}; processes left behind: {len(self.orphans)}",
            f"wall time {self.wall_s:.0f} s; {'PASS' if self.passed else 'FAIL'}",
        ]


def _post(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(url + "_dash-update-component", data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


def _outputs(spec: str) -> list[dict[str, str]]:
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]


def _callback(dependencies: list[dict[str, Any]], output: str, trigger: str) -> dict[str, Any]:
    for dep in dependencies:
        if output in dep["output"] and any(f"{i['id']}.{i['property']}" == trigger for i in dep["inputs"]):
            return dep
    raise LookupError(f"no callback of {trigger} writes {output}")


class Client:
    """One simulated user: Run a comparison through the page's callbacks, then follow its job."""

    def __init__(self, url: str, dependencies: list[dict[str, Any]]):
        self.url = url
        self.start = _callback(dependencies, "compare-job.data", "compare-run.n_clicks")
        self.follow = _callback(dependencies, "compare-progress.value", "compare-job.data")

    def _call(self, dep: dict[str, Any], values: dict[str, Any], changed: str) -> dict[str, Any]:
        def props(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]
        payload = {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": props(dep["inputs"]),
                   "state": props(dep.get("state", [])), "changedPropIds": [changed]}
        return _post(self.url, payload).get("response", {})

    def run(self, seed: int, patients: int, replications: int) -> str:
        """The result key of one comparison (raises on a refusal, a failure or the time limit)."""
        values = {"compare-run.n_clicks": 1, "compare-scenarios.value": ["baseline", "rt-only"],
                  "compare-patients.value": patients, "compare-replications.value": replications,
                  "compare-seed.value": seed}
        started = self._call(self.start, values, "compare-run.n_clicks")
        key = started.get("compare-result", {}).get("data")
        job = started.get("compare-job", {}).get("data")
        deadline = time.monotonic() + RUN_TIMEOUT_S
        while not key and job and time.monotonic() < deadline:
            time.sleep(POLL_S)
            shown = self._call(self.follow, {"compare-job.data": job, "compare-poll.n_intervals": 1},
                               "compare-poll.n_intervals")
            key = shown.get("compare-result", {}).get("data")
            status = json.dumps(shown.get("compare-status", {}))
            if not key and ("failed" in status or "error" in status or "Cancelled" in status):
                raise RuntimeError(status)
        if not key:
            raise RuntimeError(f"no result: {json.dumps(started)[:300]}")
        return str(key)


def session_processes(sid: int) -> list[int]:
    """Live processes of session ``sid`` (the server started with ``start_new_session``)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            out.append(int(stat.parent.name))
    return out


def _probe(url: str, stop: threading.Event, times: list[float]) -> None:
    while not stop.wait(0.25):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        times.append(time.perf_counter() - start)


def run_load_test(runs: int = 20, rounds: int = 3, patients: int = 3000, replications: int = 1,
                  job_workers: int = 2) -> LoadReport:
    """Start a server, load it, stop it; return what was measured."""
    report, began = LoadReport(asked=runs * rounds), time.monotonic()
    env = {**os.environ, "SPINESIM_DASH_PRERUN": "0", "SPINESIM_DASH_JOBS": str(job_workers),
           "SPINESIM_DASH_MAX_PATIENTS": str(max(patients, 5000))}
    server = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", "0"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    stop = threading.Event()
    try:
        assert server.stdout is not None
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", server.stdout.readline())
        if not match:
            raise RuntimeError("the server did not start")
        url = f"http://127.0.0.1:{match.group(1)}/"
        with urllib.request.urlopen(url + "_dash-dependencies", timeout=60) as response:
            client = Client(url, json.loads(response.read()))
        probe = threading.Thread(target=_probe, args=(url, stop, report.get_times), daemon=True)
        probe.start()

        lock = threading.Lock()

        def one(seed: int) -> None:
            start = time.monotonic()
            try:
                client.run(seed, patients, replications)
                with lock:
                    report.results += 1
                    report.run_times.append(time.monotonic() - start)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    report.failures.append(f"seed {seed}: {type(exc).__name__}: {exc}"[:200])

        for r in range(rounds):
            with ThreadPoolExecutor(runs) as pool:
                list(pool.map(one, range(1000 * (r + 1), 1000 * (r + 1) + runs)))
        stop.set()
        probe.join(timeout=5)
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()
        report.stop_code = server.returncode
        deadline = time.monotonic() + 10
        while session_processes(server.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        report.orphans = session_processes(server.pid)
        for pid in report.orphans:  # the test's own leftovers are cleaned up, after being counted
            os.kill(pid, signal.SIGKILL)
    report.wall_s = time.monotonic() - began
    return report


def main() -> int:
    """Run the load test and print its report; exit 0 when it passed."""
    print("dashboard load test: 3 rounds of 20 concurrent runs of 3,000 patients (loopback only)", flush=True)  # noqa: T201
    report = run_load_test()
    print("\n".join(report.lines()))  # noqa: T201
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
