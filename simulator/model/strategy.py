"""NOMS-style treatment decision at diagnosis: patient state -> treatment plan.

Pure functions with named predicates; the *numbers* (thresholds, switches) come from the
scenario's ``strategy`` group. Neurologic (ESCC, Frankel), oncologic (radiosensitive breast
cancer), mechanical (SINS) and systemic (expected survival, fitness) parameters decide.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.model.patient import ESCC, ESCC_HIGH, GRADE_C, GRADE_E
from simulator.parameters.schema import Strategy

SURGERY_RT = "surgery+rt"
RESECTION_RT = "resection+rt"
RT = "rt"
SBRT = "sbrt"
CEMENT_RT = "cement+rt"
BRACE_RT = "brace+rt"
SUPPORTIVE = "supportive"
SURGICAL = (SURGERY_RT, RESECTION_RT)
TREATMENTS = (SURGERY_RT, RESECTION_RT, RT, SBRT, CEMENT_RT, BRACE_RT, SUPPORTIVE)

#: Revised Tokuhashi total -> median survival (months): 0-8 4, 9-11 10, 12-15 29 (Zeng 2007, n=447).
TOKUHASHI_MEDIAN_MONTHS = ((8, 4.0), (11, 10.0), (15, 29.0))


@dataclass(frozen=True)
class ClinicalState:
    """What the multidisciplinary team knows at diagnosis."""

    escc: int  # 0..5 = 0, 1a, 1b, 1c, 2, 3
    frankel: int  # 0..4 = A..E
    sins: int  # 0..18
    fractured: bool
    ecog: int  # 1: ECOG 0-1, 2: ECOG 2, 3: ECOG 3-4
    expected_survival_months: float


@dataclass(frozen=True)
class Plan:
    """The treatment chosen, and whether steroids start at once."""

    treatment: str
    steroids: bool


def revised_tokuhashi(ecog: int, other_bone: int, multilevel: bool, visceral: bool, subtype: str,
                      frankel: int) -> int:
    """Revised Tokuhashi score (0-15; Tokuhashi 2005). Breast primary scores 5, receptor-negative 3.

    KPS is mapped from ECOG (0-1 -> 80-100%, 2 -> 50-70%, 3-4 -> 10-40%). The downgrade of
    triple-negative disease follows the *Spine* subtype study cited in EVIDENCE.md section 5.3.
    """
    kps = {1: 2, 2: 1, 3: 0}[ecog]
    bone = {0: 2, 1: 1, 2: 0}[other_bone]
    vertebral = 1 if multilevel else 2
    viscera = 0 if visceral else 2
    primary = 3 if subtype == "triple_negative" else 5
    palsy = 0 if frankel <= 1 else (1 if frankel < GRADE_E else 2)
    return kps + bone + vertebral + viscera + primary + palsy


def expected_survival_months(score: int) -> float:
    """Median survival (months) of a revised Tokuhashi score's group."""
    for upper, months in TOKUHASHI_MEDIAN_MONTHS:
        if score <= upper:
            return months
    return TOKUHASHI_MEDIAN_MONTHS[-1][1]


def is_high_grade_escc(state: ClinicalState, s: Strategy) -> bool:
    """ESCC at or above the policy's surgical threshold."""
    return state.escc >= ESCC.index(s.surgery_escc_min)


def is_cord_compressed(state: ClinicalState) -> bool:
    """Bilsky 2 or 3."""
    return state.escc >= ESCC_HIGH


def is_unstable(state: ClinicalState, s: Strategy) -> bool:
    """SINS in the unstable range."""
    return state.sins >= s.sins_unstable_min


def is_potentially_unstable(state: ClinicalState, s: Strategy) -> bool:
    """SINS in the indeterminate range (below unstable)."""
    return s.sins_indeterminate_min <= state.sins < s.sins_unstable_min


def is_operable(state: ClinicalState, s: Strategy) -> bool:
    """Fit enough, expected to live long enough, and (if the policy says) not paraplegic."""
    paraplegic = state.frankel < GRADE_C
    return (state.ecog <= _ecog_class(s.surgery_max_ecog)
            and state.expected_survival_months >= s.surgery_min_expected_survival_months
            and not (s.surgery_excludes_paraplegia and paraplegic))


def has_deficit(state: ClinicalState) -> bool:
    """Any neurological deficit (Frankel below E)."""
    return state.frankel < GRADE_E


def _ecog_class(max_ecog: int) -> int:
    return 1 if max_ecog <= 1 else (2 if max_ecog == 2 else 3)


def decide(state: ClinicalState, s: Strategy) -> Plan:
    """The treatment plan for a newly diagnosed symptomatic spinal metastasis."""
    steroids = s.steroids_for_deficit and has_deficit(state)
    if state.expected_survival_months < s.supportive_max_expected_survival_months:
        return Plan(SUPPORTIVE, steroids)
    operable = is_operable(state, s)
    if operable and s.aggressive_resection:
        return Plan(RESECTION_RT, steroids)
    if operable and s.surgery_for_compression and is_high_grade_escc(state, s):
        return Plan(SURGERY_RT, steroids)
    if operable and s.surgery_for_instability and is_unstable(state, s):
        return Plan(SURGERY_RT, steroids)
    if s.cement_for_painful_fracture and state.fractured and not is_cord_compressed(state):
        return Plan(CEMENT_RT, steroids)
    if s.bracing_for_indeterminate and (is_potentially_unstable(state, s) or is_unstable(state, s)):
        return Plan(BRACE_RT, steroids)
    if s.sbrt_for_pain and not is_cord_compressed(state):
        return Plan(SBRT, steroids)
    return Plan(RT, steroids)
