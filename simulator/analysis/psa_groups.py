"""EVPPI of a PSA by parameter group: the groups, their regressors, and the estimates.

Every uncertain parameter counts in a broad group named after what it describes (``clinical``,
``costs``, ``utilities``: :func:`broad_group`) and, when its ``[uncertainty]`` entry says
``group = "..."``, in that finer group too. A parameter drawn with another (``same_draw_as``) is
a function of that other's draw, so a group's regressors are its parameters' *draw keys* (each
drawn uniform once), with the values of the first scenario that varies that key.

The estimate is :func:`simulator.economics.evppi` (Strong, Oakley & Brennan 2014): a tensor-product
spline for up to ``smoothing.MAX_GROUP`` regressors, an additive one for more. A group with fewer
draws than ``smoothing.min_draws`` needs is listed as not estimated, with the draws it needs. With
a single strategy there is no decision, so the value of every kind of information is 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from simulator.analysis.uncertainty import Distribution
from simulator.economics import PSASample, evppi
from simulator.economics.smoothing import is_additive, min_draws

#: A parameter path's first part -> its broad group; every other path is "clinical".
BROAD_GROUPS = {"costs": "costs", "utilities": "utilities", "economics": "economics"}
CLINICAL = "clinical"
GROUP_COLUMNS = ["group", "level", "parameters", "size", "method", "min_draws", "estimated"]
EVPPI_COLUMNS = ["threshold", "group", "evppi"]


def broad_group(path: str) -> str:
    """The broad EVPPI group of a parameter path: costs, utilities, economics or clinical."""
    return BROAD_GROUPS.get(path.split(".", 1)[0], CLINICAL)


def parameter_groups(dists: Mapping[str, list[Distribution]]) -> dict[str, tuple[str, list[Distribution]]]:
    """Group name -> (level, distributions), broad groups first, each followed by its finer groups.

    ``dists``: every scenario's distributions (a path varied in several scenarios counts once, as
    the first scenario's entry).
    """
    first: dict[str, Distribution] = {}
    for found in dists.values():
        for d in found:
            first.setdefault(d.path, d)
    order = [CLINICAL, *BROAD_GROUPS.values()]
    out: dict[str, tuple[str, list[Distribution]]] = {}
    for broad in order:
        members = [d for d in first.values() if broad_group(d.path) == broad]
        if not members:
            continue
        out.setdefault(broad, ("broad", []))[1].extend(members)
        for d in members:
            if d.group and d.group != broad:
                out.setdefault(d.group, ("fine", []))[1].append(d)
    return out


def regressors(parameters: pd.DataFrame, dists: Mapping[str, list[Distribution]], names: list[str],
               draws: int) -> pd.DataFrame:
    """One row per draw, one column per draw key: the drawn values of the first scenario that varies it.

    ``parameters``: the PSA's long table (draw, scenario, parameter, value, clipped).
    """
    columns = {}
    for name in names:
        for d in dists.get(name, []):
            if d.draw_key == d.path and d.path not in columns:
                rows = parameters[(parameters["scenario"] == name) & (parameters["parameter"] == d.path)]
                columns[d.path] = rows.sort_values("draw")["value"].to_numpy(float)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(draws, name="draw"))
    return frame[sorted(frame.columns)]


def group_table(groups: Mapping[str, tuple[str, list[Distribution]]], draws: int) -> pd.DataFrame:
    """Per group: its level, parameters, number of regressors, metamodel, draws needed and whether estimated."""
    rows = []
    for name, (level, members) in groups.items():
        size = len({d.draw_key for d in members})
        rows.append({"group": name, "level": level, "parameters": ", ".join(d.path for d in members), "size": size,
                     "method": "additive spline" if is_additive(size) else "tensor-product spline",
                     "min_draws": min_draws(size), "estimated": draws >= min_draws(size)})
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def evppi_table(sample: PSASample, x: pd.DataFrame, groups: Mapping[str, tuple[str, list[Distribution]]],
                estimated: pd.DataFrame, thresholds: np.ndarray) -> pd.DataFrame:
    """EVPPI per patient (currency) of every estimated group at every threshold: threshold, group, evppi.

    Regressors that take one value in every draw carry no information and are left out of their
    group (a group left with none has EVPPI 0).
    """
    chosen = [g for g in estimated.loc[estimated["estimated"], "group"]]
    varying = {c for c in x.columns if np.ptp(x[c].to_numpy(float)) > 0}
    keys = {g: sorted({d.draw_key for d in groups[g][1]} & varying) for g in chosen}
    fitted = {g: k for g, k in keys.items() if k}
    parts = []
    if fitted and len(sample.strategies) > 1:
        found = evppi(sample, x, thresholds, groups=fitted, se_draws=0)
        parts.append(found[EVPPI_COLUMNS])
    zero = [g for g in chosen if g not in fitted or len(sample.strategies) < 2]
    if zero:
        parts.append(pd.DataFrame({"threshold": np.tile(thresholds, len(zero)),
                                   "group": np.repeat(np.array(zero, dtype=object), len(thresholds)), "evppi": 0.0}))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=EVPPI_COLUMNS)
    order = {g: i for i, g in enumerate(chosen)}
    table = table.assign(_g=table["group"].map(order)).sort_values(["_g", "threshold"], kind="stable")
    return table.drop(columns="_g").reset_index(drop=True)[EVPPI_COLUMNS]


def shortfall_note(estimated: pd.DataFrame, draws: int) -> str | None:
    """One line naming the groups with too few draws for their regression, or None."""
    short = estimated[~estimated["estimated"]]
    if not len(short):
        return None
    listed = "; ".join(f"{r.group} ({r.size} parameters: {r.min_draws} draws)" for r in short.itertuples())
    return (f"EVPPI not estimated with {draws} draws for: {listed} (smoothing.min_draws: twice the smallest "
            f"spline basis); run with --draws {int(short['min_draws'].max())} or more")
