"""Options whose mistakes used to give the wrong message, or none: each is now one line naming the option."""

from __future__ import annotations

import socket

import pytest

from simulator.cli.main import EXIT_BAD_INPUT, main


def _one_line(capsys, *argv: str) -> str:
    code = main(list(argv))
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code == EXIT_BAD_INPUT, lines
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("host", ["999.1.1.1", "1.2.3", "bad host", "under_score", "a..b", "::zz"])
def test_a_malformed_host_is_named(capsys, host):
    line = _one_line(capsys, "dashboard", "--host", host)
    assert line.startswith(f"spinesim dashboard: --host = {host!r} is not an IP address or host name")


def test_a_host_that_is_not_this_machines_is_named_with_the_reason(capsys):
    line = _one_line(capsys, "dashboard", "--host", "192.0.2.1", "--port", "8123")  # TEST-NET-1: never local
    assert line == "spinesim dashboard: cannot listen on --host 192.0.2.1 --port 8123: Cannot assign requested address"


def test_a_port_in_use_is_named(capsys):
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        line = _one_line(capsys, "dashboard", "--port", str(port))
    assert line == f"spinesim dashboard: cannot listen on --host 127.0.0.1 --port {port}: Address already in use"


def test_a_range_starting_below_zero_is_read_as_the_value_of_range(capsys, tmp_path):
    line = _one_line(capsys, "sweep", "baseline", "--param", "services.mri_scanners", "--range", "-5:1000:3",
                     "--out", str(tmp_path / "o"))
    assert line.startswith("--range: services.mri_scanners: = -5 is outside")  # the value was checked: parsed


@pytest.mark.parametrize("text, message", [
    ("1:3", "--range '1:3' is not LOW:HIGH:COUNT"),
    ("1:3:4:5", "--range '1:3:4:5' is not LOW:HIGH:COUNT"),
    ("1:3:1", "--range 1:3:1: COUNT = 1 is outside 2 to 100 (the number of values)"),
])
def test_a_malformed_range_says_low_high_count(capsys, tmp_path, text, message):
    line = _one_line(capsys, "sweep", "baseline", "--param", "services.mri_scanners", "--range", text,
                     "--out", str(tmp_path / "o"))
    assert message in line


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_out_is_refused(capsys, tmp_path, monkeypatch, value):
    monkeypatch.chdir(tmp_path)
    line = _one_line(capsys, "run", "baseline", "--patients", "50", "--quiet", "--out", value)
    assert line == "spinesim run: --out is empty: name an output folder"
    assert list(tmp_path.iterdir()) == []


def test_an_empty_fit_out_is_refused(capsys):
    line = _one_line(capsys, "calibrate", "--fit", "pathway.patient_delay_median_days", "--fit-out", "")
    assert line == "spinesim calibrate: --fit-out is empty: name an output folder"


def test_the_current_folder_as_out_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = _one_line(capsys, "run", "baseline", "--patients", "50", "--quiet", "--overwrite", "--out", ".")
    assert "is the current folder or holds it" in line
