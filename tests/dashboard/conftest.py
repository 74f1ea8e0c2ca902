"""Fixtures for the dashboard tests: synthetic tables (docs/api.md shape), a real small run, a backend.

And for the browser tests: one served app per session, Debian's Chromium, a page per test that
fails the test on any console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_helpers import watched_page
from dash_synthetic import FakeResults, make_results

from dashboard.app import create_app
from dashboard.bench import launch_chromium, serve_in_thread
from dashboard.config import DashboardConfig
from dashboard.data import Backend
from dashboard.jobs import JobManager
from dashboard.store import ResultStore


@pytest.fixture
def fake() -> FakeResults:
    """Synthetic results of three strategies, 60 patients x 2 replications."""
    return make_results(("baseline", "rt-only", "fast-track-mri"))


@pytest.fixture
def backend(tmp_path: Path) -> Backend:
    """A backend with its own empty result store and small caps."""
    return Backend(ResultStore(tmp_path, 10**9), max_patients=2000, max_replications=3)


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory):
    """A real small experiment (baseline vs rt-only, 300 patients x 2), run through the backend."""
    store = ResultStore(tmp_path_factory.mktemp("store"), 10**9)
    b = Backend(store, max_patients=2000, max_replications=3)
    key = b.run({"kind": "experiment", "scenarios": [{"base": "baseline"}, {"base": "rt-only"}],
                 "patients": 300, "replications": 2, "seed": 3})
    return b, key, b.results(key)


@pytest.fixture(scope="session")
def job_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Backend, JobManager]]:
    """A backend and a one-worker job manager sharing an empty store."""
    config = DashboardConfig(cache_dir=tmp_path_factory.mktemp("jobs"), max_patients=2000, max_replications=3)
    jobs = JobManager(config, workers=1)
    yield Backend(ResultStore(config.cache_dir, 10**9), 2000, 3), jobs
    jobs.shutdown()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served from a thread (no pre-run on opening: each test starts its own runs)."""
    config = DashboardConfig(default_patients=600, default_replications=2, max_patients=5000,
                             max_replications=10, delay_patients=600, prerun_compare=False,
                             cache_dir=tmp_path_factory.mktemp("dash-cache"), job_workers=2, max_queued_jobs=20)
    with serve_in_thread(create_app(config)) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            b = launch_chromium(pw)
        except FileNotFoundError as exc:
            pytest.fail(str(exc))  # a missing browser fails the run, never skips it
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, app_url: str) -> Iterator[Any]:
    with watched_page(browser, app_url) as pg:
        yield pg
