"""Unit tests of ``simulator/streams.py``: streams addressed by (seed, replication, patient, purpose)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from simulator.model.cohort import DISEASE_SLOTS, Cohort, patients
from simulator.model.simulation import draw_replication_cohort, entry_days
from simulator.streams import Draws, Purpose, block_rng, cohort_rng, patient_rng

SEED = 4242


def _draws(seed: int, replication: int, patient: int, purpose: Purpose, n: int = 8) -> np.ndarray:
    return patient_rng(seed, replication, patient, purpose).random(n)


def test_same_key_gives_the_same_numbers():
    a = _draws(SEED, 1, 17, Purpose.CARE)
    b = _draws(SEED, 1, 17, Purpose.CARE)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("other", [
    (SEED + 1, 1, 17, Purpose.CARE),      # another seed
    (SEED, 2, 17, Purpose.CARE),          # another replication
    (SEED, 1, 18, Purpose.CARE),          # another patient
    (SEED, 1, 17, Purpose.DISEASE),       # another purpose
    (SEED, 1, 17, Purpose.RESPONSE),
], ids=["seed", "replication", "patient", "purpose-disease", "purpose-response"])
def test_changing_any_part_of_the_key_gives_other_numbers(other):
    base = _draws(SEED, 1, 17, Purpose.CARE)
    assert not np.array_equal(base, _draws(*other))


def test_patient_streams_do_not_overlap_the_cohort_stream():
    """The replication-level stream (arrivals) is not any patient's stream."""
    cohort = cohort_rng(SEED, 0).random(8)
    for purpose in Purpose:
        assert not np.array_equal(cohort, _draws(SEED, 0, 0, purpose))
    np.testing.assert_array_equal(cohort, cohort_rng(SEED, 0).random(8))


def test_purpose_values_are_permanent():
    """Released purposes keep their numbers: renumbering would change every patient's draws."""
    assert [(p.name, int(p)) for p in Purpose] == [("DISEASE", 0), ("CARE", 1), ("RESPONSE", 2)]


def test_stream_matches_the_spawn_tree():
    """``SeedSequence(s, spawn_key=(r, p, k))`` is the (r, p, k) child of ``SeedSequence(s)``."""
    child = np.random.SeedSequence(SEED).spawn(3)[2].spawn(6)[5].spawn(2)[1]
    expected = np.random.Generator(np.random.PCG64(child)).random(5)
    np.testing.assert_array_equal(expected, _draws(SEED, 2, 5, Purpose.CARE, 5))


def test_adding_patients_does_not_change_earlier_patients_disease_draws(baseline):
    """The first 40 patients of an 80-patient replication are the 40 of a 40-patient one, column by column.

    Their disease draws are rows of one block stream read in patient order, so a longer read (or
    one in blocks) starts with the same rows.
    """
    small = draw_replication_cohort(baseline.params, SEED, 0, 40)
    large = draw_replication_cohort(baseline.params, SEED, 0, 80)
    assert len(small) == 40 and len(large) == 80
    for field in fields(Cohort):
        np.testing.assert_array_equal(getattr(small, field.name), getattr(large, field.name)[:40], err_msg=field.name)
    index = np.arange(40)
    for a, b in zip(patients(baseline.params, small, index), patients(baseline.params, large, index), strict=True):
        assert (a.course.days, a.course.grades, a.course.causes) == (b.course.days, b.course.grades, b.course.causes)
        assert a.decline.days_at == b.decline.days_at
    whole = block_rng(SEED, 0, Purpose.DISEASE).random(80 * DISEASE_SLOTS)
    stream = block_rng(SEED, 0, Purpose.DISEASE)
    in_blocks = np.concatenate([stream.random(k * DISEASE_SLOTS) for k in (7, 33, 40)])
    np.testing.assert_array_equal(whole, in_blocks)
    np.testing.assert_array_equal(block_rng(SEED, 0, Purpose.DISEASE).random(40 * DISEASE_SLOTS),
                                  whole[:40 * DISEASE_SLOTS])


def test_the_disease_stream_is_apart_from_every_patient_stream():
    """The block stream of disease draws is not the first patient's stream of any purpose."""
    disease = block_rng(SEED, 0, Purpose.DISEASE).random(8)
    for purpose in Purpose:
        assert not np.array_equal(disease, _draws(SEED, 0, 0, purpose))
    assert not np.array_equal(disease, block_rng(SEED, 0, Purpose.RESPONSE).random(8))


def test_entry_days_are_a_prefix_of_one_stream(baseline):
    np.testing.assert_array_equal(entry_days(baseline.params, SEED, 0, 50),
                                  entry_days(baseline.params, SEED, 0, 100)[:50])
    assert np.all(np.diff(entry_days(baseline.params, SEED, 0, 100)) >= 0)


def test_cohort_arrivals_enter_on_day_zero(baseline):
    cohort = baseline.with_overrides({"cohort.arrivals": "cohort"})
    assert entry_days(cohort.params, SEED, 0, 25).tolist() == [0.0] * 25


class TestDraws:
    def test_consumes_the_stream_in_order(self):
        d = Draws(patient_rng(SEED, 0, 3, Purpose.CARE), 4)
        got = [d.u() for _ in range(4)]
        assert got == _draws(SEED, 0, 3, Purpose.CARE, 4).tolist()

    def test_refills_with_the_continuation_of_the_same_stream(self):
        """Past the batch, the next uniforms are the stream's next numbers (same as one big batch)."""
        d = Draws(patient_rng(SEED, 0, 3, Purpose.CARE), 3)
        got = [d.u() for _ in range(9)]
        assert got == _draws(SEED, 0, 3, Purpose.CARE, 9).tolist()

    def test_uniforms_lie_in_the_unit_interval(self):
        d = Draws(patient_rng(SEED, 0, 9, Purpose.RESPONSE), 5)
        values = [d.u() for _ in range(200)]
        assert all(0.0 <= v < 1.0 for v in values)
        assert len(set(values)) == 200
