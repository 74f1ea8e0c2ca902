"""End-to-end tests in headless Chromium (Playwright): each view, real simulations, real downloads.

They FAIL when /usr/bin/chromium is missing (run `make browser`), they never skip. Screenshots of
each view are written to docs/screenshots/. The served app and the browser are fixtures of
conftest.py (shared with test_browser_sensitivity.py).
"""

from __future__ import annotations

import io
import json
import time
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser_helpers import SHOTS, traces

from dashboard.bench import CHARTS_READY_JS

pytestmark = pytest.mark.browser

STRATEGIES = {"baseline", "rt-only"}
GRAPHS = ["ambulatory", "km", "vas", "pain-response", "frankel", "delays", "treatments", "resources"]


def lever(path: str) -> str:
    """CSS selector of a lever input (Dash writes dict ids as sorted JSON)."""
    return f"""[id='{{"path":"{path}","type":"lever"}}']"""


def run_and_wait(page: Any, prefix: str, n: int, timeout_s: float = 90) -> None:
    page.click(f"#{prefix}-run")
    page.wait_for_function(CHARTS_READY_JS, arg=[prefix, n], timeout=timeout_s * 1000)


def stack_height(page: Any, graph_id: str, strategy: str) -> float:
    return sum(t["y"][0] for t in traces(page, graph_id) if t["meta"] == strategy and t["y"])


def test_compare_strategies_every_chart_has_each_strategy(page: Any) -> None:
    run_and_wait(page, "compare", 2)
    for g in GRAPHS:
        metas = {t["meta"] for t in traces(page, f"compare-{g}-graph")}
        assert STRATEGIES <= metas, g
    cells = page.locator("#compare-summary-table td[data-dash-column='scenario']").all_inner_texts()
    assert STRATEGIES <= set(cells)
    page.wait_for_timeout(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "compare-strategies.png"), full_page=True)

    # returning to the same comparison is served from the cache, at once
    start = time.perf_counter()
    page.click("#compare-run")
    page.wait_for_function("() => document.querySelector('#compare-status').innerText.includes('cache')")
    assert time.perf_counter() - start < 5

    # plotly's own modebar saves a chart as PNG
    page.hover("#compare-km-graph")
    with page.expect_download() as dl:
        page.click("#compare-km-graph .modebar-btn[data-title='Download plot as a PNG']")
    assert dl.value.suggested_filename.endswith(".png")


def test_long_run_shows_progress_keeps_the_page_responsive_and_cancels(page: Any) -> None:
    page.fill("#compare-patients", "5000")
    page.fill("#compare-replications", "10")
    page.click("#compare-run")
    page.wait_for_selector("#compare-cancel:not([disabled])", timeout=15000)
    page.wait_for_selector("#compare-progress", state="visible")
    # while it runs, another view still answers
    page.click("text=What if")
    page.fill(lever("services.linacs"), "0")
    page.locator("#whatif-lever-message").get_by_text("services.linacs").wait_for(timeout=5000)
    page.click("text=Compare strategies")
    assert page.is_enabled("#compare-cancel"), "the run finished before it could be cancelled"
    page.click("#compare-cancel")
    page.wait_for_function("() => document.querySelector('#compare-status').innerText.includes('Cancelled')")
    page.wait_for_selector("#compare-run:not([disabled])", timeout=15000)


def test_whatif_refuses_out_of_range_then_runs_the_edit_beside_its_parent(page: Any, tmp_path: Path) -> None:
    page.click("text=What if")
    page.fill(lever("services.mri_scanners"), "0")
    message = page.locator("#whatif-lever-message")
    message.get_by_text("outside the allowed range").wait_for()
    assert "1 to 50 scanners" in message.inner_text()
    page.screenshot(path=str(SHOTS / "what-if-out-of-range.png"))
    page.fill(lever("services.mri_scanners"), "1")
    page.wait_for_function("() => document.querySelector('#whatif-lever-message').innerText.trim() === ''")

    page.fill(lever("pathway.patient_delay_median_days"), "120")
    run_and_wait(page, "whatif", 2)
    edited, parent = "baseline (edited)", "baseline"
    assert {parent, edited} <= {t["meta"] for t in traces(page, "whatif-delays-graph")}
    assert stack_height(page, "whatif-delays-graph", edited) > stack_height(page, "whatif-delays-graph", parent) + 30
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "what-if.png"), full_page=True)

    with page.expect_download() as dl:
        page.click("#whatif-download-toml")
    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    doc = tomllib.loads(saved.read_text())
    assert doc["extends"] == "baseline" and doc["pathway"]["patient_delay_median_days"] == 120.0

    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nextends = "baseline"\n[services]\nmri_scanners = 99\n')
    page.set_input_files("#whatif-upload input[type=file]", str(bad))
    upload_message = page.locator("#whatif-upload-message")
    upload_message.get_by_text("services.mri_scanners").wait_for()
    assert "bad.toml" in upload_message.inner_text() and "1 to 50" in upload_message.inner_text()


def test_delay_explorer_draws_the_curve_and_a_journey(page: Any) -> None:
    page.click("text=Delay explorer")
    page.click("#delay-run")
    page.wait_for_function(
        "() => { const g = document.querySelector('#delay-curve-graph .js-plotly-plot');"
        " return g && g._fullData && g._fullData.length === 3 && g._fullData.every(t => t.x.length === 5); }",
        timeout=90000)
    page.wait_for_function(
        "() => { const g = document.querySelector('#delay-journey-graph .js-plotly-plot');"
        " return g && g.data && g.data.some(t => t.meta); }", timeout=60000)
    assert "in 100" in page.inner_text("#delay-curve-caption")
    metas = {t["meta"] for t in traces(page, "delay-journey-graph") if t["meta"]}
    assert "With the baseline delays" in metas and len(metas) == 2
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "delay-explorer.png"), full_page=True)


def test_export_downloads_read_back(page: Any, tmp_path: Path) -> None:
    run_and_wait(page, "compare", 2)  # cached by the first test when run in order; fine either way
    page.click("text=Export")
    page.get_by_text("patient rows match").wait_for()
    assert page.locator("#export-table tbody tr").count() > 5

    def fetch(button: str) -> bytes:
        with page.expect_download() as dl:
            page.click(f"#export-file-{button}")
        path = tmp_path / dl.value.suggested_filename
        dl.value.save_as(path)
        return path.read_bytes()

    patients = pd.read_csv(io.BytesIO(fetch("patients-csv")))
    assert len(patients) == 600 * 2 * 2 and STRATEGIES == set(patients["scenario"])
    states = pd.read_parquet(io.BytesIO(fetch("states-parquet")))
    assert {"days_since_diagnosis", "ambulatory"} <= set(states.columns)
    manifest = json.loads(fetch("manifest-json"))
    assert manifest["patients"] == 600 and manifest["replications"] == 2

    # filter the cohort to diagnosed patients of one strategy, then download the filtered rows
    for column, value in (("diagnosed", "True"), ("scenario", "rt-only")):
        page.click(f"#export-filter-{column}")
        page.get_by_role("option", name=value, exact=True).click()
        page.keyboard.press("Escape")
    page.get_by_text("patient rows match").wait_for()
    # wait for the table itself to show only the filtered strategy (the status changes after the first filter)
    page.wait_for_function("""() => {
        const cells = [...document.querySelectorAll("#export-table td[data-dash-column='scenario']")];
        return cells.length > 0 && cells.every(td => td.innerText.trim() === 'rt-only');
    }""")
    shown = page.locator("#export-table td[data-dash-column='scenario']").all_inner_texts()
    assert shown and set(shown) == {"rt-only"}
    with page.expect_download() as dl:
        page.click("#export-filtered")
    assert dl.value.suggested_filename == "patients-filtered.csv"
    path = tmp_path / "filtered.csv"
    dl.value.save_as(path)
    filtered = pd.read_csv(path)
    assert set(filtered["scenario"]) == {"rt-only"} and filtered["diagnosed"].all()
    assert len(filtered) == ((patients["scenario"] == "rt-only") & patients["diagnosed"]).sum()
    page.screenshot(path=str(SHOTS / "export.png"), full_page=True)


def test_two_users_keep_their_own_results(browser: Any, app_url: str) -> None:
    pages, errors = [], []
    for seed in ("11", "12"):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        pg = context.new_page()
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.goto(app_url)
        pg.fill("#compare-patients", "300")
        pg.fill("#compare-replications", "1")
        pg.fill("#compare-seed", seed)
        pages.append(pg)
    for pg in pages:  # both start before either finishes
        pg.click("#compare-run")
    for pg in pages:
        pg.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=90000)
    a, b = (pg.locator("#compare-summary-table td[data-dash-column='estimate']").all_inner_texts() for pg in pages)
    assert a and b and a != b  # different seeds, different patients, each page shows its own
    pages[0].reload()
    pages[0].wait_for_selector("#compare-run")
    assert pages[0].locator("#compare-summary-table td").count() == 0  # nothing global leaks in
    for pg in pages:
        pg.context.close()
    assert errors == []
