"""Screenshots of every view at desktop and phone size: ``python -m dashboard.screenshots DIR`` (``make screenshots``).

``make screenshots`` writes them into ``docs/screenshots/`` (the README shows them); the browser
tests call :func:`take_screenshots` with a temporary folder, so no test rewrites a tracked file.
Each view is shown with results: the default comparison, its value for money, a what-if edit, a
delay comparison and a sweep are run first (small cohorts, so it takes about a minute).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from dashboard.app import create_app
from dashboard.bench import CHARTS_READY_JS, VALUE_READY_JS, launch_chromium, serve_in_thread
from dashboard.config import DashboardConfig
from dashboard.figures import VALUE_CHARTS
from dashboard.layout import VIEWS

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
LEVER_DELAY = """[id='{"path":"pathway.patient_delay_median_days","type":"lever"}']"""


def fill_views(page: Any, timeout_s: float = 240) -> None:
    """Run each view once so its screenshot shows results (compare, value, what if, delay, sensitivity)."""
    page.click("#tab-compare")
    page.click("#compare-run")
    page.wait_for_function(CHARTS_READY_JS, arg=["compare", 2], timeout=timeout_s * 1000)
    page.click("#tab-value")
    page.click("#value-run")
    page.wait_for_function(VALUE_READY_JS, arg=[list(VALUE_CHARTS), 2], timeout=timeout_s * 1000)
    page.click("#tab-whatif")
    page.fill(LEVER_DELAY, "60")
    page.fill("#whatif-name", "patients wait longer")
    page.click("#whatif-run")
    page.wait_for_function(CHARTS_READY_JS, arg=["whatif", 2], timeout=timeout_s * 1000)
    page.click("#tab-delay")
    page.click("#delay-run")
    page.wait_for_function("() => document.querySelector('#delay-caption').innerText.includes('instead of')",
                           timeout=timeout_s * 1000)
    page.wait_for_function("() => { const g = document.querySelector('#delay-journey-graph .js-plotly-plot');"
                           " return g && g.data && g.data.some(t => t.meta); }", timeout=timeout_s * 1000)
    page.click("#tab-sensitivity")
    for field, value in (("sweep-steps", "3"), ("patients", "300"), ("replications", "2")):
        page.fill(f"#sens-{field}", value)
    page.click("#sens-run")
    page.wait_for_function("""() => { const g = document.querySelector('#sens-graph .js-plotly-plot');
        return !!(g && g.layout && String((g.layout.title || {}).text || '').includes('sweep')); }""",
                           timeout=timeout_s * 1000)


def take_screenshots(browser: Any, url: str, out: Path) -> dict[str, int]:
    """Write ``VIEW-SIZE.png`` for every view and size into ``out``; return each page's horizontal overflow (px)."""
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["desktop"], strict=True)))
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#compare-run")
    fill_views(page)
    overflow = {}
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for view in VIEWS:
            page.click(f"#tab-{view}")
            page.wait_for_timeout(1200)  # charts refit their box (assets/a11y.js)
            overflow[f"{view}-{size}"] = int(page.evaluate(OVERFLOW_JS))
            page.screenshot(path=str(out / f"{view}-{size}.png"), full_page=True)
    context.close()
    return overflow


def main(argv: list[str] | None = None) -> int:
    """Serve a fresh app, fill every view, and write the screenshots into the folder given (docs/screenshots)."""
    from playwright.sync_api import sync_playwright  # a test dependency: imported only when screenshots are taken

    out = Path((argv or sys.argv[1:] or ["docs/screenshots"])[0])
    with tempfile.TemporaryDirectory(prefix="spinesim-shots-") as tmp:
        config = DashboardConfig(default_patients=600, default_replications=3, delay_patients=600,
                                 prerun_compare=False, cache_dir=Path(tmp))
        with serve_in_thread(create_app(config)) as url, sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                overflow = take_screenshots(browser, url, out)
            finally:
                browser.close()
    print(f"wrote {len(overflow)} screenshots to {out}; horizontal overflow (px): {overflow}")  # noqa: T201
    return 0 if not any(overflow.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
