"""The model's vocabularies, each declared once: grades, walking levels, treatments, services, routes, events.

Everything else (the model, the output columns and their allowed values, the metrics, the capacity
analyses and the dashboard's labels) is derived from these tables, so a new treatment or service
is added here and in the code that gives it behaviour, nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

DAYS_PER_MONTH = 30.4375
DAYS_PER_YEAR = 365.25
DAYS_PER_WEEK = 7.0


# --- neurological state ----------------------------------------------------------------------------


class Grade(IntEnum):
    """Neurological state, worst to best: Frankel A-E with D split by walking (modified Frankel).

    The surgical literature splits Frankel D into D1-D3 (motor 3+/5 with bladder dysfunction up to
    4+-5/5 with normal sphincters; J Orthop Surg Res 2018, EVIDENCE.md 5.5); spinesim keeps the
    split that trials and audits report: D with a walking aid (D1-D2) and D walking unaided (D3).
    """

    A = 0  # complete: no motor or sensory function below the level
    B = 1  # sensory only
    C = 2  # motor present but useless: cannot walk
    D_AID = 3  # useful motor function, walks with an aid
    D_UNAIDED = 4  # useful motor function with a deficit, walks unaided
    E = 5  # normal


class Walking(IntEnum):
    """Ambulatory status as trials and audits report it."""

    NOT_WALKING = 0  # chair- or bed-bound
    WITH_AID = 1
    UNAIDED = 2


class HazardState(IntEnum):
    """The neurological states whose death hazards differ (survival by neurological state)."""

    WALKING_UNAIDED = 0
    WALKING_WITH_AID = 1
    NOT_WALKING = 2  # Frankel C
    PARAPLEGIC = 3  # Frankel A-B


GRADES = tuple(Grade)
FRANKEL_LETTERS = ("A", "B", "C", "D", "E")
_FRANKEL = {Grade.A: "A", Grade.B: "B", Grade.C: "C", Grade.D_AID: "D", Grade.D_UNAIDED: "D", Grade.E: "E"}
_GRADE_LABEL = {Grade.A: "A", Grade.B: "B", Grade.C: "C", Grade.D_AID: "D (with aid)",
                Grade.D_UNAIDED: "D (unaided)", Grade.E: "E"}
WALKING_VALUES = {Walking.NOT_WALKING: "not walking", Walking.WITH_AID: "with aid", Walking.UNAIDED: "unaided"}
WALKING_LABELS = {Walking.NOT_WALKING: "Cannot walk", Walking.WITH_AID: "Walks with aid",
                  Walking.UNAIDED: "Walks unaided"}
HAZARD_STATE_LABELS = {HazardState.WALKING_UNAIDED: "walking unaided", HazardState.WALKING_WITH_AID: "walking with aid",
                       HazardState.NOT_WALKING: "not walking", HazardState.PARAPLEGIC: "paraplegic"}


def frankel(grade: int) -> str:
    """The Frankel letter (A-E) of a grade."""
    return _FRANKEL[Grade(grade)]


def grade_label(grade: int) -> str:
    """The grade with its walking sub-level: 'A' ... 'D (with aid)', 'D (unaided)', 'E'."""
    return _GRADE_LABEL[Grade(grade)]


def walking(grade: int) -> Walking:
    """Walking status of a grade: E and D unaided walk unaided, D with aid walks with an aid, C-A cannot."""
    if grade >= Grade.D_UNAIDED:
        return Walking.UNAIDED
    if grade == Grade.D_AID:
        return Walking.WITH_AID
    return Walking.NOT_WALKING


def walks(grade: int) -> bool:
    """Ambulatory (with or without an aid): Frankel D or E."""
    return grade >= Grade.D_AID


def scorad_grade(grade: int) -> int:
    """SCORAD III ambulatory grade 1-4 (Hoskin, JAMA 2019).

    1 walks without aids with normal power, 2 walks with aids or with reduced power, 3 cannot walk,
    4 paraplegic (Frankel A-B).
    """
    if grade == Grade.E:
        return 1
    if grade >= Grade.D_AID:
        return 2
    return 3 if grade == Grade.C else 4


def hazard_state(grade: int) -> HazardState:
    """The survival state of a grade."""
    if grade >= Grade.D_UNAIDED:
        return HazardState.WALKING_UNAIDED
    if grade == Grade.D_AID:
        return HazardState.WALKING_WITH_AID
    return HazardState.NOT_WALKING if grade == Grade.C else HazardState.PARAPLEGIC


# --- spinal cord compression ------------------------------------------------------------------------

ESCC_GRADES = ("0", "1a", "1b", "1c", "2", "3")  # Bilsky 2010
ESCC_HIGH = ESCC_GRADES.index("2")  # cord compression with CSF visible: high grade


# --- causes of a change of neurological state ---------------------------------------------------------


class Cause:
    """Why a grade changed (the detail of ``frankel_change`` and ``walking_change`` events)."""

    NATURAL = "natural"  # the untreated course
    TREATMENT = "treatment"  # the response to a treatment
    RELAPSE = "relapse"  # decline after a treated lesion progresses again
    COMPLICATION = "complication"  # a surgical complication

    ALL = (NATURAL, TREATMENT, RELAPSE, COMPLICATION)


# --- treatments -------------------------------------------------------------------------------------


class Family:
    """The codes of the treatment families (each declared with its metric in ``TREATMENT_FAMILY_KINDS``)."""

    SURGERY = "surgery"
    RADIOTHERAPY = "radiotherapy"
    CEMENT = "cement"
    BRACE = "brace"
    SUPPORTIVE = "supportive"


@dataclass(frozen=True)
class TreatmentFamily:
    """Treatments counted together in the treatment mix, with the metric of their share."""

    code: str
    metric: str  # the metric: share of diagnosed patients given a treatment of the family
    label: str  # that metric's label


TREATMENT_FAMILY_KINDS = (
    TreatmentFamily(Family.SURGERY, "share_surgery", "Treated with surgery"),
    TreatmentFamily(Family.RADIOTHERAPY, "share_radiotherapy_alone", "Radiotherapy alone"),
    TreatmentFamily(Family.CEMENT, "share_cement", "Cement augmentation"),
    TreatmentFamily(Family.BRACE, "share_brace", "Brace"),
    TreatmentFamily(Family.SUPPORTIVE, "share_supportive", "Supportive care only"),
)
TREATMENT_FAMILIES = tuple(f.code for f in TREATMENT_FAMILY_KINDS)


class RtModality:
    """How a course of radiotherapy is given (a treatment's ``radiotherapy``, the detail of ``radiotherapy_start``)."""

    CONVENTIONAL = "conventional"  # a palliative course of fractions
    SBRT = "sbrt"  # stereotactic body radiotherapy

    ALL = (CONVENTIONAL, SBRT)


class Operation:
    """What an operation is called (a treatment's ``operation``, the detail of ``surgery`` events)."""

    DECOMPRESSION = "decompression"
    RESECTION = "resection"  # resection and stabilisation
    SALVAGE = "salvage"  # a decompression for a relapse

    ALL = (DECOMPRESSION, RESECTION, SALVAGE)


@dataclass(frozen=True)
class TreatmentKind:
    """One treatment a policy can choose, with what it uses and does."""

    code: str
    label: str
    family: str  # one of TREATMENT_FAMILIES (a Family code)
    theatre: bool  # holds theatre time
    radiotherapy: str  # one of RtModality.ALL, or "" (none)
    stabilises: bool  # removes mechanical pain and instability
    operation: str  # the Operation that relieves cord compression at once, or "" (none)
    colour: str

    @property
    def decompresses(self) -> bool:
        """Relieves cord compression at once (by its operation)."""
        return bool(self.operation)


# The treatments the decision policy names (the catalogue below says what each is).
SURGERY_RT = "surgery+rt"
RESECTION_RT = "resection+rt"
RT = "rt"
SBRT = "sbrt"
CEMENT_RT = "cement+rt"
BRACE_RT = "brace+rt"
SUPPORTIVE = "supportive"

TREATMENT_KINDS = (
    TreatmentKind(SURGERY_RT, "Decompressive surgery + RT", Family.SURGERY, True, RtModality.CONVENTIONAL, True,
                  Operation.DECOMPRESSION, "#1b7837"),
    TreatmentKind(RESECTION_RT, "Resection and stabilisation + RT", Family.SURGERY, True, RtModality.CONVENTIONAL, True,
                  Operation.RESECTION, "#5aae61"),
    TreatmentKind(RT, "Radiotherapy (conventional)", Family.RADIOTHERAPY, False, RtModality.CONVENTIONAL, False, "",
                  "#2166ac"),
    TreatmentKind(SBRT, "Stereotactic radiotherapy (SBRT)", Family.RADIOTHERAPY, False, RtModality.SBRT, False, "",
                  "#67a9cf"),
    TreatmentKind(CEMENT_RT, "Cement augmentation + RT", Family.CEMENT, True, RtModality.CONVENTIONAL, True, "",
                  "#b2182b"),
    TreatmentKind(BRACE_RT, "Brace + RT", Family.BRACE, False, RtModality.CONVENTIONAL, False, "", "#ef8a62"),
    TreatmentKind(SUPPORTIVE, "Best supportive care", Family.SUPPORTIVE, False, "", False, "", "#878787"),
)
TREATMENT = {t.code: t for t in TREATMENT_KINDS}
TREATMENTS = tuple(TREATMENT)
SURGICAL = tuple(t.code for t in TREATMENT_KINDS if t.family == Family.SURGERY)
NO_TREATMENT = "none"
#: Treatments that act on the lesion (every family but supportive care): the pathway KPIs and budget count them.
DEFINITIVE_TREATMENTS = tuple(t.code for t in TREATMENT_KINDS if t.family != Family.SUPPORTIVE)


class Retreatment:
    """What a relapse is re-treated with (the same policy decides; EVIDENCE.md 4.1 re-RT rows).

    The detail of ``retreatment_decision`` events and the patients table's ``retreatment``.
    """

    REIRRADIATION = "re-irradiation"  # conventional radiotherapy again
    SBRT = "sbrt"  # stereotactic re-irradiation
    SALVAGE_SURGERY = "salvage-surgery"
    SUPPORTIVE = "supportive"

    ALL = (REIRRADIATION, SBRT, SALVAGE_SURGERY, SUPPORTIVE)


RETREATMENTS = Retreatment.ALL


def retreatment_of(treatment: str) -> str:
    """What a re-treatment with ``treatment`` (a treatment code) is called: the policy's choice, started or not."""
    if treatment == SUPPORTIVE:
        return Retreatment.SUPPORTIVE
    kind = TREATMENT[treatment]
    if kind.decompresses:
        return Retreatment.SALVAGE_SURGERY
    return Retreatment.SBRT if kind.radiotherapy == RtModality.SBRT else Retreatment.REIRRADIATION


# --- services and priorities ------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceKind:
    """One limited service (a SimPy resource per replication)."""

    name: str
    label: str
    capacity_parameter: str  # the schema path of its capacity
    unit: str  # what one unit of capacity is
    day_cost_parameter: str  # the schema path of what one unit of capacity costs per day


SERVICE_KINDS = (
    ServiceKind("mri", "MRI", "services.mri_scanners", "scanners", "costs.capacity.mri_scanner_day"),
    ServiceKind("theatre", "Theatre", "services.theatres", "theatres", "costs.capacity.theatre_day"),
    ServiceKind("radiotherapy", "Radiotherapy", "services.linacs", "machines", "costs.capacity.linac_day"),
)
SERVICES = tuple(s.name for s in SERVICE_KINDS)


class Priority(IntEnum):
    """Queue priorities of the limited services (lower is served first, as SimPy's PriorityResource)."""

    EMERGENCY = 0  # a new neurological deficit or warning signs of cord compression (NICE QS56: MRI in 24 h)
    URGENT = 1  # fast-track imaging of new back pain in known cancer
    ROUTINE = 2


# --- imaging ------------------------------------------------------------------------------------------


class Imaging:
    """The imaging tests and their results: an ``imaging`` event's detail is ``TEST:RESULT`` (``imaging_detail``)."""

    XRAY = "xray"
    CT = "ct"
    MRI = "mri"
    TESTS = (XRAY, CT, MRI)

    POSITIVE = "positive"
    NEGATIVE = "negative"
    FALSE_POSITIVE = "false-positive"  # a benign episode read as metastatic
    RELAPSE = "relapse"  # the scan that confirms a relapse


def imaging_detail(test: str, result: str) -> str:
    """The detail of an ``imaging`` event: ``mri:positive``."""
    return f"{test}:{result}"


# --- diagnostic routes --------------------------------------------------------------------------------



class Route:
    """How a patient reached diagnosis (``route``; the detail of ``referral`` and ``diagnosis``)."""

    ROUTINE = "routine"  # primary care, then a routine referral
    FAST_TRACK = "fast-track"  # pain suggesting spinal metastases: MRI within a week (NICE CG75/NG234)
    EMERGENCY = "emergency"  # an emergency presentation (warning signs or a motor deficit)
    NONE = "none"  # not diagnosed

    ALL = (ROUTINE, FAST_TRACK, EMERGENCY, NONE)


ROUTES = Route.ALL
#: Why a patient was sent on the emergency route (detail of ``emergency_presentation``).
EMERGENCY_REASONS = ("warning signs", "motor deficit", "deficit seen in primary care")


# --- pain response by the international consensus endpoints ------------------------------------------


class PainResponse:
    """Response classes of treated pain (Chow et al. international consensus on palliative RT endpoints)."""

    COMPLETE = "complete"  # worst pain 0 at the treated site
    PARTIAL = "partial"  # at least 2 points lower, not 0
    NONE = "none"

    DRAWN = (COMPLETE, PARTIAL, NONE)


#: VAS bands used for pain states and their utilities: (name, low, high) with low <= VAS < high.
PAIN_BANDS = (("none", 0.0, 0.0), ("mild", 0.0, 4.0), ("moderate", 4.0, 7.0), ("severe", 7.0, 10.01))


# --- event kinds ------------------------------------------------------------------------------------------


class Event:
    """The names of the event log's kinds (each declared with its label and group in ``EVENT_KINDS``)."""

    ENTRY = "entry"
    BONE_METASTASIS = "bone_metastasis"
    SPINAL_METASTASIS = "spinal_metastasis"
    SYMPTOM_ONSET = "symptom_onset"
    PATHOLOGICAL_FRACTURE = "pathological_fracture"
    CORD_COMPRESSION = "cord_compression"
    WARNING_SIGNS = "warning_signs"
    FRANKEL_CHANGE = "frankel_change"
    WALKING_CHANGE = "walking_change"
    GP_VISIT = "gp_visit"
    REFERRAL = "referral"
    EMERGENCY_PRESENTATION = "emergency_presentation"
    IMAGING = "imaging"
    DIAGNOSIS = "diagnosis"
    BENIGN_BACK_PAIN = "benign_back_pain"
    TREATMENT_DECISION = "treatment_decision"
    SURGICAL_REFERRAL = "surgical_referral"
    STEROIDS = "steroids"
    SURGERY = "surgery"
    CEMENT_AUGMENTATION = "cement_augmentation"
    BRACE = "brace"
    RADIOTHERAPY_START = "radiotherapy_start"
    SUPPORTIVE_CARE = "supportive_care"
    COMPLICATION = "complication"
    PAIN_RESPONSE = "pain_response"
    RELAPSE = "relapse"
    RETREATMENT_DECISION = "retreatment_decision"
    DEATH = "death"
    END_OF_FOLLOW_UP = "end_of_follow_up"


@dataclass(frozen=True)
class EventKind:
    """One kind of event in the event log, with the readable label the dashboard shows."""

    name: str
    label: str
    group: str  # disease, pathway, treatment, outcome


EVENT_KINDS = (
    EventKind(Event.ENTRY, "Entry into the cohort", "disease"),
    EventKind(Event.BONE_METASTASIS, "Bone metastasis", "disease"),
    EventKind(Event.SPINAL_METASTASIS, "Spinal metastasis", "disease"),
    EventKind(Event.SYMPTOM_ONSET, "Symptom onset", "disease"),
    EventKind(Event.PATHOLOGICAL_FRACTURE, "Vertebral fracture", "disease"),
    EventKind(Event.CORD_COMPRESSION, "Cord compression (ESCC 2)", "disease"),
    EventKind(Event.WARNING_SIGNS, "Warning signs of cord compression", "disease"),
    EventKind(Event.FRANKEL_CHANGE, "Frankel grade change", "outcome"),
    EventKind(Event.WALKING_CHANGE, "Walking status change", "outcome"),
    EventKind(Event.GP_VISIT, "Primary-care visit", "pathway"),
    EventKind(Event.REFERRAL, "Referral", "pathway"),
    EventKind(Event.EMERGENCY_PRESENTATION, "Emergency presentation", "pathway"),
    EventKind(Event.IMAGING, "Imaging", "pathway"),
    EventKind(Event.DIAGNOSIS, "Diagnosis", "pathway"),
    EventKind(Event.BENIGN_BACK_PAIN, "Benign back pain", "pathway"),
    EventKind(Event.TREATMENT_DECISION, "Treatment decision", "treatment"),
    EventKind(Event.SURGICAL_REFERRAL, "Referral for a surgical opinion", "treatment"),
    EventKind(Event.STEROIDS, "Dexamethasone", "treatment"),
    EventKind(Event.SURGERY, "Surgery", "treatment"),
    EventKind(Event.CEMENT_AUGMENTATION, "Cement augmentation", "treatment"),
    EventKind(Event.BRACE, "Brace", "treatment"),
    EventKind(Event.RADIOTHERAPY_START, "Radiotherapy starts", "treatment"),
    EventKind(Event.SUPPORTIVE_CARE, "Supportive care", "treatment"),
    EventKind(Event.COMPLICATION, "Surgical complication", "treatment"),
    EventKind(Event.PAIN_RESPONSE, "Pain response", "outcome"),
    EventKind(Event.RELAPSE, "Relapse", "outcome"),
    EventKind(Event.RETREATMENT_DECISION, "Re-treatment decision", "treatment"),
    EventKind(Event.DEATH, "Death", "outcome"),
    EventKind(Event.END_OF_FOLLOW_UP, "End of follow-up", "outcome"),
)
EVENT = {e.name: e for e in EVENT_KINDS}
EVENTS = tuple(EVENT)


# --- outcomes ---------------------------------------------------------------------------------------

#: The outcome an analysis ranks by, or makes precise, when none is named (a metric of ``METRICS``):
#: the share walking six months after entry.
DEFAULT_METRIC = "ambulatory_6m"


# --- currencies ---------------------------------------------------------------------------------------

#: The currencies a scenario may price in (``economics.currency``), with the symbol sentences use.
CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "US$", "CAD": "CA$"}


def listing(words: Sequence[str], last: str = "and") -> str:
    """Words as a sentence lists them: 'a', 'a and b', 'a, b and c' (or with ``last`` 'or')."""
    *rest, final = words
    return f"{', '.join(rest)} {last} {final}" if rest else final
