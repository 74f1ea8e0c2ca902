"""Checks of what the page sends, in plain words: run sizes, whole numbers, values in a range.

Pure functions with no simulator and no Dash, shared by ``data`` (runs) and ``analyses``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dict to ``{"a.b": value}``."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, Mapping):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def check_run_settings(patients: Any, replications: Any, seed: Any, max_patients: int,
                       max_replications: int) -> list[str]:
    """Plain-language problems with the run size and seed (empty when they can run)."""
    problems = []
    for label, value, low, high in (("Patients", patients, 10, max_patients),
                                    ("Replications", replications, 1, max_replications),
                                    ("Seed", seed, 0, 2**32 - 1)):
        problem = whole_number_problem(label, value, low, high, "this server's limit")
        if problem:
            problems.append(problem)
    return problems


def whole_number_problem(label: str, value: Any, low: int, high: int, why: str = "") -> str | None:
    """Why ``value`` is not a whole number from ``low`` to ``high`` (None when it is)."""
    if value is None or value == "":
        return f"{label} is empty: enter a whole number from {low} to {high}"
    number = as_number(value)
    if number is None or not number.is_integer():
        return f"{label} = {value} must be a whole number"
    if not low <= number <= high:
        return f"{label} = {number:g} is outside {low} to {high}" + (f" ({why})" if why else "")
    return None


def as_number(value: Any) -> float | None:
    """``value`` as a finite float, or None (empty, text, bool, inf or NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def range_text(low: float | None, high: float | None, unit: str = "") -> str:
    """'0 to 365 days' (an open end is 'any')."""
    def fmt(x: float | None) -> str:
        return "any" if x is None else f"{x:g}"
    return f"{fmt(low)} to {fmt(high)} {unit}".strip()
