"""Loader regressions: each test pins a bug found by the scenario tests and since fixed.

Unnamed children take their file's name; non-table ``uncertainty``, unusable ``extends`` references
and pathologically deep documents are ScenarioErrors; a missing parent is reported against the file
that names it; a bad value is blamed on the file that wrote it; relative ``extends`` resolve beside the
referring file first; suggestions never repeat the rejected key; override errors are not blamed on
the file; problem lines escape control characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.parameters.scenario import ScenarioError, load_scenario

HEAD = 'extends = "baseline"\n'


@pytest.fixture(autouse=True)
def _run_in_tmp_path(tmp_path, monkeypatch):
    """Independent of the directory pytest was started from (see the cwd bug below)."""
    monkeypatch.chdir(tmp_path)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unnamed_child_is_named_after_its_file(tmp_path):
    scenario = load_scenario(
        _write(tmp_path / "my-what-if.toml", HEAD + "services.mri_scanners = 3\n")
    )
    assert scenario.name == "my-what-if"


@pytest.mark.parametrize("value", ['"ab"', "5", "[1, 2]", "true"])
def test_uncertainty_that_is_not_a_table_is_a_scenario_error(tmp_path, value):
    path = _write(tmp_path / "unc.toml", HEAD + f"uncertainty = {value}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [p.key for p in info.value.problems] == ["uncertainty"]


@pytest.mark.parametrize(
    "ref", ["a\\u0000b", "x" * 300, "x" * 300 + ".toml"], ids=["nul", "long", "long-path"]
)
def test_unusable_extends_reference_is_a_scenario_error(tmp_path, ref):
    path = _write(tmp_path / "ext.toml", f'extends = "{ref}"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert any(p.key == "extends" or "file not found" in p.message for p in info.value.problems)


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 3000 + "]" * 3000 + "\n",
        HEAD + "x" + ".x" * 3000 + " = 1\n",
    ],
    ids=["deep-array", "deep-dotted-key"],
)
def test_pathologically_deep_document_is_a_scenario_error(tmp_path, text):
    with pytest.raises(ScenarioError):
        load_scenario(_write(tmp_path / "deep.toml", text))


def test_missing_parent_is_reported_against_the_referring_file(tmp_path):
    child = _write(tmp_path / "child.toml", 'name = "child"\nextends = "nothere.toml"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    assert any(
        p.key == "extends" and Path(p.file).name == "child.toml" and "nothere.toml" in p.message
        for p in info.value.problems
    ), str(info.value)


def test_bad_value_in_a_parent_is_reported_against_the_parent(tmp_path):
    _write(tmp_path / "parent.toml", 'name = "parent"\n' + HEAD + "services.mri_scanners = 0\n")
    child = _write(tmp_path / "child.toml", 'name = "child"\nextends = "parent.toml"\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    (problem,) = info.value.problems
    assert problem.key == "services.mri_scanners"
    assert Path(problem.file).name == "parent.toml"


def test_relative_extends_is_resolved_next_to_the_referring_file(tmp_path, monkeypatch):
    sub = tmp_path / "sub"
    sub.mkdir()
    _write(sub / "parent.toml", 'name = "parent"\n' + HEAD + "services.mri_scanners = 3\n")
    child = _write(sub / "child.toml", 'name = "child"\nextends = "parent.toml"\n')
    _write(tmp_path / "parent.toml", 'name = "decoy"\n' + HEAD + "services.mri_scanners = 7\n")
    monkeypatch.chdir(tmp_path)
    assert load_scenario(child).params.services.mri_scanners == 3


@pytest.mark.parametrize(
    "text",
    [
        HEAD + '[cohort]\n"subtype.hr_positive" = 0.6\n',  # quoted dotted key inside a table
        HEAD + '"extends.x" = 1\n',
    ],
    ids=["dotted-in-table", "meta-as-table"],
)
def test_suggestion_is_never_the_rejected_key_itself(tmp_path, text):
    with pytest.raises(ScenarioError) as info:
        load_scenario(_write(tmp_path / "odd.toml", text))
    for problem in info.value.problems:
        if "unknown key '" in problem.message:
            leaf = problem.message.split("unknown key '")[1].split("'")[0]
            assert f"did you mean '{leaf}'" not in problem.message, str(problem)


def test_override_errors_are_not_blamed_on_the_file():
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline", overrides={"services.mri_scanner": 2})
    (problem,) = info.value.problems
    assert "overrides" in problem.file


def test_problem_lines_escape_control_characters(tmp_path):
    path = _write(tmp_path / "ctl.toml", HEAD + '"bad\\nkey" = 1\n"other\\rkey" = 2\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert len(str(info.value).splitlines()) == len(info.value.problems) == 2


def test_uncertainty_with_dates_is_rejected_or_digestible(tmp_path):
    path = _write(tmp_path / "unc.toml", HEAD + "[uncertainty]\nstart = 2024-01-01\n")
    try:
        scenario = load_scenario(path)
    except ScenarioError:
        return
    assert len(scenario.digest()) == 16
