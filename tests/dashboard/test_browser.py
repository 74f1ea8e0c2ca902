"""End-to-end tests in headless Chromium (Playwright): the answer first, noise, links, report, access, phone.

They FAIL when /usr/bin/chromium is missing (run `make browser`), they never skip. Screenshots go
to a temporary folder (``make screenshots`` writes docs/screenshots/). The served app and the
browser are fixtures of conftest.py (shared with test_browser_views.py).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import card_lines, run_and_wait, serious_violations, table_rows, traces, watched_page

from dashboard.bench import CHARTS_READY_JS
from dashboard.layout import VIEWS
from dashboard.screenshots import take_screenshots

pytestmark = pytest.mark.browser

STRATEGIES = {"baseline", "rt-only"}
GRAPHS = ["ambulatory", "km", "vas", "pain-response", "frankel", "delays", "treatments", "resources"]


def small_run(page: Any, patients: int = 300, replications: int = 2, seed: int = 1) -> None:
    for field, value in (("patients", patients), ("replications", replications), ("seed", seed)):
        page.fill(f"#compare-{field}", str(value))


def width(interval: str) -> float:
    low, high = (float(x) for x in re.findall(r"[-+]?\d[\d,]*\.?\d*", interval.replace(",", ""))[-2:])
    return high - low


def test_before_any_run_charts_show_a_message_not_bare_axes(page: Any) -> None:
    # The charts are drawn by the first callbacks after the page loads: wait for them (a busy machine
    # once read an empty chart before they had run), then the message must be there.
    for selector in [*(f"#compare-{g}-graph" for g in GRAPHS), "#compare-cards"]:
        page.wait_for_selector(f"{selector}:has-text('Press Run')")
        assert "Press Run" in page.inner_text(selector), selector


def test_headline_cards_equal_the_summary_table_and_every_chart_has_each_strategy(page: Any) -> None:
    small_run(page, 400, 3, 2)
    run_and_wait(page, "compare", 2)
    for g in GRAPHS:
        assert STRATEGIES <= {t["meta"] for t in traces(page, f"compare-{g}-graph")}, g
        text = page.inner_text(f"#compare-{g}-graph-text")
        assert "baseline" in text and "rt-only" in text, g  # every chart has its one-line text alternative
    page.wait_for_function("() => document.querySelectorAll('#compare-summary details[open] [role=row]').length > 6")
    cards = card_lines(page, "compare")
    rows = {(r["scenario"], r["label"]): f"{r['difference']} ({r['difference_ci']})"
            for r in table_rows(page, "compare") if r.get("scenario") == "rt-only"}
    assert len(cards) == 6 and all("per 100 patients" in v or "days" in v for v in cards.values())
    assert cards == rows  # the same words and numbers in the card and the table
    assert "%" in page.inner_text("#compare-summary")  # proportions in %


def test_a_wide_interval_warns_and_more_replications_narrow_it(page: Any) -> None:
    small_run(page, 300, 2, 5)
    run_and_wait(page, "compare", 2)
    page.wait_for_selector("#compare-noise-text:has-text('too wide')")
    before = card_lines(page, "compare")
    page.click("#compare-more")
    page.wait_for_function("() => document.querySelector('#compare-replications input, #compare-replications')"
                           ".value !== '2'", timeout=240_000)
    page.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=60_000)
    after = card_lines(page, "compare")
    # an interval of width 0 from two equal replications (no event in either) measured nothing: left out
    widths = [(width(before[k]), width(after[k])) for k in before
              if "CI" in before[k] and before[k] != after[k] and width(before[k]) > 0]
    # From 2 to 4 replications the t-interval's expected width falls by t(0.975, 1) / t(0.975, 3) x sqrt(2) =
    # 12.71 / 3.18 x 1.41 = 2.8x, but an interval still widens when the first two replications happened to
    # agree (for normal outcomes one chance in ten, by simulation of the two intervals), so all five narrow
    # only about 0.9^5 = 59% of the time. The widths narrow in total and for most outcomes: at least three of
    # five widening has a chance under 1%.
    assert len(widths) >= 3, widths
    assert sum(a for _b, a in widths) < sum(b for b, _a in widths) / 2, widths
    assert sum(a < b for b, a in widths) > len(widths) / 2, widths


def test_a_copied_url_shows_the_same_strategies_and_numbers(browser: Any, app_url: str) -> None:
    with watched_page(browser, app_url) as page:
        page.click("#compare-scenarios")
        page.get_by_role("option", name="mri-capacity", exact=True).click()
        page.keyboard.press("Escape")
        small_run(page, 300, 2, 9)
        run_and_wait(page, "compare", 3)
        page.wait_for_function("() => location.search.includes('seed=9')")
        link, numbers = page.url, card_lines(page, "compare")
    with watched_page(browser, link) as other:
        other.wait_for_function(CHARTS_READY_JS, arg=["compare", 3], timeout=180_000)
        assert "3 selected" in other.inner_text("#compare-scenarios")
        assert card_lines(other, "compare") == numbers
        assert {t["meta"] for t in traces(other, "compare-km-graph")} == {"baseline", "rt-only", "mri-capacity"}


def test_the_report_opens_offline_and_contains_the_cards(page: Any, browser: Any, tmp_path: Path) -> None:
    small_run(page, 300, 2, 3)
    run_and_wait(page, "compare", 2)
    with page.expect_download() as dl:
        page.click("#compare-report")
    report = tmp_path / "report.html"
    dl.value.save_as(report)
    offline = browser.new_context(offline=True)
    asked: list[str] = []
    offline.on("request", lambda r: asked.append(r.url) if not r.url.startswith("file:") else None)
    view = offline.new_page()
    view.goto(report.as_uri())
    view.wait_for_selector("#chart-differences .main-svg")
    assert view.locator(".card").count() == 1 and "rt-only vs baseline" in view.inner_text(".card")
    assert "per 100 patients" in view.inner_text("#summary") and asked == []
    offline.close()


def test_axe_finds_no_serious_or_critical_violation_on_any_tab(page: Any) -> None:
    small_run(page, 300, 2, 3)  # the same run as the report's test: from the cache
    run_and_wait(page, "compare", 2)
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    for view in VIEWS:
        page.click(f"#tab-{view}")
        page.wait_for_timeout(400)
        assert serious_violations(page) == [], view


def test_keyboard_alone_reaches_every_tab_and_the_run_button(page: Any) -> None:
    page.keyboard.press("Tab")  # the skip link, then the first tab
    for _ in range(5):
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "tab":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "tab-compare"
    seen = []
    for _ in VIEWS:
        seen.append(page.evaluate("() => document.activeElement.id"))
        page.wait_for_function("id => document.getElementById(id).getAttribute('aria-selected') === 'true'",
                               arg=seen[-1])
        page.keyboard.press("ArrowRight")
    assert seen == [f"tab-{v}" for v in VIEWS]
    page.wait_for_function("() => document.activeElement.id === 'tab-compare'")  # wrapped round
    page.wait_for_function("() => !document.getElementById('panel-compare').hidden")
    focused = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("() => [document.activeElement.id, document.activeElement.className]"))
        if focused[-1][0] == "compare-run":
            break
    assert focused[-1][0] == "compare-run", focused
    assert not any("modebar" in str(cls) for _, cls in focused)  # chart toolbars are not in the tab order
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    page.wait_for_selector("#compare-status:has-text('Queued'), #compare-status:has-text('Running'), "
                           "#compare-status:has-text('Waiting'), #compare-status:has-text('Done')")


def test_at_phone_size_the_page_never_scrolls_sideways(browser: Any, app_url: str, tmp_path: Path) -> None:
    overflow = take_screenshots(browser, app_url, tmp_path)
    assert overflow == {k: 0 for k in overflow} and len(overflow) == 2 * len(VIEWS)
    assert {p.name for p in tmp_path.glob("*.png")} == {f"{v}-{s}.png" for v in VIEWS for s in ("desktop", "phone")}


def test_a_long_run_shows_its_place_in_the_queue_progress_and_cancels(page: Any) -> None:
    small_run(page, 5000, 10, 77)
    page.click("#compare-run")
    page.wait_for_selector("#compare-cancel:not([disabled])", timeout=30_000)
    page.wait_for_selector("#compare-results.stale")  # the charts say they are out of date
    assert re.search(r"Waiting to start|Running|Queued", page.inner_text("#compare-status"))
    page.click("#tab-whatif")  # the page answers while it runs
    page.wait_for_selector("#whatif-run")
    page.click("#tab-compare")
    start = time.monotonic()
    page.click("#compare-cancel")
    page.wait_for_selector("#compare-status:has-text('Cancelled')")
    page.wait_for_selector("#compare-run:not([disabled])", timeout=15_000)
    assert time.monotonic() - start < 60
