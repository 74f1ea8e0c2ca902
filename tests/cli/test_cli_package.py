"""The command line is a package whose imports run one way, and the console script reaches it.

``simulator/cli/``: ``main`` -> ``analyses`` -> ``common`` -> ``args``; no function imports a
module of the package late (the old ``simulator/analysis/cli.py`` imported ``simulator.cli``
inside three functions to dodge a cycle), and each cap is defined once.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import simulator

PACKAGE = Path(simulator.__file__).parent
ROOT = PACKAGE.parent
CLI = PACKAGE / "cli"
ORDER = ["args", "common", "analyses", "main"]  # each may import only the ones before it


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _cli_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulator.cli."):
            names.add(node.module.rsplit(".", 1)[1])
    return names


def test_the_cli_is_a_package_with_the_four_modules():
    assert {"__init__", *ORDER} <= {p.stem for p in CLI.glob("*.py")}
    assert not (PACKAGE / "cli.py").exists() and not (PACKAGE / "cli_args.py").exists()
    assert not (PACKAGE / "analysis" / "cli.py").exists()


def test_cli_modules_import_only_modules_below_them():
    """Other command modules (beside ``analyses``) may use ``common`` and ``args``; only ``main`` uses them."""
    for path in CLI.glob("*.py"):
        if path.stem in ORDER:
            allowed = set(ORDER[:ORDER.index(path.stem)])
        else:
            allowed = {"args", "common"}
        if path.stem not in ("main", "__init__"):  # the launcher loads main; nothing else may
            assert _cli_imports(path) <= allowed, path.name


def test_no_function_in_the_cli_imports_late():
    """The one exception is the console script's launcher, which loads ``main`` inside its Ctrl-C guard."""
    for path in CLI.glob("*.py"):
        for func in ast.walk(_tree(path)):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                late = [n.module for n in ast.walk(func) if isinstance(n, ast.Import | ast.ImportFrom)]
                if (path.name, func.name) == ("__init__.py", "launch"):
                    assert late == ["simulator.cli.main"]
                else:
                    assert not late, f"{path.name}:{func.name} imports inside the function"


def _assigned(name: str) -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                found.append(str(path.relative_to(ROOT)))
    return found


def test_each_cap_is_defined_once_in_common():
    for cap in ("MAX_PATIENTS", "MAX_REPLICATIONS"):
        assert _assigned(cap) == ["simulator/cli/common.py"], cap


def test_console_script_points_at_the_main_function():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, attr = scripts["spinesim"].partition(":")
    assert callable(getattr(import_module(module), attr))


def test_python_dash_m_simulator_runs_the_command():
    done = subprocess.run([sys.executable, "-m", "simulator", "list"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "baseline" in done.stdout.split()
