"""Helpers of the browser tests: a page that records console errors, drawn traces, axe-core, the cards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from axe_playwright_python.sync_playwright import Axe

from dashboard.bench import CHARTS_READY_JS

SERIOUS = ("serious", "critical")
#: True once the first callbacks have drawn every Compare chart and no component has been loading for
#: five polls in a row (a busy machine once filled a field before the callbacks that lay it out had run).
SETTLED_JS = """() => {
  const drawn = document.querySelectorAll('[id^=compare-][id$=-graph] .js-plotly-plot').length > 0
    && document.querySelector('#compare-cards') && document.querySelector('#compare-cards').innerText.trim() !== '';
  const idle = drawn && !document.querySelector('[data-dash-is-loading="true"]');
  window.__spinesimIdle = idle ? (window.__spinesimIdle || 0) + 1 : 0;
  return window.__spinesimIdle >= 5;
}"""


@contextmanager
def watched_page(browser: Any, url: str, width: int = 1440, height: int = 900) -> Iterator[Any]:
    """A fresh page at ``url``; on leaving, no console or page errors may have been logged."""
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(url)
    pg.wait_for_selector("h1")
    settle(pg)
    try:
        yield pg
    finally:
        context.close()
    assert errors == [], f"browser console errors: {errors}"


def settle(page: Any, timeout_s: float = 60) -> None:
    """Wait until the page's first callbacks have run and nothing is loading (after a load or reload)."""
    page.evaluate("() => { window.__spinesimIdle = 0; }")
    page.wait_for_function(SETTLED_JS, polling=100, timeout=timeout_s * 1000)


def traces(page: Any, graph_id: str) -> list[dict[str, Any]]:
    """The drawn traces of a graph: meta, name, type, x and y."""
    return page.evaluate(
        """id => (document.querySelector('#' + id + ' .js-plotly-plot')._fullData || [])
                 .map(t => ({meta: t.meta || null, name: t.name || null, type: t.type, y: Array.from(t.y || []),
                             x: Array.from(t.x || [])}))""", graph_id)


def run_and_wait(page: Any, prefix: str, n: int, timeout_s: float = 180) -> None:
    """Click Run in view ``prefix`` and wait until every chart shows ``n`` strategies."""
    page.click(f"#{prefix}-run")
    page.wait_for_function(CHARTS_READY_JS, arg=[prefix, n], timeout=timeout_s * 1000)


def card_lines(page: Any, prefix: str) -> dict[tuple[str, str], str]:
    """{(strategy, outcome): 'change (interval)'} of the headline cards."""
    return {(row["strategy"], row["what"]): row["change"] for row in page.evaluate(
        """p => [...document.querySelectorAll('#' + p + '-cards .card')].flatMap(card =>
              [...card.querySelectorAll('li')].map(li => ({strategy: card.dataset.strategy,
               what: li.querySelector('.what').innerText, change: li.querySelector('.change').innerText})))""",
        prefix)}


def table_rows(page: Any, prefix: str) -> list[dict[str, str]]:
    """The key-outcome rows of the summary grid as shown: outcome, strategy, difference and its CI."""
    return page.evaluate(
        """p => [...document.querySelectorAll('#' + p + '-summary details[open] .ag-center-cols-container [role=row]')]
              .map(r => Object.fromEntries([...r.querySelectorAll('[col-id]')]
              .map(c => [c.getAttribute('col-id'), c.innerText.trim()])))""", prefix)


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now (empty when it passes)."""
    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found if v["impact"] in SERIOUS]
