"""A patient's record carries every column of her cohort row unchanged (``cohort.patients``)."""

from __future__ import annotations

import numpy as np

from simulator.model.cohort import COHORT_FIELDS, FIRST_SYMPTOMS, LESION_TYPES, LEVELS, SIDES, SUBTYPES, patients
from simulator.model.simulation import draw_replication_cohort
from simulator.vocabulary import Grade

#: columns held as codes, and the names the record holds instead
NAMED = {"subtype": SUBTYPES, "level": LEVELS, "lesion_type": LESION_TYPES, "posterolateral": SIDES,
         "first_symptom": FIRST_SYMPTOMS}
#: the days of the untreated decline, which the record keeps as its Decline
DECLINE = {"unaided_days": Grade.D_UNAIDED, "aid_days": Grade.D_AID, "not_walking_days": Grade.C,
           "sensory_days": Grade.B}


def test_every_cohort_column_reaches_the_record_of_its_patient(baseline):
    """Each of the cohort's columns, for 400 patients: a column the record dropped or mixed up with
    another would change that patient's course, decisions or outputs without any error."""
    k = draw_replication_cohort(baseline.params, 2026, 0, 400)
    index = np.arange(0, 400, 3)
    records = patients(baseline.params, k, index)
    assert [p.pid for p in records] == k.pid[index].tolist()
    for name in COHORT_FIELDS:
        column = getattr(k, name)[index]
        if name in NAMED:
            expected = [NAMED[name][c] for c in column]
        else:
            expected = column.tolist()
        if name in DECLINE:
            held = [p.decline.days_at[DECLINE[name]] for p in records]
        else:
            held = [getattr(p, name) for p in records]
        assert held == expected, name
        if column.dtype == bool:  # not vacuous: both values occur in the sample
            assert 0 < column.sum() < len(column), name
