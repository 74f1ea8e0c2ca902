"""Pure figure builders: pandas DataFrames in, plotly figures out (no Dash, no simulator).

Each builder takes the tidy tables of ``docs/api.md`` and a ``colours`` mapping (strategy name to
colour, reference first) and returns a ``go.Figure`` whose traces carry ``meta`` = strategy name.
"""

from dashboard.figures.ambulation import ambulation_km, ambulatory_over_time, ambulatory_share, km_ambulation
from dashboard.figures.analysis import analysis_figure
from dashboard.figures.delay import delay_outcomes
from dashboard.figures.journey import journey_timeline
from dashboard.figures.neuro import frankel_bars, frankel_shares
from dashboard.figures.pain import pain_response, pain_response_share, vas_over_time, vas_quantiles
from dashboard.figures.pathway import delay_components, delay_means, treatment_mix, treatment_shares
from dashboard.figures.resources import resource_summary, resource_use
from dashboard.figures.style import OKABE_ITO, empty_figure, strategy_colours
from dashboard.figures.value import VALUE_CHARTS, value_figure

__all__ = [
    "OKABE_ITO", "ambulation_km", "analysis_figure", "ambulatory_over_time", "ambulatory_share", "delay_components",
    "delay_outcomes", "delay_means", "empty_figure", "frankel_bars", "frankel_shares",
    "journey_timeline", "km_ambulation", "pain_response", "pain_response_share", "resource_summary",
    "resource_use", "strategy_colours", "treatment_mix", "treatment_shares", "VALUE_CHARTS", "value_figure",
    "vas_over_time", "vas_quantiles",
]

# The figures of a strategy comparison, in page order: (component id suffix, builder, table).
RESULT_FIGURES = (
    ("ambulatory", ambulatory_over_time, "states"),
    ("km", ambulation_km, "patients"),
    ("vas", vas_over_time, "states"),
    ("pain-response", pain_response, "patients"),
    ("frankel", frankel_bars, "patients"),
    ("delays", delay_components, "patients"),
    ("treatments", treatment_mix, "patients"),
    ("resources", resource_use, "resources"),
)
