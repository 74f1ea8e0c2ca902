"""The economics layer is model-independent: it imports numpy, scipy, pandas and itself only.

(Plus the standard library, ``simulator.output.metrics``, whose t-interval it reuses, and the
parameter schema and vocabularies that the per-patient costing and the budget read: a scenario's
numbers and the names of treatments, never the model that simulates them.) Read from the source, so
a late import inside a function is caught too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import simulator.economics

PACKAGE = Path(simulator.economics.__file__).parent
ALLOWED = {"numpy", "scipy", "pandas", "simulator.economics", "simulator.output.metrics", "simulator.parameters.schema",
           "simulator.vocabulary"}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


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
