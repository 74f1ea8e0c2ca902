"""The patient: attributes drawn at entry, the latent disease course, and what care did.

Times are days on the simulation clock (``*_day``; ``math.inf`` = never); durations are ``*_days``.
Neurological grades are :class:`simulator.vocabulary.Grade` values (0 = Frankel A ... 5 = E, with D
split by walking aid); ESCC grades are indices into ``ESCC_GRADES`` (0, 1a, 1b, 1c, 2, 3).
"""

from __future__ import annotations

import math

from simulator.vocabulary import Route

INF = math.inf
NAN = math.nan


class Episode:
    """One course of treatment (the first, or a re-treatment after relapse) and its response."""

    __slots__ = (
        "kind", "retreatment", "decision_day", "start_day", "surgery_day", "rt_day", "effect_day",
        "grade_start", "grade_effect", "grade_after", "walks_after", "recovery_day", "neuro_relapse_day",
        "pain_response", "relief_day", "pain_relapse_day", "residual", "mechanical_relief", "stabilised",
        "complication", "steroids", "surgery_wait_days", "rt_wait_days", "radiotherapy", "relapse_cause",
    )

    def __init__(self, kind: str, decision_day: float, retreatment: bool = False):
        self.kind = kind
        self.retreatment = retreatment
        self.decision_day = decision_day
        self.start_day = self.surgery_day = self.rt_day = self.effect_day = INF
        self.grade_start = self.grade_effect = self.grade_after = -1
        self.walks_after: bool | None = None
        self.recovery_day = self.neuro_relapse_day = INF
        self.pain_response = ""
        self.relief_day = self.pain_relapse_day = INF
        self.residual = 1.0  # share of tumour pain (biological + radicular) left while relieved
        self.mechanical_relief = 0.0  # VAS points of mechanical pain removed from the start day
        self.stabilised = False
        self.complication = False
        self.steroids = False
        self.surgery_wait_days = self.rt_wait_days = NAN
        self.radiotherapy = ""  # the RtModality given, or ""
        self.relapse_cause = ""  # what ended it: "pain", "neurological" or ""


class Patient:
    """One synthetic patient; the model fills the care fields as the simulation runs."""

    __slots__ = (
        # identity and attributes
        "pid", "entry_day", "end_day", "age", "subtype", "ecog", "visceral", "other_bone", "bone_agent",
        "prior_rt", "cancer_dx_day", "sphincter_u", "death_u",
        # latent natural history (independent of care)
        "bone_mets_day", "met_start", "spine_day", "symptomatic", "onset_day", "first_symptom", "level",
        "junctional", "multilevel", "lesion_type", "posterolateral", "escc_onset", "escc2_day", "motor_day",
        "decline", "speed", "fracture_day", "collapse_over_half", "body_over_half", "radicular", "benign_day",
        # the neurological course and the death it leads to (rewritten by treatment)
        "course", "death_day", "excess_hazards",
        # pathway
        "route", "emergency_reason", "first_visit_day", "gp_visits", "suspicion_day", "referral_day",
        "referrals", "imaging_request_day", "imaging_tests", "false_negatives", "emergency_day",
        "diagnosis_day", "warning_day", "patient_delay_days", "primary_care_delay_days", "referral_delay_days",
        "imaging_wait_days", "mri_wait_days", "grade_first_visit", "grade_referral", "neuro_contact_day",
        "grade_neuro_contact",
        # state at diagnosis and the decision
        "dx_grade", "dx_escc", "dx_sins", "dx_vas", "tokuhashi", "expected_survival_months",
        "treatment", "steroids", "surgical_candidate", "surgical_referral", "surgical_accepted",
        # treatment courses (first, then re-treatments)
        "episodes",
        "events",
    )

    def __init__(self, pid: int, entry_day: float, end_day: float):
        self.pid = pid
        self.entry_day = entry_day
        self.end_day = end_day
        self.events: list[tuple[float, str, str]] = []
        self.excess_hazards: list[tuple[float, float, float]] = []
        self.episodes: list[Episode] = []
        self.route = Route.NONE
        self.emergency_reason = ""
        self.first_visit_day = self.suspicion_day = self.referral_day = INF
        self.imaging_request_day = self.emergency_day = self.diagnosis_day = self.warning_day = INF
        self.gp_visits = self.imaging_tests = self.false_negatives = self.referrals = 0
        self.patient_delay_days = self.primary_care_delay_days = self.referral_delay_days = NAN
        self.imaging_wait_days = self.mri_wait_days = NAN
        self.grade_first_visit = self.grade_referral = self.grade_neuro_contact = -1
        self.neuro_contact_day = INF
        self.dx_grade = self.dx_escc = self.dx_sins = -1
        self.dx_vas = NAN
        self.tokuhashi = -1
        self.expected_survival_months = NAN
        self.treatment = "none"
        self.steroids = False
        self.surgical_candidate = False
        self.surgical_referral: bool | None = None
        self.surgical_accepted: bool | None = None

    def log(self, day: float, event: str, detail: str = "") -> None:
        """Append one event to the patient's log (day on the clock)."""
        self.events.append((day, event, detail))

    @property
    def diagnosed(self) -> bool:
        """Whether the spinal metastasis was diagnosed."""
        return self.diagnosis_day < INF

    @property
    def stop_day(self) -> float:
        """Death or end of follow-up, whichever comes first (as the course now stands)."""
        return min(self.death_day, self.end_day)

    @property
    def first(self) -> Episode | None:
        """The first course of treatment, if any."""
        return self.episodes[0] if self.episodes else None

    def grade_at(self, day: float) -> int:
        """The neurological grade on ``day``."""
        return self.course.grade_at(day)


__all__ = ["Episode", "INF", "NAN", "Patient"]
