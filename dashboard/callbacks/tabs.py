"""Switching views: a tab click sets the ``tab`` store; the store shows its panel and marks its tab (in the browser)."""

from __future__ import annotations

from collections.abc import Sequence

from dash import Dash, Input, Output, State

SELECT_JS = """function(...args) {
  const ids = args.pop();
  const trigger = dash_clientside.callback_context.triggered_id;
  return (trigger && trigger.startsWith('tab-')) ? trigger.slice(4) : dash_clientside.no_update;
}"""
SHOW_JS = """function(tab, ids) {
  setTimeout(() => window.spinesimResizeCharts && window.spinesimResizeCharts(), 60);
  const selected = ids.map(v => v === tab ? 'true' : 'false');
  return [...selected, ...ids.map(v => v === tab ? '0' : '-1'), ...ids.map(v => v !== tab)];
}"""


def register(app: Dash, views: Sequence[str]) -> None:
    """Wire the tabs of ``views`` (their values, in order)."""
    app.clientside_callback(SELECT_JS, Output("tab", "data"), *[Input(f"tab-{v}", "n_clicks") for v in views],
                            State("tab-ids", "data"), prevent_initial_call=True)
    app.clientside_callback(SHOW_JS, *[Output(f"tab-{v}", "aria-selected") for v in views],
                            *[Output(f"tab-{v}", "tabIndex") for v in views],
                            *[Output(f"panel-{v}", "hidden") for v in views],
                            Input("tab", "data"), State("tab-ids", "data"))
