"""What the docs and ``spinesim show`` tell a user exists, and the install is pinned and checked.

Each name of a file they cite must be a file of the repository; the README must say how to reach
the installed command and what ``--range`` means; ``make test`` must install with the pinned
versions and check the built wheel.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.output.report import format_parameters
from simulator.parameters.scenario import BUNDLED_DIR, load_scenario
from simulator.version import BYTE_DETERMINING

ROOT = Path(__file__).resolve().parents[2]
FILE_NAME = re.compile(r"[A-Za-z0-9_./-]+\.(?:py|toml|md|csv|txt)\b")


def _cited(text: str) -> set[str]:
    return {name for name in FILE_NAME.findall(text) if not name.startswith(("http", "."))}


def _exists(name: str, beside: Path) -> bool:
    if "NAME" in name or "*" in name or name.startswith("my-"):  # a pattern or an example, not a file
        return True
    return (beside / name).exists() or (ROOT / name).exists() or any(ROOT.rglob(Path(name).name))


def test_scenarios_readme_names_only_files_that_exist():
    text = (ROOT / "scenarios" / "README.md").read_text()
    missing = sorted(n for n in _cited(text) if not _exists(n, ROOT / "scenarios"))
    assert missing == []


def test_show_cites_no_file_outside_the_repository():
    text = format_parameters(load_scenario("baseline"))
    missing = sorted(n for n in _cited(text) if not _exists(n, ROOT))
    assert missing == []


def test_scenarios_readme_describes_the_uncertainty_table_as_it_works():
    text = (ROOT / "scenarios" / "README.md").read_text()
    row = next(line for line in text.splitlines() if line.startswith("| `uncertainty`"))
    assert "Reserved" not in row and "ignores it" not in row
    for form in ('dist = "beta", mean, sd', 'dist = "gamma", mean, sd', 'dist = "lognormal", low, high',
                 'dist = "uniform", low, high', "1% of its mass", "clipped", "spinesim validate"):
        assert form in row, form


def test_readme_says_how_to_reach_the_command_and_what_range_means():
    text = (ROOT / "README.md").read_text()
    assert ".venv/bin/spinesim" in text and "source .venv/bin/activate" in text
    assert "--range LOW:HIGH:COUNT" in text and "COUNT evenly spaced values from LOW to HIGH" in text
    assert re.search(r"`make test` takes about \d+ minutes", text)
    assert re.search(r"`\.venv/` takes about \d+(\.\d+)? [GM]B on disk", text)


def test_the_bundled_scenarios_are_the_package_simulator_scenarios():
    """Installed (wheel or editable), they are found as package data, not beside a source tree."""
    assert Path(str(files("simulator.scenarios"))).resolve() == BUNDLED_DIR.resolve()
    assert (BUNDLED_DIR / "baseline.toml").is_file()


def test_every_package_is_listed_for_setuptools():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {".".join(p.parent.relative_to(ROOT).parts) for top in ("simulator", "dashboard")
               for p in (ROOT / top).rglob("__init__.py")}
    assert set(config["packages"]) == folders | {"simulator.scenarios"}
    assert config["package-dir"] == {"simulator.scenarios": "scenarios"}
    assert "*.toml" in config["package-data"]["simulator.scenarios"]


def test_constraints_pin_the_installed_versions_of_every_byte_determining_package():
    pins = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    assert set(BYTE_DETERMINING) <= {name.lower() for name in pins}
    for name, pinned in pins.items():
        assert version(name) == pinned, f"{name} {version(name)} installed, {pinned} pinned"


def test_make_test_installs_with_the_constraints_and_checks_the_wheel():
    makefile = (ROOT / "Makefile").read_text()
    assert '-c constraints.txt -e ".[test]"' in makefile
    test_recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert ".ci/wheel-check" in test_recipe
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_version_names_spinesim_and_the_packages_behind_the_bytes(capsys):
    assert main(["--version"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"spinesim {version('spinesim')} (python ")
    for name in BYTE_DETERMINING:
        assert f"{name} {version(name)}" in line


def test_the_manifest_records_the_versions(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "baseline", "--patients", "50", "--replications", "1", "--quiet", "--format", "csv",
                 "--out", str(out)]) == 0
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["spinesim_version"] == version("spinesim")
    assert manifest["versions"] == {"python": manifest["versions"]["python"],
                                    **{name: version(name) for name in BYTE_DETERMINING}}


def test_list_with_no_bundled_scenarios_is_an_error(monkeypatch, capsys, tmp_path):
    import simulator.cli.scenarios as scenario_commands

    monkeypatch.setattr(scenario_commands, "bundled_names", lambda: [])
    monkeypatch.setattr(scenario_commands, "BUNDLED_DIR", tmp_path)
    assert main(["list"]) == 2
    assert capsys.readouterr().err.strip() == (f"spinesim list: no bundled scenarios in {tmp_path} "
                                               "(is spinesim installed whole?)")


@pytest.mark.parametrize("name", ["Makefile", ".ci/wheel-check", "constraints.txt"])
def test_the_install_files_exist(name):
    assert (ROOT / name).is_file()
