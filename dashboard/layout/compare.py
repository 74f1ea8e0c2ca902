"""View 1, Compare strategies: pick bundled scenarios, run them on the same patients, compare."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.layout.common import field, results_panel, run_controls, scenario_options


def compare_view(config: DashboardConfig, choices: Sequence[tuple[str, str]]) -> html.Div:
    """Scenario picker (first = reference), run controls and the results panel."""
    names = [n for n, _ in choices]
    default = [n for n in config.default_scenarios if n in names] or names[:2]
    return html.Div(className="view", children=[
        html.H2("Compare strategies"),
        html.P("Choose two or more strategies. The first one you pick is the reference: the others are "
               "compared with it, on exactly the same simulated patients (common random numbers), so a "
               "difference is the strategy's doing and not chance in who was simulated."),
        field("Strategies (first = reference)",
              dcc.Dropdown(id="compare-scenarios", multi=True, value=default, clearable=False,
                           options=scenario_options(choices)), wide=True),
        html.Details(className="descriptions", children=[
            html.Summary("What each chosen strategy asks"),
            html.Div(id="compare-descriptions"),
        ]),
        run_controls("compare", config),
        dcc.Store(id="compare-autorun"),  # set on opening: the linked or default comparison runs at once
        results_panel("compare"),
    ])


def scenario_descriptions(names: Sequence[str], choices: Sequence[tuple[str, str]]) -> list[html.P]:
    """One paragraph per chosen scenario: its name and the question it asks."""
    text = dict(choices)
    return [html.P([html.B(f"{n}: "), text.get(n, "")]) for n in names]
