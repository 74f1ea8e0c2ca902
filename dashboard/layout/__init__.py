"""Page structure: a header, six views behind accessible tabs, and the URL that holds the view.

Layout only; callbacks live in ``callbacks``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.layout.compare import compare_view
from dashboard.layout.delay import delay_view
from dashboard.layout.export import export_view
from dashboard.layout.sensitivity import sensitivity_view
from dashboard.layout.tabs import tabs
from dashboard.layout.value import value_view
from dashboard.layout.whatif import whatif_view

TITLE = "spinesim: breast cancer spreading to the spine"
VIEWS: dict[str, str] = {"compare": "Compare strategies", "value": "Value for money", "whatif": "What if",
                         "delay": "Delay explorer", "sensitivity": "Sensitivity", "export": "Export"}


def build_layout(config: DashboardConfig, choices: Sequence[tuple[str, str]], catalogue: Mapping[str, Any],
                 parent_values: Mapping[str, Any], dictionary: Sequence[Mapping[str, str]] = ()) -> html.Div:
    """The whole page.

    ``choices`` are the bundled scenarios, ``catalogue`` the parameter schema, ``parent_values`` the
    first scenario's values (the levers' starting values), ``dictionary`` the output columns.
    """
    threshold_unit = catalogue["economics.wtp_thresholds"].unit
    views = {"compare": compare_view(config, choices),
             "value": value_view(config, choices, parent_values, threshold_unit),
             "whatif": whatif_view(config, choices, catalogue, parent_values),
             "delay": delay_view(config), "sensitivity": sensitivity_view(config, choices, catalogue),
             "export": export_view(dictionary)}
    return html.Div(className="page", children=[
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="url-applied", data=False),
        dcc.Store(id="tab-ids", data=list(VIEWS)),
        html.A("Skip to the views", href="#main", className="skip"),
        html.Header(children=[
            html.H1(TITLE),
            html.P("A simulation of patients with breast cancer metastatic to the spine: how delays, "
                   "capacity and treatment strategy change walking, pain and waits. Simulated patients, "
                   "not real ones: the numbers come from the published evidence and stated assumptions.",
                   className="lead"),
        ]),
        html.Main(id="main", children=[
            *tabs(VIEWS, views, "compare"),
            html.P(className="share", children=[
                "To share this view, copy the address from your browser's address bar, or this ",
                html.A("link to this view", id="share-link", href="?"), ": it holds the tab, the strategies, "
                "the cohort size, the seed and your what-if edits."]),
        ]),
    ])
