"""spinesim: a patient-cohort simulator of breast cancer metastatic to the spine.

This module is the public API, and the only thing ``dashboard/`` imports from the simulator.
Stages: parameters (scenarios) -> simulation (replications on common random numbers) ->
comparison (summary with paired differences) -> export.
"""

from simulator.analysis.capacity import RESOURCES as CAPACITY_RESOURCES
from simulator.analysis.capacity import capacity
from simulator.analysis.charts import capacity_figure, psa_figure, sweep_figure, tornado_figure
from simulator.analysis.fit import FitResult, fit
from simulator.analysis.outputs import AnalysisResult
from simulator.analysis.precision import run_to_precision
from simulator.analysis.psa import psa
from simulator.analysis.sweep import sweep
from simulator.analysis.tornado import DEFAULT_PARAMETERS as TORNADO_PARAMETERS
from simulator.analysis.tornado import tornado
from simulator.analysis.uncertainty import EXAMPLE_UNCERTAINTY, parse_uncertainty, with_uncertainty
from simulator.output.export import FORMATS, OutputError, export_results
from simulator.output.headline import (
    INTERVAL_METHOD,
    Comparison,
    comparisons,
    format_change,
    format_interval,
    format_value,
    identical_to_reference,
    verdict,
)
from simulator.output.html_report import ReportSection, html_report, parameter_changes
from simulator.output.metrics import HEADLINE_METRICS, METRIC_BY_NAME, METRICS, Metric, km_median
from simulator.output.metrics import interval as replication_interval
from simulator.output.tables import COLUMNS, FOLLOW_UP_MONTHS, Column
from simulator.parameters.fields import ParamInfo
from simulator.parameters.scenario import (
    Problem,
    Scenario,
    ScenarioError,
    bundled_names,
    describe_parameter,
    list_scenarios,
    load_scenario,
    parameter_infos,
    parameter_table,
)
from simulator.parameters.schema import ESCC_GRADES, FRANKEL_GRADES
from simulator.run.executor import Cancelled, ExecutorError
from simulator.run.experiment import DEFAULT_GRID_DAYS, Results, package_version, run_experiment
from simulator.run.journey import Journey, patient_journey

__version__ = package_version()

__all__ = [
    "COLUMNS", "Cancelled", "Column", "DEFAULT_GRID_DAYS", "ESCC_GRADES", "FOLLOW_UP_MONTHS", "FORMATS",
    "FRANKEL_GRADES", "Journey", "METRICS", "METRIC_BY_NAME", "Metric", "OutputError", "ParamInfo", "Problem",
    "Results", "Scenario", "ScenarioError", "bundled_names", "describe_parameter", "export_results", "km_median",
    "list_scenarios", "load_scenario", "package_version", "parameter_infos", "parameter_table", "patient_journey",
    "run_experiment",
    # what-if analyses (simulator.analysis)
    "AnalysisResult", "CAPACITY_RESOURCES", "ExecutorError", "FitResult", "TORNADO_PARAMETERS", "capacity",
    "capacity_figure", "fit", "parse_uncertainty", "psa", "psa_figure", "run_to_precision", "sweep", "sweep_figure",
    "tornado", "tornado_figure", "EXAMPLE_UNCERTAINTY", "with_uncertainty",
    # the answer first: headline comparisons in words, and the self-contained HTML report
    "Comparison", "HEADLINE_METRICS", "INTERVAL_METHOD", "ReportSection", "comparisons", "format_change",
    "format_interval", "format_value", "html_report", "identical_to_reference", "parameter_changes",
    "replication_interval", "verdict",
]
