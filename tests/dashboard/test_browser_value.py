"""The Value view end to end in headless Chromium: run, read the answer, change the threshold, axe, keyboard.

It FAILS when /usr/bin/chromium is missing (it never skips). The served app and the browser are
fixtures of conftest.py; the page fails the test on any console error.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import serious_violations, traces

from dashboard.bench import VALUE_READY_JS
from dashboard.figures import VALUE_CHARTS

pytestmark = pytest.mark.browser

BEST = re.compile(r"At £([\d,]+) per QALY, (\S+) has the highest net monetary benefit")
FIRST_LINE = "() => (document.querySelector('#value-sentence .value-line') || {}).innerText || ''"


def answer(page: Any, threshold: str) -> str:
    """Type ``threshold`` and return the strategy the first sentence names once it speaks of that threshold."""
    page.fill("#value-threshold", threshold)
    money = f"{int(threshold):,}"
    page.wait_for_function(f"() => ({FIRST_LINE})().startsWith('At £{money} per QALY,')", timeout=30_000)
    found = BEST.match(page.evaluate(FIRST_LINE))
    assert found, page.evaluate(FIRST_LINE)
    return found.group(2)


def table(page: Any) -> dict[str, dict[str, float]]:
    """{strategy: {cost, qalys}} of the value table as shown (the formatted text read back)."""
    rows = page.evaluate("""() => [...document.querySelectorAll('#value-table .ag-center-cols-container [role=row]')]
        .map(r => Object.fromEntries([...r.querySelectorAll('[col-id]')]
        .map(c => [c.getAttribute('col-id'), c.innerText.trim()])))""")
    return {r["strategy"]: {k: float(re.sub(r"[^\d.\-]", "", r[k])) for k in ("cost", "qalys")} for r in rows}


def test_value_tab_runs_and_the_threshold_changes_the_answer_without_a_new_run(page: Any) -> None:
    page.click("#tab-value")
    for field, value in (("patients", "400"), ("replications", "3"), ("seed", "3")):
        page.fill(f"#value-{field}", value)
    page.click("#value-run")
    page.wait_for_function(VALUE_READY_JS, arg=[list(VALUE_CHARTS), 2], timeout=180_000)
    for name in VALUE_CHARTS:  # every chart has its text alternative, not the placeholder
        text = page.inner_text(f"#value-{name}-graph-text")
        assert "Press Run" not in text and ("baseline" in text or "highest" in text or "replications" in text), name
    assert {t["meta"] for t in traces(page, "value-plane-graph")} >= {"baseline", "fast-track-mri"}
    page.wait_for_selector("#value-kpis .ag-row")
    shown = table(page)
    assert set(shown) == {"baseline", "fast-track-mri"}
    status = page.inner_text("#value-status")

    cheapest = min(shown, key=lambda n: shown[n]["cost"])
    healthiest = max(shown, key=lambda n: shown[n]["qalys"])
    assert cheapest != healthiest  # seed 3: fast-track-mri costs more and buys QALYs, so the curve crosses
    assert answer(page, "0") == cheapest  # at 0 per QALY the cheapest is the best value
    assert answer(page, "1000000") == healthiest  # at a very high threshold the one with most QALYs is
    nmb_title = page.evaluate("() => document.querySelector('#value-nmb-graph .js-plotly-plot').layout.title.text")
    assert "1,000,000" in nmb_title
    assert page.inner_text("#value-status") == status  # redrawn from the stored result: no new run

    page.fill("#value-threshold", "-5")
    page.locator("#value-threshold-message").get_by_text("from 0 to 1,000,000").wait_for()
    assert BEST.match(page.evaluate(FIRST_LINE)).group(1) == "1,000,000"  # the charts stay as they were
    page.fill("#value-threshold", "30000")
    page.wait_for_function("() => document.querySelector('#value-threshold-message').innerText.trim() === ''")
    assert serious_violations(page) == []


def test_value_tab_at_phone_width_fits_and_is_reached_by_the_keyboard(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.focus("#tab-compare")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.id === 'tab-value'")
    page.wait_for_function("() => !document.getElementById('panel-value').hidden")
    page.wait_for_timeout(800)  # charts refit their box
    assert page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    assert page.get_attribute("#tab-value", "aria-selected") == "true"


def test_the_psa_run_from_the_value_tab_replaces_the_cloud_by_its_draws(page: Any) -> None:
    page.click("#tab-value")
    page.click("details.psa > summary")
    for field, value in (("draws", "4"), ("patients", "200"), ("seed", "2")):
        page.fill(f"#valuepsa-{field}", value)
    assert "The PSA draws" in page.inner_text("#value-psa-note")
    page.click("#valuepsa-run")
    page.wait_for_function("() => document.querySelector('#value-source-note').innerText.includes('4 PSA draws')",
                           timeout=180_000)
    assert page.is_checked("#value-source input[value=psa]")
    assert "PSA draws" in page.inner_text("#value-plane-graph-text")
    assert {t["meta"] for t in traces(page, "value-ceac-graph")} >= {"baseline", "fast-track-mri"}
