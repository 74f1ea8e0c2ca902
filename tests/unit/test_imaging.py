"""Unit tests of ``simulator/model/imaging.py``: the ESCC (Bilsky) grade and the SINS a scan shows.

ESCC grades are indices into ``ESCC_GRADES`` (0, 1a, 1b, 1c, 2, 3). The factory's decline loses
walking 10 + 20 = 30 days after the first motor deficit.
"""

from __future__ import annotations

import pytest

from simulator.model.imaging import escc_at, sins_at
from simulator.model.patient import Episode
from simulator.vocabulary import ESCC_GRADES

ESCC = ESCC_GRADES


def treated(p, effect_day: float):
    e = Episode("rt", effect_day)
    e.effect_day = effect_day
    p.episodes.append(e)
    return p


# --- ESCC -----------------------------------------------------------------------------------------


def test_escc_rises_monotonically_to_grade_2_at_escc2_day_and_3_once_walking_is_lost(patient_factory):
    p = patient_factory(onset_day=0.0, escc_onset=0, escc2_day=100.0, motor_day=120.0)
    days = [0.0, 24.9, 25.0, 50.0, 75.0, 99.9, 100.0, 149.9, 150.0, 400.0]
    grades = [escc_at(p, d) for d in days]
    assert grades == sorted(grades)
    assert [ESCC[g] for g in grades] == ["0", "0", "1a", "1b", "1c", "1c", "2", "2", "3", "3"]


def test_escc_starts_from_the_onset_grade(patient_factory):
    p = patient_factory(onset_day=10.0, escc_onset=ESCC.index("1b"), escc2_day=60.0, motor_day=70.0)
    assert ESCC[escc_at(p, 0.0)] == "1b"
    assert ESCC[escc_at(p, 59.0)] == "1c"
    assert ESCC[escc_at(p, 60.0)] == "2"


def test_escc_without_compression_stays_at_onset_grade(patient_factory):
    p = patient_factory(escc_onset=ESCC.index("1a"))
    assert {escc_at(p, d) for d in (0.0, 100.0, 1e5)} == {ESCC.index("1a")}


def test_escc_is_frozen_by_treatment(patient_factory):
    p = treated(patient_factory(onset_day=0.0, escc_onset=0, escc2_day=100.0, motor_day=120.0), 60.0)
    assert escc_at(p, 500.0) == escc_at(p, 60.0) == ESCC.index("1b")


# --- SINS (Fisher 2010) ---------------------------------------------------------------------------

# The published SINS items (Fisher, Spine 2010;35:E1221), written out independently of the model.
SINS_LOCATION = {"junctional": 3, "mobile": 2, "semi-rigid": 1, "rigid": 0}
SINS_PAIN = {"mechanical": 3, "occasional non-mechanical": 1, "pain-free": 0}
SINS_LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
SINS_ALIGNMENT = {"subluxation": 4, "de novo deformity": 2, "normal": 0}
SINS_COLLAPSE = {">50% collapse": 3, "<50% collapse": 2, "no collapse, >50% body involved": 1, "none": 0}
SINS_POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}


@pytest.mark.parametrize("lesion, day, items", [
    (dict(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=50.0, collapse_over_half=True,
          posterolateral="bilateral"), 60.0,
     ("junctional", "mechanical", "lytic", "de novo deformity", ">50% collapse", "bilateral")),
    (dict(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=50.0, collapse_over_half=True,
          posterolateral="bilateral"), 20.0,
     ("junctional", "occasional non-mechanical", "lytic", "normal", "none", "bilateral")),
    (dict(level="lumbar", lesion_type="mixed", fracture_day=5.0, posterolateral="unilateral"), 5.0,
     ("mobile", "mechanical", "mixed", "normal", "<50% collapse", "unilateral")),
    (dict(level="cervical", lesion_type="mixed", body_over_half=True, posterolateral="unilateral"), 30.0,
     ("mobile", "occasional non-mechanical", "mixed", "normal", "no collapse, >50% body involved", "unilateral")),
    (dict(level="thoracic", lesion_type="blastic", onset_day=100.0), 30.0,
     ("semi-rigid", "pain-free", "blastic", "normal", "none", "none")),
    (dict(level="sacral", lesion_type="lytic"), 30.0,
     ("rigid", "occasional non-mechanical", "lytic", "normal", "none", "none")),
], ids=["junctional-lytic-fractured-collapse-bilateral", "same-before-fracture", "lumbar-mixed-fracture",
        "cervical-body-involved", "thoracic-blastic-pain-free", "sacral"])
def test_sins_reproduces_fisher_2010(patient_factory, lesion, day, items):
    p = patient_factory(**lesion)
    tables = (SINS_LOCATION, SINS_PAIN, SINS_LESION, SINS_ALIGNMENT, SINS_COLLAPSE, SINS_POSTEROLATERAL)
    expected = sum(table[item] for table, item in zip(tables, items, strict=True))
    assert sins_at(p, day) == expected


def test_sins_of_the_worst_hand_built_lesion_is_16_and_unstable(patient_factory):
    """Junctional (3) + mechanical pain (3) + lytic (2) + deformity (2) + >50% collapse (3) + bilateral (3)."""
    p = patient_factory(level="thoracic", junctional=True, lesion_type="lytic", fracture_day=0.0,
                        collapse_over_half=True, posterolateral="bilateral")
    assert sins_at(p, 1.0) == 16
    assert sins_at(p, 1.0) >= 13  # Fisher: 13-18 unstable
