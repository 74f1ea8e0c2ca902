"""Random streams addressed by (seed, replication, patient, purpose): common random numbers.

Patient ``i`` of replication ``r`` draws from the same streams in every scenario, whatever the
number of patients or workers, so a strategy changes only what it touches. No module-level RNG
exists anywhere in spinesim: the runner decides the seeds, the model asks for its streams.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

#: Spawn-key slots for replication-level streams, distinct from any patient index (< 2**32 - 2).
COHORT_STREAM = 2**32 - 1
BLOCK_STREAM = 2**32 - 2


class Purpose(IntEnum):
    """What a patient's stream is used for; values are permanent once released."""

    DISEASE = 0  # attributes at entry and the natural history of the lesion
    CARE = 1  # the diagnostic pathway: delays, visits, test results
    RESPONSE = 2  # treatment response, complications, relapse


def patient_rng(seed: int, replication: int, patient: int, purpose: Purpose) -> np.random.Generator:
    """The generator for one patient's draws of one kind, independent of all others."""
    key = (replication, patient, int(purpose))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def cohort_rng(seed: int, replication: int) -> np.random.Generator:
    """The replication-level generator (arrival times); patient streams never overlap it."""
    key = (replication, COHORT_STREAM)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


def block_rng(seed: int, replication: int, purpose: Purpose) -> np.random.Generator:
    """The stream of fixed-width draws of one purpose for every patient, read in patient order.

    Row ``i`` of the draws (``width`` uniforms) is patient ``i``'s, whatever the number of patients
    and in every scenario (common random numbers), and reading it block by block gives the same
    rows as one read: one vector draw replaces a generator per patient (about 20 us each). For
    purposes whose draws have a fixed count (disease, response); the pathway's variable-length
    draws use :func:`patient_rng`.
    """
    key = (replication, BLOCK_STREAM, int(purpose))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


class Draws:
    """A patient's pre-drawn uniforms of one purpose, consumed in order (refilled if exhausted).

    Drawing a batch and converting with ``tolist()`` is ~100x cheaper than scalar numpy draws.
    """

    __slots__ = ("_rng", "_buf", "_i")

    def __init__(self, rng: np.random.Generator, size: int):
        self._rng = rng
        self._buf: list[float] = rng.random(size).tolist()
        self._i = 0

    def u(self) -> float:
        """The next uniform on [0, 1)."""
        if self._i >= len(self._buf):
            self._buf = self._rng.random(len(self._buf)).tolist()
            self._i = 0
        x = self._buf[self._i]
        self._i += 1
        return x
