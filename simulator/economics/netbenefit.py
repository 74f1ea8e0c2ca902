"""Net monetary benefit and the checks every economic input goes through.

Units throughout the economics layer: costs in the scenario's currency per patient (for example
GBP at the scenario's price year), health in QALYs per patient, willingness-to-pay thresholds in
currency per QALY. NMB = threshold x QALYs - cost, in currency per patient (Stinnett & Mullahy
1998). The strategy with the highest expected NMB at a threshold is the one to choose.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike


def check_thresholds(thresholds: ArrayLike) -> np.ndarray:
    """The willingness-to-pay thresholds as a 1-D float array (currency per QALY).

    Raises:
        ValueError: if the list is empty, or a threshold is negative, NaN or infinite.
    """
    values = np.atleast_1d(np.asarray(thresholds, dtype=float))
    if values.ndim != 1 or values.size == 0:
        raise ValueError("thresholds: give at least one willingness-to-pay threshold (currency per QALY)")
    bad = values[~np.isfinite(values) | (values < 0)]
    if bad.size:
        raise ValueError(f"thresholds: {bad[0]!r} is outside 0 to infinity (currency per QALY, finite)")
    return values


def check_names(strategies: Sequence[str]) -> tuple[str, ...]:
    """Strategy names as a tuple; at least one, all distinct.

    Raises:
        ValueError: if there is no strategy or a name repeats.
    """
    names = tuple(str(s) for s in strategies)
    if not names:
        raise ValueError("strategies: give at least one strategy")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"strategies: {', '.join(repeated)} appear more than once; names must be distinct")
    return names


def check_finite(name: str, values: ArrayLike) -> np.ndarray:
    """``values`` as a float array, refusing NaN and infinities (``name`` goes in the message).

    Raises:
        ValueError: naming the first value that is not finite.
    """
    array = np.asarray(values, dtype=float)
    if not np.isfinite(array).all():
        first = array[~np.isfinite(array)].flat[0]
        raise ValueError(f"{name}: {first!r} is not a finite number")
    return array


def net_monetary_benefit(cost: ArrayLike, qalys: ArrayLike, threshold: ArrayLike) -> np.ndarray:
    """NMB = threshold x QALYs - cost (currency per patient), broadcast over the inputs.

    Args:
        cost: mean cost per patient (currency).
        qalys: mean QALYs per patient, same shape as ``cost``.
        threshold: willingness to pay (currency per QALY); scalar or broadcastable.
    """
    return np.asarray(threshold, dtype=float) * np.asarray(qalys, dtype=float) - np.asarray(cost, dtype=float)
