"""Building blocks shared by the views: run controls with progress, graphs with captions, tables.

Component ids are namespaced by a view prefix (``f"{prefix}-run"``), so the same block can appear
in several views (explainerdashboard's ExplainerComponent convention).
"""

from __future__ import annotations

import warnings
from typing import Any

from dash import dash_table, dcc, html

from dashboard.config import DashboardConfig
from dashboard.tables import SUMMARY_COLUMNS

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

# (id suffix, caption) of each chart in a results panel, in page order.
RESULT_CAPTIONS: dict[str, str] = {
    "ambulatory": "Of the patients still alive at each point, how many can walk (Frankel D or E). "
                  "Shading: 95% confidence interval.",
    "km": "Kaplan-Meier estimate of the chance of still walking, counted from diagnosis. Patients who "
          "die or reach the end of follow-up while walking are censored. Shading: 95% interval.",
    "vas": "Pain on the 0-10 visual analogue scale (VAS) among living patients: line = median, "
           "shading = middle half of patients (interquartile range).",
    "pain-response": "Share of patients whose pain had responded 3 months after diagnosis; whiskers: "
                     "95% confidence interval.",
    "frankel": "Frankel grade: A complete lesion, B sensory only, C motor useless, D motor useful "
               "(walks), E normal. Bars are outlined in the strategy's colour.",
    "delays": "Mean days in each step from first symptom to treatment; the bar's height is the whole "
              "wait. Hatching marks the step, colour the strategy.",
    "treatments": "Which treatment diagnosed patients received.",
    "resources": "How busy each limited service is and how long patients queue for it. Whiskers span "
                 "the lowest to the highest replication.",
}


def field(label: Any, control: Any, help_text: Any = "", wide: bool = False) -> html.Div:
    """A control with its label (pointing at the control's id) and help below it.

    ``help_text`` is a string, or a component when a callback updates it (it then needs its own id).
    """
    note = html.Small(help_text, className="help") if isinstance(help_text, str) and help_text else help_text
    return html.Div(className="field wide" if wide else "field", children=[
        html.Label(label, htmlFor=getattr(control, "id", None)), control, note or None])


def scenario_options(choices: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Dropdown options for (name, description) pairs: the description shows on hover."""
    return [{"label": name, "value": name, "title": description} for name, description in choices]


def choice_options(labels: dict[str, str]) -> list[dict[str, str]]:
    """Radio or dropdown options from ``{value: label}``."""
    return [{"label": label, "value": value} for value, label in labels.items()]


def number_input(id_: str, value: float | None, label: str, help_text: str = "",
                 step: float | str = 1, width: str = "8em") -> html.Div:
    """A labelled numeric input (no browser-side min/max: the server explains bad values)."""
    return field(label, dcc.Input(id=id_, type="number", value=value, step=step, style={"width": width},
                                  debounce=False), help_text)


def run_controls(prefix: str, config: DashboardConfig, patients: int | None = None,
                 replications: int | None = None, show_replications: bool = True) -> html.Div:
    """Cohort size, replications and seed inputs, Run and Cancel buttons, progress bar, status."""
    patients = config.default_patients if patients is None else patients
    replications = config.default_replications if replications is None else replications
    fields = [
        number_input(f"{prefix}-patients", patients, "Patients per replication",
                     f"10 to {config.max_patients}"),
        number_input(f"{prefix}-replications", replications, "Replications",
                     f"1 to {config.max_replications}") if show_replications else
        dcc.Input(id=f"{prefix}-replications", type="hidden", value=replications),
        number_input(f"{prefix}-seed", config.default_seed, "Seed", "same seed, same patients"),
    ]
    return html.Div(className="run-controls", children=[
        html.Div(className="fields", children=fields),
        html.Div(className="buttons", children=[
            html.Button("Run", id=f"{prefix}-run", n_clicks=0, className="primary"),
            html.Button("Cancel", id=f"{prefix}-cancel", n_clicks=0, disabled=True),
            html.Div(id=f"{prefix}-progress-box", className="progress-box", style={"display": "none"},
                     children=[html.Progress(id=f"{prefix}-progress", value="0", max="1"),
                               html.Span("running in the background; the page stays usable",
                                         className="help")]),
        ]),
        html.Div(id=f"{prefix}-status", className="status", role="status"),
        dcc.Store(id=f"{prefix}-job"),
        dcc.Interval(id=f"{prefix}-poll", interval=config.poll_ms, disabled=True),
        dcc.Store(id=f"{prefix}-result"),
    ])


def graph(id_: str, caption: str = "", filename: str = "spinesim") -> html.Figure:
    """A chart with a plain-language caption; the modebar's camera saves it as PNG."""
    config = {**GRAPH_CONFIG, "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"],
                                                       "filename": filename}}
    return html.Figure(className="chart", children=[
        dcc.Graph(id=id_, config=config, figure={"data": [], "layout": {"height": 120}}),
        html.Figcaption(caption) if caption else None,
    ])


def quiet_datatable(**kwargs: Any) -> dash_table.DataTable:
    """A DataTable without its deprecation warning (the brief asks for DataTable specifically)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return dash_table.DataTable(**kwargs)


def summary_table(id_: str) -> html.Div:
    """Sortable summary table with a CSV download button (DataTable's own export)."""
    return html.Div(className="summary", children=[
        html.H3("Summary with 95% intervals"),
        html.P("Each outcome per strategy, averaged over replications, with the paired difference to the "
               "reference (the first strategy) on the same simulated patients. Click a column header to "
               "sort; 'Export' downloads the table as CSV.", className="help"),
        quiet_datatable(
            id=id_, columns=SUMMARY_COLUMNS, data=[], sort_action="native", export_format="csv",
            export_headers="display", page_action="none", fixed_rows={"headers": True},
            style_table={"maxHeight": "480px", "overflowY": "auto", "overflowX": "auto"},
            style_cell={"fontFamily": "inherit", "fontSize": "14px", "padding": "4px 8px",
                        "textAlign": "left", "whiteSpace": "normal", "minWidth": "90px"},
            style_header={"fontWeight": "bold", "backgroundColor": "#f3f3f3"},
        ),
    ])


def results_panel(prefix: str) -> html.Div:
    """Every chart of a strategy comparison plus the summary table, ids namespaced by ``prefix``."""
    charts = [graph(f"{prefix}-{name}-graph", caption, f"spinesim-{prefix}-{name}")
              for name, caption in RESULT_CAPTIONS.items()]
    return html.Div(id=f"{prefix}-results", className="results", children=[
        html.Div(className="chart-grid", children=charts),
        summary_table(f"{prefix}-summary-table"),
    ])
