"""``spinesim validate``, ``list`` and ``show`` on good and bad input."""

from __future__ import annotations

import pytest

from simulator import bundled_names, load_scenario, parameter_infos
from simulator.cli.main import EXIT_BAD_INPUT, main
from simulator.parameters.scenario import flatten


def run_cli(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, [line for line in captured.err.splitlines() if line.strip()]


GOOD = 'name = "my-what-if"\nextends = "baseline"\n[services]\nmri_scanners = 3\n'
BAD = 'name = "broken"\nextends = "baseline"\n[services]\nmri_scanners = 0\n[pathway]\np_gp_suspects = 1.5\n'


def test_validate_good_files(capsys, tmp_path):
    path = tmp_path / "good.toml"
    path.write_text(GOOD)
    code, out, err = run_cli(capsys, "validate", str(path), "rt-only")
    assert code == 0 and err == []
    assert f"{path}: OK (my-what-if" in out  # then how many parameters its [uncertainty] table draws
    assert "rt-only: OK (rt-only" in out


def test_validate_bad_file_names_every_problem(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    code, out, err = run_cli(capsys, "validate", str(path))
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert len(err) == 2, err
    assert any("services.mri_scanners" in line and "1 to 50" in line for line in err)
    assert any("pathway.p_gp_suspects" in line and "0 to 1" in line for line in err)
    assert all(str(path) in line for line in err)


def test_validate_mixed_reports_good_and_bad(capsys, tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(GOOD)
    bad.write_text(BAD)
    code, out, err = run_cli(capsys, "validate", str(good), str(bad))
    assert code == EXIT_BAD_INPUT
    assert "OK" in out and str(bad) not in out
    assert err and all(str(bad) in line for line in err)


def test_list_prints_every_bundled_scenario(capsys):
    code, out, err = run_cli(capsys, "list")
    assert code == 0 and err == []
    names = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert names[0] == "baseline"
    assert sorted(names) == sorted(bundled_names())
    for name in bundled_names():
        description = load_scenario(name).description
        assert description[:40] in out


@pytest.mark.parametrize("scenario", ["baseline", "rt-only"])
def test_show_prints_every_parameter_with_unit_and_source(capsys, scenario):
    code, out, err = run_cli(capsys, "show", scenario)
    assert code == 0 and err == []
    lines = out.splitlines()
    values = flatten(load_scenario(scenario).resolved())
    by_path = {line.split()[0]: line for line in lines[3:] if line.strip()}
    infos = parameter_infos()
    assert len(by_path) == len(infos)
    for info in infos:
        line = by_path[info.path]
        assert info.unit in line, info.path
        assert info.source in line, info.path
        assert str(values[info.path]) in line, info.path
    assert lines[0].startswith(f"{scenario}:")
