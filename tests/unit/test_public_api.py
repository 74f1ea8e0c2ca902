"""``simulator`` is the public API: every name resolves, and importing it loads nothing heavy.

The ``spinesim`` console script imports ``simulator`` before it can catch Ctrl-C, so the package
itself must load nothing until a name is used (then only that name's module).
"""

from __future__ import annotations

import subprocess
import sys

import simulator

HEAVY = ("numpy", "pandas", "scipy", "simpy", "plotly", "pyarrow", "pydantic", "simulator.run.experiment")


def test_every_public_name_resolves():
    for name in simulator.__all__:
        assert getattr(simulator, name) is not None, name
    assert set(simulator.__all__) <= set(dir(simulator))


def test_import_simulator_loads_none_of_the_heavy_modules():
    code = "import sys, simulator; print(','.join(m for m in " + repr(HEAVY) + " if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_a_name_loads_its_module_on_first_use():
    code = "import sys, simulator; simulator.load_scenario; print('simulator.parameters.scenario' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr


def test_an_unknown_name_is_an_attribute_error():
    try:
        simulator.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("simulator.no_such_name resolved")


def test_version_is_the_installed_version():
    from importlib.metadata import version

    assert simulator.__version__ == version("spinesim")
