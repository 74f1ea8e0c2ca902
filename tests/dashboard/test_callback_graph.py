"""The callbacks form no cycle: a chain that comes back to its start can leave the browser waiting on itself.

Dash refuses a direct cycle, but ``allow_duplicate`` outputs carry a suffix that hides one from its
check; the what-if tab once stalled that way (the URL written from the tab, the tab set from the URL).
A callback may still read what it writes itself (Dash allows that within one callback).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dashboard.app import create_app, stop_jobs
from dashboard.config import DashboardConfig


def _node(component_id: Any, prop: str) -> str:
    """``id.prop``, a pattern-matching id by its type alone (its wildcards match every member)."""
    if isinstance(component_id, str) and component_id.startswith("{"):
        component_id = json.loads(component_id)
    if isinstance(component_id, dict):
        component_id = f"<{component_id['type']}>"
    return f"{component_id}.{prop}"


def _outputs(spec: str) -> set[str]:
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return {_node(*part.split("@")[0].rsplit(".", 1)) for part in parts}


def _edges(callbacks: list[tuple[set[str], set[str]]]) -> dict[int, set[int]]:
    """Callback a -> b when b reads something a writes (a callback reading its own output is no edge)."""
    return {a: {b for b, (_, inputs) in enumerate(callbacks) if b != a and outputs & inputs}
            for a, (outputs, _) in enumerate(callbacks)}


def _cycles(edges: dict[int, set[int]]) -> list[list[int]]:
    """Every cycle of callbacks found by depth-first search (each reported once, from where it was met)."""
    found, state = [], {}

    def visit(node: int, path: list[int]) -> None:
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for start in sorted(edges):
        if start not in state:
            visit(start, [start])
    return found


@pytest.fixture(scope="module")
def callbacks(tmp_path_factory) -> list[tuple[set[str], set[str]]]:
    app = create_app(DashboardConfig(cache_dir=tmp_path_factory.mktemp("graph"), job_workers=1))
    try:
        return [(_outputs(cb["output"]), {_node(i["id"], i["property"]) for i in cb["inputs"]})
                for cb in app._callback_list]
    finally:
        stop_jobs(app)


def test_no_chain_of_callbacks_comes_back_to_where_it_started(callbacks):
    cycles = [" -> ".join(sorted(callbacks[c][0])[0] for c in cycle) for cycle in _cycles(_edges(callbacks))]
    assert cycles == []


def test_the_check_sees_a_cycle_hidden_by_a_duplicate_output():
    hidden = [(_outputs("..url.search...share-link.href.."), {_node("tab", "data")}),
              (_outputs("..url-applied.data...tab.data@20362a91.."), {_node("url", "search")})]
    assert _cycles(_edges(hidden)) == [[0, 1, 0]]
