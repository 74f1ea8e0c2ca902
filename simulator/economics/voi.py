"""Expected value of perfect information (EVPI), per patient and for the population affected.

EVPI(threshold) = E[max_j NMB_j] - max_j E[NMB_j], the expectation over the PSA draws (Raiffa &
Schlaifer 1961; Claxton 1999): what a decision maker would pay, per patient, to choose knowing
the parameters' true values instead of choosing on current evidence. It is computed as the mean
regret E[max_j NMB_j - NMB_j*] of the current choice j*, the same number, which is never
negative and exactly zero when j* wins in every draw.

Population EVPI multiplies by the patients the decision affects over its lifetime: ``annual``
patients a year for ``years`` years, the patients of year t (t = 1..years) discounted by
(1 + rate)^-(t - 1), i.e. the first year's patients are not discounted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from simulator.economics.netbenefit import check_thresholds
from simulator.economics.psa import PSASample

MAX_DISCOUNT_RATE = 0.15


@dataclass(frozen=True)
class Population:
    """The patients a decision affects.

    Attributes:
        annual: patients per year affected by the decision.
        years: decision horizon, in whole years (how long the choice stands before it is revisited).
        rate: annual discount rate for the later years' patients (0 to 0.15; NICE uses 0.035).
    """

    annual: float
    years: int
    rate: float = 0.035

    def __post_init__(self) -> None:
        if not np.isfinite(self.annual) or self.annual <= 0:
            raise ValueError(f"population.annual = {self.annual!r} is outside (0, inf) (patients per year)")
        if int(self.years) != self.years or self.years < 1:
            raise ValueError(f"population.years = {self.years!r} must be a whole number of years >= 1")
        if not 0 <= self.rate <= MAX_DISCOUNT_RATE:
            raise ValueError(f"population.rate = {self.rate!r} is outside 0 to {MAX_DISCOUNT_RATE} (per year)")

    @property
    def size(self) -> float:
        """Discounted number of patients: annual x sum over t = 0..years-1 of (1 + rate)^-t."""
        return float(self.annual * np.sum((1.0 + self.rate) ** -np.arange(int(self.years))))


def with_population(table: pd.DataFrame, column: str, population: Population | None) -> pd.DataFrame:
    """Add ``<column>_population`` = ``column`` x the population's discounted size (when given)."""
    if population is not None:
        table[f"{column}_population"] = table[column] * population.size
    return table


def evpi(sample: PSASample, thresholds: ArrayLike, population: Population | None = None) -> pd.DataFrame:
    """EVPI per patient (and per population) at each threshold.

    Returns:
        One row per threshold: ``threshold`` (currency per QALY), ``nmb_current_information`` (max
        over strategies of the expected NMB), ``nmb_perfect_information`` (expected max NMB) and
        ``evpi`` (their difference, currency per patient); with ``population``, ``evpi_population``
        (currency).
    """
    rows = []
    for t in check_thresholds(thresholds):
        nmb = sample.nmb(t)
        expected = nmb.mean(axis=0)
        chosen = int(np.argmax(expected))
        # The mean regret of the current choice: term by term >= 0, and exactly 0 when it wins every draw.
        value = float(np.mean(nmb.max(axis=1) - nmb[:, chosen]))
        rows.append({"threshold": float(t), "nmb_current_information": float(expected[chosen]),
                     "nmb_perfect_information": float(nmb.max(axis=1).mean()), "evpi": value})
    return with_population(pd.DataFrame(rows), "evpi", population)
