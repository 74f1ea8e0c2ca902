"""Each view end to end in headless Chromium: What if, Delay explorer, Export, Sensitivity, two users, pre-run."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser_helpers import run_and_wait, settle, traces, watched_page

from dashboard.app import create_app
from dashboard.bench import CHARTS_READY_JS, serve_in_thread
from dashboard.config import DashboardConfig

pytestmark = pytest.mark.browser

STRATEGIES = {"baseline", "rt-only"}
IS_120 = "sel => { const e = document.querySelector(sel); return !!e && e.value === '120'; }"
TORNADO = ("pathway.patient_delay_median_days", "natural_history.p_cord_compression")


def lever(path: str) -> str:
    """CSS selector of a lever input (Dash writes dict ids as sorted JSON)."""
    return f"""[id='{{"path":"{path}","type":"lever"}}']"""


def stack_height(page: Any, graph_id: str, strategy: str) -> float:
    return sum(t["y"][0] for t in traces(page, graph_id) if t["meta"] == strategy and t["y"])


def test_whatif_refuses_out_of_range_runs_the_edit_saves_it_by_name_and_downloads_it(page: Any, tmp_path: Path) -> None:
    page.click("#tab-whatif")
    page.fill(lever("services.mri_scanners"), "0")
    message = page.locator("#whatif-lever-message")
    message.get_by_text("outside the allowed range").wait_for()
    assert "1 to 50 scanners" in message.inner_text()
    page.fill(lever("services.mri_scanners"), "1")
    page.wait_for_function("() => document.querySelector('#whatif-lever-message').innerText.trim() === ''")

    page.fill(lever("pathway.patient_delay_median_days"), "120")
    page.fill("#whatif-name", "late patients")
    page.fill("#whatif-description", "patients wait four months before seeing a doctor")
    page.press("#whatif-description", "Tab")
    for field, value in (("patients", "300"), ("replications", "2")):
        page.fill(f"#whatif-{field}", value)
    run_and_wait(page, "whatif", 2)
    assert {"baseline", "late patients"} <= {t["meta"] for t in traces(page, "whatif-delays-graph")}
    assert stack_height(page, "whatif-delays-graph", "late patients") > stack_height(page, "whatif-delays-graph",
                                                                                     "baseline") + 30
    page.wait_for_function("() => location.search.includes('tab=whatif') && location.search.includes('e=')")

    with page.expect_download() as dl:
        page.click("#whatif-download-toml")
    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    doc = tomllib.loads(saved.read_text())
    assert doc["name"] == "late patients" and doc["description"].startswith("patients wait four months")
    assert doc["extends"] == "baseline" and doc["pathway"]["patient_delay_median_days"] == 120.0

    page.click("#whatif-save")
    page.get_by_text("Saved 'late patients' in this browser").wait_for()
    page.reload()  # kept in this browser's storage, found again by name
    settle(page)
    page.wait_for_function(IS_120, arg=lever("pathway.patient_delay_median_days"))  # the link, applied first
    page.fill(lever("pathway.patient_delay_median_days"), "30")
    page.click("#tab-whatif")
    page.click("#whatif-saved")
    page.get_by_role("option", name="late patients", exact=True).click()
    page.wait_for_function(IS_120, arg=lever("pathway.patient_delay_median_days"))
    page.wait_for_function("() => (document.querySelector('#whatif-name') || {}).value === 'late patients'")

    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nextends = "baseline"\n[services]\nmri_scanners = 99\n')
    page.set_input_files("#whatif-upload input[type=file]", str(bad))
    upload_message = page.locator("#whatif-upload-message")
    upload_message.get_by_text("services.mri_scanners").wait_for()
    assert "bad.toml" in upload_message.inner_text() and "1 to 50" in upload_message.inner_text()


def test_delay_explorer_compares_two_absolute_delays_in_words_and_follows_a_patient(page: Any) -> None:
    page.click("#tab-delay")
    assert "diagnosis 2 weeks after the first symptom" in page.inner_text("#delay-settings")
    page.fill("#delay-patients", "600")
    page.click("#delay-run")
    page.wait_for_function("() => document.querySelector('#delay-caption').innerText.includes('instead of')",
                           timeout=180_000)
    caption = page.inner_text("#delay-caption")
    assert "with diagnosis 8 weeks after the first symptom instead of diagnosis 2 weeks" in caption.lower()
    assert "walking at 6 months" in caption.lower() and "simulated medians" in caption
    bars = {t["meta"] for t in traces(page, "delay-outcomes-graph")}
    assert bars == {"diagnosis 2 weeks after the first symptom", "diagnosis 8 weeks after the first symptom"}
    page.wait_for_function("() => { const g = document.querySelector('#delay-journey-graph .js-plotly-plot');"
                           " return g && g.data && g.data.some(t => t.meta); }", timeout=60_000)
    option = page.inner_text("#delay-patient")
    assert "with diagnosis" in option and "not with" in option  # walking really differs, both alive
    journey = traces(page, "delay-journey-graph")
    assert any(t["name"] and "Frankel changes" in t["name"] for t in journey)  # every grade change is marked
    assert "Frankel" in page.inner_text("#delay-journey-graph-text")


def test_export_downloads_read_back_and_the_filtered_cohort(page: Any, tmp_path: Path) -> None:
    for field, value in (("patients", "300"), ("replications", "2"), ("seed", "4")):
        page.fill(f"#compare-{field}", value)
    run_and_wait(page, "compare", 2)
    page.click("#tab-export")
    page.get_by_text("patient rows match").wait_for()
    page.wait_for_selector("#export-table .ag-row")

    def fetch(button: str) -> bytes:
        with page.expect_download() as dl:
            page.click(f"#export-file-{button}")
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        return path.read_bytes()

    patients = pd.read_csv(io.BytesIO(fetch("patients-csv")))
    assert len(patients) == 300 * 2 * 2 and STRATEGIES == set(patients["scenario"])
    states = pd.read_parquet(io.BytesIO(fetch("states-parquet")))
    assert {"days_since_diagnosis", "ambulatory"} <= set(states.columns)
    manifest = json.loads(fetch("manifest-json"))
    assert manifest["patients"] == 300 and manifest["replications"] == 2

    page.click("#export-filter-scenario")
    page.get_by_role("option", name="rt-only", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function("""() => {
        const cells = [...document.querySelectorAll("#export-table .ag-row [col-id='scenario']")];
        return cells.length > 0 && cells.every(td => td.innerText.trim() === 'rt-only');
    }""")
    assert "600 of 1200 patient rows match" in page.inner_text("#export-status")
    with page.expect_download() as dl:
        page.click("#export-filtered")
    path = tmp_path / "filtered.csv"
    dl.value.save_as(path)
    assert set(pd.read_csv(path)["scenario"]) == {"rt-only"}


def test_two_users_keep_their_own_results(browser: Any, app_url: str) -> None:
    pages, errors = [], []
    for seed in ("11", "12"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        pg = context.new_page()
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(app_url)
        for field, value in (("patients", "300"), ("replications", "1"), ("seed", seed)):
            pg.fill(f"#compare-{field}", value)
        pages.append(pg)
    for pg in pages:  # both start before either finishes
        pg.click("#compare-run")
    for pg in pages:
        pg.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=180_000)
    a, b = (pg.inner_text("#compare-cards") for pg in pages)
    assert a and b and a != b  # different seeds, different patients, each page shows its own
    for pg in pages:
        pg.context.close()
    assert errors == []


def test_sensitivity_refuses_out_of_range_and_draws_a_tornado_by_labels_with_intervals(page: Any) -> None:
    page.click("#tab-sensitivity")
    for field, value in (("sweep-low", "3"), ("sweep-high", "400"), ("sweep-steps", "3"), ("patients", "300"),
                         ("replications", "2")):
        page.fill(f"#sens-{field}", value)
    message = page.locator("#sens-message")
    message.get_by_text("outside the allowed range").wait_for()
    assert "0 to 365 days" in message.inner_text()
    page.click("#sens-run")
    page.locator("#sens-status").get_by_text("outside the allowed range").wait_for()

    page.click("#sens-analysis >> text=Tornado")
    page.click("#sens-tornado-params .dash-dropdown-clear")
    page.click("#sens-tornado-params")
    for path in TORNADO:  # found by path, shown by label and unit
        page.get_by_placeholder("Search").fill(path)
        page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    page.get_by_text("10 simulations x 300 patients").wait_for()  # (1 + 2 x 2 parameters) x 2 replications
    page.click("#sens-run")
    page.wait_for_function("""() => { const g = document.querySelector('#sens-graph .js-plotly-plot');
        return !!(g && g.layout && String((g.layout.title || {}).text || '').includes('Tornado')); }""",
                           timeout=180_000)
    bars = page.evaluate("""() => document.querySelector('#sens-graph .js-plotly-plot').data
                            .map(t => ({meta: t.meta, y: t.y, whiskers: !!(t.error_x && t.error_x.array)}))""")
    assert {b["meta"] for b in bars} == {"low", "high"} and all(b["whiskers"] for b in bars)
    labels = {y for b in bars for y in b["y"]}
    assert not any("." in y and " " not in y for y in labels)  # labels, not dotted paths
    assert any("(days)" in y for y in labels)
    page.wait_for_selector("#sens-table .ag-row")


def test_compare_opens_with_the_default_comparison_already_running(browser: Any,
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    config = DashboardConfig(default_patients=300, default_replications=2, prerun_compare=True,
                             cache_dir=tmp_path_factory.mktemp("prerun-cache"))
    app = create_app(config)
    with serve_in_thread(app) as url, watched_page(browser, url) as page:
        page.click("#tab-whatif")  # the page answers while the comparison runs
        page.wait_for_selector("#whatif-run")
        page.click("#tab-compare")
        page.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=180_000)
        assert page.locator("#compare-cards .card").count() == 1
