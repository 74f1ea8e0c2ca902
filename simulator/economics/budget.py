"""Budget impact of an open cohort: what each calendar year costs, by category, and how many are treated.

Patients enter over calendar time at the scenario's ``cohort.arrivals_per_year``. Each costed line of
:func:`simulator.economics.patient.patient_economics` is paid on its own day (an event) or over its own
interval (a daily cost in a state, split between calendar years by its days in each), so a cost lands
in the year it is paid; the services' capacity is paid day by day over the arrival window. Budget
impact is undiscounted, as the ISPOR good-practice report on budget impact analysis asks (Sullivan et
al., Value Health 2014). Year ``k`` is days ``[(k - 1) * 365.25, k * 365.25)`` of the clock (day 0 = the
first entry), for ``k = 1 .. ceil(economics.horizon_years)``; the last year stops at the horizon.

Over replications, each (year, item) gets the mean with the metrics' 95% t-interval and the paired
difference to the reference scenario (the budget impact of the strategy), as the summary does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from simulator.economics.patient import COST_CATEGORIES
from simulator.output.metrics import interval
from simulator.vocabulary import DAYS_PER_YEAR, DEFINITIVE_TREATMENTS, SERVICE_KINDS, TREATMENT, listing

#: What the budget counts each year: money by cost category, capacity and the total, then patients.
MONEY_ITEMS: tuple[str, ...] = (*COST_CATEGORIES, "capacity", "total")
COUNT_ITEMS: tuple[str, ...] = ("patients_entered", "patients_treated")
BUDGET_ITEMS: tuple[str, ...] = (*MONEY_ITEMS, *COUNT_ITEMS)
_DEFINITIVE_FAMILIES = tuple(dict.fromkeys(TREATMENT[code].family for code in DEFINITIVE_TREATMENTS))
ITEM_MEANINGS: dict[str, str] = {
    **{c: f"cost of {c.replace('_', ' ')} paid in the year (the costs table's category)" for c in COST_CATEGORIES},
    "capacity": f"cost of providing the services' capacity ({listing([s.unit for s in SERVICE_KINDS])}, per day) in "
                "the year",
    "total": "every cost paid in the year, capacity included",
    "patients_entered": "patients who entered the cohort in the year (the open cohort's arrivals)",
    "patients_treated": f"patients whose first definitive treatment ({listing(_DEFINITIVE_FAMILIES, 'or')}) started "
                        "in the year",
}
Budget = dict[str, np.ndarray]  # item -> amount per calendar year
BUDGET_COLUMN_NAMES = ["scenario", "year", "item", "unit", "estimate", "ci_low", "ci_high", "difference",
                       "difference_low", "difference_high", "reference"]


def year_edges(horizon_years: float) -> np.ndarray:
    """The days on the clock that bound calendar years 1 .. ceil(horizon): ``[0, 365.25, ..., horizon]``."""
    end = horizon_years * DAYS_PER_YEAR
    years = max(1, math.ceil(round(horizon_years, 9)))
    return np.minimum(np.arange(years + 1) * DAYS_PER_YEAR, end)


def by_year(start: np.ndarray, stop: np.ndarray, amount: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Amounts per calendar year.

    An instant (``start == stop``) counts whole in the year it falls in; a span ``[start, stop)``
    is split in proportion to its days in each year (a constant daily cost). What falls at or
    after the last edge (the horizon) is left out.
    """
    start, stop, amount = (np.asarray(x, dtype=float) for x in (start, stop, amount))
    out = np.zeros(len(edges) - 1)
    instant = start == stop
    day = start[instant]
    year = np.searchsorted(edges, day, side="right") - 1
    inside = (day >= edges[0]) & (day < edges[-1])
    np.add.at(out, year[inside], amount[instant][inside])
    s, e, a = start[~instant], stop[~instant], amount[~instant]
    for k in range(len(out)):
        overlap = np.clip(np.minimum(e, edges[k + 1]) - np.maximum(s, edges[k]), 0.0, None)
        out[k] += float((a * overlap / (e - s)).sum())
    return out


def block_budget(lines: pd.DataFrame, patients: pd.DataFrame, horizon_years: float) -> Budget:
    """One block's costs by category and its patients, per calendar year.

    ``lines`` are the block's costed lines (``PatientEconomics.lines``); ``patients`` its patients
    table (``entry_day``, ``treatment``, ``treatment_day``).
    """
    edges = year_edges(horizon_years)
    out: Budget = {}
    for category in COST_CATEGORIES:
        rows = lines[lines["category"] == category]
        out[category] = by_year(rows["from_day"], rows["to_day"], rows["cost"], edges)
    entry = patients["entry_day"].to_numpy(float)
    out["patients_entered"] = by_year(entry, entry, np.ones(len(entry)), edges)
    treated = (patients["treatment"].isin(DEFINITIVE_TREATMENTS) & patients["treatment_day"].notna()).to_numpy(bool)
    day = patients.loc[treated, "treatment_day"].to_numpy(float)
    out["patients_treated"] = by_year(day, day, np.ones(len(day)), edges)
    return out


def capacity_by_year(resources: pd.DataFrame, horizon_years: float) -> np.ndarray:
    """The services' capacity cost per calendar year, paid evenly over each one's arrival window."""
    edges = year_edges(horizon_years)
    if not len(resources) or "capacity_cost" not in resources:
        return np.zeros(len(edges) - 1)
    window = resources["window_days"].to_numpy(float)
    return by_year(np.zeros(len(window)), window, resources["capacity_cost"].to_numpy(float), edges)


def replication_budget(blocks: Sequence[Budget], resources: pd.DataFrame, horizon_years: float) -> Budget:
    """One replication's budget: its blocks added up, the capacity and the total (rounded to 6 decimals)."""
    years = len(year_edges(horizon_years)) - 1
    out: Budget = {item: np.zeros(years) for item in BUDGET_ITEMS}
    for block in blocks:
        for item, values in block.items():
            out[item] = out[item] + values
    out["capacity"] = capacity_by_year(resources, horizon_years)
    out["total"] = sum((out[item] for item in MONEY_ITEMS if item != "total"), np.zeros(years))
    return {item: np.round(values, 6) for item, values in out.items()}


def budget_rows(scenario: str, replication: int, budget: Mapping[str, np.ndarray]) -> list[dict[str, object]]:
    """The long rows (scenario, replication, year, item, value) of one replication's budget."""
    return [{"scenario": scenario, "replication": replication, "year": year, "item": item, "value": float(v)}
            for item in BUDGET_ITEMS for year, v in enumerate(budget[item], start=1)]


def summarise_budget(per_replication: pd.DataFrame, scenarios: Sequence[str]) -> pd.DataFrame:
    """The ``budget`` table: per scenario, year and item, the mean and 95% interval over replications.

    With the paired difference to ``scenarios[0]`` (same patients, replication by replication) and
    its 95% interval: the strategy's budget impact.
    """
    if per_replication.empty:
        return pd.DataFrame(columns=BUDGET_COLUMN_NAMES)
    wide = per_replication.pivot_table(index=["year", "item", "replication"], columns="scenario", values="value",
                                       sort=False)
    reference = scenarios[0]
    order = {item: i for i, item in enumerate(BUDGET_ITEMS)}
    rows = []
    for (year, item), group in wide.groupby(level=["year", "item"], sort=False):
        unit = "patients" if item in COUNT_ITEMS else "currency"
        base = group[reference].to_numpy(float)
        for name in scenarios:
            own = group[name].to_numpy(float)
            estimate, low, high = interval(own)
            diff = (math.nan,) * 3 if name == reference else interval(own - base)
            rows.append({"scenario": name, "year": int(year), "item": item, "unit": unit, "estimate": estimate,
                         "ci_low": low, "ci_high": high, "difference": diff[0], "difference_low": diff[1],
                         "difference_high": diff[2], "reference": reference, "_o": order[item]})
    frame = pd.DataFrame(rows)
    frame["_s"] = frame["scenario"].map({n: i for i, n in enumerate(scenarios)})
    frame = frame.sort_values(["_s", "year", "_o"], kind="stable").drop(columns=["_s", "_o"]).reset_index(drop=True)
    frame["ci_low"] = frame["ci_low"].clip(lower=0.0)  # costs and patients are never negative
    numeric = ["estimate", "ci_low", "ci_high", "difference", "difference_low", "difference_high"]
    frame[numeric] = frame[numeric].astype(float).round(6)
    return frame[BUDGET_COLUMN_NAMES]
