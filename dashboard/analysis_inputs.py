"""What a sensitivity analysis may be asked for, and the values typed on the page, checked.

Parameters come from the schema (``parameter_infos``: unit, allowed and plausible range), so the
choices cannot drift from the model. Every refusal names the value and the range. No Dash here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dashboard.checks import as_number, range_text, whole_number_problem
from dashboard.data import METRIC_CHOICES, UNCERTAINTY_TEXT_KEYS, InputError, ParamInfo, parameter_catalogue

ANALYSIS_LABELS = {"sweep": "One-way sweep", "tornado": "Tornado", "psa": "Probabilistic (PSA)",
                   "capacity": "Capacity"}
SAMPLERS = {"lhs": "Latin hypercube", "sobol": "Sobol (best with a power of two draws)"}
DISTRIBUTION = re.compile(r"^\s*(\w+)\s*\((.*)\)\s*$")


# --- what can be chosen -------------------------------------------------------------------------


def numeric_parameters() -> list[ParamInfo]:
    """Every numeric parameter of the schema (sweepable), in schema order."""
    return [i for i in parameter_catalogue().values() if i.kind in ("int", "float")]


def tornado_parameters() -> list[ParamInfo]:
    """Numeric parameters with a plausible range that is not a single value (tornado-able)."""
    return [i for i in numeric_parameters() if i.plausible is not None and i.plausible[0] != i.plausible[1]]


def metric_label(name: str) -> str:
    """'Walking at 6 months (proportion)'."""
    found = {n: f"{label} ({unit})" for n, label, unit in METRIC_CHOICES}
    return found.get(name, name)


def parameter_text(info: ParamInfo) -> str:
    """What a parameter means, its unit, allowed range and plausible (evidence) range."""
    plausible = "" if info.plausible is None else f"; plausible {range_text(*info.plausible, info.unit)}"
    allowed = range_text(info.low, info.high, info.unit)
    return f"{info.description[:1].upper()}{info.description[1:]} ({info.unit}). Allowed {allowed}{plausible}."


def sweep_defaults(info: ParamInfo) -> tuple[float, float]:
    """LOW and HIGH a sweep starts at: the plausible range (else the allowed one)."""
    low, high = info.plausible or (info.low or 0.0, info.high if info.high is not None else 1.0)
    return low, high


# --- values -------------------------------------------------------------------------------------


def choose(path: Any, choices: Sequence[ParamInfo], what: str) -> ParamInfo:
    """The parameter ``path`` among ``choices``, or InputError asking to choose ``what``."""
    found = {i.path: i for i in choices}
    if path not in found:
        raise InputError(f"Choose {what} (got {path!r}).")
    return found[path]


def sweep_values(info: ParamInfo, low: Any, high: Any, steps: Any, max_values: int) -> list[float | int]:
    """``steps`` evenly spaced values from LOW to HIGH (whole numbers for whole-number parameters)."""
    problems = []
    allowed = range_text(info.low, info.high, info.unit)
    for label, value in (("LOW", low), ("HIGH", high)):
        number = as_number(value)
        if number is None:
            problems.append(f"{label} of {info.path} must be a number ({allowed})")
        elif (info.low is not None and number < info.low) or (info.high is not None and number > info.high):
            problems.append(f"{label} = {number:g} is outside the allowed range of {info.path}: {allowed}")
    steps_problem = whole_number_problem("STEPS", steps, 2, max_values, "this server's limit")
    problems += [steps_problem] if steps_problem else []
    if not problems and float(low) >= float(high):
        problems.append(f"LOW = {float(low):g} must be below HIGH = {float(high):g}")
    if problems:
        raise InputError("\n".join(problems))
    grid = np.linspace(float(low), float(high), int(float(steps)))
    if info.kind == "int":
        values: list[float | int] = list(dict.fromkeys(int(round(x)) for x in grid))
        if len(values) < 2:
            raise InputError(f"{info.path} takes whole numbers: LOW to HIGH gives only {values}")
        return values
    return [float(f"{x:.10g}") for x in grid]


def capacity_values(text: Any, info: ParamInfo, max_values: int) -> list[int]:
    """Distinct whole numbers (units of a resource) from text such as '1, 2, 3', in the allowed range."""
    parts = [p for p in re.split(r"[,\s;]+", str(text or "").strip()) if p]
    allowed = range_text(info.low, info.high, info.unit)
    values, problems = [], []
    for part in parts:
        number = as_number(part)
        if number is None or not number.is_integer():
            problems.append(f"capacity {part!r} must be a whole number of {info.unit}")
        elif (info.low is not None and number < info.low) or (info.high is not None and number > info.high):
            problems.append(f"capacity {number:g} is outside the allowed range of {info.path}: {allowed}")
        else:
            values.append(int(number))
    if not problems and len(set(values)) < 2:
        problems.append("give at least two different capacities, e.g. 1, 2, 3")
    if len(values) > max_values:
        problems.append(f"{len(values)} capacities; at most {max_values} (this server's limit)")
    if problems:
        raise InputError("\n".join(problems))
    return sorted(set(values))


def parse_distribution(text: Any) -> dict[str, Any]:
    """``'beta(mean=0.3, sd=0.05)'`` as ``{"dist": "beta", "mean": 0.3, "sd": 0.05}`` (form checked later).

    The keys of ``UNCERTAINTY_TEXT_KEYS`` (``group=walking utilities``, ``same_draw_as=PATH``) take words.
    """
    match = DISTRIBUTION.match(str(text or ""))
    if not match:
        raise InputError(f"{text!r}: write a distribution as NAME(key=value, ...), e.g. beta(mean=0.3, sd=0.05)")
    spec: dict[str, Any] = {"dist": match.group(1).lower()}
    for item in filter(None, (p.strip() for p in match.group(2).split(","))):
        key, _, raw = (part.strip() for part in item.partition("="))
        if key in UNCERTAINTY_TEXT_KEYS and raw:
            spec[key] = raw
            continue
        number = as_number(raw)
        if not key or number is None:
            raise InputError(f"{text!r}: {item!r} must be key=number (or {' or '.join(UNCERTAINTY_TEXT_KEYS)}=words)")
        spec[key] = int(number) if number.is_integer() and "." not in raw else number
    return spec


def describe_distribution(spec: Mapping[str, Any]) -> str:
    """``{"dist": "beta", "mean": 0.3, "sd": 0.05}`` as ``'beta(mean=0.3, sd=0.05)'`` (words as written)."""
    args = ", ".join(f"{k}={v}" if isinstance(v, str) else f"{k}={v:g}" for k, v in spec.items() if k != "dist")
    return f"{spec.get('dist', '?')}({args})"


def uncertainty_rows(table: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """Rows of the editable uncertainty table."""
    return [{"parameter": path, "distribution": describe_distribution(spec)} for path, spec in table.items()]


def uncertainty_table(rows: Sequence[Mapping[str, Any]] | None) -> dict[str, dict[str, Any]]:
    """The table's rows as an ``[uncertainty]`` table (blank rows skipped; each row's problem named)."""
    table, problems = {}, []
    for i, row in enumerate(rows or [], start=1):
        path, text = str(row.get("parameter") or "").strip(), str(row.get("distribution") or "").strip()
        if not path and not text:
            continue
        try:
            if not path:
                raise InputError("choose a parameter")
            if path in table:
                raise InputError(f"{path} is given twice")
            table[path] = parse_distribution(text)
        except InputError as exc:
            problems.append(f"row {i}: {exc}")
    if problems:
        raise InputError("\n".join(problems))
    if not table:
        raise InputError("the PSA needs at least one uncertain parameter: add a row")
    return table
