"""Common random numbers: a scenario that changes only the treatment policy changes nothing before it.

Baseline and a copy with ``strategy.surgery_for_compression = false`` share the seed. Every patient
must then have the same attributes, the same disease course and the same diagnostic pathway: the
policy acts only from the treatment decision on. The MRI queue is not touched by treatment, so
even the shared-resource waits before diagnosis must agree.
"""

from __future__ import annotations

import pandas as pd
import pytest

N = 1500
REPLICATIONS = 2
SEED = 31

ATTRIBUTES = ["age_years", "subtype", "ecog", "visceral_mets", "other_bone_mets", "bone_agent", "prior_spine_rt",
              "entry_day", "end_day"]
DISEASE = ["bone_mets_day", "spinal_mets_day", "lesion_level", "lesion_type", "multilevel", "symptomatic",
           "first_symptom", "onset_day", "fracture_day", "death_day", "dead"]
PATHWAY = ["route", "first_visit_day", "gp_visits", "imaging_tests", "false_negatives", "diagnosed", "diagnosis_day",
           "patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days",
           "mri_wait_days", "diagnostic_delay_days", "escc_at_diagnosis", "sins_at_diagnosis", "frankel_at_diagnosis",
           "ambulatory_at_diagnosis", "vas_at_diagnosis", "tokuhashi", "expected_survival_months"]
DISEASE_EVENTS = ["entry", "bone_metastasis", "spinal_metastasis", "symptom_onset", "pathological_fracture"]
#: What the decision itself logs; on an urgent diagnosis it happens on the diagnosis day.
TREATMENT_EVENTS = ["treatment_decision", "steroids", "supportive_care", "brace", "surgery", "cement_augmentation",
                    "radiotherapy_start", "complication"]
KEY = ["replication", "patient_id"]


@pytest.fixture(scope="module")
def paired(baseline, run_cached):
    no_surgery = baseline.with_overrides({"strategy.surgery_for_compression": False}, name="no-decompression")
    results = run_cached([baseline, no_surgery], N, REPLICATIONS, SEED)
    return results, "baseline", "no-decompression"


def _rows(frame, scenario):
    return frame[frame["scenario"] == scenario].drop(columns="scenario").reset_index(drop=True)


def test_the_policy_change_does_change_treatment(paired):
    results, a, b = paired
    ta, tb = _rows(results.patients, a)["treatment"], _rows(results.patients, b)["treatment"]
    assert (ta != tb).sum() > 10
    assert (ta == "surgery+rt").sum() > (tb == "surgery+rt").sum()


@pytest.mark.parametrize("columns", [ATTRIBUTES, DISEASE, PATHWAY], ids=["attributes", "disease", "pathway"])
def test_patients_are_identical_up_to_diagnosis(paired, columns):
    results, a, b = paired
    pa, pb = _rows(results.patients, a), _rows(results.patients, b)
    pd.testing.assert_frame_equal(pa[KEY + columns], pb[KEY + columns], check_exact=True)


def test_disease_events_are_identical(paired):
    results, a, b = paired
    ea, eb = (_rows(results.events, s) for s in (a, b))
    ea, eb = (e[e["event"].isin(DISEASE_EVENTS)].reset_index(drop=True) for e in (ea, eb))
    assert set(ea["event"]) == set(DISEASE_EVENTS)
    pd.testing.assert_frame_equal(ea, eb, check_exact=True)


def test_events_up_to_diagnosis_are_identical(paired):
    """All events on or before the diagnosis day (all events for patients never diagnosed).

    On the diagnosis day itself an urgent decision logs the (different) treatment, and surgery takes
    effect at once (a failed operation loses walking that day), so the decision's own events and
    the walking changes it causes are left out on that day; everything else on that day must agree.
    """
    results, a, b = paired
    diagnosis = _rows(results.patients, a).set_index(KEY)["diagnosis_day"]

    def before(scenario):
        e = _rows(results.events, scenario)
        dx = diagnosis.reindex(pd.MultiIndex.from_frame(e[KEY])).to_numpy()
        day = e["day"].to_numpy()
        caused = e["event"].isin(TREATMENT_EVENTS + ["ambulation_lost", "ambulation_regained"]).to_numpy()
        keep = pd.isna(dx) | (day < dx) | ((day == dx) & ~caused)
        return e[keep].reset_index(drop=True)

    ea, eb = before(a), before(b)
    assert {"symptom_onset", "gp_visit", "imaging", "diagnosis"} <= set(ea["event"])
    pd.testing.assert_frame_equal(ea, eb, check_exact=True)


def test_undiagnosed_patients_are_identical_throughout(paired):
    results, a, b = paired
    pa, pb = _rows(results.patients, a), _rows(results.patients, b)
    never = ~pa["diagnosed"].astype(bool)
    assert never.sum() > 100
    pd.testing.assert_frame_equal(pa[never].reset_index(drop=True), pb[never].reset_index(drop=True),
                                  check_exact=True)
