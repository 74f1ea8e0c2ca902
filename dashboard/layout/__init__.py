"""Page structure: a header and five views in tabs. Layout only; callbacks live in ``callbacks``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.layout.compare import compare_view
from dashboard.layout.delay import delay_view
from dashboard.layout.export import export_view
from dashboard.layout.sensitivity import sensitivity_view
from dashboard.layout.whatif import whatif_view

TITLE = "spinesim: breast cancer spreading to the spine"


def build_layout(config: DashboardConfig, choices: Sequence[tuple[str, str]], catalogue: Mapping[str, Any],
                 parent_values: Mapping[str, Any], dictionary: Sequence[Mapping[str, str]] = ()) -> html.Div:
    """The whole page.

    ``choices`` are the bundled scenarios, ``catalogue`` the parameter schema, ``parent_values`` the
    first scenario's values (the levers' starting values), ``dictionary`` the output columns.
    """
    return html.Div(className="page", children=[
        html.Header(children=[
            html.H1(TITLE),
            html.P("A simulation of patients with breast cancer metastatic to the spine: how delays, "
                   "capacity and treatment strategy change walking, pain and waits. Simulated patients, "
                   "not real ones: the numbers come from the published evidence and stated assumptions.",
                   className="lead"),
        ]),
        dcc.Tabs(id="tabs", value="compare", children=[
            dcc.Tab(label="Compare strategies", value="compare", children=compare_view(config, choices)),
            dcc.Tab(label="What if", value="whatif",
                    children=whatif_view(config, choices, catalogue, parent_values)),
            dcc.Tab(label="Delay explorer", value="delay", children=delay_view(config)),
            dcc.Tab(label="Sensitivity", value="sensitivity",
                    children=sensitivity_view(config, choices, catalogue)),
            dcc.Tab(label="Export", value="export", children=export_view(dictionary)),
        ]),
    ])
