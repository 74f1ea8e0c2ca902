"""Attributes at entry and the natural history of the spinal lesion, one patient at a time.

The natural history is computed for a whole block at once in :mod:`simulator.model.cohort`;
:func:`draw_patient` is that computation for one patient (the same code, the same result), for
tests and single-patient use. The slot constants of the disease stream live beside the cohort.
"""

from __future__ import annotations

import numpy as np

from simulator.model.cohort import (  # noqa: F401 - the stream slots, re-exported for tests and tools
    ACUTE,
    AGE,
    BENIGN,
    BENIGN_TIME,
    BODY,
    BONE_AGENT,
    BONE_TIME,
    CANCER_YEARS,
    COLLAPSE,
    COMPLETE,
    COMPRESSION,
    DE_NOVO,
    DEATH,
    DISEASE_SLOTS,
    ECOG,
    ESCC2_TIME,
    ESCC_ONSET,
    FRACTURE,
    HAS_BONE,
    JUNCTIONAL,
    LESION,
    LESION_TYPES,
    LEVEL,
    LEVELS,
    MAX_SPEED_FOLDS,
    MOTOR_TIME,
    MULTILEVEL,
    OTHER_BONE,
    PAIN_FIRST,
    PARAPLEGIA,
    POSTEROLATERAL,
    PRIOR_RT,
    RADICULAR,
    SIDES,
    SPHINCTER,
    SPINE,
    SPINE_TIME,
    SUBTYPE,
    SUBTYPES,
    SYMPTOM_TIME,
    SYMPTOMATIC,
    VISCERAL,
    WALK_LOSS,
    draw_cohort,
    patient,
)
from simulator.model.patient import Patient
from simulator.parameters.schema import Parameters


def draw_patient(params: Parameters, u: list[float], pid: int, entry_day: float) -> Patient:
    """One patient's attributes and latent disease course from ``DISEASE_SLOTS`` uniforms."""
    cohort = draw_cohort(params, np.asarray([u], dtype=float), np.asarray([entry_day]), np.asarray([pid]))
    return patient(params, cohort, 0)
