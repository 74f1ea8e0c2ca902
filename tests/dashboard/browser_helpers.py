"""Helpers of the browser tests: where screenshots go, a page that records console errors, traces."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


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
    try:
        yield pg
    finally:
        context.close()
    assert errors == [], f"browser console errors: {errors}"


def traces(page: Any, graph_id: str) -> list[dict[str, Any]]:
    """The drawn traces of a graph: meta, name, type, x and y."""
    return page.evaluate(
        """id => (document.querySelector('#' + id + ' .js-plotly-plot')._fullData || [])
                 .map(t => ({meta: t.meta || null, name: t.name || null, type: t.type, y: Array.from(t.y || []),
                             x: Array.from(t.x || [])}))""", graph_id)
