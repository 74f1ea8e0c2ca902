"""Value view callbacks as plain functions, on a real small comparison and a real tiny PSA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dash import no_update

from dashboard.analyses import AnalysisBackend, Caps
from dashboard.app import create_app, stop_jobs
from dashboard.callbacks import runs
from dashboard.callbacks.compare import compare_request
from dashboard.callbacks.value import (
    PLACEHOLDER,
    VIEW_OUTPUTS,
    page_at,
    render_value,
    source_choice,
)
from dashboard.config import DashboardConfig
from dashboard.data import Backend, nmb_at
from dashboard.figures import VALUE_CHARTS
from dashboard.figures.style import figure_summary
from dashboard.store import ResultStore
from dashboard.valuation import PSA, REPLICATIONS, choose, psa_request

NAMES = ["baseline", "fast-track-mri"]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """baseline vs fast-track-mri, 300 patients x 3 replications (seed 3), run through the backend."""
    backend = Backend(ResultStore(tmp_path_factory.mktemp("value"), 10**9), max_patients=2000, max_replications=3)
    key = backend.run({"kind": "experiment", "scenarios": [{"base": n} for n in NAMES], "patients": 300,
                       "replications": 3, "seed": 3})
    return backend.results(key)


@pytest.fixture(scope="module")
def psa(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A PSA of the same two strategies on cost and QALYs: 4 draws of 200 patients x 1 replication."""
    backend = AnalysisBackend(ResultStore(tmp_path_factory.mktemp("value-psa"), 10**9),
                              Caps.from_config(DashboardConfig()))
    return backend.result(backend.run(psa_request(NAMES, 4, 200, 1, 1)))


def unpack(outputs: tuple[Any, ...]) -> dict[str, Any]:
    n = len(VALUE_CHARTS)
    figures, texts = outputs[:n], outputs[n:2 * n]
    sentence, note, table, kpi_note, kpis = outputs[2 * n:]
    return {"figures": dict(zip(VALUE_CHARTS, figures, strict=True)),
            "texts": dict(zip(VALUE_CHARTS, texts, strict=True)), "sentence": sentence, "note": note,
            "table": table, "kpi_note": kpi_note, "kpis": kpis}


def test_before_a_run_every_chart_says_press_run_and_the_tables_are_empty():
    shown = unpack(render_value(None, None, REPLICATIONS, 30_000))
    for name, fig in shown["figures"].items():
        assert "Press Run" in fig.layout.annotations[0].text and not fig.data, name
        assert shown["texts"][name] == PLACEHOLDER
    assert "Press Run" in shown["sentence"].children and shown["kpis"].children == "No results yet."


def test_a_comparison_draws_every_value_chart_with_its_text_and_the_tables(comparison):
    shown = unpack(render_value(comparison, None, REPLICATIONS, 30_000))
    assert len(shown) == 7 and VIEW_OUTPUTS == 2 * len(VALUE_CHARTS) + 5
    for name, fig in shown["figures"].items():
        assert {t.meta for t in fig.data if t.meta} == set(NAMES), name
        assert shown["texts"][name] == figure_summary(fig) and shown["texts"][name], name
    nmb = nmb_at(choose(comparison, None, REPLICATIONS).samples, "baseline", 30_000)
    best = nmb.loc[nmb["nmb"].idxmax(), "strategy"]
    first = shown["sentence"][0].children
    assert first.startswith(f"At £30,000 per QALY, {best} has the highest net monetary benefit")
    assert "fast-track-mri" in shown["sentence"][1].children and "against baseline" in shown["sentence"][1].children
    assert "3 replications of 300 patients" in shown["note"]
    assert [r["strategy"] for r in shown["table"].rowData] == NAMES
    assert {r["scenario"] for r in shown["kpis"].rowData} == set(NAMES)
    assert "24 hours" in shown["kpi_note"]  # targets.emergency_mri_hours of the reference


def test_the_threshold_redraws_from_the_stored_result_and_a_bad_one_keeps_the_charts(comparison):
    asked: list[float] = []

    def draw(threshold: float) -> tuple[Any, ...]:
        asked.append(threshold)
        return render_value(comparison, None, REPLICATIONS, threshold)

    low, high = unpack(page_at("0", draw)[:-1]), unpack(page_at(1_000_000, draw)[:-1])
    assert asked == [0.0, 1_000_000.0]
    assert low["figures"]["nmb"].layout.title.text != high["figures"]["nmb"].layout.title.text
    assert low["sentence"][0].children != high["sentence"][0].children
    bad = page_at("a lot", draw)
    assert asked == [0.0, 1_000_000.0] and len(bad) == VIEW_OUTPUTS + 1
    assert all(value is no_update for value in bad[:-1])
    assert "0 to 1,000,000 (GBP per QALY)" in bad[-1].children and "error" in bad[-1].className
    assert page_at(25_000, draw)[-1] == ""


def test_the_psa_replaces_the_replications_cloud_once_it_has_run(comparison, psa):
    shown = unpack(render_value(comparison, psa, PSA, 30_000))
    assert shown["note"].startswith("Shown: 4 PSA draws of ") and "parameter uncertainty" in shown["note"]
    assert "PSA draws" in shown["texts"]["plane"] and "PSA draws" in shown["sentence"][1].children
    assert {t.meta for t in shown["figures"]["budget"].data if t.meta} == set(NAMES)  # the budget: the comparison's
    back = unpack(render_value(comparison, psa, REPLICATIONS, 30_000))
    assert "replications" in back["texts"]["plane"] and "PSA draws" not in back["texts"]["plane"]
    options, value = source_choice(True, REPLICATIONS)
    assert value == PSA and not any(o.get("disabled") for o in options)
    options, value = source_choice(False, PSA)
    assert value == REPLICATIONS and [bool(o.get("disabled")) for o in options] == [False, True]


def test_run_starts_a_background_job_and_the_threshold_only_redraws(tmp_path: Path, job_backend):
    app = create_app(DashboardConfig(cache_dir=tmp_path, job_workers=1))
    try:
        triggers = {key: {i["id"] for i in spec["inputs"]} for key, spec in app.callback_map.items()}
        (start,) = [k for k in triggers if k.startswith("..value-job.data...value-result.data")]
        assert triggers[start] == {"value-run"}  # Run (not the threshold) queues the simulation
        (draw,) = [k for k in triggers if "value-plane-graph.figure" in k]
        assert triggers[draw] == {"value-result", "valuepsa-result", "value-source", "value-threshold"}
        assert not any("value-job" in k or "valuepsa-job" in k for k in triggers if "value-threshold" in triggers[k])
    finally:
        stop_jobs(app)
    backend, jobs = job_backend
    job, result, status = runs.start_run(compare_request(NAMES, 120, 1, 9), backend, jobs, "experiment")
    assert result is no_update and job["id"] and status.startswith("Queued")
    jobs.cancel(job["id"])
