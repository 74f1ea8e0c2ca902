"""Summary rows and cohort pages as plain functions."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.tables import cohort_page, filter_cohort, filter_options, summary_rows, verdict


def test_summary_rows_reference_first_with_intervals(fake):
    rows = summary_rows(fake.summary, ["baseline", "rt-only", "fast-track-mri"])
    assert [r["scenario"] for r in rows[:3]] == ["baseline", "rt-only", "fast-track-mri"]
    ref = rows[0]
    assert ref["difference"] is None and ref["difference_text"] == "reference" and ref["verdict"] == "reference"
    other = rows[1]
    assert " to " in other["ci"] and " to " in other["difference_ci"]
    assert isinstance(other["estimate"], float) and other["estimate_text"].endswith("%")
    assert other["difference_text"].endswith("per 100 patients")


def test_verdict_words():
    assert verdict(0.1, 0.3, True) == "better"
    assert verdict(0.1, 0.3, False) == "worse"
    assert verdict(-0.3, -0.1, True) == "worse"
    assert verdict(-0.1, 0.1, True) == "no clear difference"
    assert verdict(1, 2, None) == "higher"
    assert verdict(float("nan"), 1, True) == "no interval (one replication)"


def test_cohort_page_filters_sorts_and_pages(fake):
    filters = {"scenario": ["rt-only"], "route": ["emergency"]}
    rows, pages, total = cohort_page(fake.patients, filters, [{"column_id": "age_years", "direction": "desc"}],
                                     0, 5)
    expected = fake.patients[(fake.patients["scenario"] == "rt-only") & (fake.patients["route"] == "emergency")]
    assert total == len(expected) and pages == math.ceil(total / 5) and len(rows) == 5
    ages = [r["age_years"] for r in rows]
    assert ages == sorted(ages, reverse=True)
    assert all(r["scenario"] == "rt-only" for r in rows)
    last, _, _ = cohort_page(fake.patients, filters, None, 10_000, 5)  # clamps to the last page
    assert 0 < len(last) <= 5


def test_filters_compare_as_text_and_options_cover_values(fake):
    opts = filter_options(fake.patients)
    assert {o["value"] for o in opts["replication"]} == {"0", "1"}
    out = filter_cohort(fake.patients, {"replication": ["1"], "diagnosed": ["True"]})
    assert set(out["replication"]) == {1} and out["diagnosed"].all()
    assert len(filter_cohort(fake.patients, {"scenario": None})) == len(fake.patients)


def test_cohort_rows_are_json_friendly():
    df = pd.DataFrame({"scenario": ["a"], "replication": [0], "patient_id": [1], "age_years": [float("nan")],
                       "ambulatory_at_diagnosis": pd.array([None], dtype="boolean")})
    rows, _, _ = cohort_page(df, {}, None, 0, 10)
    assert rows[0]["age_years"] is None and rows[0]["ambulatory_at_diagnosis"] is None
