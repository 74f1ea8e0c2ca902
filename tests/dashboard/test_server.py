"""Serving: one configuration path, no debugger beyond loopback, and a stop that leaves nothing behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dashboard import __main__ as module_main
from dashboard import server
from dashboard.config import ConfigError


def test_settings_read_arguments_then_environment_then_defaults(monkeypatch):
    monkeypatch.setenv("SPINESIM_DASH_MAX_PATIENTS", "1234")
    monkeypatch.setenv("SPINESIM_DASH_MAX_REPLICATIONS", "7")
    config = server.settings()
    assert config.max_patients == 1234 and config.max_replications == 7
    assert server.settings(max_patients=500).max_patients == 500  # an explicit option wins
    monkeypatch.setenv("SPINESIM_DASH_MAX_PATIENTS", "lots")
    with pytest.raises(ConfigError, match="SPINESIM_DASH_MAX_PATIENTS = 'lots'"):
        server.settings()


def test_python_m_dashboard_goes_through_serve(monkeypatch):
    seen = {}
    monkeypatch.setattr(module_main, "serve", lambda *args: seen.setdefault("args", args) and 0)
    assert module_main.main(["--port", "9000", "--max-patients", "50"]) == 0
    assert seen["args"] == ("127.0.0.1", 9000, 50, None)


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True),
                                           ("localhost", True), ("0.0.0.0", False), ("192.0.2.1", False),
                                           ("example.org", False)])
def test_loopback_hosts(host, loopback):
    assert server.is_loopback(host) is loopback


def test_debug_is_refused_beyond_loopback_and_binding_wide_warns(monkeypatch, capsys):
    with pytest.raises(ConfigError, match="debug"):
        server.check_binding("0.0.0.0", debug=True)
    assert server.check_binding("127.0.0.1", debug=True) is None
    assert "WARNING" in server.check_binding("0.0.0.0", debug=False)
    monkeypatch.setenv("SPINESIM_DASH_DEBUG", "1")
    assert server.serve(host="0.0.0.0", port=0) == 2  # refused before anything starts
    assert "refused" in capsys.readouterr().err


def _session_processes(sid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] not in ("Z", "X"):
            out.append(int(stat.parent.name))
    return out


def test_a_real_server_reads_the_environment_refuses_big_requests_and_stops_cleanly_on_sigterm(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "SPINESIM_DASH_MAX_PATIENTS": "1234", "SPINESIM_DASH_PRERUN": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", "0"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = proc.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
        url = f"http://127.0.0.1:{port}/"
        assert urllib.request.urlopen(url, timeout=30).status == 200
        layout = urllib.request.urlopen(url + "_dash-layout", timeout=30).read().decode()
        assert "10 to 1234" in layout  # SPINESIM_DASH_MAX_PATIENTS reached the page
        assert list(tmp_path.glob("spinesim-dash-*"))
        big = urllib.request.Request(url + "_dash-update-component", data=b"x" * 3_000_000, method="POST",
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(big, timeout=30)
        assert refused.value.code == 413
        assert len(_session_processes(proc.pid)) >= 2  # the server and its job workers
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopped" in out and "Traceback" not in err
    deadline = time.monotonic() + 10
    while _session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(proc.pid) == []  # no worker, forkserver or orphan left
    assert list(tmp_path.glob("spinesim-dash-*")) == []  # the private cache is gone
    with socket.socket() as s:  # nothing listens on the port any more: the next server can have it
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug's server does
        s.bind(("127.0.0.1", port))
        s.listen()
