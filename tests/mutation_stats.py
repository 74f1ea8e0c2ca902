"""A pytest plugin for mutmut's stats run (loaded by ``conftest.py`` only when mutmut collects stats).

mutmut runs each mutant against the tests that called the mutated function during its stats run,
and credits each call to the test that was running. Two kinds of call would be credited too
narrowly, so their mutants would survive whatever the suite checks:

- calls made while the package is imported (the factories that build the metric, column and KPI
  catalogues), before any test: mutmut credits them to the first test alone;
- calls made while a fixture is set up (a module- or session-scoped simulation): credited to the
  first test that needed the fixture, not to the others that read its cached result.

This plugin credits both to every selected test instead. With ``process_isolation = "forkserver"``
each mutant then imports the package afresh, with the mutant active, and builds its fixtures anew.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest
from mutmut.state import state

_every_test: set[str] = set()  # mutated functions to run every selected test against


def pytest_collection_finish(session: pytest.Session) -> None:
    """The functions hit while collecting (importing), before any test ran."""
    _every_test.update(state()._stats)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    """The functions hit while this test's fixtures were set up (mutmut clears the hits between tests)."""
    try:
        return (yield)
    finally:
        _every_test.update(state()._stats)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Credit every collected test with those functions."""
    tests = {item.nodeid for item in session.items}
    for name in _every_test:
        state().tests_by_mangled_function_name[name] |= tests
