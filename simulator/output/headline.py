"""The answer first: each strategy against the reference, in words, from the summary table.

One reading of the summary for every place that shows it (the dashboard's cards and table, the
HTML report): the estimate is the mean over replications with its 95% t-interval, the difference
is the paired difference to the reference on the same simulated patients with its 95% t-interval
over replications (see :func:`simulator.output.metrics.summarise`). A proportion is shown in %,
a difference of proportions per 100 patients; a verdict is "better" or "worse" only when the
interval of the difference excludes zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from simulator.output.metrics import HEADLINE_METRICS, METRIC_BY_NAME, Metric
from simulator.vocabulary import CURRENCY_SYMBOLS

INTERVAL_METHOD = ("95% t-interval over replications; differences are paired (same simulated patients under "
                   "each strategy, replication by replication)")
BETTER, WORSE, UNCLEAR, IDENTICAL, NO_INTERVAL = ("better", "worse", "no clear difference", "identical",
                                                  "no interval (one replication)")
_PER_100 = "per 100 patients"


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _digits(unit: str) -> int:
    return 0 if unit in ("days", "patients") else 1


def format_value(x: float | None, unit: str) -> str:
    """An estimate in its unit: '58.3%' for a proportion, '312 days', '3.1' on the VAS scale."""
    if _missing(x):
        return "-"
    assert x is not None
    if unit == "proportion":
        return f"{100 * x:.1f}%"
    text = f"{x:,.{_digits(unit)}f}"
    return text if unit.startswith("VAS") else f"{text} {unit}"


def format_change(x: float | None, unit: str, of_capacity: bool = False) -> str:
    """A signed difference: '+4.2 per 100 patients' for proportions, '-12 days', '+0.3 VAS points'.

    ``of_capacity``: a proportion of a service's capacity (utilisation), in percentage points.
    """
    if _missing(x):
        return "-"
    assert x is not None
    scaled = 100 * x if unit == "proportion" else x
    text = _number(scaled, 1 if unit == "proportion" else _digits(unit), signed=True)
    per_100 = "percentage points" if of_capacity else _PER_100
    suffix = per_100 if unit == "proportion" else "VAS points" if unit.startswith("VAS") else unit
    return f"{text} {suffix}"


def format_interval(low: float | None, high: float | None, unit: str, change: bool = False) -> str:
    """'95% CI 1.0 to 7.4' in the unit of the estimate (or of the difference with ``change``)."""
    if _missing(low) or _missing(high):
        return "no interval"
    assert low is not None and high is not None
    scale = 100.0 if unit == "proportion" else 1.0
    digits = 1 if unit == "proportion" else _digits(unit)
    return f"95% CI {_number(scale * low, digits, change)} to {_number(scale * high, digits, change)}"


def _number(x: float, digits: int, signed: bool) -> str:
    """``x`` to ``digits`` decimals with thousands separators, a sign if ``signed``, never '-0'."""
    text = f"{x:{'+' if signed else ''},.{digits}f}"
    return f"{0:.{digits}f}" if text.lstrip("+-").strip("0.,") == "" else text


def verdict(low: float | None, high: float | None, higher_is_better: bool | None,
            difference: float | None = None) -> str:
    """'better', 'worse' or 'no clear difference' from a 95% interval of a difference (or 'identical')."""
    if difference == 0 and (low == high == 0 or (_missing(low) and _missing(high))):
        return IDENTICAL
    if _missing(low) or _missing(high):
        return NO_INTERVAL
    assert low is not None and high is not None
    if low <= 0 <= high:
        return UNCLEAR
    up = low > 0
    if higher_is_better is None or higher_is_better is pd.NA:
        return "higher" if up else "lower"
    return BETTER if up == bool(higher_is_better) else WORSE


@dataclass(frozen=True)
class Comparison:
    """One outcome of one strategy against the reference, with its words."""

    metric: Metric
    strategy: str
    reference: str
    estimate: float
    ci_low: float
    ci_high: float
    difference: float
    difference_low: float
    difference_high: float

    @property
    def verdict(self) -> str:
        """'better', 'worse', 'no clear difference', 'identical' or 'no interval (one replication)'."""
        return verdict(self.difference_low, self.difference_high, self.metric.higher_is_better, self.difference)

    @property
    def change_text(self) -> str:
        """'+4.2 per 100 patients (95% CI +1.0 to +7.4)'."""
        unit = self.metric.unit
        interval = format_interval(self.difference_low, self.difference_high, unit, change=True)
        return f"{format_change(self.difference, unit)} ({interval})"

    @property
    def estimate_text(self) -> str:
        """'58.3% (95% CI 55.0 to 61.6)'."""
        unit = self.metric.unit
        return f"{format_value(self.estimate, unit)} ({format_interval(self.ci_low, self.ci_high, unit)})"

    @property
    def noisy(self) -> bool:
        """Whether the interval is too wide (or missing) to tell the strategies apart."""
        return self.verdict in (UNCLEAR, NO_INTERVAL)


def comparisons(summary: pd.DataFrame, metrics: Sequence[str] = HEADLINE_METRICS) -> dict[str, list[Comparison]]:
    """Per non-reference strategy (in the summary's order), its comparison on each of ``metrics``."""
    if summary.empty:
        return {}
    out: dict[str, list[Comparison]] = {}
    rows = summary[summary["metric"].isin(list(metrics))]
    for name, group in summary.groupby("scenario", sort=False):
        if name == group["reference"].iloc[0]:
            continue
        by_metric = rows[rows["scenario"] == name].set_index("metric")
        out[str(name)] = [Comparison(METRIC_BY_NAME[m], str(name), str(group["reference"].iloc[0]),
                                     *(float(by_metric.loc[m, c]) for c in (
                                         "estimate", "ci_low", "ci_high", "difference", "difference_low",
                                         "difference_high")))
                          for m in metrics if m in by_metric.index]
    return out


def identical_to_reference(summary: pd.DataFrame, strategy: str) -> bool:
    """Whether every outcome of ``strategy`` equals the reference's in every replication (all differences 0)."""
    rows = summary[summary["scenario"] == strategy]
    if rows.empty or strategy == rows["reference"].iloc[0]:
        return False
    diffs = rows[["difference", "difference_low", "difference_high"]].astype(float)
    known = diffs["difference"].notna()
    spread_zero = diffs["difference_low"].isna() | ((diffs["difference_low"] == 0) & (diffs["difference_high"] == 0))
    return bool(known.any() and ((diffs["difference"][known] == 0) & spread_zero[known]).all())


def card_summary(comparisons_of_one: Sequence[Comparison]) -> str:
    """One sentence over a strategy's headline comparisons: how many better, worse, unclear."""
    counts = {word: sum(c.verdict == word for c in comparisons_of_one) for word in (BETTER, WORSE, UNCLEAR)}
    parts = [f"{n} {word}" for word, n in counts.items() if n]
    return ", ".join(parts) if parts else "no interval: run at least two replications"


# --- value for money in words ---------------------------------------------------------------------

#: What a cloud of cost-QALY samples shows, by where it comes from (the kinds of uncertainty kept apart).
SAMPLE_KINDS: dict[str, tuple[str, str]] = {
    "replications": ("replications", "patient-level noise only: the parameters are fixed"),
    "psa": ("PSA draws", "parameter uncertainty: each draw is a set of parameter values"),
}


def format_money(x: float | None, currency: str, signed: bool = False) -> str:
    """An amount with its currency symbol, to the unit: '£23,400', '-£1,200' (or '+£1,200' with ``signed``)."""
    if _missing(x):
        return "-"
    assert x is not None
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if round(x) < 0 else ("+" if signed and round(x) > 0 else "")
    return f"{sign}{symbol}{abs(x):,.0f}"


def icer_words(strategy: str, reference: str, incremental_cost: float, incremental_qalys: float,
               currency: str) -> str:
    """'fast-track-mri costs £12,300 per QALY gained against baseline', or dominance in words."""
    dc, dq = incremental_cost, incremental_qalys
    if _missing(dc) or _missing(dq):
        return f"{strategy} has no cost or QALY estimate against {reference}"
    if dc == 0 and dq == 0:
        return f"{strategy} is identical to {reference} on these patients (the same costs and QALYs)"
    if dq > 0 and dc <= 0:
        return f"{strategy} gives more QALYs than {reference} for no more cost (it dominates)"
    if dq <= 0 and dc >= 0:
        return f"{strategy} costs more than {reference} and gives no more QALYs (it is dominated)"
    if dq < 0:
        return f"{strategy} saves {format_money(dc / dq, currency)} per QALY lost against {reference}"
    return f"{strategy} costs {format_money(dc / dq, currency)} per QALY gained against {reference}"


def value_sentence(strategy: str, reference: str, incremental_cost: float, incremental_qalys: float,
                   p_best: float | None, threshold: float, currency: str, samples: str = "replications") -> str:
    """The plain-language verdict of a strategy at a willingness-to-pay threshold.

    'fast-track-mri costs £12,300 per QALY gained against baseline; at £30,000 per QALY it is the best
    value in 62% of replications (patient-level noise only: the parameters are fixed).'
    ``p_best`` is the share of ``samples`` ("replications" or "psa") in which the strategy has the
    highest net monetary benefit.
    """
    kind, meaning = SAMPLE_KINDS[samples]
    best = "-" if _missing(p_best) else f"{100 * float(p_best or 0.0):.0f}%"
    return (f"{icer_words(strategy, reference, incremental_cost, incremental_qalys, currency)}; at "
            f"{format_money(threshold, currency)} per QALY it is the best value in {best} of {kind} ({meaning}).")
