"""Table rows for the dashboard: the summary with intervals, and pages of the cohort table."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.data import HEADLINE_METRICS, format_change, format_interval, format_value, verdict

KEY_OUTCOMES = "Key outcomes"
FAMILY_TITLES = {"proportion": "Other shares of patients (%)", "days": "Times and waits (days)",
                 "months": "Times (months)", "patients": "Counts of patients"}
COHORT_COLUMNS: tuple[str, ...] = (
    "scenario", "replication", "patient_id", "diagnosed", "subtype", "ecog", "age_years", "route",
    "diagnostic_delay_days", "treatment", "frankel_at_diagnosis", "ambulatory_at_diagnosis",
    "frankel_after_treatment", "ambulatory_3m", "vas_at_diagnosis", "pain_response_3m", "dead",
    "survival_days_from_diagnosis",
)
COHORT_FILTERS: tuple[str, ...] = ("scenario", "replication", "diagnosed", "route", "treatment",
                                   "ambulatory_at_diagnosis")


def _num(x: Any, digits: int = 3) -> float | None:
    """A float rounded to ``digits`` significant figures; None for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return None
    x = float(x)
    if x == 0:
        return 0.0
    return round(x, max(0, digits - 1 - int(math.floor(math.log10(abs(x))))))


def summary_rows(summary: pd.DataFrame, order: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows of the summary table, in the words of the headline cards (the same formatter, the same interval).

    Each row has the numbers (``estimate``, ``difference``: for sorting) and their text
    (``estimate_text``, ``ci``, ``difference_text``, ``difference_ci``, ``verdict``); the
    reference's row says "reference". Rows are grouped by metric, strategies in ``order``.
    """
    if summary.empty:
        return []
    df = summary.copy()
    rank = {n: i for i, n in enumerate(order or pd.unique(df["scenario"]))}
    metric_rank = {m: i for i, m in enumerate(pd.unique(df["metric"]))}
    df = df.assign(_rank=df["scenario"].map(rank).fillna(len(rank)), _metric=df["metric"].map(metric_rank))
    rows = []
    for r in df.sort_values(["_metric", "_rank"], kind="stable").to_dict("records"):
        unit, is_ref = str(r.get("unit", "")), r.get("scenario") == r.get("reference")
        rows.append({
            "metric": r["metric"], "label": r.get("label") or r["metric"], "unit": unit, "scenario": r["scenario"],
            "estimate": _num(r.get("estimate"), 6), "estimate_text": format_value(r.get("estimate"), unit),
            "ci": format_interval(r.get("ci_low"), r.get("ci_high"), unit),
            "difference": None if is_ref else _num(r.get("difference"), 6),
            "difference_text": "reference" if is_ref else format_change(
                r.get("difference"), unit, of_capacity=str(r["metric"]).endswith("_utilisation")),
            "difference_ci": "" if is_ref else format_interval(r.get("difference_low"), r.get("difference_high"),
                                                                 unit, change=True),
            "verdict": "reference" if is_ref else verdict(r.get("difference_low"), r.get("difference_high"),
                                                          r.get("higher_is_better"), r.get("difference")),
        })
    return rows


def summary_families(rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """The rows in sections: the headline outcomes first, then the others grouped by what they measure (unit)."""
    key = [r for r in rows if r["metric"] in HEADLINE_METRICS]
    key.sort(key=lambda r: HEADLINE_METRICS.index(r["metric"]))  # stable: strategies keep their order
    families: dict[str, list[Mapping[str, Any]]] = {KEY_OUTCOMES: key} if key else {}
    for r in rows:
        if r["metric"] not in HEADLINE_METRICS:
            families.setdefault(FAMILY_TITLES.get(r["unit"], f"Measured in {r['unit']}"), []).append(r)
    return list(families.items())


def filter_options(patients: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Dropdown options for each cohort filter (values as shown in the table)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for col in COHORT_FILTERS:
        if col not in patients:
            out[col] = []
            continue
        values = pd.unique(patients[col].dropna())
        out[col] = [{"label": str(v), "value": str(v)} for v in sorted(values, key=str)]
    return out


def filter_cohort(patients: pd.DataFrame, filters: Mapping[str, Sequence[str] | None]) -> pd.DataFrame:
    """Rows whose value (compared as text) is among the chosen values of every non-empty filter."""
    mask = pd.Series(True, index=patients.index)
    for col, chosen in filters.items():
        if chosen and col in patients:
            mask &= patients[col].astype(str).isin([str(c) for c in chosen])
    return patients[mask]


def cohort_page(patients: pd.DataFrame, filters: Mapping[str, Sequence[str] | None],
                sort_by: Sequence[Mapping[str, str]] | None, page: int, page_size: int,
                ) -> tuple[list[dict[str, Any]], int, int]:
    """One page of the filtered, sorted cohort: (rows, page count, matching patients)."""
    d = filter_cohort(patients, filters)
    cols = [c for c in COHORT_COLUMNS if c in d]
    d = d[cols]
    if sort_by:
        keys = [s["column_id"] for s in sort_by if s.get("column_id") in d]
        asc = [s.get("direction", "asc") == "asc" for s in sort_by if s.get("column_id") in d]
        if keys:
            d = d.sort_values(keys, ascending=asc, kind="stable", na_position="last")
    total = len(d)
    pages = max(1, math.ceil(total / page_size))
    page = min(max(0, int(page or 0)), pages - 1)
    chunk = d.iloc[page * page_size:(page + 1) * page_size].copy()
    for col in chunk.columns:
        if chunk[col].dtype.kind == "f":
            chunk[col] = chunk[col].round(2)
        elif chunk[col].dtype.kind == "b" or chunk[col].map(type).eq(bool).any():
            chunk[col] = chunk[col].map(lambda v: None if pd.isna(v) else str(bool(v)).lower())
    chunk = chunk.astype(object).where(chunk.notna(), None)
    return chunk.to_dict("records"), pages, total


def analysis_table(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(AG Grid columns, rows) of an analysis table: numbers to 4 significant figures, blanks for missing."""
    columns = [{"field": c, "headerName": c, **({"type": "numericColumn", "filter": "agNumberColumnFilter"}
                                                 if pd.api.types.is_numeric_dtype(frame[c])
                                                 and not pd.api.types.is_bool_dtype(frame[c]) else {})}
               for c in frame.columns]
    rows = []
    for record in frame.to_dict("records"):
        row: dict[str, Any] = {}
        for k, v in record.items():
            if isinstance(v, bool) or v is None or v is pd.NA:
                row[k] = "" if v is None or v is pd.NA else str(v).lower()
            elif isinstance(v, int | float) and not isinstance(v, bool):
                row[k] = _num(v, 4)
            else:
                row[k] = str(v)
        rows.append(row)
    return columns, rows
