"""View 3, Delay explorer (for teaching): what a longer wait before diagnosis does to walking."""

from __future__ import annotations

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.explorer import DELAY_CHOICES
from dashboard.layout.common import choice_options, field, graph, run_controls


def delay_view(config: DashboardConfig) -> html.Div:
    """Delay choice, run controls, the walking-versus-delay curve and one patient's journey."""
    return html.Div(className="view", children=[
        html.H2("Delay explorer"),
        html.P("A spinal metastasis that presses on the spinal cord can take away the ability to walk, "
               "and lost walking is hard to win back. Here you can stretch the time it takes from the "
               "first symptom to a diagnosis and see how many patients can still walk. Pick which wait "
               "to stretch, press Run, then move the slider."),
        field("Which wait to stretch",
              dcc.RadioItems(id="delay-lever", value="total", inline=True, options=choice_options(DELAY_CHOICES)),
              wide=True),
        run_controls("delay", config, patients=config.delay_patients,
                     replications=config.delay_replications, show_replications=False),
        field("Delay setting", dcc.Slider(id="delay-point", min=0, max=4, step=1, value=2, included=False,
                       marks={i: str(i) for i in range(5)}), wide=True),
        html.Div(id="delay-results", className="results", children=[
        graph("delay-curve-graph", "", "spinesim-delay-curve"),
        html.P(id="delay-curve-caption", className="caption"),
        html.H3("Follow one patient"),
        html.P("The same simulated person, once with the baseline delays and once with the delay you chose. "
               "Grey bands show how well the spinal cord works (Frankel grade, darker = worse; D and E can "
               "walk), the line shows pain (0 = none, 10 = worst), diamonds mark events such as visits, "
               "scans, diagnosis and treatment (hover for details)."),
        field("Patient", dcc.Dropdown(id="delay-patient", options=[], placeholder="run the explorer first"), wide=True),
        dcc.Loading(graph("delay-journey-graph", "", "spinesim-journey")),
        html.P(id="delay-journey-caption", className="caption"),
        ]),
    ])
