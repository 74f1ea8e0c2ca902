"""spinesim: a patient-cohort simulator of breast cancer metastatic to the spine.

This module is the public API, and the only thing ``dashboard/`` imports from the simulator.
Stages: parameters (scenarios) -> simulation (replications on common random numbers) ->
comparison (summary with paired differences) -> export.

Each name is imported from its module when first used (PEP 562), so ``import simulator`` costs
nothing: the ``spinesim`` command starts inside its Ctrl-C guard and loads only what it needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: public name -> (module, name there)
_API: dict[str, tuple[str, str]] = {
    # parameters
    "ESCC_GRADES": ("simulator.vocabulary", "ESCC_GRADES"),
    "FRANKEL_GRADES": ("simulator.vocabulary", "FRANKEL_LETTERS"),
    "ParamInfo": ("simulator.parameters.fields", "ParamInfo"),
    **{name: ("simulator.parameters.scenario", name) for name in (
        "Problem", "Scenario", "ScenarioError", "bundled_names", "describe_parameter", "list_scenarios",
        "load_scenario", "parameter_infos", "parameter_table")},
    # runner
    "Cancelled": ("simulator.run.executor", "Cancelled"),
    "ExecutorError": ("simulator.run.executor", "ExecutorError"),
    **{name: ("simulator.run.experiment", name) for name in (
        "DEFAULT_GRID_DAYS", "Results", "run_experiment")},
    "package_version": ("simulator.version", "package_version"),
    "Journey": ("simulator.run.journey", "Journey"),
    "patient_journey": ("simulator.run.journey", "patient_journey"),
    # outputs
    "FORMATS": ("simulator.output.export", "FORMATS"),
    "export_results": ("simulator.output.export", "export_results"),
    "OutputError": ("simulator.output.folder", "OutputError"),
    **{name: ("simulator.output.metrics", name) for name in (
        "HEADLINE_METRICS", "METRICS", "METRIC_BY_NAME", "Metric", "km_median")},
    "replication_interval": ("simulator.output.metrics", "interval"),
    # the answer first: headline comparisons in words, and the self-contained HTML report
    **{name: ("simulator.output.headline", name) for name in (
        "INTERVAL_METHOD", "SAMPLE_KINDS", "Comparison", "comparisons", "format_change", "format_interval",
        "format_money", "format_value", "icer_words", "identical_to_reference", "value_sentence", "verdict")},
    # value for money: budget impact, pathway KPIs, acceptability over replications
    **{name: ("simulator.economics.budget", name) for name in ("BUDGET_ITEMS", "COUNT_ITEMS", "ITEM_MEANINGS")},
    **{name: ("simulator.output.kpis", name) for name in ("KPIS", "KPI_BY_NAME")},
    **{name: ("simulator.economics.value", name) for name in (
        "acceptability", "per_strategy", "psa_acceptability", "psa_samples", "replication_acceptability")},
    **{name: ("simulator.output.value_charts", name) for name in (
        "acceptability_figure", "budget_figure", "ce_plane_figure", "nmb_at", "nmb_figure", "threshold_grid")},
    **{name: ("simulator.output.html_report", name) for name in ("ReportSection", "html_report", "parameter_changes")},
    **{name: ("simulator.output.tables", name) for name in ("COLUMNS", "Column", "FOLLOW_UP_MONTHS")},
    # vocabularies
    **{name: ("simulator.vocabulary", name) for name in (
        "CURRENCY_SYMBOLS", "DEFAULT_METRIC", "EVENT_KINDS", "Event", "GRADES", "Grade", "NO_TREATMENT", "PAIN_BANDS",
        "SERVICE_KINDS", "TREATMENT_KINDS", "WALKING_LABELS", "WALKING_VALUES", "Walking", "grade_label")},
    # what-if analyses (simulator.analysis)
    "AnalysisResult": ("simulator.analysis.outputs", "AnalysisResult"),
    "CAPACITY_RESOURCES": ("simulator.analysis.capacity", "RESOURCES"),
    "capacity": ("simulator.analysis.capacity", "capacity"),
    **{name: ("simulator.analysis.charts", name) for name in (
        "capacity_figure", "psa_figure", "sweep_figure", "tornado_figure")},
    "FitResult": ("simulator.analysis.fit", "FitResult"),
    "fit": ("simulator.analysis.fit", "fit"),
    "run_to_precision": ("simulator.analysis.precision", "run_to_precision"),
    "psa": ("simulator.analysis.psa", "psa"),
    # value for money of a PSA: result.tables[NAME] for NAME in PSA_VALUE_TABLES (and "value", "net_benefit")
    "PSA_VALUE_TABLES": ("simulator.analysis.psa_value", "VALUE_TABLES"),
    "PSA_CURVE_THRESHOLDS": ("simulator.analysis.psa_value", "CURVE_THRESHOLDS"),
    "psa_value_text": ("simulator.analysis.psa_value", "value_text"),
    "EVPPI_BROAD_GROUPS": ("simulator.analysis.psa_groups", "BROAD_GROUPS"),
    "evppi_broad_group": ("simulator.analysis.psa_groups", "broad_group"),
    "CAPACITY_VALUE_COLUMNS": ("simulator.analysis.capacity", "VALUE_COLUMNS"),
    **{name: ("simulator.economics", name) for name in (
        "PSASample", "Population", "ce_plane", "ceac", "ceaf", "evpi", "evppi", "net_monetary_benefit")},
    "sweep": ("simulator.analysis.sweep", "sweep"),
    "TORNADO_PARAMETERS": ("simulator.analysis.tornado", "DEFAULT_PARAMETERS"),
    "tornado": ("simulator.analysis.tornado", "tornado"),
    **{name: ("simulator.analysis.uncertainty", name) for name in (
        "EXAMPLE_UNCERTAINTY", "parse_uncertainty", "with_uncertainty")},
    "UNCERTAINTY_TEXT_KEYS": ("simulator.analysis.uncertainty", "OPTIONAL_KEYS"),  # group, same_draw_as: words
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (``__version__``: the installed version)."""
    if name == "__version__":
        module, attribute = "simulator.version", "VERSION"
    elif name in _API:
        module, attribute = _API[name]
    else:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API, "__version__"})
