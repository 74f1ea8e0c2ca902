"""Accessible tabs: a tablist of buttons (WAI-ARIA tabs pattern) and one tabpanel per view.

Buttons carry ``role="tab"``, ``aria-selected`` and ``aria-controls``; the arrow keys, Home and
End move between them (``assets/a11y.js``); the chosen view is the ``tab`` store's value, which the
URL also holds. Layout only: the switching is a clientside callback in ``callbacks.tabs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import dcc, html


def tab_bar(labels: Mapping[str, str], selected: str) -> html.Div:
    """The tablist: one button per view, the selected one in the tab order."""
    return html.Div(className="tablist", role="tablist", **{"aria-label": "Views"}, children=[
        html.Button(label, id=f"tab-{value}", n_clicks=0, role="tab", className="tab",
                    **{"aria-selected": "true" if value == selected else "false", "aria-controls": f"panel-{value}",
                       "data-tab": value}, tabIndex="0" if value == selected else "-1")
        for value, label in labels.items()])


def tab_panels(views: Mapping[str, Any], selected: str) -> list[html.Div]:
    """One tabpanel per view, labelled by its tab; only the selected one shown."""
    return [html.Div(id=f"panel-{value}", role="tabpanel", className="tabpanel", tabIndex="0",
                     **{"aria-labelledby": f"tab-{value}"}, hidden=value != selected, children=view)
            for value, view in views.items()]


def tabs(labels: Mapping[str, str], views: Mapping[str, Any], selected: str) -> list[Any]:
    """The tab bar, the store holding the chosen view, and the panels."""
    return [tab_bar(labels, selected), dcc.Store(id="tab", data=selected), *tab_panels(views, selected)]
