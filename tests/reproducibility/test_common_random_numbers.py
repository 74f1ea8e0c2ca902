"""Common random numbers: a scenario that changes only the treatment policy changes nothing before it.

Baseline and a copy with ``strategy.surgery_for_compression = false`` share the seed. Every patient
must then have the same attributes and the same latent disease: the policy acts only from the
treatment decision on. In model v2 a relapse after treatment is imaged on the same MRI scanners as
new patients, so a policy change moves other patients' diagnostic MRI waits through the queue (a
real capacity effect); with MRI capacity that never queues, the whole diagnostic pathway must agree
too. The death day depends on the neurological course in v2: its CRN property (same course, same
death day) is tested in ``test_survival_crn.py``.
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
           "first_symptom", "onset_day", "fracture_day", "cancer_diagnosis_day"]
#: ``imaging_tests`` is left out: it also counts the MRIs of relapses after treatment.
PATHWAY = ["route", "first_visit_day", "gp_visits", "false_negatives", "diagnosed", "diagnosis_day",
           "patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days",
           "mri_wait_days", "diagnostic_delay_days", "escc_at_diagnosis", "sins_at_diagnosis", "frankel_at_diagnosis",
           "ambulatory_at_diagnosis", "vas_at_diagnosis", "tokuhashi", "expected_survival_months"]
DISEASE_EVENTS = ["entry", "bone_metastasis", "spinal_metastasis", "symptom_onset", "pathological_fracture"]
#: What the decision itself logs, and the grade changes it causes; on an urgent diagnosis they happen on the
#: diagnosis day.
TREATMENT_EVENTS = ["treatment_decision", "surgical_referral", "steroids", "supportive_care", "brace", "surgery",
                    "cement_augmentation", "radiotherapy_start", "complication", "frankel_change", "walking_change"]
KEY = ["replication", "patient_id"]


#: MRI capacity that never queues (the schema's maxima), so no patient's MRI wait depends on another's.
OPEN_MRI = {"services.mri_scanners": 50, "services.mri_slots_per_scanner_day": 100.0}


@pytest.fixture(scope="module")
def paired(baseline, run_cached):
    open_mri = baseline.with_overrides(OPEN_MRI, name="open-mri")
    no_surgery = open_mri.with_overrides({"strategy.surgery_for_compression": False}, name="no-decompression")
    results = run_cached([open_mri, no_surgery], N, REPLICATIONS, SEED)
    return results, "open-mri", "no-decompression"


@pytest.fixture(scope="module")
def paired_queue(baseline, run_cached):
    """The same policy change at the scenario's own MRI capacity."""
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


@pytest.mark.parametrize("columns", [ATTRIBUTES, DISEASE], ids=["attributes", "disease"])
def test_attributes_and_disease_do_not_depend_on_the_queue(paired_queue, columns):
    results, a, b = paired_queue
    pa, pb = _rows(results.patients, a), _rows(results.patients, b)
    pd.testing.assert_frame_equal(pa[KEY + columns], pb[KEY + columns], check_exact=True)


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
