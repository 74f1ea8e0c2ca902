"""Bad input to ``spinesim``: exit code 2 and exactly one clear line on stderr, never a traceback.

``simulator.cli.main.main`` is called in-process (as the console script does) and stderr is captured.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli.common import EXIT_BAD_INPUT, MAX_PATIENTS
from simulator.cli.main import main


def run_cli(capsys, *argv: str) -> tuple[int, str, list[str]]:
    """Return code, stdout, and the non-empty lines of stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.strip()]


def assert_one_line(code: int, lines: list[str], *needles: str) -> str:
    assert code == EXIT_BAD_INPUT
    assert len(lines) == 1, lines
    (line,) = lines
    assert "Traceback" not in line
    for needle in needles:
        assert needle in line, (needle, line)
    return line


ALLOWED_PATIENTS = f"1 to {MAX_PATIENTS:,}"


@pytest.mark.parametrize("value", ["0", "-5", str(10**9), "abc", "1.5", ""])
def test_patients_out_of_range_or_not_a_number(capsys, tmp_path, value):
    code, _, lines = run_cli(capsys, "run", "baseline", "--patients", value, "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, "--patients", ALLOWED_PATIENTS)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("option, value, allowed", [
    ("--replications", "0", "1 to 1,000"),
    ("--workers", "0", "1 to 256"),
    ("--seed", "-1", "0 to "),
    ("--grid-days", "0", "1 to 3650"),
    ("--grid-days", "nan", "1 to 3650"),
])
def test_other_numeric_options(capsys, tmp_path, option, value, allowed):
    code, _, lines = run_cli(capsys, "run", "baseline", option, value, "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, option, allowed)


def test_unknown_scenario_name_suggests_the_closest(capsys, tmp_path):
    code, _, lines = run_cli(capsys, "run", "basline", "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, "basline", "did you mean 'baseline'")


def test_unknown_scenario_without_a_close_name_lists_the_bundled_ones(capsys, tmp_path):
    code, _, lines = run_cli(capsys, "run", "zzzzzz", "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, "zzzzzz", "baseline", "rt-only")


def test_unknown_format(capsys, tmp_path):
    code, _, lines = run_cli(capsys, "run", "baseline", "--format", "xlsx", "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, "--format", "xlsx", "csv", "parquet", "both")


def test_non_empty_out_without_overwrite_is_refused_and_untouched(capsys, tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code, _, lines = run_cli(capsys, "run", "baseline", "--patients", "100", "--out", str(out), "--quiet")
    assert_one_line(code, lines, "--out", "--overwrite")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_non_empty_out_with_overwrite_succeeds_and_keeps_other_files(capsys, tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code, stdout, lines = run_cli(capsys, "run", "baseline", "--patients", "100", "--replications", "1",
                                  "--format", "csv", "--out", str(out), "--overwrite", "--quiet")
    assert code == 0 and lines == []
    assert (out / "notes.txt").read_text() == "keep me"
    assert (out / "patients.csv").stat().st_size > 0 and (out / "manifest.json").exists()
    assert "wrote" in stdout


def test_out_whose_parent_is_a_file(capsys, tmp_path):
    """Root ignores permission bits, so an unwritable --out is a path under a regular file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    code, _, lines = run_cli(capsys, "run", "baseline", "--patients", "100", "--out", str(blocker / "sub"),
                             "--quiet")
    assert_one_line(code, lines, "--out", str(blocker))
    assert blocker.read_text() == "a file, not a folder"


def test_out_whose_parent_is_an_executable_file(capsys, tmp_path):
    """Regression (fixed in 2d2ed7c): os.access() passed on an executable file and mkdir raised later."""
    blocker = tmp_path / "script.sh"
    blocker.write_text("#!/bin/sh\n")
    blocker.chmod(0o755)
    code, _, lines = run_cli(capsys, "run", "baseline", "--patients", "100", "--out", str(blocker / "sub"),
                             "--quiet")
    assert_one_line(code, lines, "--out", str(blocker))


def test_out_that_is_a_file(capsys, tmp_path):
    target = tmp_path / "results.csv"
    target.write_text("old")
    code, _, lines = run_cli(capsys, "run", "baseline", "--patients", "100", "--out", str(target), "--quiet")
    assert_one_line(code, lines, "--out", "is a file")
    assert target.read_text() == "old"


@pytest.mark.parametrize("content, needles", [
    ("name = \n", ["not valid TOML", "line 1"]),
    ('extends = "baseline"\n[services]\nmri_scanners = 0\n', ["services.mri_scanners", "1 to 50"]),
    ('extends = "baseline"\n[services]\nmri_scaners = 2\n', ["mri_scaners", "did you mean 'mri_scanners'"]),
], ids=["not-toml", "out-of-range", "misspelt-key"])
def test_malformed_scenario_file(capsys, tmp_path, content, needles):
    path = tmp_path / "what-if.toml"
    path.write_text(content)
    code, _, lines = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, str(path), *needles)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("make, needle", [
    (lambda d: d / "missing" / "x.toml", "file not found"),
    (lambda d: (d / "folder.toml").mkdir() or d / "folder.toml", "is a folder, not a regular file"),
], ids=["missing-path", "a-folder"])
def test_malformed_scenario_path(capsys, tmp_path, make, needle):
    path: Path = make(tmp_path)
    code, _, lines = run_cli(capsys, "run", str(path), "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, str(path), needle)


def test_the_same_scenario_twice(capsys, tmp_path):
    code, _, lines = run_cli(capsys, "run", "baseline", "baseline", "--out", str(tmp_path / "o"))
    assert_one_line(code, lines, "baseline", "twice")


def test_unknown_subcommand_and_missing_arguments(capsys):
    code, _, lines = run_cli(capsys, "frobnicate")
    assert_one_line(code, lines, "frobnicate", "run")
    code, _, lines = run_cli(capsys, "run")
    assert_one_line(code, lines, "scenarios", "--out")


def test_show_unknown_scenario(capsys):
    code, _, lines = run_cli(capsys, "show", "rt-onyl")
    assert_one_line(code, lines, "rt-onyl", "did you mean 'rt-only'")
