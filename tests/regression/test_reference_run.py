"""The core reproduces the recorded reference run: same seed, same tables (issue: columnar core).

The reference was recorded with ``tests/regression/reference/make_reference.py`` before the core
was rebuilt; categorical, boolean and integer columns and the order of events must be identical,
and numeric columns identical or, where vectorised arithmetic differs in the last bits, within
1e-12 relative.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REFERENCE = Path(__file__).parent / "reference"
_spec = importlib.util.spec_from_file_location("make_reference", REFERENCE / "make_reference.py")
make_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_reference)


@pytest.fixture(scope="module")
def current():
    return make_reference.run().tables()


def _same(expected: pd.DataFrame, actual: pd.DataFrame, table: str) -> None:
    assert list(actual.columns) == list(expected.columns), f"{table}: columns differ"
    assert len(actual) == len(expected), f"{table}: {len(actual)} rows, reference {len(expected)}"
    for name in expected.columns:
        e, a = expected[name], actual[name]
        if pd.api.types.is_float_dtype(e) and pd.api.types.is_float_dtype(a):
            ev, av = e.to_numpy(float), a.to_numpy(float)
            assert np.array_equal(np.isnan(ev), np.isnan(av)), f"{table}.{name}: missing values differ"
            ok = ~np.isnan(ev)
            np.testing.assert_allclose(av[ok], ev[ok], rtol=1e-12, atol=0, err_msg=f"{table}.{name}")
        else:
            pd.testing.assert_series_equal(a.reset_index(drop=True), e.reset_index(drop=True), check_names=False,
                                           check_dtype=False, obj=f"{table}.{name}")


@pytest.mark.parametrize("table", make_reference.TABLES)
def test_table_matches_the_reference(current, table):
    expected = pd.read_parquet(REFERENCE / f"{table}.parquet")
    _same(expected, current[table].reset_index(drop=True), table)
