"""The economics layer is model-independent: it imports numpy, scipy, pandas, itself and the data layers.

The data layers are the parameter schema (the costs, utilities and discount rates it applies) and
the vocabulary (the walking levels it prices), both below the model in the layer order, plus
``simulator.output.metrics``, whose t-interval it reuses. Read from the source, so a late import
inside a function is caught too; the simulator modules it imports are followed, so the model cannot
come in through them either.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import simulator.economics

PACKAGE = Path(simulator.economics.__file__).parent
ALLOWED = {"numpy", "scipy", "pandas", "simulator.economics", "simulator.output.metrics",
           "simulator.parameters.schema", "simulator.parameters.fields", "simulator.vocabulary"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def simulator_imports(module: str, seen: set[str]) -> set[str]:
    """Every simulator module ``module`` reaches through its own source's imports."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None, module
    for name in imported(Path(spec.origin)):
        if name.startswith("simulator.") and name not in seen:
            seen.add(name)
            simulator_imports(name, seen)
    return seen


def test_economics_imports_nothing_from_the_model():
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    for path in modules:
        for name in imported(path):
            top = name.split(".")[0]
            if top in sys.stdlib_module_names:
                continue
            assert any(name == a or name.startswith(a + ".") for a in ALLOWED), f"{path.name} imports {name}"
            assert not name.startswith("simulator.model"), f"{path.name} imports {name}"


def test_the_data_layers_economics_uses_do_not_bring_in_the_model():
    reached: set[str] = set()
    for path in sorted(PACKAGE.glob("*.py")):
        module = "simulator.economics" if path.stem == "__init__" else f"simulator.economics.{path.stem}"
        simulator_imports(module, reached)
    assert "simulator.parameters.schema" in reached and "simulator.vocabulary" in reached
    for layer in ("simulator.model", "simulator.run", "simulator.analysis", "simulator.cli"):
        assert not any(name == layer or name.startswith(layer + ".") for name in reached), (layer, sorted(reached))
