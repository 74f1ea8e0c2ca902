"""Browser timing for ``make bench``: seconds from clicking Run to every chart drawn.

Also the helpers the browser tests share: serve an app from a thread, launch Debian's Chromium.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from dashboard.app import JOBS, create_app, stop_jobs
from dashboard.config import DashboardConfig

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# True once every chart of a results panel has at least one trace per strategy (JS, arg = [prefix, n]).
CHARTS_READY_JS = """([prefix, n]) => {
  const ids = ['ambulatory', 'km', 'vas', 'pain-response', 'frankel', 'delays', 'treatments', 'resources'];
  return ids.every(id => {
    const g = document.querySelector('#' + prefix + '-' + id + '-graph .js-plotly-plot');
    if (!g || !g.data) return false;
    return new Set(g.data.map(t => t.meta).filter(m => m)).size >= n;
  });
}"""


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Serve a Dash app on a free local port from a thread; yield its URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        stop_jobs(app)


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, headless, with the flags this machine needs (see PLATFORM.md)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"{CHROMIUM} is missing: run `make browser` "
                                "(apt-get install -y chromium chromium-driver)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def time_to_charts(config: DashboardConfig | None = None, timeout_s: float = 600.0) -> float:
    """Seconds from clicking Run on the default comparison (Compare view) to every chart drawn.

    The default comparison is ``config``'s (by default the dashboard's own: DashboardConfig's
    default strategies, patients, replications and seed). A fresh app with an empty cache is used,
    its job workers started, so the time is the background simulation, the figures and the
    browser's drawing: what a user waits after pressing Run on the opening page.
    """
    from playwright.sync_api import sync_playwright  # a test dependency: imported only when timing

    base = config or DashboardConfig()
    with tempfile.TemporaryDirectory(prefix="spinesim-bench-") as tmp:
        app = create_app(replace(base, prerun_compare=False, cache_dir=Path(tmp)))
        names = len(base.default_scenarios)
        with serve_in_thread(app) as url, sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url)
                page.wait_for_selector("#compare-run:not([disabled])")
                app.server.extensions[JOBS].wait_ready()
                page.wait_for_timeout(500)
                start = time.perf_counter()
                page.click("#compare-run")
                page.wait_for_function(CHARTS_READY_JS, arg=["compare", names], timeout=timeout_s * 1000)
                return time.perf_counter() - start
            finally:
                browser.close()


if __name__ == "__main__":
    print(f"time to charts (default comparison): {time_to_charts():.2f} s")  # noqa: T201
