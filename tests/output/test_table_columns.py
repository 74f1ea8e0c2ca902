"""The declared output columns and the helpers that round their values (simulator/output/tables.py)."""

from __future__ import annotations

import math

import pandas as pd

from simulator.output.tables import COLUMNS, _nan, _round

KINDS = ("", "str", "int64", "float64", "boolean")  # Column.kind: "" derives the type from the unit


def test_every_declared_column_has_a_known_kind_and_a_real_pandas_type():
    """A column's type is what the export casts to and the data dictionary prints: a misspelt kind
    would cast to nothing pandas knows, or (for the summaries, built with their own types) mislead."""
    for table, columns in COLUMNS.items():
        for column in columns:
            assert column.kind in KINDS, (table, column.name, column.kind)
            pd.api.types.pandas_dtype(column.dtype)  # raises on a type pandas does not know
    for table in ("budget", "kpis"):  # the tables summarised over replications name their reference
        assert [c.dtype for c in COLUMNS[table] if c.name == "reference"] == ["str"], table


def test_days_are_kept_to_a_thousandth_and_an_unreached_day_is_empty():
    """Days (waits, delays, days walking) to 0.001 d, about 1.4 minutes; a day never reached (infinite in
    the model) or undefined is empty, never written as infinity."""
    assert _round(12.34567) == 12.346
    assert math.isnan(_round(math.inf)) and math.isnan(_round(math.nan))
    assert _nan(4.5678) == 4.57 and math.isnan(_nan(math.nan))  # VAS and months: two decimals
