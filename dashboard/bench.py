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

from dashboard.app import JOBS, PRERUN, create_app, stop_jobs
from dashboard.config import DashboardConfig
from dashboard.jobs import QUEUED, RUNNING

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
#: True once every Value chart (``[ids, n]``: ``dashboard.figures.VALUE_CHARTS``) has drawn ``n`` strategies.
VALUE_READY_JS = """([ids, n]) => ids.every(id => {
  const g = document.querySelector('#value-' + id + '-graph .js-plotly-plot');
  return !!(g && g.data) && new Set(g.data.map(t => t.meta).filter(m => m)).size >= n;
})"""


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


def time_to_charts(config: DashboardConfig | None = None, precomputed: bool = True, timeout_s: float = 600.0) -> float:
    """Seconds from clicking Run on the default comparison (Compare view) to every chart drawn.

    The default comparison is ``config``'s (by default the dashboard's own: DashboardConfig's
    default strategies, patients, replications and seed), on a fresh app with an empty cache and
    its job workers started. With ``precomputed`` (what a user of ``spinesim dashboard`` gets) the
    server has computed the default comparison when it started, as it does, the opening page has
    shown it, and the click is answered from the cache; without, the click waits for the
    simulation, the figures and the drawing.
    """
    from playwright.sync_api import sync_playwright  # a test dependency: imported only when timing

    base = config or DashboardConfig()
    with tempfile.TemporaryDirectory(prefix="spinesim-bench-") as tmp:
        app = create_app(replace(base, prerun_compare=precomputed, cache_dir=Path(tmp)))
        jobs, names = app.server.extensions[JOBS], len(base.default_scenarios)
        with serve_in_thread(app) as url, sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url)
                page.wait_for_selector("#compare-run:not([disabled])")
                jobs.wait_ready()
                prerun = app.server.extensions.get(PRERUN)
                deadline = time.monotonic() + timeout_s
                while prerun and jobs.status(prerun).state in (QUEUED, RUNNING) and time.monotonic() < deadline:
                    time.sleep(0.2)
                if precomputed:  # the opening page shows the precomputed comparison first
                    page.wait_for_function(CHARTS_READY_JS, arg=["compare", names], timeout=timeout_s * 1000)
                page.wait_for_timeout(500)
                start = time.perf_counter()
                page.click("#compare-run")
                page.wait_for_function(CHARTS_READY_JS, arg=["compare", names], timeout=timeout_s * 1000)
                return time.perf_counter() - start
            finally:
                browser.close()


if __name__ == "__main__":
    print(f"time to charts (default comparison, precomputed): {time_to_charts():.2f} s; "  # noqa: T201
          f"cold: {time_to_charts(precomputed=False):.2f} s")
