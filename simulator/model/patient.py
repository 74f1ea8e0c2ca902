"""The patient: attributes drawn at entry, the latent disease course, and what care did.

Times are days on the simulation clock (``*_day``; ``math.inf`` = never); durations are ``*_days``.
Frankel grades are stored as integers 0-4 (A-E) and ESCC grades as 0-5 (0, 1a, 1b, 1c, 2, 3).
"""

from __future__ import annotations

import math

INF = math.inf
FRANKEL = "ABCDE"
ESCC = ("0", "1a", "1b", "1c", "2", "3")
GRADE_C, GRADE_D, GRADE_E = 2, 3, 4
ESCC_HIGH = 4  # grade 2: cord compression with CSF visible


def is_ambulatory(frankel: int) -> bool:
    """Frankel D and E walk."""
    return frankel >= GRADE_D


class Patient:
    """One synthetic patient; the model fills the care fields as the simulation runs."""

    __slots__ = (
        # identity and attributes
        "pid", "entry_day", "end_day", "age", "subtype", "ecog", "visceral", "other_bone", "bone_agent",
        "prior_rt",
        # latent natural history (independent of care)
        "bone_mets_day", "spine_day", "symptomatic", "onset_day", "first_symptom", "level", "junctional",
        "multilevel", "lesion_type", "posterolateral", "escc_onset", "escc2_day", "motor_day", "walk_loss_day",
        "paraplegia_day", "complete_day", "fracture_day", "collapse_over_half", "body_over_half", "radicular",
        "death_day", "benign_day",
        # pathway
        "route", "first_visit_day", "gp_visits", "suspicion_day", "referral_day", "imaging_request_day",
        "mri_day", "imaging_tests", "false_negatives", "emergency_day", "diagnosis_day",
        "patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days",
        "mri_wait_days",
        # state at diagnosis and treatment
        "dx_frankel", "dx_escc", "dx_sins", "dx_vas", "tokuhashi", "expected_survival_months",
        "treatment", "steroids", "decision_day", "treatment_day", "effect_day", "surgery_wait_days",
        "rt_wait_days", "rt_day", "complication", "stabilised",
        # course after treatment
        "tx_frankel", "after_frankel", "after_day", "relapse_day", "pain_response", "pain_relief_day",
        "pain_relief", "pain_relapse_day", "vas_cap", "mechanical_relief",
        "events",
    )

    def __init__(self, pid: int, entry_day: float, end_day: float):
        self.pid = pid
        self.entry_day = entry_day
        self.end_day = end_day
        self.events: list[tuple[float, str, str]] = []
        self.route = "none"
        self.first_visit_day = self.suspicion_day = self.referral_day = INF
        self.imaging_request_day = self.mri_day = self.emergency_day = self.diagnosis_day = INF
        self.gp_visits = self.imaging_tests = self.false_negatives = 0
        self.patient_delay_days = self.primary_care_delay_days = self.referral_delay_days = math.nan
        self.imaging_wait_days = self.mri_wait_days = math.nan
        self.dx_frankel = self.dx_escc = self.dx_sins = -1
        self.dx_vas = math.nan
        self.tokuhashi = -1
        self.expected_survival_months = math.nan
        self.treatment = "none"
        self.steroids = False
        self.decision_day = self.treatment_day = self.effect_day = self.rt_day = INF
        self.surgery_wait_days = self.rt_wait_days = math.nan
        self.complication = False
        self.stabilised = False
        self.tx_frankel = self.after_frankel = -1
        self.after_day = self.relapse_day = INF
        self.pain_response = False
        self.pain_relief_day = self.pain_relapse_day = INF
        self.pain_relief = 0.0
        self.vas_cap = math.nan
        self.mechanical_relief = 0.0

    def log(self, day: float, event: str, detail: str = "") -> None:
        """Append one event to the patient's log (day on the clock)."""
        self.events.append((day, event, detail))

    @property
    def diagnosed(self) -> bool:
        """Whether the spinal metastasis was diagnosed."""
        return self.diagnosis_day < INF
