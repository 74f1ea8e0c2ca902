"""The URL holds the view: tab, strategies, cohort size, seed and the what-if edits, so a link reproduces it.

A query string such as ``?tab=compare&s=baseline,rt-only&n=3000&r=3&seed=7`` (the what-if view adds
``parent``, ``e`` and ``wn``/``wr``/``wseed``). ``e`` is the compact encoding of the edited levers:
the changed values only, as JSON in URL-safe base64. Opening a link applies it once, then runs
the linked comparison (from the cache at once when the sender has just run it); every later change
of the controls rewrites the query, without reloading the page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

from dash import ALL, Dash, Input, Output, State, no_update

from dashboard.callbacks.whatif import changed_levers
from dashboard.config import DashboardConfig
from dashboard.data import scenario_choices
from dashboard.layout import VIEWS

LEVER = {"type": "lever", "path": ALL}


def encode_edits(overrides: Mapping[str, Any]) -> str:
    """Changed lever values as compact, URL-safe text (empty when nothing changed)."""
    if not overrides:
        return ""
    raw = json.dumps(dict(sorted(overrides.items())), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_edits(text: str) -> dict[str, Any]:
    """The lever values of :func:`encode_edits` (an empty dict for anything malformed)."""
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, int | float | bool | str)} \
        if isinstance(value, dict) else {}


def view_query(tab: str, compare: Sequence[Any], whatif: Mapping[str, Any]) -> str:
    """The query of the view: ``compare`` = (strategies, n, r, seed); ``whatif`` its parent, edits, n, r, seed."""
    names, n, r, seed = compare
    params: dict[str, Any] = {"tab": tab, "s": ",".join(names or []), "n": n, "r": r, "seed": seed}
    if tab == "whatif" or whatif.get("edits"):
        params.update(parent=whatif.get("parent"), e=encode_edits(whatif.get("edits") or {}), wn=whatif.get("n"),
                      wr=whatif.get("r"), wseed=whatif.get("seed"))
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _number(values: Mapping[str, list[str]], key: str) -> Any:
    raw = (values.get(key) or [""])[0]
    try:
        return int(raw)
    except ValueError:
        return no_update


def read_query(search: str | None, prerun: bool) -> dict[str, Any]:
    """The view a query string describes (what it does not say is left as is); unknown names are dropped."""
    values = parse_qs((search or "").lstrip("?"))
    known = {n for n, _ in scenario_choices()}
    tab = (values.get("tab") or [""])[0]
    names = [n for n in (values.get("s") or [""])[0].split(",") if n in known]
    parent = (values.get("parent") or [""])[0]
    linked = None
    if parent in known:
        linked = {"parent": parent, "overrides": decode_edits((values.get("e") or [""])[0]), "run": tab == "whatif"}
    return {"tab": tab if tab in VIEWS else no_update, "names": names or no_update,
            "compare": [_number(values, k) for k in ("n", "r", "seed")],
            "whatif": [_number(values, k) for k in ("wn", "wr", "wseed")], "linked": linked,
            "run_compare": bool(names) or prerun}


def register(app: Dash, config: DashboardConfig) -> None:
    """Wire the URL both ways: applied once on opening, rewritten on every change."""
    compare_ids = ("compare-patients", "compare-replications", "compare-seed")
    whatif_ids = ("whatif-patients", "whatif-replications", "whatif-seed")

    # Opening the page fires ``_apply`` through the path, which no callback writes; the query is read as
    # State. Were ``url.search`` its input, _write -> url.search -> _apply -> tab -> _write would be a cycle
    # (hidden from Dash's check by allow_duplicate), and the browser could wait on it for ever: a tab click
    # during the first rounds once left every later what-if callback unsent.
    @app.callback(Output("url-applied", "data"), Output("tab", "data", allow_duplicate=True),
                  Output("compare-scenarios", "value"),
                  *[Output(i, "value", allow_duplicate=True) for i in compare_ids + whatif_ids],
                  Output("compare-autorun", "data"), Output("whatif-linked", "data"),
                  Input("url", "pathname"), State("url", "search"), State("url-applied", "data"),
                  prevent_initial_call="initial_duplicate")
    def _apply(_path: str | None, search: str | None, applied: bool) -> tuple[Any, ...]:
        if applied:
            return (no_update,) * 11
        view = read_query(search, config.prerun_compare)
        return (True, view["tab"], view["names"], *view["compare"], *view["whatif"], view["run_compare"],
                view["linked"] or no_update)

    @app.callback(Output("url", "search"), Output("share-link", "href"),
                  Input("tab", "data"), Input("compare-scenarios", "value"),
                  *[Input(i, "value") for i in compare_ids], Input("whatif-parent", "value"), Input(LEVER, "value"),
                  *[Input(i, "value") for i in whatif_ids], Input("url-applied", "data"),
                  State("whatif-uploaded", "data"), prevent_initial_call=True)
    def _write(tab: str, names: Any, n: Any, r: Any, seed: Any, parent: str, levers: list[Any], wn: Any, wr: Any,
               wseed: Any, applied: bool, uploaded: Any) -> tuple[Any, Any]:
        if not applied:
            return no_update, no_update
        edits = {} if uploaded else changed_levers(parent, None, levers)
        query = view_query(tab, (names, n, r, seed), {"parent": parent, "edits": edits, "n": wn, "r": wr,
                                                      "seed": wseed})
        return query, query
