"""Nothing previously written is lost or half-written when an export fails midway.

The export is made to fail after its first table by replacing
``simulator.output.export.write_table`` with one that raises on its second call (a full disk).
"""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest

import simulator.output.export as export
import simulator.run.experiment as experiment
from simulator.cli.main import main

ARGS = ["run", "baseline", "--patients", "200", "--replications", "1", "--format", "csv", "--quiet", "--overwrite"]


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(tmp_path):
    """A results folder from an earlier run: a sentinel file and an old patients.csv."""
    out = tmp_path / "results"
    out.mkdir()
    (out / "SENTINEL").write_text("written by someone else\n")
    (out / "patients.csv").write_text("scenario,replication,patient_id\nold,0,0\n")
    return out


@pytest.fixture
def failing_disk(monkeypatch):
    real = export.write_table
    calls = []

    def write_table(frame, path):
        calls.append(path.name)
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(frame, path)

    monkeypatch.setattr(export, "write_table", write_table)
    return calls


def test_failed_export_leaves_previous_files_byte_identical(previous, failing_disk, capsys):
    before = _snapshot(previous)
    try:
        main([*ARGS, "--out", str(previous)])
    except OSError:
        pass  # how the CLI reports it is checked separately; here only the files matter
    assert len(failing_disk) == 2  # the first table was written (to staging), the second failed
    assert _snapshot(previous) == before
    assert sorted(p.name for p in previous.iterdir()) == ["SENTINEL", "patients.csv"]  # no temp folder left


def test_failed_export_into_a_new_folder_leaves_no_temp_folder(tmp_path, failing_disk):
    out = tmp_path / "fresh"
    try:
        main([*ARGS, "--out", str(out)])
    except OSError:
        pass
    assert not out.exists() or list(out.iterdir()) == []


def test_failed_export_is_one_line_not_a_traceback(previous, failing_disk, capsys):
    """Regression (fixed after this test was written): an OSError used to escape main() as a traceback."""
    code = main([*ARGS, "--out", str(previous)])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code != 0
    assert len(err) == 1 and "No space left on device" in err[0]
    assert err[0].endswith(f"; nothing in {previous} was changed")


def test_interrupt_while_writing_says_nothing_was_changed(previous, monkeypatch, capsys):
    def interrupted(frame, path):
        raise KeyboardInterrupt
    monkeypatch.setattr(export, "write_table", interrupted)
    before = _snapshot(previous)
    assert main([*ARGS, "--out", str(previous)]) == 130
    assert capsys.readouterr().err.strip() == f"spinesim: interrupted; nothing in {previous} was changed"
    assert _snapshot(previous) == before


def test_a_join_failing_in_its_thread_is_one_line_and_changes_nothing(previous, monkeypatch, capsys):
    """The per-patient files are joined from their parts on up to ``--workers`` threads: one that fails
    (a full disk while joining the events) reaches the caller as the one-line message."""
    real = experiment.join_parts

    def join_parts(parts, target):
        if target.name == "events.csv":
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        real(parts, target)

    monkeypatch.setattr(experiment, "join_parts", join_parts)
    before = _snapshot(previous)
    code = main([*ARGS, "--workers", "2", "--out", str(previous)])
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert code != 0
    assert len(err) == 1 and "No space left on device" in err[0] and "events.csv" in err[0]
    assert _snapshot(previous) == before


def test_successful_overwrite_replaces_only_spinesim_files(previous, capsys):
    assert main([*ARGS, "--out", str(previous)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    written = len([f for f in previous.iterdir() if f.name != "SENTINEL"])
    assert written > 1
    assert last == f"wrote {written} files to {previous}; kept 1 file spinesim did not write (SENTINEL)"
    assert (previous / "SENTINEL").read_text() == "written by someone else\n"
    assert not (previous / "patients.csv").read_text().startswith("scenario,replication,patient_id\nold")
    assert not [p for p in previous.parent.iterdir() if ".spinesim-" in p.name]
