"""Sensitivity view as plain functions: inputs, plans and caps, the backend, callbacks and charts."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from dash import html, no_update

from dashboard.analyses import AnalysisBackend, Caps, analysis_notes, plan_analysis, result_files
from dashboard.analysis_inputs import (
    capacity_values,
    describe_distribution,
    numeric_parameters,
    parse_distribution,
    sweep_values,
    tornado_parameters,
    uncertainty_rows,
    uncertainty_table,
)
from dashboard.callbacks import compare, runs
from dashboard.callbacks import sensitivity as sens
from dashboard.config import DashboardConfig
from dashboard.data import EXAMPLE_UNCERTAINTY, TORNADO_DEFAULTS, InputError, bundled, parameter_catalogue
from dashboard.figures import OKABE_ITO, analysis_figure
from dashboard.figures.analysis import ENDS, LINE
from dashboard.store import ResultStore
from dashboard.tables import analysis_table
from simulator import PSA_VALUE_TABLES

DELAY = "pathway.patient_delay_median_days"
CAPS = Caps.from_config(DashboardConfig())
BASE = {"kind": "analysis", "scenario": "baseline", "metric": "ambulatory_6m", "patients": 400, "replications": 1,
        "seed": 1}
REQUESTS = {
    "sweep": {**BASE, "analysis": "sweep", "parameter": DELAY, "low": 3, "high": 60, "steps": 3},
    "tornado": {**BASE, "analysis": "tornado", "parameters": [DELAY, "natural_history.p_cord_compression"]},
    "psa": {**BASE, "analysis": "psa", "draws": 4, "sampler": "lhs", "uncertainty": EXAMPLE_UNCERTAINTY,
            "compare": "fast-track-mri", "replications": 2},
    "capacity": {**BASE, "analysis": "capacity", "resource": "mri", "values": "1, 2, 3"},
}


@pytest.fixture(scope="module")
def analyses(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnalysisBackend, dict[str, str]]:
    """A backend that has run each analysis once (tiny: 400 patients)."""
    backend = AnalysisBackend(ResultStore(tmp_path_factory.mktemp("analyses"), 10**9), CAPS)
    return backend, {kind: backend.run(request) for kind, request in REQUESTS.items()}


def info(path: str) -> Any:
    return parameter_catalogue()[path]


def values(array: Any) -> list[Any]:
    """A trace's data as a list (plotly keeps numbers of a stored figure as base64 typed arrays)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


# --- inputs ---------------------------------------------------------------------------------------


def test_sweep_values_are_evenly_spaced_and_whole_for_whole_number_parameters():
    assert sweep_values(info(DELAY), 3, 60, 3, 20) == [3.0, 31.5, 60.0]
    assert sweep_values(info("services.mri_scanners"), 1, 3, 5, 20) == [1, 2, 3]  # rounded, repeats dropped


@pytest.mark.parametrize(("low", "high", "steps", "message"), [
    (3, 400, 3, "HIGH = 400 is outside the allowed range of pathway.patient_delay_median_days: 0 to 365 days"),
    (-1, 60, 3, "LOW = -1 is outside the allowed range"),
    (None, 60, 3, "LOW of pathway.patient_delay_median_days must be a number"),
    (3, 60, 1, "STEPS = 1 is outside 2 to 20"),
    (3, 60, 21, "STEPS = 21 is outside 2 to 20 (this server's limit)"),
    (60, 3, 3, "LOW = 60 must be below HIGH = 3"),
])
def test_sweep_values_refused_with_the_range(low, high, steps, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sweep_values(info(DELAY), low, high, steps, 20)


def test_capacity_values():
    mri = info("services.mri_scanners")
    assert capacity_values("3, 1 2;2", mri, 20) == [1, 2, 3]
    for text, message in (("0, 1", "outside the allowed range of services.mri_scanners: 1 to 50"),
                          ("1, 1.5", "whole number"), ("2", "at least two"), ("", "at least two")):
        with pytest.raises(InputError, match=message):
            capacity_values(text, mri, 20)
    with pytest.raises(InputError, match="at most 2"):
        capacity_values("1 2 3", mri, 2)


def test_distributions_round_trip_and_the_table_names_each_bad_row():
    assert parse_distribution("beta(mean=0.3, sd=0.05)") == {"dist": "beta", "mean": 0.3, "sd": 0.05}
    assert describe_distribution({"dist": "uniform", "low": 3, "high": 8}) == "uniform(low=3, high=8)"
    assert uncertainty_table(uncertainty_rows(EXAMPLE_UNCERTAINTY)) == EXAMPLE_UNCERTAINTY
    own = bundled("baseline").uncertainty  # its entries name a group, some the entry they are drawn with
    assert any("same_draw_as" in spec for spec in own.values())
    assert uncertainty_table(uncertainty_rows(own)) == {path: dict(spec) for path, spec in own.items()}
    assert parse_distribution("beta(mean=0.14, sd=0.05, group=walking utilities)")["group"] == "walking utilities"
    with pytest.raises(InputError, match="must be key=number"):
        parse_distribution("beta(mean=0.14, sd=low)")
    rows = [{"parameter": DELAY, "distribution": "gamma(mean=10, sd=2)"}, {"parameter": "", "distribution": ""},
            {"parameter": DELAY, "distribution": "gamma(mean=10, sd=2)"}, {"parameter": "x", "distribution": "beta"}]
    with pytest.raises(InputError) as exc:
        uncertainty_table(rows)
    assert "row 3: pathway.patient_delay_median_days is given twice" in str(exc.value)
    assert "row 4: 'beta': write a distribution as NAME(key=value, ...)" in str(exc.value)
    with pytest.raises(InputError, match="at least one uncertain parameter"):
        uncertainty_table([{"parameter": "", "distribution": ""}])


def test_choices_come_from_the_schema_and_the_simulator():
    assert all(i.kind in ("int", "float") for i in numeric_parameters())
    assert set(TORNADO_DEFAULTS) <= {i.path for i in tornado_parameters()}
    assert all(i.plausible[0] != i.plausible[1] for i in tornado_parameters())


# --- plans and caps -------------------------------------------------------------------------------


def test_plans_count_simulations_and_keys_follow_the_request():
    plans = {k: plan_analysis(r, CAPS) for k, r in REQUESTS.items()}
    assert {k: p.runs for k, p in plans.items()} == {"sweep": 3, "tornado": 5, "psa": 16, "capacity": 3}
    assert "One-way sweep on baseline: 3 simulations x 400 patients = 1,200" in plans["sweep"].describe()
    assert [s.name for s in plans["psa"].scenarios] == ["baseline", "fast-track-mri"]
    assert all(s.uncertainty == EXAMPLE_UNCERTAINTY for s in plans["psa"].scenarios)
    assert plan_analysis(dict(REQUESTS["sweep"]), CAPS).key == plans["sweep"].key
    assert plan_analysis({**REQUESTS["sweep"], "seed": 2}, CAPS).key != plans["sweep"].key
    changed = {**REQUESTS["psa"], "uncertainty": {DELAY: {"dist": "gamma", "mean": 10, "sd": 2}}}
    assert plan_analysis(changed, CAPS).key != plans["psa"].key


@pytest.mark.parametrize(("change", "message"), [
    ({"patients": 5000, "replications": 5, "steps": 20}, "100 simulations of 5000 patients"),
    ({"patients": 4000, "replications": 5, "steps": 20}, "this server allows 120 simulations and 300,000"),
    ({"patients": 9}, "Patients = 9 is outside 10 to 5000"),
    ({"metric": "nonsense"}, "Choose an outcome"),
    ({"scenario": "/etc/passwd"}, "not a bundled scenario"),
    ({"parameter": "pathway.fast_track_mri"}, "Choose a numeric parameter"),
    ({"parameter": "cohort.subtype.hr_positive", "low": 0, "high": 1}, "shares must sum to 1"),
])
def test_sweep_plans_refuse_what_cannot_or_should_not_run(change, message):
    with pytest.raises(InputError, match=message):
        plan_analysis({**REQUESTS["sweep"], **change}, CAPS)


def test_tornado_psa_and_capacity_plans_are_capped_and_checked():
    many = [i.path for i in tornado_parameters()][:13]
    for request, message in (
            ({**REQUESTS["tornado"], "parameters": many}, "13 parameters: at most 12"),
            ({**REQUESTS["tornado"], "parameters": []}, "at least one parameter"),
            ({**REQUESTS["tornado"], "parameters": ["cohort.subtype"]}, "plausible range"),
            ({**REQUESTS["psa"], "draws": 65}, "Draws = 65 is outside 2 to 64"),
            ({**REQUESTS["psa"], "sampler": "grid"}, "sampler 'grid'"),
            ({**REQUESTS["psa"], "uncertainty": {}}, "at least one uncertain parameter"),
            ({**REQUESTS["psa"], "uncertainty": {"pathway.fast_track_mri": {"dist": "beta", "mean": 0.5, "sd": 0.1}}},
             "uncertainty.pathway.fast_track_mri: is an on/off switch"),
            ({**REQUESTS["psa"], "uncertainty": {"services.mri_scanners": {"dist": "gamma", "mean": 1, "sd": 2}}},
             "outside the allowed range"),
            ({**REQUESTS["psa"], "uncertainty": {"natural_history.p_cord_compression": {"dist": "beta", "mean": 2,
                                                                                         "sd": 0.1}}},
             "beta mean = 2 must be between 0 and 1"),
            ({**REQUESTS["capacity"], "resource": "lab"}, "Choose a resource"),
            ({**REQUESTS["sweep"], "analysis": "nonsense"}, "Choose an analysis")):
        with pytest.raises(InputError, match=message):
            plan_analysis(request, CAPS)


# --- backend --------------------------------------------------------------------------------------


def test_backend_runs_once_then_serves_from_the_store(analyses):
    backend, keys = analyses
    seen: list[tuple[int, int]] = []
    assert backend.run(REQUESTS["sweep"], progress=lambda d, t: seen.append((d, t))) == keys["sweep"]
    assert seen == []  # stored: nothing ran
    result = backend.result(keys["sweep"])
    assert result.kind == "sweep" and list(result.table["value"]) == [3.0, 31.5, 60.0]
    assert backend.result(None) is None and backend.result("not-a-key") is None


def test_backend_files_are_what_the_cli_writes(analyses):
    backend, keys = analyses
    files = result_files(backend.result(keys["psa"]))
    assert files[:3] == ["psa.csv", "psa_draws.csv", "psa_parameters.csv"] and files[-2:] == ["psa.html",
                                                                                             "manifest.json"]
    assert {f"{name}.csv" for name in PSA_VALUE_TABLES} <= set(files)  # the value tables spinesim psa writes
    manifest = json.loads(backend.file(keys["tornado"], "manifest.json"))
    assert manifest["analysis"] == "tornado" and "tornado.csv" in manifest["files"]
    with pytest.raises(InputError, match="unknown file"):
        backend.file(keys["tornado"], "../../etc/passwd")
    with pytest.raises(InputError, match="run again"):
        backend.file(None, "tornado.csv")


def test_notes_explain_each_analysis(analyses):
    backend, keys = analyses
    notes = {k: " ".join(analysis_notes(backend.result(key))) for k, key in keys.items()}
    assert "patient-sampling noise" in notes["psa"] and "parameter uncertainty" in notes["psa"]
    assert "paired difference to the first value" in notes["sweep"]
    assert "plausible range" in notes["tornado"] and "no worse than with 3" in notes["capacity"]


# --- callbacks ------------------------------------------------------------------------------------


def form(analysis: str, **change: Any) -> list[Any]:
    """The form's values in FORM + RUN order."""
    values = {"analysis": analysis, "scenario": "baseline", "metric": "ambulatory_6m", "parameter": DELAY,
              "low": 3, "high": 60, "steps": 3, "tornado": [DELAY], "draws": 4, "sampler": "lhs",
              "compare": None, "rows": uncertainty_rows(EXAMPLE_UNCERTAINTY), "resource": "mri",
              "capacities": "1, 2", "patients": 400, "replications": 1, "seed": 1, **change}
    return list(values.values())


def test_request_holds_only_the_chosen_analysis_inputs():
    sweep = sens.sensitivity_request(*form("sweep"))
    assert sweep["parameter"] == DELAY and "parameters" not in sweep and "draws" not in sweep
    psa = sens.sensitivity_request(*form("psa"))
    assert psa["uncertainty"] == EXAMPLE_UNCERTAINTY and "parameter" not in psa
    assert sens.sensitivity_request(*form("capacity"))["values"] == "1, 2"


def test_form_message_shows_the_cost_or_a_visible_error(analyses):
    backend, _ = analyses
    ok = sens.form_message(backend, form("sweep"))
    assert isinstance(ok, html.Small) and "already run" in ok.children
    bad = sens.form_message(backend, form("sweep", high=400))
    assert bad.className == "error" and "0 to 365 days" in bad.children
    assert "row 1" in sens.form_message(backend, form("psa", rows=[{"parameter": DELAY}])).children


def test_start_run_with_the_analysis_backend(analyses, tmp_path, job_backend):
    backend, keys = analyses
    _, jobs = job_backend
    job, key, status = runs.start_run(REQUESTS["tornado"], backend, jobs, "analysis")
    assert job is None and key == keys["tornado"] and status.startswith("Shown from the cache")
    fresh = AnalysisBackend(ResultStore(tmp_path, 10**9), CAPS)
    job, key, status = runs.start_run(REQUESTS["tornado"], fresh, jobs, "analysis")
    assert job["id"] and key is no_update and status.startswith("Queued: Tornado on baseline")
    jobs.cancel(job["id"])


def test_panels_sweep_inputs_and_uncertainty_rows(monkeypatch):
    assert sens.panel_styles("psa") == [{"display": "none"}, {"display": "none"}, None, {"display": "none"}]
    text, low, high = sens.sweep_inputs(DELAY)
    assert "days" in text and "plausible 3 to 30 days" in text and (low, high) == info(DELAY).plausible
    assert sens.sweep_inputs("nonsense")[0].startswith("Choose")
    rows = sens.psa_rows("sens-psa-add", [{"parameter": DELAY, "distribution": "x"}], "baseline")
    assert len(rows) == 2 and rows[-1] == {"parameter": "", "distribution": ""}
    assert sens.psa_rows("sens-psa-reset", rows, "baseline") == uncertainty_rows(bundled("baseline").uncertainty)
    assert sens.psa_rows("sens-scenario", rows, "rt-only") == uncertainty_rows(bundled("rt-only").uncertainty)
    # every bundled scenario has a table (baseline's, inherited); one without keeps the edits, and resets to the example
    monkeypatch.setattr(sens, "bundled", lambda name: SimpleNamespace(uncertainty={}))
    assert sens.psa_rows("sens-scenario", rows, "own-file") is no_update
    assert sens.psa_rows("sens-psa-reset", rows, "own-file") == uncertainty_rows(EXAMPLE_UNCERTAINTY)


def test_render_and_download(analyses):
    backend, keys = analyses
    fig, notes, columns, rows, buttons = sens.render_analysis(backend.result(keys["capacity"]))
    assert len(rows) == 3 and {c["field"] for c in columns} >= {"capacity", "utilisation", "estimate"}
    assert [b.children for b in buttons] == ["capacity.csv", "capacity_value.csv", "capacity.html",
                                                    "manifest.json"] and notes
    empty = sens.render_analysis(None)
    assert empty[1:] == ([], sens.EMPTY_COLUMNS, [], []) and "press Run" in empty[0].layout.annotations[0].text
    sent = sens.download(backend, keys["capacity"], "capacity.csv")
    assert sent["filename"] == "capacity.csv" and sent["base64"]


def test_compare_autorun_starts_or_shows_the_linked_comparison(real, job_backend):
    cached, key, _ = real
    backend, jobs = job_backend
    assert compare.autorun(False, cached, jobs, ["baseline", "rt-only"], 300, 2, 3) == (no_update,) * 3
    assert compare.autorun(True, cached, jobs, ["baseline"], 300, 2, 3) == (no_update,) * 3
    job, shown, status = compare.autorun(True, cached, jobs, ["baseline", "rt-only"], 300, 2, 3)
    assert job is None and shown == key and "cache" in status
    job, shown, status = compare.autorun(True, backend, jobs, ["baseline", "rt-only"], 300, 2, 31)  # not yet run
    assert job["id"] and shown is no_update and "Running the comparison" in status
    jobs.cancel(job["id"])


# --- charts and table -----------------------------------------------------------------------------


def test_charts_keep_the_simulator_figure_in_the_dashboard_colours(analyses):
    backend, keys = analyses
    (line,) = analysis_figure("sweep", backend.result(keys["sweep"]).figure).data
    assert values(line.x) == [3.0, 31.5, 60.0] and line.line.color == LINE and line.meta == "Walking at 6 months"
    bars = analysis_figure("tornado", backend.result(keys["tornado"]).figure).data
    assert {b.meta: b.marker.color for b in bars} == ENDS and all(len(b.y) == 2 for b in bars)
    table = backend.result(keys["tornado"]).table
    labelled = analysis_figure("tornado", backend.result(keys["tornado"]).figure, table=table,
                               labels={p: f"label of {p}" for p in table["parameter"]}).data
    assert all(y.startswith("label of ") for b in labelled for y in b.y)  # labels, not paths
    assert all(len(b.error_x.array) == 2 for b in labelled)  # each end's 95% interval
    boxes = analysis_figure("psa", backend.result(keys["psa"]).figure, ["baseline", "fast-track-mri"]).data
    assert {b.meta: b.marker.color for b in boxes} == {"baseline": OKABE_ITO[0], "fast-track-mri": OKABE_ITO[1]}
    panels = analysis_figure("capacity", backend.result(keys["capacity"]).figure).data
    assert [t.meta for t in panels] == ["utilisation", "mean_wait_days", "outcome"]
    original = backend.result(keys["tornado"]).figure
    assert original.data[0].marker.color != ENDS["low"]  # the stored figure is not changed


def test_analysis_table_rows():
    frame = pd.DataFrame({"value": [3.0, 31.5], "estimate": [0.8123456, float("nan")], "flag": [True, False],
                          "metric": ["a", "b"]})
    columns, rows = analysis_table(frame)
    assert [c.get("type") for c in columns] == ["numericColumn", "numericColumn", None, None]
    assert rows[0] == {"value": 3.0, "estimate": 0.8123, "flag": "true", "metric": "a"}
    assert rows[1]["estimate"] is None


def test_config_caps(tmp_path: Path):
    config = DashboardConfig(max_patients=500, max_psa_draws=8)
    assert config.sensitivity_patients == 500 and Caps.from_config(config).max_draws == 8
    with pytest.raises(ValueError, match="at least 2"):
        DashboardConfig(max_tornado_parameters=1)
