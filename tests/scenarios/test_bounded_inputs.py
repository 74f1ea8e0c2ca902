"""Scenario input is bounded: regular files below a size limit, at most a screenful of problems.

Each case used to hang (a FIFO), read without end (``/dev/zero``), give a traceback (a symlink
loop, an sd of 1e-300), print 50,002 lines, or blame the wrong file; now each is one clear
problem naming the file and key.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import simulator.parameters.files as files_module
from simulator import ScenarioError, load_scenario, parse_uncertainty, with_uncertainty
from simulator.parameters.files import MAX_FILE_BYTES
from simulator.parameters.scenario import MAX_EXTENDS_DEPTH, MAX_SHOWN_PROBLEMS

HEAD = 'name = "broken"\nextends = "baseline"\n'


def _problems(ref: str | Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(ref)
    return [str(p) for p in caught.value.problems]


def _load_in_thread(ref: str | Path, timeout_s: float = 60) -> list[str]:
    """Load in a thread so that a hang fails the test instead of stalling the suite."""
    found: list[list[str]] = []
    thread = threading.Thread(target=lambda: found.append(_problems(ref)), daemon=True)
    thread.start()
    thread.join(timeout_s)
    assert found, f"loading {ref} did not finish within {timeout_s} s"
    return found[0]


def test_a_fifo_as_a_scenario_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    (line,) = _load_in_thread(fifo)
    assert line == f"{fifo}: is a FIFO, not a regular file (scenario files are TOML files of at most 1,000,000 bytes)"


def test_a_fifo_in_extends_is_refused_against_the_file_that_names_it(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    child = tmp_path / "child.toml"
    child.write_text(f'name = "child"\nextends = "{fifo}"\n')
    (line,) = _load_in_thread(child)
    assert line.startswith(f"{child}: extends: = '{fifo}': {fifo} is a FIFO, not a regular file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_in_extends_is_refused_without_reading_it(tmp_path, device):
    child = tmp_path / "child.toml"
    child.write_text(f'name = "child"\nextends = "{device}"\n')
    (line,) = _load_in_thread(child)
    assert line.startswith(f"{child}: extends: = '{device}': {device} is a device, not a regular file")


def test_a_file_over_the_size_limit_is_refused_after_reading_at_most_the_limit(tmp_path, monkeypatch):
    big = tmp_path / "big.toml"
    big.write_text(HEAD + "# " + "x" * MAX_FILE_BYTES + "\n")
    reads = []
    real_read = os.read
    monkeypatch.setattr(files_module.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    (line,) = _problems(big)
    assert line == f"{big}: is larger than 1,000,000 bytes, the limit for a scenario file"
    assert sum(reads) <= MAX_FILE_BYTES + 1


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    (line,) = _problems(folder)
    assert line.startswith(f"{folder}: is a folder, not a regular file")


@pytest.mark.parametrize("through_extends", [False, True])
def test_a_symlink_loop_is_one_problem_not_a_traceback(tmp_path, through_extends):
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    if through_extends:
        child = tmp_path / "child.toml"
        child.write_text(f'name = "child"\nextends = "{tmp_path / "a.toml"}"\n')
        assert _problems(child) == [f"{child}: extends: = '{tmp_path / 'a.toml'}': {tmp_path / 'a.toml'} "
                                    "is a loop of symbolic links"]
    else:
        assert _problems(tmp_path / "a.toml") == [f"{tmp_path / 'a.toml'}: is a loop of symbolic links"]


def test_a_deep_extends_chain_names_extends_and_the_limit(tmp_path):
    (tmp_path / "f0.toml").write_text('name = "f0"\nextends = "baseline"\n')
    for i in range(1, 1001):
        (tmp_path / f"f{i}.toml").write_text(f'name = "f{i}"\nextends = "f{i - 1}.toml"\n')
    (line,) = _problems(tmp_path / "f1000.toml")
    assert line == (f"{tmp_path / 'f1000.toml'}: extends: the chain f1000.toml -> f999.toml -> ... -> "
                    f"f968.toml is longer than {MAX_EXTENDS_DEPTH} files (the limit for extends)")


def test_a_chain_within_the_limit_loads(tmp_path):
    (tmp_path / "f0.toml").write_text('name = "f0"\nextends = "baseline"\n')
    for i in range(1, MAX_EXTENDS_DEPTH - 1):
        (tmp_path / f"f{i}.toml").write_text(f'name = "f{i}"\nextends = "f{i - 1}.toml"\n')
    assert len(load_scenario(tmp_path / f"f{MAX_EXTENDS_DEPTH - 2}.toml").chain) == MAX_EXTENDS_DEPTH


def _unknown_keys(path: Path, n: int, tables: bool = False) -> Path:
    lines = (f"[k{i}]\na = 1\n" if tables else f"k{i} = 1\n" for i in range(n))
    path.write_text(HEAD + "".join(lines))
    return path


def test_many_problems_show_a_screenful_and_count_the_rest(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_unknown_keys(tmp_path / "many.toml", 5000))
    assert len(caught.value.problems) == 5000  # all collected ...
    lines = str(caught.value).splitlines()  # ... a screenful shown
    assert len(lines) == MAX_SHOWN_PROBLEMS + 1
    assert lines[-1] == "... and 4,980 more problems"


def test_the_cli_prints_a_screenful(tmp_path):
    path = _unknown_keys(tmp_path / "many.toml", 3000)
    done = subprocess.run([sys.executable, "-m", "simulator", "validate", str(path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == MAX_SHOWN_PROBLEMS + 1


def _calls_while_loading(path: Path) -> int:
    """Python and C function calls made while loading ``path`` (a deterministic measure of work)."""
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1
    sys.setprofile(count)
    try:
        load_scenario(path)
    except ScenarioError:
        pass
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("tables", [False, True], ids=["keys", "tables"])
def test_validation_work_grows_linearly_with_unknown_keys(tmp_path, tables):
    """Twice the unknown keys, about twice the work, and a small fixed amount per key.

    Counted in function calls, not seconds. Before, every unknown key walked the whole schema and
    ran a fuzzy match (thousands of calls each), and every unknown table scanned all the others.
    """
    small = _calls_while_loading(_unknown_keys(tmp_path / "small.toml", 1000, tables))
    large = _calls_while_loading(_unknown_keys(tmp_path / "large.toml", 2000, tables))
    assert large / small < 2.2
    assert (large - small) / 1000 < 300  # calls per extra key (tomllib's parsing is most of them)


def test_a_table_where_a_number_belongs_blames_the_file_that_wrote_it_and_shows_it(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + "[services]\nmri_scanners = { a = 1 }\n")
    assert _problems(path) == [f"{path}: services.mri_scanners: = {{ a = 1 }} is invalid: Input should be a "
                               "valid integer (allowed: 1 to 50 scanners)"]


def test_a_value_where_the_parent_has_a_table_blames_the_child(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + "[cohort]\nsubtype = 3\n")
    (line,) = _problems(path)
    assert line.startswith(f"{path}: cohort.subtype: = 3 ")


def test_shares_just_off_one_print_enough_digits(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + "[cohort]\nsubtype = { hr_positive = 0.700001, her2_positive = 0.15, "
                           "triple_negative = 0.15 }\n")
    (line,) = _problems(path)
    assert "they sum to 1.000001:" in line
    assert "within 1e-09" in line


@pytest.mark.parametrize("spec, fragment", [
    ({"dist": "beta", "mean": 0.3, "sd": -0.05}, "beta sd = -0.05 must be > 0"),
    ({"dist": "gamma", "mean": 38, "sd": 1e-300}, "gamma(mean=38, sd=1e-300) cannot be computed"),
    ({"dist": "gamma", "mean": 1e-300, "sd": 1e300}, "cannot be computed"),
    ({"dist": "lognormal", "median": 1e-300, "sd_log": 1e300}, "cannot be computed"),
    ({"dist": "lognormal", "low": 1e-300, "high": 1e300}, "cannot be computed"),
    ({"dist": "beta", "alpha": 1e-300, "beta": 1e300}, "cannot be computed"),
])
def test_every_distribution_is_validated_before_anything_runs(spec, fragment):
    path = "natural_history.p_cord_compression" if spec["dist"] == "beta" else \
        "natural_history.walking_loss_median_days"
    scenario = with_uncertainty(load_scenario("baseline"), {path: spec})
    with pytest.raises(ScenarioError) as caught:
        parse_uncertainty(scenario)
    (problem,) = caught.value.problems
    assert problem.key == f"uncertainty.{path}" and fragment in problem.message


def test_spinesim_validate_checks_the_uncertainty_table(tmp_path, capsys):
    from simulator.cli.main import main

    path = tmp_path / "uncertain.toml"
    path.write_text(HEAD + '[uncertainty]\n"natural_history.p_cord_compression" = '
                           '{ dist = "beta", mean = 0.3, sd = -0.05 }\n')
    assert main(["validate", str(path)]) == 2
    assert "beta sd = -0.05 must be > 0" in capsys.readouterr().err
