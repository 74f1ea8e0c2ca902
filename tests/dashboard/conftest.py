"""Fixtures for the dashboard tests: synthetic tables (docs/api.md shape), a real small run, a backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from dash_synthetic import FakeResults, make_results

from dashboard.data import Backend
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
