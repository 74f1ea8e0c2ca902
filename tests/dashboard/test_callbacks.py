"""Callback logic as plain functions: requests, lever validation, uploads, runs, rendering."""

from __future__ import annotations

import base64
import time

import pytest
from dash import no_update

from dashboard.callbacks import compare, delay, export, results, runs, whatif
from dashboard.data import InputError, bundled, parameter_catalogue, scenario_values
from dashboard.explorer import TO_DIAGNOSIS, delay_specs, journey_candidates, overrides_for
from dashboard.figures import RESULT_FIGURES
from dashboard.layout.whatif import lever_paths


def test_compare_request_needs_two_to_eight():
    req = compare.compare_request(["baseline", "rt-only"], 500, 2, 1)
    assert [s["base"] for s in req["scenarios"]] == ["baseline", "rt-only"]
    with pytest.raises(InputError, match="at least two"):
        compare.compare_request(["baseline"], 500, 2, 1)
    with pytest.raises(InputError, match="at most 3"):
        compare.compare_request(["a", "b", "c", "d"], 500, 2, 1, max_strategies=3)


def test_start_run_cached_runs_instantly_uncached_goes_to_a_job_that_is_followed_to_its_result(real, job_backend):
    cached_backend, key, _ = real
    req = {"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}],
           "patients": 300, "replications": 2, "seed": 3}
    backend, jobs = job_backend
    job, result, status = runs.start_run(req, cached_backend, jobs, "experiment")
    assert job is None and result == key and "cache" in status
    job, result, status = runs.start_run(req, backend, jobs, "experiment")  # its own, empty store
    assert result is no_update and job["id"] and "Queued" in status
    deadline = time.monotonic() + 120
    view = runs.job_view(job, jobs)
    while view.result is no_update and time.monotonic() < deadline:
        assert view.active and ("Waiting" in view.status or "Running" in view.status)
        assert view.outputs()[-1] == "results stale"  # the charts say they are out of date
        time.sleep(0.1)
        view = runs.job_view(job, jobs)
    assert view.result == key and view.outputs()[-1] == "results" and backend.results(key) is not None


def test_start_run_reports_problems_visibly(job_backend):
    backend, jobs = job_backend
    req = {"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}],
           "patients": 10**6, "replications": 2, "seed": 3}
    job, result, status = runs.start_run(req, backend, jobs, "experiment")
    assert job is no_update and result is no_update and "outside" in status.children
    assert "error" in status.className
    assert "no longer knows" in runs.job_view({"id": "0" * 24}, jobs).status.children


def test_render_results_draws_cards_every_chart_and_the_summary_sections(real):
    backend, key, res = real
    shown = results.render_results("compare", backend.results(key), max_replications=3)
    assert len(shown.figures) == len(RESULT_FIGURES)
    for fig in shown.figures:
        assert {t.meta for t in fig.data if t.meta} == {"baseline", "rt-only"}
        assert "baseline" in fig.layout.meta["summary"]  # each chart's text alternative names the strategies
    (card,) = shown.cards
    assert card.to_plotly_json()["props"]["data-strategy"] == "rt-only"
    titles = [d.children[0].children for d in shown.sections]
    assert titles[0].startswith("Key outcomes (6 outcomes)") and shown.sections[0].open
    assert not any(d.open for d in shown.sections[1:])
    empty = results.render_results("compare", None, 3)
    assert len(empty.figures) == len(RESULT_FIGURES) and empty.noise is None
    assert all("Press Run" in f.layout.annotations[0].text for f in empty.figures)


def test_noise_note_offers_more_replications_until_the_cap(real):
    backend, key, res = real
    found = results.comparisons(res.summary)
    text, more = results.noise_note(found, 2, 300, max_replications=3)
    assert "too wide" in text and more
    text, more = results.noise_note(found, 3, 300, max_replications=3)
    assert "at most 3 replications" in text and not more
    assert results.noisiest(found) in {c.metric.name for c in found["rt-only"]}


def levers_of(name: str) -> list:
    values = scenario_values(bundled(name))
    return [values[p] for p in lever_paths(parameter_catalogue())]


def test_levers_come_from_the_schema_with_the_parent_values():
    catalogue = parameter_catalogue()
    paths = lever_paths(catalogue)
    assert "services.mri_scanners" in paths and "pathway.fast_track_mri" in paths
    assert "strategy.sins_unstable_min" in paths and "pathway.patient_delay_median_days" in paths
    assert whatif.base_values("baseline", None) == levers_of("baseline")


def test_out_of_range_lever_is_refused_with_the_allowed_range():
    catalogue = parameter_catalogue()
    paths = lever_paths(catalogue)
    values = levers_of("baseline")
    values[paths.index("services.mri_scanners")] = 0
    values[paths.index("strategy.sins_unstable_min")] = 7.5
    _, problems = whatif.coerce_levers(values, paths, catalogue)
    assert any("services.mri_scanners" in p and "1 to 50" in p for p in problems)
    assert any("sins_unstable_min" in p and "whole number" in p for p in problems)
    message = whatif.lever_message("baseline", None, values)
    assert "outside the allowed range" in message.children
    with pytest.raises(InputError):
        whatif.whatif_request("baseline", None, values, None, None, 100, 1, 1)


def test_whatif_request_runs_edited_beside_parent():
    paths = lever_paths(parameter_catalogue())
    values = levers_of("baseline")
    values[paths.index("pathway.patient_delay_median_days")] = 60
    req = whatif.whatif_request("baseline", None, values, None, None, 100, 1, 1)
    parent, edited = req["scenarios"]
    assert parent == {"base": "baseline"} and edited["name"] == "baseline (edited)"
    named = whatif.whatif_request("baseline", None, values, "late", "patients wait", 100, 1, 1)["scenarios"][1]
    assert named["name"] == "late" and named["description"] == "patients wait"
    assert edited["overrides"]["pathway.patient_delay_median_days"] == 60.0
    assert whatif.lever_message("baseline", None, values) == ""


def test_upload_round_trip_and_errors():
    text = 'name = "mine"\nextends = "rt-only"\n[services]\nmri_scanners = 2\n'
    contents = "data:application/octet-stream;base64," + base64.b64encode(text.encode()).decode()
    stored, message = whatif.read_upload(contents, "mine.toml")
    assert stored["extends"] == "rt-only" and "Loaded mine.toml" in message
    values = whatif.base_values("rt-only", stored)
    assert values[lever_paths(parameter_catalogue()).index("services.mri_scanners")] == 2
    bad = base64.b64encode(b'name = "m"\nextends = "baseline"\n[services]\nmri_scanners = -1\n').decode()
    stored, message = whatif.read_upload("data:;base64," + bad, "m.toml")
    assert stored is None and "m.toml: services.mri_scanners" in message
    stored, message = whatif.read_upload("data:;base64," + base64.b64encode(b"\xff\xfe").decode(), "x.toml")
    assert stored is None and "not a text file" in message


def test_toml_download_has_only_the_changes():
    paths = lever_paths(parameter_catalogue())
    values = levers_of("baseline")
    values[paths.index("services.mri_scanners")] = 4
    out = whatif.toml_download("baseline", None, values)
    assert out["filename"] == "baseline-edited.toml"
    assert 'extends = "baseline"' in out["content"] and "mri_scanners = 4" in out["content"]
    assert "patient_delay_median_days" not in out["content"]


def test_absolute_delays_set_the_step_or_scale_the_whole_way_to_the_days_asked():
    base = scenario_values(bundled("baseline"))
    highs = {p: i.high for p, i in parameter_catalogue().items()}
    assert overrides_for("patient", 2, base, highs) == {"pathway.patient_delay_median_days": 14.0}
    whole = overrides_for("total", 8, base, highs)
    assert set(whole) == {p for _, p in TO_DIAGNOSIS.values()} and abs(sum(whole.values()) - 56) < 0.01
    ratio = whole["pathway.referral_median_days"] / whole["pathway.patient_delay_median_days"]
    assert abs(ratio - base["pathway.referral_median_days"] / base["pathway.patient_delay_median_days"]) < 1e-3
    assert overrides_for("decision", 16, base, highs) == {"pathway.decision_days": 60.0}  # clipped to the schema
    specs = delay_specs("total", [2, 8], base, highs)
    assert [s["name"] for s in specs] == ["diagnosis 2 weeks after the first symptom",
                                          "diagnosis 8 weeks after the first symptom"]
    with pytest.raises(InputError, match="two different"):
        delay.delay_request("total", 4, 4, 100, 2, 1)
    with pytest.raises(InputError, match="outside 0 to 16"):
        delay.delay_request("total", 2, 40, 100, 2, 1)


def test_delay_view_on_a_real_comparison(backend):
    key = backend.run(delay.delay_request("total", 1, 12, 400, 2, 2))
    res = backend.results(key)
    fig, text, caption, options, first = delay.render_outcomes(res)
    assert {t.meta for t in fig.data} == {s.name for s in res.scenarios} and text
    assert "instead of diagnosis 1 week" in caption and "per 100 patients" in caption
    labels = dict(zip(res.summary["metric"], res.summary["label"], strict=True))
    names = [s.name for s in res.scenarios]
    assert options == journey_candidates(res.patients, labels, *names)
    for option in options:  # walking really differs, and both settings have the value (alive, assessed)
        pid = option["value"]
        rows = res.patients[(res.patients["replication"] == 0) & (res.patients["patient_id"] == pid)]
        assert rows["ambulatory_at_diagnosis"].nunique(dropna=True) == 2 or rows["ambulatory_6m"].nunique() == 2 \
            or rows["ambulatory_12m"].nunique() == 2 or rows["pain_response_3m"].nunique() == 2
    if first is not None:
        journey, summary, _ = delay.render_journey(backend, res, first)
        assert {t.meta for t in journey.data if t.meta} == set(names) and summary


def test_export_logic(real):
    backend, key, res = real
    rows, pages, status = export.cohort_view(backend, key, {"scenario": ["rt-only"]}, None, 0)
    assert rows and all(r["scenario"] == "rt-only" for r in rows) and "600 of 1200 patient rows" in status
    block = export.rows_response(backend, key, {}, {"startRow": 20, "endRow": 40, "sortModel": [
        {"colId": "patient_id", "sort": "desc"}]})
    assert block["rowCount"] == 1200 and len(block["rowData"]) == 20
    assert block["rowData"][0]["patient_id"] == 294  # 4 rows per patient (2 strategies x 2 replications)
    assert export.chosen_key("whatif", [None, key, None]) == key
    sent = export.download(backend, key, "manifest.json")
    assert sent["filename"] == "manifest.json" and sent["base64"]
    csv = export.filtered_csv(backend, key, {"scenario": ["baseline"]})
    assert csv["filename"] == "patients-filtered.csv" and "rt-only" not in csv["content"]
    with pytest.raises(InputError):
        export.download(backend, None, "patients.csv")


def test_an_upload_beyond_the_limit_is_refused_before_decoding():
    contents = "data:;base64," + "A" * 4_000_000  # what a forged request could send
    stored, message = whatif.read_upload(contents, "big.toml")
    assert stored is None and "at most 200 kB" in message and "big.toml" in message
