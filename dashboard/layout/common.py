"""Building blocks shared by the views: run controls with progress, graphs with captions, tables.

Component ids are namespaced by a view prefix (``f"{prefix}-run"``), so the same block can appear
in several views (explainerdashboard's ExplainerComponent convention).
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.figures import empty_figure

#: Plotly's chart options: no logo, no "send to cloud" (nothing leaves the machine), charts that fit their box.
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
GRID_STYLE = {"width": "100%"}

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


def graph(id_: str, caption: str = "", filename: str = "spinesim", placeholder: str = "Press Run to simulate",
          ) -> html.Figure:
    """A chart with a plain-language caption and a text alternative (``{id}-text``, filled by a callback).

    The figure is described for screen readers by its one-line summary (``aria-describedby``);
    the modebar's camera saves it as PNG. Before any result it shows ``placeholder``, not bare axes.
    """
    config = {**GRAPH_CONFIG, "toImageButtonOptions": {**GRAPH_CONFIG["toImageButtonOptions"], "filename": filename}}
    text_id = f"{id_}-text"
    return html.Figure(className="chart", **{"aria-describedby": text_id}, children=[
        dcc.Graph(id=id_, config=config, figure=empty_figure("", placeholder), responsive=False),
        html.Figcaption([html.Span(caption) if caption else None,
                         html.Span(placeholder, id=text_id, className="alt")]),
    ])


def grid(id_: str, columns: list[dict[str, Any]], rows: list[dict[str, Any]] | None = None,
         height: str | None = None, **kwargs: Any) -> dag.AgGrid:
    """An AG Grid (community) table: sortable and filterable columns, horizontal scroll on narrow screens."""
    options = {"domLayout": "autoHeight"} if height is None else {}
    options.update(kwargs.pop("dashGridOptions", {}))
    defaults = {"sortable": True, "filter": True, "resizable": True, "minWidth": 90, "wrapHeaderText": True,
                "autoHeaderHeight": True, **kwargs.pop("defaultColDef", {})}
    if kwargs.get("rowModelType") != "infinite":
        kwargs["rowData"] = rows or []
    return dag.AgGrid(id=id_, columnDefs=columns, className="ag-theme-quartz grid", defaultColDef=defaults,
                      dashGridOptions={"suppressDragLeaveHidesColumns": True, **options},
                      style={**GRID_STYLE, **({"height": height} if height else {})}, **kwargs)


def results_panel(prefix: str) -> html.Div:
    """The answer first (cards, noise warning), every chart, the summary table and the report, ids by ``prefix``."""
    charts = [graph(f"{prefix}-{name}-graph", caption, f"spinesim-{prefix}-{name}")
              for name, caption in RESULT_CAPTIONS.items()]
    return html.Div(id=f"{prefix}-results", className="results", children=[
        html.Div(className="stale-note", children="Out of date: running the new settings..."),
        html.Section(className="headline", **{"aria-labelledby": f"{prefix}-headline-title"}, children=[
            html.H3("The answer first", id=f"{prefix}-headline-title"),
            html.Div(id=f"{prefix}-cards", className="cards",
                     children=html.P("Press Run: each strategy's result against the reference appears here.",
                                     className="help")),
            html.Div(id=f"{prefix}-noise", className="noise", style={"display": "none"}, children=[
                html.P(id=f"{prefix}-noise-text"),
                html.Button("Run more replications", id=f"{prefix}-more", n_clicks=0, className="primary"),
            ]),
        ]),
        html.Div(className="chart-grid", children=charts),
        summary_table(prefix),
    ])


def summary_table(prefix: str) -> html.Section:
    """The summary in sections (key outcomes first, each section collapsible), CSV and report downloads."""
    return html.Section(className="summary", children=[
        html.H3("Summary with 95% intervals"),
        html.P("Each outcome per strategy (mean over replications, 95% t-interval), with the paired difference "
               "to the reference (the first strategy) on the same simulated patients. Click a column header "
               "to sort, its menu to filter; open a section to see its outcomes.", className="help"),
        html.Div(id=f"{prefix}-summary", children=html.P("No results yet.", className="help")),
        html.Div(className="buttons", children=[
            html.Button("Download summary (CSV)", id=f"{prefix}-summary-csv", n_clicks=0),
            html.Button("Download report (HTML)", id=f"{prefix}-report", n_clicks=0),
            dcc.Download(id=f"{prefix}-download"),
        ]),
    ])
