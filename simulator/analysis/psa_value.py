"""Value for money under parameter uncertainty: the PSA's cost-effectiveness tables and their text.

Input: the PSA grid's per-replication ``cost_per_patient`` and ``qalys_per_patient`` (discounted,
capacity cost included) of every (draw, strategy, replication), all on the same patients, and the
drawn parameter values. Each draw's estimate is the mean over its replications; the arithmetic is
the decision layer's (``simulator.economics``). Tables, by name (the dashboard reads these):

- ``value``: per strategy, mean cost and QALYs with the 2.5th-97.5th percentiles over draws,
  increments against the reference (the first scenario) with theirs, the ICER (ratio of mean
  increments), quadrant, dominance status and frontier ICER (``incremental_analysis`` of the mean
  outcomes), and the two kinds of spread apart: ``*_between_draw_sd`` (SD of the draws'
  estimates: parameter uncertainty) and ``*_monte_carlo_se`` (within-draw SD over replications /
  sqrt(replications): patient-sampling noise of each draw's estimate, paired for increments);
- ``net_benefit``: per threshold and strategy, mean NMB over draws and its percentiles, the
  incremental NMB, rank (1 = highest mean NMB), ``best`` and ``p_cost_effective`` (the CEAC);
- ``ce_plane`` (draw, strategy, cost, qalys, incremental_cost, incremental_qalys);
- ``ceac`` (threshold, strategy, probability), ``ceaf`` (threshold, strategy, expected_nmb, probability);
- ``evpi`` (threshold, evpi per patient, evpi_population: empty unless a population is given);
- ``evppi`` (threshold, group, evppi per patient) and ``evppi_groups`` (``psa_groups``).

Thresholds: the reference scenario's ``economics.wtp_thresholds`` and a grid of
:data:`CURVE_THRESHOLDS` (for the curves); the text shows the scenario's thresholds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from simulator.analysis import psa_groups
from simulator.economics import (
    Population,
    PSASample,
    ce_plane,
    ceac,
    ceaf,
    evpi,
    expected_outcomes,
    icer,
    incremental_analysis,
    quadrant,
)
from simulator.economics.value import COST, QALYS, format_value
from simulator.parameters.scenario import Problem, Scenario, ScenarioError

CURVE_THRESHOLDS = tuple(float(t) for t in range(0, 100_001, 2_500))  # currency per QALY
PERCENTILES = (2.5, 97.5)
#: Every value-for-money table of a PSA and its columns, in order.
VALUE_TABLES: dict[str, list[str]] = {
    "ce_plane": ["draw", "strategy", "cost", "qalys", "incremental_cost", "incremental_qalys"],
    "ceac": ["threshold", "strategy", "probability"],
    "ceaf": ["threshold", "strategy", "expected_nmb", "probability"],
    "evpi": ["threshold", "evpi", "evpi_population"],
    "evppi": psa_groups.EVPPI_COLUMNS,
    "evppi_groups": psa_groups.GROUP_COLUMNS,
}
INTERVALS = "2.5th to 97.5th percentiles over the parameter draws (parameter uncertainty)"


def draw_arrays(per_rep: pd.DataFrame, names: list[str], column: str) -> np.ndarray:
    """Array (draws, strategies, replications) of ``column`` from the grid's rows (scenario ``NAME#draw``)."""
    split = per_rep["scenario"].str.rsplit("#", n=1)
    frame = pd.DataFrame({"draw": split.str[1].astype(int), "strategy": split.str[0],
                          "replication": per_rep["replication"], "x": per_rep[column].astype(float)})
    wide = frame.pivot_table(index="draw", columns=["strategy", "replication"], values="x", aggfunc="first")
    reps = sorted(frame["replication"].unique())
    return np.stack([wide[name][reps].to_numpy(float) for name in names], axis=1)


def _spread(x: np.ndarray) -> tuple[float, float]:
    """(SD over draws of the draws' means, pooled within-draw SD / sqrt(replications)) of x (draws, reps)."""
    means = x.mean(axis=1)
    between = float(means.std(ddof=1)) if len(means) > 1 else math.nan
    reps = x.shape[1]
    within = float(np.sqrt(np.mean(x.var(axis=1, ddof=1)))) if reps > 1 else math.nan
    return between, within / math.sqrt(reps)


def value_table(sample: PSASample, costs: np.ndarray, qalys: np.ndarray) -> pd.DataFrame:
    """Per strategy: mean outcomes, increments, percentiles, ICER, status and the noise split."""
    expected = expected_outcomes(sample)
    rows = []
    for j, name in enumerate(sample.strategies):
        row: dict[str, Any] = {"strategy": name}
        for what, means, per_rep in (("cost", sample.costs, costs), ("qalys", sample.qalys, qalys)):
            own, diff = means[:, j], means[:, j] - means[:, 0]
            row[what] = float(own.mean())
            row[f"{what}_low"], row[f"{what}_high"] = (float(v) for v in np.percentile(own, PERCENTILES))
            row[f"incremental_{what}"] = float(diff.mean())
            row[f"incremental_{what}_low"], row[f"incremental_{what}_high"] = (
                float(v) for v in np.percentile(diff, PERCENTILES))
            row[f"{what}_between_draw_sd"], row[f"{what}_monte_carlo_se"] = _spread(per_rep[:, j, :])
            row[f"incremental_{what}_between_draw_sd"], row[f"incremental_{what}_monte_carlo_se"] = _spread(
                per_rep[:, j, :] - per_rep[:, 0, :])
        dc, dq = row["incremental_cost"], row["incremental_qalys"]
        rows.append({**row, "icer": icer(dc, dq), "quadrant": quadrant(dc, dq)})
    frontier = incremental_analysis(expected[["strategy", "cost", "qalys"]]).rename(columns={
        "incremental_cost": "frontier_incremental_cost", "incremental_qalys": "frontier_incremental_qalys",
        "icer": "frontier_icer"}).drop(columns=["cost", "qalys"])
    value = pd.DataFrame(rows).merge(frontier, on="strategy", how="left")
    return value.assign(reference=sample.strategies[0], draws=sample.draws)


def net_benefit_table(sample: PSASample, thresholds: np.ndarray, acceptability: pd.DataFrame) -> pd.DataFrame:
    """Per threshold and strategy: NMB over draws (mean, percentiles), its increment, rank, best, P(cost-effective)."""
    rows = []
    for t in thresholds:
        nmb = sample.nmb(t)
        for j, name in enumerate(sample.strategies):
            inc = nmb[:, j] - nmb[:, 0]
            low, high = np.percentile(nmb[:, j], PERCENTILES)
            inc_low, inc_high = np.percentile(inc, PERCENTILES)
            rows.append({"threshold": float(t), "strategy": name, "nmb": float(nmb[:, j].mean()), "nmb_low": float(low),
                         "nmb_high": float(high), "incremental_nmb": float(inc.mean()),
                         "incremental_nmb_low": float(inc_low), "incremental_nmb_high": float(inc_high)})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("threshold")["nmb"].rank(method="min", ascending=False).astype(int)
    table["best"] = table["rank"] == 1
    p = acceptability.rename(columns={"probability": "p_cost_effective"})
    return table.merge(p, on=["threshold", "strategy"], how="left")


def check_same_money(scenarios: list[Scenario]) -> None:
    """Every strategy's costs must be in the reference's currency and price year (else :class:`ScenarioError`)."""
    ref = scenarios[0].params.economics
    for s in scenarios[1:]:
        e = s.params.economics
        if (e.currency, e.price_year) != (ref.currency, ref.price_year):
            raise ScenarioError([Problem(s.source, "economics.currency", f"= {e.currency} {e.price_year}: every "
                                         f"strategy must use the reference's {ref.currency} {ref.price_year} prices")])


def value_for_money(per_rep: pd.DataFrame, scenarios: list[Scenario], parameters: pd.DataFrame,
                    dists: dict[str, list], population: Population | None = None,
                    ) -> tuple[dict[str, pd.DataFrame], list[str], dict[str, Any]]:
    """The value-for-money tables of a PSA grid, the notes for the terminal and the manifest's record."""
    names = [s.name for s in scenarios]
    economics = scenarios[0].params.economics
    shown = sorted(float(t) for t in economics.wtp_thresholds)
    thresholds = np.array(sorted({*CURVE_THRESHOLDS, *shown}))
    costs, qalys = draw_arrays(per_rep, names, COST), draw_arrays(per_rep, names, QALYS)
    sample = PSASample(tuple(names), costs.mean(axis=2), qalys.mean(axis=2))
    acceptability = ceac(sample, thresholds)
    value_of_information = evpi(sample, thresholds, population)
    if population is None:
        value_of_information["evpi_population"] = math.nan
    groups = psa_groups.parameter_groups(dists)
    estimated = psa_groups.group_table(groups, sample.draws)
    x = psa_groups.regressors(parameters, dists, names, sample.draws)
    tables = {"value": value_table(sample, costs, qalys),
              "net_benefit": net_benefit_table(sample, thresholds, acceptability),
              "ce_plane": ce_plane(sample), "ceac": acceptability, "ceaf": ceaf(sample, thresholds),
              "evpi": value_of_information, "evppi": psa_groups.evppi_table(sample, x, groups, estimated, thresholds),
              "evppi_groups": estimated}
    tables.update({name: tables[name][columns] for name, columns in VALUE_TABLES.items()})
    notes = [n for n in (psa_groups.shortfall_note(estimated, sample.draws),) if n]
    if len(names) < 2:
        notes.append("one strategy: nothing to decide between, so EVPI and EVPPI are 0")
    record = {"reference": names[0], "currency": economics.currency, "price_year": economics.price_year,
              "perspective": economics.perspective, "discount_costs": economics.discount_costs,
              "discount_outcomes": economics.discount_outcomes, "horizon_years": economics.horizon_years,
              "thresholds_shown": shown, "curve_thresholds": list(CURVE_THRESHOLDS), "intervals": INTERVALS,
              "population": None if population is None else {"annual": population.annual, "years": population.years,
                                                             "rate": population.rate, "size": population.size},
              "evppi": "Strong, Oakley & Brennan 2014 regression of incremental costs and QALYs on each group's "
                       "drawn values (simulator.economics.evppi); regressors: each drawn uniform once, as the first "
                       "scenario that varies it"}
    return tables, notes, record


def _money(x: float, currency: str) -> str:
    return f"{currency} {x:,.0f}" if math.isfinite(x) else "-"


def value_text(tables: dict[str, pd.DataFrame], record: dict[str, Any]) -> str:
    """The terminal's account of value for money: the value table, NMB, CEAC, CEAF, noise, EVPI and EVPPI."""
    currency, shown = record["currency"], record["thresholds_shown"]
    at = lambda frame: frame[frame["threshold"].isin(shown)]  # noqa: E731 - the thresholds the text shows
    benefit = at(tables["net_benefit"])
    draws = int(tables["value"]["draws"].iloc[0])
    lines = [f"value for money over {draws} parameter draws: {currency} {record['price_year']} prices, "
             f"{record['perspective']} perspective, costs and QALYs discounted at {record['discount_costs']:.1%} and "
             f"{record['discount_outcomes']:.1%} a year over {record['horizon_years']:g} years; intervals: "
             f"{INTERVALS}",
             format_value({"value": tables["value"], "net_benefit": benefit,
                           "acceptability": benefit[["threshold", "strategy", "p_cost_effective"]]}, currency,
                          interval="95% of draws", acceptability="(share of parameter draws: the CEAC)")]
    lines.append("acceptability frontier (CEAF: the strategy of highest mean NMB, and its probability): " + "; ".join(
        f"{_money(r.threshold, currency)} per QALY {r.strategy} ({r.probability:.0%})"
        for r in at(tables["ceaf"]).itertuples()))
    lines.append("per patient, parameter uncertainty (SD over draws) apart from patient-sampling noise (Monte Carlo "
                 "SE of each draw's estimate):")
    for r in tables["value"].itertuples():
        inc = "" if r.strategy == r.reference else (
            f"; vs {r.reference}: cost {r.incremental_cost_between_draw_sd:,.0f} vs "
            f"{r.incremental_cost_monte_carlo_se:,.0f}, QALYs {r.incremental_qalys_between_draw_sd:.4f} vs "
            f"{r.incremental_qalys_monte_carlo_se:.4f}")
        lines.append(f"  {r.strategy}: cost {r.cost_between_draw_sd:,.0f} vs {r.cost_monte_carlo_se:,.0f}, QALYs "
                     f"{r.qalys_between_draw_sd:.4f} vs {r.qalys_monte_carlo_se:.4f}{inc}")
    population = record["population"]
    lines.append("EVPI per patient: " + "; ".join(
        f"{_money(r.evpi, currency)} at {_money(r.threshold, currency)} per QALY"
        + (f" ({_money(r.evpi_population, currency)} for {population['annual']:,.0f} patients a year over "
           f"{population['years']} years)" if population else "") for r in at(tables["evpi"]).itertuples()))
    evppi = at(tables["evppi"])
    if len(evppi):
        groups = tables["evppi_groups"].set_index("group")
        lines.append("EVPPI per patient at " + " / ".join(_money(t, currency) for t in shown) + " per QALY (a "
                     f"regression on {draws} draws: indicative while the draws are few beside each group's spline "
                     "basis and patient noise is not small, when a broad group can come out below its finer ones):")
        labels = {}
        for group in dict.fromkeys(evppi["group"]):
            size, method = groups.loc[group, "size"], groups.loc[group, "method"]
            labels[group] = f"{group} ({size} parameter{'' if size == 1 else 's'}, {method})"
        width = max(len(label) for label in labels.values())
        for group, rows in evppi.groupby("group", sort=False):
            lines.append(f"  {labels[group]:<{width}}  " + " / ".join(f"{v:,.0f}" for v in rows["evppi"]))
    return "\n".join(lines)
