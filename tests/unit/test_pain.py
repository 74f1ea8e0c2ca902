"""Unit tests of ``simulator/model/pain.py``: the three kinds of pain, relief by consensus class, endpoints.

Pain values are read from the scenario; each expected VAS is the published structure written out
(biological grows linearly to its ceiling, radicular pain comes with high-grade compression in
patients with root involvement, mechanical pain follows a fracture until the spine is stabilised).
"""

from __future__ import annotations

import pytest

from simulator.model.pain import (
    RESPONSE_POINTS,
    band_intervals,
    consensus_endpoint,
    draw_response,
    exact_vas,
    residual_share,
    untreated_tumour_pain,
    vas_at,
)
from simulator.model.patient import INF, Episode
from simulator.vocabulary import DAYS_PER_MONTH, PAIN_BANDS, PainResponse


@pytest.fixture
def pain(baseline):
    return baseline.params.pain


@pytest.fixture
def tx(baseline):
    return baseline.params.treatment


def biological(pain, days_since_onset: float) -> float:
    return min(pain.biological_vas_max,
               pain.biological_vas_at_onset + pain.biological_vas_per_month * days_since_onset / DAYS_PER_MONTH)


def vas(x: float) -> float:
    return round(min(10.0, x), 1)


def episode(kind: str = "rt", **fields) -> Episode:
    e = Episode(kind, 0.0)
    for name, value in fields.items():
        setattr(e, name, value)
    return e


# --- the untreated components -------------------------------------------------------------------------


def test_no_pain_before_onset(patient_factory, pain, tx):
    p = patient_factory(onset_day=10.0, fracture_day=0.0, radicular=True, escc2_day=0.0)
    assert vas_at(p, 9.99, pain, tx) == 0.0
    assert untreated_tumour_pain(p, 9.99, pain, tx) == (0.0, 0.0)


def test_biological_pain_grows_linearly_to_its_ceiling(patient_factory, pain, tx):
    p = patient_factory(onset_day=5.0)
    months_to_ceiling = (pain.biological_vas_max - pain.biological_vas_at_onset) / pain.biological_vas_per_month
    for day in (5.0, 5.0 + DAYS_PER_MONTH, 5.0 + 2 * DAYS_PER_MONTH, 5.0 + (months_to_ceiling + 6) * DAYS_PER_MONTH):
        assert vas_at(p, day, pain, tx) == vas(biological(pain, day - 5.0))
    assert vas_at(p, 1e6, pain, tx) == vas(pain.biological_vas_max)


def test_a_bone_agent_lowers_biological_pain(patient_factory, pain, tx):
    p = patient_factory(bone_agent=True)
    assert vas_at(p, 0.0, pain, tx) == vas(max(0.0, pain.biological_vas_at_onset - tx.bone_agent_vas_drop))


def test_radicular_pain_comes_with_high_grade_compression_in_radicular_patients(patient_factory, pain, tx):
    p = patient_factory(radicular=True, escc2_day=30.0)
    assert untreated_tumour_pain(p, 29.9, pain, tx)[1] == 0.0
    assert untreated_tumour_pain(p, 30.0, pain, tx)[1] == pain.radicular_vas
    assert vas_at(p, 30.0, pain, tx) == vas(biological(pain, 30.0) + pain.radicular_vas)
    no_roots = patient_factory(radicular=False, escc2_day=30.0)
    assert vas_at(no_roots, 30.0, pain, tx) == vas(biological(pain, 30.0))


def test_mechanical_pain_from_the_fracture(patient_factory, pain, tx):
    p = patient_factory(fracture_day=20.0)
    assert vas_at(p, 19.9, pain, tx) == vas(biological(pain, 19.9))
    assert vas_at(p, 20.0, pain, tx) == vas(biological(pain, 20.0) + pain.mechanical_vas)


def test_vas_never_exceeds_ten(patient_factory, baseline):
    high = baseline.with_overrides({"pain.biological_vas_max": 9.0, "pain.biological_vas_at_onset": 9.0,
                                    "pain.radicular_vas": 3.0, "pain.mechanical_vas": 4.0}).params
    p = patient_factory(fracture_day=0.0, radicular=True, escc2_day=0.0)
    assert vas_at(p, 0.0, high.pain, high.treatment) == 10.0


def test_vas_has_one_decimal(patient_factory, pain, tx):
    p = patient_factory(radicular=True, escc2_day=3.0, fracture_day=7.0)
    for day in (0.0, 1.234, 3.0, 7.77, 100.1):
        value = vas_at(p, day, pain, tx)
        assert value == round(value, 1)


# --- relief ------------------------------------------------------------------------------------------------


def test_residual_share_of_each_consensus_class(tx):
    assert residual_share(PainResponse.COMPLETE, tx) == 0.0
    assert residual_share(PainResponse.PARTIAL, tx) == tx.pain_partial_residual
    assert residual_share(PainResponse.NONE, tx) == 1.0


def test_tumour_pain_is_relieved_inside_the_relief_window_only(patient_factory, pain, tx):
    """Relief scales biological and radicular pain on [relief_day, pain_relapse_day); mechanical pain stays."""
    p = patient_factory(radicular=True, escc2_day=0.0, fracture_day=0.0)
    residual = tx.pain_partial_residual
    p.episodes.append(episode(start_day=10.0, relief_day=40.0, pain_relapse_day=200.0, residual=residual))
    full = lambda d: biological(pain, d) + pain.radicular_vas  # noqa: E731
    assert vas_at(p, 39.9, pain, tx) == vas(full(39.9) + pain.mechanical_vas)
    assert vas_at(p, 40.0, pain, tx) == vas(full(40.0) * residual + pain.mechanical_vas)
    assert vas_at(p, 199.9, pain, tx) == vas(full(199.9) * residual + pain.mechanical_vas)
    assert vas_at(p, 200.0, pain, tx) == vas(full(200.0) + pain.mechanical_vas)  # the pain relapse


def test_a_complete_response_leaves_no_tumour_pain(patient_factory, pain, tx):
    p = patient_factory(radicular=True, escc2_day=0.0)
    p.episodes.append(episode(start_day=0.0, relief_day=30.0, pain_relapse_day=INF, residual=0.0))
    assert vas_at(p, 30.0, pain, tx) == 0.0
    assert vas_at(p, 5000.0, pain, tx) == 0.0


def test_the_latest_relieving_episode_sets_the_relief(patient_factory, pain, tx):
    p = patient_factory()
    p.episodes.append(episode(start_day=0.0, relief_day=10.0, pain_relapse_day=300.0, residual=0.5))
    p.episodes.append(episode(start_day=100.0, relief_day=120.0, pain_relapse_day=INF, residual=0.0,
                              retreatment=True))
    assert vas_at(p, 110.0, pain, tx) == vas(biological(pain, 110.0) * 0.5)
    assert vas_at(p, 120.0, pain, tx) == 0.0
    assert vas_at(p, 400.0, pain, tx) == 0.0


def test_stabilisation_removes_mechanical_pain_from_the_start_day(patient_factory, pain, tx):
    p = patient_factory(fracture_day=0.0)
    p.episodes.append(episode("surgery+rt", start_day=5.0, stabilised=True))
    assert vas_at(p, 4.9, pain, tx) == vas(biological(pain, 4.9) + pain.mechanical_vas)
    assert vas_at(p, 5.0, pain, tx) == vas(biological(pain, 5.0))


def test_cement_or_brace_relief_lowers_mechanical_pain_but_never_below_zero(patient_factory, pain, tx):
    p = patient_factory(fracture_day=0.0)
    p.episodes.append(episode("brace+rt", start_day=0.0, mechanical_relief=1.0))
    assert vas_at(p, 0.0, pain, tx) == vas(biological(pain, 0.0) + max(0.0, pain.mechanical_vas - 1.0))
    p.episodes[0].mechanical_relief = pain.mechanical_vas + 5.0
    assert vas_at(p, 0.0, pain, tx) == vas(biological(pain, 0.0))


def test_decompression_removes_radicular_pain_until_the_neurological_relapse(patient_factory, pain, tx):
    p = patient_factory(radicular=True, escc2_day=0.0)
    p.episodes.append(episode("surgery+rt", start_day=20.0, surgery_day=20.0, neuro_relapse_day=300.0))
    assert vas_at(p, 19.9, pain, tx) == vas(biological(pain, 19.9) + pain.radicular_vas)
    assert vas_at(p, 20.0, pain, tx) == vas(biological(pain, 20.0))
    assert vas_at(p, 300.0, pain, tx) == vas(biological(pain, 300.0) + pain.radicular_vas)


def test_cement_augmentation_does_not_decompress(patient_factory, pain, tx):
    """Cement is a theatre procedure that stabilises but does not decompress (``decompresses`` is false).

    ``treat`` records the day of a cement procedure in ``surgery_day`` (it holds theatre time), so
    this episode is built as the model builds it.
    """
    p = patient_factory(radicular=True, escc2_day=0.0, fracture_day=0.0)
    p.episodes.append(episode("cement+rt", start_day=20.0, surgery_day=20.0, neuro_relapse_day=INF,
                              mechanical_relief=tx.cement_vas_drop))
    assert vas_at(p, 30.0, pain, tx) == vas(biological(pain, 30.0) + pain.radicular_vas
                                            + max(0.0, pain.mechanical_vas - tx.cement_vas_drop))


# --- the response classes and the consensus endpoints -------------------------------------------------------


def test_draw_response_cuts_the_unit_interval_complete_then_partial_then_none():
    complete, partial = 0.25, 0.5
    assert draw_response(0.0, complete, partial) == PainResponse.COMPLETE
    assert draw_response(0.2499, complete, partial) == PainResponse.COMPLETE
    assert draw_response(0.25, complete, partial) == PainResponse.PARTIAL
    assert draw_response(0.7499, complete, partial) == PainResponse.PARTIAL
    assert draw_response(0.75, complete, partial) == PainResponse.NONE
    assert draw_response(0.0, 0.0, 0.0) == PainResponse.NONE


def _tenths(x: float) -> int:
    return round(x * 10)


def _expected_endpoint(before: float, after: float) -> str:
    """Chow 2012, written out on integer tenths of a VAS point (no floating-point boundaries)."""
    if _tenths(after) == 0:
        return "complete"
    drop = _tenths(before) - _tenths(after)
    if drop >= _tenths(RESPONSE_POINTS):
        return "partial"
    if -drop >= _tenths(RESPONSE_POINTS):
        return "progression"
    return "indeterminate"


def test_consensus_endpoint_boundaries():
    assert RESPONSE_POINTS == 2.0  # Chow 2012: two points on the 0-10 scale
    assert consensus_endpoint(6.0, 0.0) == "complete"
    assert consensus_endpoint(6.0, 4.0) == "partial"  # exactly 2 points lower
    assert consensus_endpoint(6.0, 4.1) == "indeterminate"
    assert consensus_endpoint(6.0, 8.0) == "progression"  # exactly 2 points higher
    assert consensus_endpoint(6.0, 7.9) == "indeterminate"
    assert consensus_endpoint(1.5, 0.1) == "indeterminate"  # less than 2 points and not 0


def test_consensus_endpoint_on_every_pair_of_one_decimal_scores():
    """The model's VAS has one decimal (``vas_at`` rounds), so every pair of 0.0-10.0 scores can occur."""
    scores = [i / 10 for i in range(101)]
    wrong = [(b, a, consensus_endpoint(b, a)) for b in scores if b > 0 for a in scores
             if consensus_endpoint(b, a) != _expected_endpoint(b, a)]
    assert wrong == []


# --- pain bands over time (the trajectories table) ------------------------------------------------------


@pytest.mark.parametrize("vas_at_onset", [None, 0.0])
def test_band_intervals_tile_the_course_and_each_piece_is_in_its_band(patient_factory, pain, tx, vas_at_onset):
    """From onset to the stop day without gap or overlap; the VAS inside each piece lies in that piece's band,
    and two consecutive pieces are in different bands (crossings found exactly, pieces merged). With no
    pain at onset the first piece starts at VAS 0 exactly but lies in "mild": a piece's band is its
    interior's, not its first day's."""
    if vas_at_onset is not None:
        pain = pain.model_copy(update={"biological_vas_at_onset": vas_at_onset})
    p = patient_factory(radicular=True, escc2_day=20.0)
    p.episodes.append(episode(start_day=60.0, relief_day=70.0, pain_relapse_day=300.0, residual=0.0))
    stop = 500.0
    pieces = band_intervals(p, stop, PAIN_BANDS, pain, tx)

    def band(v: float) -> str:
        return next(name for name, low, high in PAIN_BANDS if (low == high == v) or (low <= v < high and low != high))

    assert pieces[0][0] == p.onset_day and pieces[-1][1] == stop
    assert all(a[1] == b[0] and a[2] != b[2] for a, b in zip(pieces, pieces[1:], strict=False))
    for start, end, name in pieces:
        for f in (0.01, 0.5, 0.99):
            assert band(exact_vas(p, start + f * (end - start), pain, tx)) == name, (start, end, name)
    assert {name for *_, name in pieces} >= {"none", "severe"}  # relief, then the relapse: not vacuous


@pytest.mark.parametrize("edge, expected", [(4.0, "moderate"), (7.0, "severe")])
def test_a_vas_that_stays_on_a_band_edge_lies_in_the_band_that_edge_opens(patient_factory, pain, tx, edge, expected):
    """Bands are ``low <= VAS < high``: pain steady at exactly 4 is moderate, at exactly 7 severe."""
    pain = pain.model_copy(update={"biological_vas_at_onset": edge, "biological_vas_per_month": 0.0})
    p = patient_factory()
    assert exact_vas(p, p.onset_day + 30.0, pain, tx) == edge
    stop = p.onset_day + 100.0
    assert band_intervals(p, stop, PAIN_BANDS, pain, tx) == [(p.onset_day, stop, expected)]
