"""View 3, Delay explorer (for teaching): two delays before diagnosis, the same patients, what changes."""

from __future__ import annotations

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.explorer import DEFAULT_WEEKS, DELAY_CHOICES, MAX_WEEKS
from dashboard.layout.common import choice_options, field, graph, run_controls


def weeks_slider(id_: str, value: int, label: str) -> html.Div:
    """A labelled slider of whole weeks (0 to MAX_WEEKS) whose mark labels are clickable and never cut."""
    marks = {w: {"label": f"{w} wk"} for w in range(0, MAX_WEEKS + 1, 2)}
    return html.Div(className="field wide slider", children=[
        html.Label(label, id=f"{id_}-label", htmlFor=id_),
        dcc.Slider(id=id_, min=0, max=MAX_WEEKS, step=1, value=value, marks=marks, included=False,
                   allow_direct_input=True, tooltip={"placement": "top", "always_visible": False}),
    ])


def delay_view(config: DashboardConfig) -> html.Div:
    """Which delay, two settings in weeks, run controls, the outcomes side by side and one patient's journey."""
    return html.Div(className="view", children=[
        html.H2("Delay explorer"),
        html.P("A spinal metastasis that presses on the spinal cord can take away the ability to walk, and lost "
               "walking is hard to win back. Set two delays, for example a diagnosis 2 weeks after the first "
               "symptom against 8 weeks, press Run, and see what the longer wait does to the same patients."),
        field("Which delay", dcc.RadioItems(id="delay-lever", value="total", inline=False,
                                            options=choice_options(DELAY_CHOICES)), wide=True),
        html.Div(className="sliders", children=[
            weeks_slider("delay-a", DEFAULT_WEEKS[0], "Setting A (the reference): weeks"),
            weeks_slider("delay-b", DEFAULT_WEEKS[1], "Setting B: weeks"),
        ]),
        html.P(id="delay-settings", className="help"),
        run_controls("delay", config, patients=config.delay_patients, replications=config.delay_replications),
        html.Div(id="delay-results", className="results", children=[
            html.Div(className="stale-note", children="Out of date: running the new settings..."),
            graph("delay-outcomes-graph", "Each outcome under both settings: bar = mean over replications, "
                  "whisker = 95% interval.", "spinesim-delay-outcomes", "Press Run to compare the two delays"),
            html.P(id="delay-caption", className="caption", role="status"),
            html.H3("Follow one patient"),
            html.P("The same simulated person under both settings: patients listed here walk under one setting and "
                   "not under the other while alive in both. Bands show how well the spinal cord works (Frankel "
                   "grade: green = can walk, the lightest is normal function; grey = cannot walk), triangles each "
                   "change of grade, the line pain (0 none, 10 worst), diamonds the events (hover for details)."),
            field("Patient", dcc.Dropdown(id="delay-patient", options=[], placeholder="run the explorer first"),
                  wide=True),
            graph("delay-journey-graph", "", "spinesim-journey", "Pick a patient to see their journey"),
            html.P(id="delay-journey-caption", className="caption"),
        ]),
    ])
