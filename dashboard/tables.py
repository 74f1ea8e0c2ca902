"""Table rows for the dashboard: the summary with intervals, and pages of the cohort table."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

SUMMARY_COLUMNS: list[dict[str, Any]] = [
    {"name": "Outcome", "id": "label"},
    {"name": "Unit", "id": "unit"},
    {"name": "Strategy", "id": "scenario"},
    {"name": "Estimate", "id": "estimate", "type": "numeric"},
    {"name": "95% CI", "id": "ci"},
    {"name": "Difference vs reference", "id": "difference", "type": "numeric"},
    {"name": "95% CI of difference", "id": "difference_ci"},
    {"name": "Compared with reference", "id": "verdict"},
]
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


def _interval(low: Any, high: Any) -> str:
    a, b = _num(low), _num(high)
    return "" if a is None or b is None else f"{a:g} to {b:g}"


def verdict(difference_low: Any, difference_high: Any, higher_is_better: Any) -> str:
    """Plain words for a paired difference whose 95% interval does or does not exclude zero."""
    lo, hi = _num(difference_low), _num(difference_high)
    if lo is None or hi is None:
        return ""
    if lo > 0 or hi < 0:
        up = lo > 0
        if higher_is_better is None or higher_is_better is pd.NA:
            return "higher" if up else "lower"
        return "better" if up == bool(higher_is_better) else "worse"
    return "no clear difference"


def summary_rows(summary: pd.DataFrame, order: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Rows of the summary table: estimate and 95% CI, paired difference to the reference and its CI.

    Rows are grouped by metric, strategies in ``order`` (the reference first).
    """
    if summary.empty:
        return []
    df = summary.copy()
    if order:
        rank = {n: i for i, n in enumerate(order)}
        df["_rank"] = df["scenario"].map(rank).fillna(len(rank))
        metric_rank = {m: i for i, m in enumerate(pd.unique(df["metric"]))}
        df["_metric"] = df["metric"].map(metric_rank)
        df = df.sort_values(["_metric", "_rank"], kind="stable")
    rows = []
    for r in df.to_dict("records"):
        is_ref = r.get("scenario") == r.get("reference")
        rows.append({
            "metric": r["metric"], "label": r.get("label") or r["metric"], "unit": r.get("unit", ""),
            "scenario": r["scenario"], "estimate": _num(r.get("estimate")),
            "ci": _interval(r.get("ci_low"), r.get("ci_high")),
            "difference": None if is_ref else _num(r.get("difference")),
            "difference_ci": "reference" if is_ref else _interval(r.get("difference_low"),
                                                                  r.get("difference_high")),
            "verdict": "" if is_ref else verdict(r.get("difference_low"), r.get("difference_high"),
                                                 r.get("higher_is_better")),
        })
    return rows


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
    chunk = chunk.astype(object).where(chunk.notna(), None)
    return chunk.to_dict("records"), pages, total


def analysis_table(frame: pd.DataFrame) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(DataTable columns, rows) of an analysis table: numbers to 4 significant figures, blanks for missing."""
    columns = [{"name": c, "id": c, "type": "numeric" if pd.api.types.is_numeric_dtype(frame[c])
                and not pd.api.types.is_bool_dtype(frame[c]) else "text"} for c in frame.columns]
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
