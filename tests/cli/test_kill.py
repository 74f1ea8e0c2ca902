"""Killing a real ``spinesim run`` never leaves a mixed output folder; Ctrl-C is one line and exit 130.

The previous output (seed 2, CSV and Parquet, plus a file and a folder of the user's) is replaced
by a new one (seed 1, CSV only) while the run is killed with SIGKILL: at 24 instants spread over
the whole run, 8 inside its replacement step, and at named steps of the replacement
(``kill_driver.py`` slows each rename down and can kill at a named step). After every kill the
folder is the previous complete output or the new complete one: its manifest is one of the two,
every file it lists matches its SHA-256, no other spinesim file is there, and the user's files
are intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from kill_driver import install

from simulator.cli import launch
from simulator.output.folder import recover

RUN = ["run", "baseline", "--patients", "100", "--replications", "1", "--quiet"]
OLD_RUN = [*RUN, "--seed", "2", "--format", "both"]
NEW_RUN = [*RUN, "--seed", "1", "--format", "csv", "--overwrite"]
DELAY_S = 0.3  # each rename of the replacement step sleeps this long before and after
USER_FILES = {"SENTINEL": "written by someone else\n", "notes/a.txt": "my notes\n"}
REPLACEMENT_STEPS = ("commit", "carry", "sync", "exchange", "rename")

pytestmark = pytest.mark.slow


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _spinesim(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True,
                          timeout=300, **kwargs)


@dataclass(frozen=True)
class Outputs:
    base: Path
    pristine: Path  # the previous output, never touched: copied before every kill
    old: str  # its manifest's SHA-256
    new: str  # the new output's manifest's SHA-256

    def fresh(self, name: str = "out") -> Path:
        out = self.base / name
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(self.pristine, out, symlinks=True)
        return out

    def state(self, out: Path) -> str:
        """'old' or 'new', after checking that the folder is that output, complete; else fail."""
        manifest = json.loads((out / "manifest.json").read_text())
        for name, entry in manifest["files"].items():
            assert _sha(out / name) == entry["sha256"], name
        present = {p.name for p in out.iterdir()}
        assert present == {*manifest["files"], "manifest.json", "SENTINEL", "notes"}, present
        for name, text in USER_FILES.items():
            assert (out / name).read_text() == text
        digest = _sha(out / "manifest.json")
        assert digest in (self.old, self.new)
        return "old" if digest == self.old else "new"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> Outputs:
    base = tmp_path_factory.mktemp("kill")
    pristine, new = base / "pristine", base / "new"
    assert _spinesim([*OLD_RUN, "--out", str(pristine)]).returncode == 0
    for name, text in USER_FILES.items():
        (pristine / name).parent.mkdir(exist_ok=True)
        (pristine / name).write_text(text)
    assert _spinesim([*NEW_RUN, "--out", str(new)]).returncode == 0
    assert any(p.suffix == ".parquet" for p in pristine.iterdir())
    return Outputs(base, pristine, _sha(pristine / "manifest.json"), _sha(new / "manifest.json"))


def _marks(marks: Path) -> dict[str, float]:
    """Step -> the time it was reached (seconds since the epoch), in order."""
    lines = marks.read_text().splitlines() if marks.exists() else []
    return {label: float(at) for label, at in (line.split() for line in lines)}


def _last_mark(marks: Path) -> str:
    return next(reversed(_marks(marks)), "(not started)")


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _forked_run(out: Path, marks: Path, delay: float = 0.0, **faults) -> int:
    """A real ``spinesim run`` in a child forked from this process (imports already done); its pid."""
    marks.unlink(missing_ok=True)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            install(str(marks), delay, **faults)
            code = launch([*NEW_RUN, "--out", str(out)])
        finally:
            os._exit(code)
    return pid


def _wait_for(marks: Path, step: str, pid: int) -> None:
    while step not in _marks(marks):
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), f"the run ended before {step}"
        time.sleep(0.002)


def test_kills_spread_over_a_whole_run_never_leave_a_mixed_folder(outputs):
    """24 kills evenly over a whole run and 8 evenly over its replacement step (SIGKILL each time).

    Each run is a child forked from this process, so that 32 kills cost 32 runs, not 32 start-ups
    (killing during start-up, before spinesim touches anything, is covered by the Ctrl-C tests).
    """
    out, marks = outputs.fresh(), outputs.base / "marks"
    started = time.time()
    pid = _forked_run(out, marks, DELAY_S)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    duration, steps = time.time() - started, _marks(marks)
    assert outputs.state(out) == "new"
    window = steps["close:1"] - steps["commit:1"]
    moments = [("start:1", duration * (i + 0.5) / 24) for i in range(24)]
    moments += [("commit:1", window * (j + 0.5) / 8) for j in range(8)]

    landed = []
    for after, wait_s in moments:
        out = outputs.fresh()
        pid = _forked_run(out, marks, DELAY_S)
        if after != "start:1":
            _wait_for(marks, after, pid)
        time.sleep(wait_s)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        landed.append((_last_mark(marks), outputs.state(out)))

    assert len(landed) >= 30
    inside = [step for step, _ in landed if step.split(":")[0] in REPLACEMENT_STEPS]
    assert len(inside) >= 8, landed  # the replacement step itself was hit, not only the simulation
    assert {state for _, state in landed} == {"old", "new"}, landed
    # the next run clears what the killed ones left beside the folder, and is not refused
    done = _spinesim([*NEW_RUN, "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert outputs.state(out) == "new" and _leftovers(out) == []


@pytest.mark.parametrize("step, expected", [
    ("carry:2", "old"), ("sync:1", "old"), ("exchange:before:1", "old"), ("exchange:after:1", "new"),
    ("close:1", "new"),
])
def test_a_kill_at_each_step_of_the_exchange_leaves_a_complete_folder(outputs, step, expected):
    """Killed at a named step: the folder is complete, and the next run's recovery leaves nothing beside it."""
    out, marks = outputs.fresh(), outputs.base / "marks"
    status = os.waitpid(_forked_run(out, marks, die_at=step), 0)[1]
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    assert outputs.state(out) == expected
    assert _leftovers(out)  # the dead run's staging folder (or the previous output it swapped out)
    recover(out)
    assert outputs.state(out) == expected and _leftovers(out) == []


@pytest.mark.parametrize("step, expected", [
    ("rename:before:1", "old"), ("rename:after:1", "missing"), ("rename:after:2", "new"), ("close:1", "new"),
])
def test_without_rename_exchange_a_kill_at_each_step_is_recovered(outputs, step, expected):
    """The fallback: between moving the old folder aside and the new one in, the next run puts it back."""
    out, marks = outputs.fresh(), outputs.base / "marks"
    status = os.waitpid(_forked_run(out, marks, die_at=step, no_exchange=True), 0)[1]
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL
    if expected == "missing":
        assert not out.exists()
        expected = "old"
    recover(out)
    assert outputs.state(out) == expected and _leftovers(out) == []


def _group(pgid: int) -> dict[int, str]:
    """The live processes of a process group (from /proc), with their command lines."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found[int(stat.parent.name)] = command
    return found


def _loading_numpy(pid: int) -> bool:
    """Whether the process has got as far as loading numpy (so spinesim's own imports are under way)."""
    try:
        return "numpy" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _forkservers(pid: int) -> int:
    """The forkserver and the workers it forked (they share its command line)."""
    return sum("forkserver" in command for command in _group(pid).values())


#: When Ctrl-C is sent: (name, condition on the pid, seconds to wait after it holds)
MOMENTS = [
    ("importing", _loading_numpy, 0.0),
    ("forkserver starting", lambda pid: _forkservers(pid) >= 1, 0.0),
    ("forkserver preloading", lambda pid: _forkservers(pid) >= 1, 0.3),
    ("workers starting", lambda pid: _forkservers(pid) >= 2, 0.0),
    ("workers running", lambda pid: _forkservers(pid) >= 3, 0.5),
]
CTRL_C_RUN = ["run", "baseline", "--patients", "4000", "--replications", "4", "--workers", "2", "--quiet"]


@pytest.mark.parametrize("moment, ready, wait_s", MOMENTS, ids=[m[0] for m in MOMENTS])
def test_ctrl_c_to_the_process_group_is_one_line_and_exit_130(tmp_path, moment, ready, wait_s):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) at start-up, in the forkserver, in a run.

    Not covered: the first ~50 ms, while the Python interpreter itself starts (site and .pth files),
    before any of spinesim's code runs.
    """
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "simulator", *CTRL_C_RUN, "--out", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not ready(process.pid):
        assert process.poll() is None and time.monotonic() < deadline, f"{moment} never came"
        time.sleep(0.005)
    time.sleep(wait_s)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=120)
    lines = [line for line in err.splitlines() if line.strip()]
    assert process.returncode == 130, err
    assert len(lines) == 1 and lines[0].startswith("spinesim: interrupted"), err
    assert not out.exists()  # interrupted before the export: nothing written
    for _ in range(100):  # the workers and the forkserver end with it
        if not _group(process.pid):
            break
        time.sleep(0.05)
    assert _group(process.pid) == {}


def test_stdout_on_a_full_device_says_the_output_was_written(tmp_path):
    out = tmp_path / "out"
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "simulator", *RUN, "--format", "csv", "--out", str(out)],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1
    assert len(lines) == 1, lines
    written = len(list(out.iterdir()))
    assert written > 1
    assert lines[0].startswith("spinesim: cannot print to standard output (No space left on device); "
                               f"the run finished: wrote {written} files to {out}")
    assert "nothing in" not in lines[0]
    manifest = json.loads((out / "manifest.json").read_text())
    assert all(_sha(out / name) == entry["sha256"] for name, entry in manifest["files"].items())
