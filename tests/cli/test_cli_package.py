"""The command line is a package whose imports run one way, and the console script reaches it.

``simulator/cli/``: ``main`` (parser, dispatch, errors) loads the module of the command it is
given (``COMMANDS``); each command module uses ``common`` and ``args`` (``calibrate`` also the fit
options of ``analyses``). No function imports a module of the package late (the old
``simulator/analysis/cli.py`` imported ``simulator.cli`` inside three functions to dodge a
cycle), each cap is defined once, and ``spinesim run`` loads nothing it does not use.
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
ORDER = ["args", "common", "paired"]  # each may import only the ones before it
#: what each command module may import from the package besides ORDER
EXTRA = {"calibrate": {"analyses"}}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _cli_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("simulator.cli."):
            names.add(node.module.rsplit(".", 1)[1])
    return names


def test_the_cli_is_a_package_with_a_module_per_command_family():
    from simulator.cli.main import COMMANDS

    modules = {p.stem for p in CLI.glob("*.py")}
    assert {"__init__", "main", *ORDER} <= modules
    assert {module.rsplit(".", 1)[1] for module in COMMANDS.values()} <= modules
    for module in set(COMMANDS.values()):
        assert callable(import_module(module).register), module
    assert not (PACKAGE / "cli.py").exists() and not (PACKAGE / "cli_args.py").exists()
    assert not (PACKAGE / "analysis" / "cli.py").exists()


def test_cli_modules_import_only_modules_below_them():
    """Command modules use ``common`` and ``args``; ``main`` reaches them only through ``COMMANDS``."""
    for path in CLI.glob("*.py"):
        if path.stem in ORDER:
            allowed = set(ORDER[:ORDER.index(path.stem)])
        else:
            allowed = set(ORDER) | EXTRA.get(path.stem, set())
        if path.stem != "__init__":  # the launcher loads main; nothing else may
            assert _cli_imports(path) <= allowed, path.name


def test_spinesim_run_loads_only_what_a_run_needs():
    """Start-up: parsing a ``run`` command imports neither the dashboard nor scipy (0.1 s and 12 MiB).

    Only a summary over two or more replications needs scipy (its t quantile), and imports it then.
    """
    code = ("import sys; from simulator.cli.main import build_parser; "
            "build_parser(['run']).parse_args(['run', 'baseline', '--out', 'unused']); "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('dash', 'dashboard', 'scipy'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert not {m for m in loaded if m.split(".")[0] in ("dash", "dashboard")}, loaded
    assert not {m for m in loaded if m.split(".")[0] == "scipy"}, loaded


def test_version_and_the_shared_options_load_no_command_and_no_simulation():
    """``spinesim --version`` prints from package metadata: no command module, no pandas, scipy or simpy."""
    code = ("import sys; from simulator.cli.main import main; main(['--version']); "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('pandas', 'scipy', 'simpy') "
            "or m.startswith('simulator.cli.') and m.rpartition('.')[2] not in ('main', 'common', 'args'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, _, loaded = done.stdout.partition("\n")
    assert first.startswith("spinesim ")
    assert loaded.split() == []


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
