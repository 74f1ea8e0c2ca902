"""The Sensitivity view and the Compare pre-run in headless Chromium (fails, never skips, without it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser_helpers import SHOTS, traces, watched_page

from dashboard.app import create_app
from dashboard.bench import CHARTS_READY_JS, serve_in_thread
from dashboard.config import DashboardConfig

pytestmark = pytest.mark.browser

DELAY = "pathway.patient_delay_median_days"
TORNADO = {"pathway.patient_delay_median_days": "days", "natural_history.p_cord_compression": "proportion"}
CHART_TITLE_JS = """word => { const g = document.querySelector('#sens-graph .js-plotly-plot');
  return !!(g && g.layout && g.layout.title && String(g.layout.title.text || '').includes(word)); }"""


ROWS_JS = "n => document.querySelectorAll(\"#sens-table td[data-dash-column='parameter']\").length === n"


def wait_for_chart(page: Any, word: str, timeout_s: float = 60) -> None:
    page.wait_for_function(CHART_TITLE_JS, arg=word, timeout=timeout_s * 1000)


def test_sweep_refusal_and_tornado(page: Any, tmp_path: Path) -> None:
    page.click("text=Sensitivity")
    for field, value in (("sweep-low", "3"), ("sweep-high", "60"), ("sweep-steps", "3"), ("patients", "400"),
                         ("replications", "1")):
        page.fill(f"#sens-{field}", value)
    page.get_by_text("3 simulations x 400 patients").wait_for()
    assert "days" in page.inner_text("#sens-sweep-info") and "plausible" in page.inner_text("#sens-sweep-info")

    page.click("#sens-run")
    wait_for_chart(page, "One-way sweep")
    (line,) = traces(page, "sens-graph")
    assert line["x"] == [3, 31.5, 60] and len(line["y"]) == 3
    page.wait_for_function(ROWS_JS, arg=3)
    values = page.locator("#sens-table td[data-dash-column='value']").all_inner_texts()
    assert values == ["3", "31.5", "60"]
    assert "paired difference" in page.inner_text("#sens-notes")

    # out of the allowed range: a visible message, and Run refuses without starting anything
    page.fill("#sens-sweep-high", "400")
    message = page.locator("#sens-message")
    message.get_by_text("outside the allowed range").wait_for()
    assert "0 to 365 days" in message.inner_text()
    page.click("#sens-run")
    page.locator("#sens-status").get_by_text("outside the allowed range").wait_for()
    assert page.is_enabled("#sens-run") and not page.is_enabled("#sens-cancel")
    page.screenshot(path=str(SHOTS / "sensitivity-out-of-range.png"))

    # a tornado of two parameters
    page.click("#sens-analysis >> text=Tornado")
    page.click("#sens-tornado-params .dash-dropdown-clear")
    page.click("#sens-tornado-params")
    for path, unit in TORNADO.items():  # the option list is virtual: search, then pick
        page.get_by_placeholder("Search").fill(path)
        page.get_by_role("option", name=f"{path} ({unit})", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_text("5 simulations x 400 patients").wait_for()
    page.click("#sens-run")
    wait_for_chart(page, "Tornado")
    bars = traces(page, "sens-graph")
    assert {b["type"] for b in bars} == {"bar"} and {b["meta"] for b in bars} == {"low", "high"}
    assert all(sorted(b["y"]) == sorted(TORNADO) for b in bars)
    page.wait_for_function(ROWS_JS, arg=2)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / "sensitivity.png"), full_page=True)

    with page.expect_download() as dl:
        page.click("#sens-files >> text=tornado.csv")
    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    table = pd.read_csv(saved)
    assert sorted(table["parameter"]) == sorted(TORNADO) and (table["swing"] >= 0).all()


def test_compare_opens_with_the_default_comparison_already_running(browser: Any,
                                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    config = DashboardConfig(default_patients=300, default_replications=1, prerun_compare=True,
                             cache_dir=tmp_path_factory.mktemp("prerun-cache"))
    with serve_in_thread(create_app(config)) as url, watched_page(browser, url) as page:
        page.click("text=What if")  # the page answers while the comparison runs
        page.wait_for_selector("#whatif-run")
        page.click("text=Compare strategies")
        page.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=60000)
        assert page.locator("#compare-summary-table td").count() > 0
