"""The parameter model: every number the simulation uses, with unit, range and source.

Source keys are short citations of ``shared/design/EVIDENCE.md`` and the seed review
(Ju et al., *World J Clin Oncol* 2014;5:263, cited as "Ju 2014 (seed)"). "assumption: ..." marks a
number no source gives, with the reason. Instants are days on the clock (``*_day``); durations are
lengths (``*_days``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from simulator.parameters.fields import Group, choice, flag, param

ESCC_GRADES = ("0", "1a", "1b", "1c", "2", "3")
FRANKEL_GRADES = ("A", "B", "C", "D", "E")
EsccGrade = Literal["0", "1a", "1b", "1c", "2", "3"]

_SUM_TOLERANCE = 1e-9


class Distribution(Group):
    """Base for probability vectors: the shares must sum to 1 (never a silent leftover branch)."""

    @model_validator(mode="after")
    def _sums_to_one(self) -> Distribution:
        total = sum(float(v) for v in self.model_dump().values())
        if abs(total - 1.0) > _SUM_TOLERANCE:
            shares = ", ".join(f"{k}={v}" for k, v in self.model_dump().items())
            raise ValueError(f"shares must sum to 1 within {_SUM_TOLERANCE:g} (they sum to {total:.15g}: {shares})")
        return self


def _share(source: str, description: str, plausible: tuple[float, float] | None = None):
    return param("proportion", 0.0, 1.0, source, description, plausible)


# --- 1. Who enters the cohort ---------------------------------------------------------------


class Subtypes(Distribution):
    """Tumour subtype mix of the entry population."""

    hr_positive: float = _share("SEER 2010-13 (Cancer Manag Res 2018): 70.5% of BM patients HR+",
                                "hormone-receptor positive, HER2 negative", (0.6, 0.8))
    her2_positive: float = _share("assumption: split of the non-HR+ remainder, SEER order of size",
                                  "HER2 positive (any HR)", (0.1, 0.2))
    triple_negative: float = _share("Bollen 2015: 23% receptor-negative of 111 breast SBM",
                                    "triple negative", (0.1, 0.25))


class Ecog(Distribution):
    """Performance status (ECOG) mix at entry."""

    ecog_0_1: float = _share("assumption: ambulatory metastatic outpatients", "ECOG 0-1", (0.4, 0.7))
    ecog_2: float = _share("assumption", "ECOG 2", (0.15, 0.35))
    ecog_3_4: float = _share("assumption", "ECOG 3-4", (0.05, 0.3))


class OtherBoneMets(Distribution):
    """Extraspinal bone metastases (revised Tokuhashi item)."""

    none: float = _share("assumption: Harries 2014 bone-only vs multiple sites", "no other bone foci")
    one_two: float = _share("assumption", "1-2 other bone foci")
    three_plus: float = _share("assumption", "3 or more other bone foci")


class Cohort(Group):
    """Who enters, when, and for how long they are followed."""

    entry: Literal["newly-diagnosed", "advanced", "bone-metastasis"] = choice(
        "assumption: a modelling choice (who enters the cohort, set per scenario)",
        "entry population: all new breast cancer, advanced disease, or known bone metastasis")
    arrivals: Literal["poisson", "cohort"] = choice(
        "assumption: a modelling choice (open arrivals for capacity, a cohort for outcomes)",
        "Poisson arrivals over calendar time, or everyone at day 0")
    arrivals_per_year: float = param(
        "patients/year", 1, 1_000_000,
        "assumption: a cancer network whose pathway slots are sized to this demand",
        "entry rate of the Poisson arrival process", (500, 2000))
    follow_up_days: float = param("days", 30, 7300, "assumption: 5 years covers most breast SBM survival",
                                  "follow-up from entry", (1095, 3650))
    age_mean_years: float = param("years", 30, 90, "assumption: SEER age at metastatic breast cancer",
                                  "mean age at entry", (55, 68))
    age_sd_years: float = param("years", 1, 25, "assumption", "SD of age at entry", (8, 15))
    subtype: Subtypes
    ecog: Ecog
    other_bone_mets: OtherBoneMets
    p_visceral_mets: float = _share("Weber & Rades 2014: extraspinal organ involvement common; assumption 35%",
                                    "visceral metastases at spinal involvement", (0.2, 0.5))
    p_bone_agent: float = _share("assumption: usual-care BTA uptake in MBC with bone metastases",
                                 "bone-targeted agent (bisphosphonate or denosumab) in usual care", (0.4, 0.8))
    p_prior_spine_rt: float = _share("assumption", "radiotherapy to the spine before entry", (0.0, 0.2))


# --- 2. Natural history -----------------------------------------------------------------------


class Levels(Distribution):
    """Spinal level of the dominant lesion."""

    cervical: float = _share("Rades & Schild review: cervical <10%", "cervical", (0.05, 0.15))
    thoracic: float = _share("Rades & Schild review: thoracic 60-80%; Levack 2002: 68%", "thoracic", (0.6, 0.8))
    lumbar: float = _share("Rades & Schild review: lumbar 15-30%", "lumbar", (0.1, 0.3))
    sacral: float = _share("assumption: remainder", "sacral", (0.0, 0.1))


class LesionTypes(Distribution):
    """Radiographic lesion type (breast: mostly lytic or mixed)."""

    lytic: float = _share("EVIDENCE section 7 (unverified): 65-75% osteolytic", "osteolytic", (0.55, 0.75))
    mixed: float = _share("EVIDENCE section 7 (unverified): mixed 15-25%", "mixed", (0.15, 0.35))
    blastic: float = _share("EVIDENCE section 7 (unverified): osteoblastic 10-15%", "osteoblastic", (0.05, 0.15))


class Posterolateral(Distribution):
    """Posterolateral (pedicle, facet) involvement, a SINS item."""

    none: float = _share("assumption", "none")
    unilateral: float = _share("Link 1995: pedicle often involved; assumption", "unilateral")
    bilateral: float = _share("assumption", "bilateral")


class EsccAtOnset(Distribution):
    """ESCC (Bilsky) grade when a pain-first lesion becomes symptomatic."""

    g0: float = _share("assumption", "grade 0 (bone only)")
    g1a: float = _share("assumption", "grade 1a")
    g1b: float = _share("assumption", "grade 1b")
    g1c: float = _share("assumption", "grade 1c")


class Survival(Group):
    """Death hazard after metastasis: exponential, by subtype, with hazard ratios."""

    median_months_hr_positive: float = param(
        "months", 1, 120, "Bollen 2015: receptor+ breast SBM median 22.5 mo (18.0-26.9)",
        "median survival, HR+ (reference ECOG 0-1, no visceral disease)", (18, 40))
    median_months_her2_positive: float = param(
        "months", 1, 120, "Tsuang 2026 MA: HER2+ highest (43.7 mo); Bollen receptor+ 22.5 mo",
        "median survival, HER2+ (reference)", (20, 45))
    median_months_triple_negative: float = param(
        "months", 0.5, 120, "Bollen 2015: triple-negative 6.7 mo (2.4-10.9)",
        "median survival, triple negative (reference)", (5, 14))
    hr_ecog_2: float = param("hazard ratio", 0.5, 10, "assumption: Rades 2-month score weights ECOG",
                             "hazard ratio ECOG 2 vs 0-1", (1.1, 2.0))
    hr_ecog_3_4: float = param("hazard ratio", 0.5, 10, "assumption: Rades 2-month score, ECOG 3-4 = 4 pts",
                               "hazard ratio ECOG 3-4 vs 0-1", (1.5, 3.5))
    hr_visceral: float = param("hazard ratio", 0.5, 10,
                               "Harries 2014: bone-only 2.3 y vs bone+visceral <1 y (ratio ~2.3)",
                               "hazard ratio for visceral metastases", (1.5, 3.0))
    background_per_year: float = param("per year", 0, 0.5,
                                       "assumption: non-metastatic breast cancer all-cause mortality",
                                       "death hazard before metastasis", (0.005, 0.03))


class NaturalHistory(Group):
    """From breast cancer to bone and spine metastasis, compression, fracture and death."""

    p_bone_mets_newly_diagnosed: float = _share(
        "Ju 2014 (seed): bone metastases in 8% of all breast cancer", "lifetime risk of bone metastasis, all BC",
        (0.06, 0.12))
    p_bone_mets_advanced: float = _share(
        "tuned to Ju 2014 (seed): 69% of advanced breast cancer develop bone metastases (death competes)",
        "risk of bone metastasis in advanced BC if the patient lives", (0.65, 0.8))
    bone_mets_median_days_newly_diagnosed: float = param(
        "days", 1, 7300, "Hortobagyi NEJM 1996: median 3.8 y primary to bone metastasis",
        "median time entry to bone metastasis (newly diagnosed)", (900, 1800))
    bone_mets_median_days_advanced: float = param(
        "days", 1, 3650, "Gong 2018: 65% of de-novo metastatic BC have bone metastases at diagnosis",
        "median time entry to bone metastasis (advanced)", (7, 120))
    bone_mets_sigma: float = param("log-SD", 0.1, 3, "Hortobagyi 1996: SD 4.5 y around a 3.8 y median",
                                   "lognormal spread of time to bone metastasis", (0.6, 1.2))
    p_spine_given_bone: float = _share("Ju 2014 (seed): spine about two thirds of osseous metastases",
                                       "spinal involvement among bone metastases", (0.55, 0.75))
    spine_delay_mean_days: float = param("days", 0, 3650,
                                         "assumption: PMC6058005 primary to spine (41 mo) close to bone (3.8 y)",
                                         "mean time bone metastasis to spinal lesion", (0, 365))
    p_symptomatic: float = _share("Ju 2014 (seed): about one third of spinal lesions become symptomatic",
                                  "spinal lesion becomes symptomatic through growth (if the patient lives; "
                                  "a fracture also causes symptoms)", (0.25, 0.45))
    symptom_median_days: float = param("days", 1, 3650, "assumption: Asian Spine J 2018 adverse events at mean 7 mo",
                                       "median time spinal lesion to symptom onset", (90, 400))
    symptom_sigma: float = param("log-SD", 0.1, 3, "assumption", "lognormal spread of time to symptoms", (0.5, 1.2))
    level: Levels
    p_junctional: float = _share("assumption: Fisher 2010 junctional levels C7-T2, T11-L1, L5-S1",
                                 "the lesion sits at a junctional level (SINS location 3)", (0.2, 0.4))
    p_collapse_over_half: float = _share("assumption: Foerster 2015 fractures of osteolytic mets",
                                         "a fracture collapses more than half the vertebral body", (0.2, 0.5))
    p_body_over_half: float = _share("assumption: Hortobagyi 1996 47% had >=3 osteolytic lesions",
                                     "no collapse but more than half the body involved", (0.3, 0.6))
    p_multilevel: float = _share("Ann Palliat Med 2023: multilevel 17-32%", "more than one level involved",
                                 (0.17, 0.32))
    lesion_type: LesionTypes
    posterolateral: Posterolateral
    escc_at_onset: EsccAtOnset
    p_pain_first: float = _share("Ju 2014 (seed): pain the presenting complaint in nearly 90%",
                                 "pain is the first symptom (else a neurological deficit)", (0.85, 0.95))
    p_cord_compression: float = _share(
        "assumption, tuned to Van den Brande 2022: MESCC in 9.6% of patients with spinal mets",
        "a symptomatic lesion grows to high-grade ESCC (2-3) if untreated", (0.2, 0.5))
    escc2_median_days: float = param("days", 1, 3650, "assumption", "median symptom onset to ESCC grade 2",
                                     (30, 180))
    escc2_sigma: float = param("log-SD", 0.1, 3, "assumption", "spread of time to ESCC grade 2", (0.5, 1.2))
    motor_onset_mean_days: float = param("days", 0, 365, "assumption: deficit follows high-grade compression",
                                         "mean time ESCC 2 to motor deficit", (3, 30))
    walking_loss_median_days: float = param(
        "days", 1, 365, "Helweg-Larsen & Sorensen 1994: weakness to loss of walking median 38 d",
        "median motor deficit to loss of walking (untreated)", (20, 60))
    walking_loss_sigma: float = param("log-SD", 0.1, 3,
                                      "assumption: Ju 2014 (seed) variable rate of deterioration",
                                      "patient-to-patient spread of decline speed", (0.6, 1.4))
    paraplegia_median_days: float = param(
        "days", 1, 365, "Helweg-Larsen & Sorensen 1994: loss of walking to paraplegia a further 12 d",
        "median loss of walking to paraplegia (Frankel B)", (6, 24))
    complete_median_days: float = param("days", 1, 365, "assumption", "median Frankel B to A (complete)", (7, 60))
    fracture_per_year: float = param(
        "per year", 0, 5, "tuned to Van den Brande 2022: pathological VCF in 12.6% of spinal mets",
        "vertebral fracture hazard of a lytic lesion", (0.03, 0.2))
    fracture_hr_mixed: float = param("hazard ratio", 0, 2, "assumption: Sahgal 2013 lytic lesions fracture most",
                                     "fracture hazard of a mixed vs lytic lesion", (0.4, 0.8))
    fracture_hr_blastic: float = param("hazard ratio", 0, 2, "assumption", "fracture hazard, blastic vs lytic",
                                       (0.1, 0.4))
    fracture_hr_bone_agent: float = param("hazard ratio", 0, 2,
                                          "Ross BMJ 2003: bisphosphonate OR vertebral fracture 0.69",
                                          "fracture hazard with a bone-targeted agent", (0.55, 0.85))
    survival: Survival


# --- 3. Symptoms ------------------------------------------------------------------------------


class Pain(Group):
    """The three kinds of pain, on the VAS 0-10 scale."""

    biological_vas_at_onset: float = param("VAS 0-10", 0, 10, "assumption", "biological pain at symptom onset",
                                           (3, 5))
    biological_vas_per_month: float = param("VAS points/month", 0, 10,
                                            "assumption: reaches Shehadi 2007 pre-operative median 6",
                                            "growth of biological pain untreated", (0.3, 1.5))
    biological_vas_max: float = param("VAS 0-10", 0, 10, "assumption", "ceiling of biological pain", (6, 8))
    p_radicular: float = _share("Helweg-Larsen 1996: radicular pain in 76% of MSCC",
                                "radicular pain with high-grade compression", (0.6, 0.85))
    radicular_vas: float = param("VAS points", 0, 10, "assumption", "added VAS of radicular pain", (1, 3))
    mechanical_vas: float = param("VAS points", 0, 10, "assumption: Berenson 2011 NRS 7.3 with painful VCF",
                                  "added VAS of mechanical pain after fracture", (2, 4))


# --- 4. Diagnostic pathway --------------------------------------------------------------------


class Modality(Group):
    """Accuracy of one imaging test for spinal metastasis."""

    sensitivity: float = _share("Harlianto 2024 (per patient, 25 studies)", "sensitivity")
    specificity: float = _share("Harlianto 2024 (per patient, 25 studies)", "specificity")


class Imaging(Group):
    """Imaging tests (radiograph, CT, MRI)."""

    xray: Modality
    ct: Modality
    mri: Modality
    p_xray_first: float = _share("assumption: Ju 2014 (seed) radiographs commonly the first study",
                                 "primary care orders a radiograph before MRI", (0.3, 0.7))
    p_ct_first: float = _share("assumption", "a CT rather than MRI after a positive radiograph", (0.0, 0.3))


class Pathway(Group):
    """From symptom onset to confirmed diagnosis: delays by component."""

    patient_delay_median_days: float = param(
        "days", 0, 365, "assumption: Husband 1998 patient delay 3 d for MSCC symptoms; longer for pain",
        "median symptom onset to first primary-care visit", (3, 30))
    patient_delay_sigma: float = param("log-SD", 0.1, 3, "assumption: Husband 1998 range 0-300 d",
                                       "spread of patient delay", (0.8, 1.5))
    p_gp_suspects: float = _share(
        "assumption, tuned to Levack 2002: about 2 months from pain reported to MSCC diagnosis",
        "primary care suspects metastasis at a visit without red flags", (0.1, 0.4))
    red_flag_odds_ratio: float = param("odds ratio", 1, 50,
                                       "assumption: Ju 2014 (seed) thoracic and night pain are red flags",
                                       "odds of suspicion per red flag (thoracic, night pain)", (1.5, 5))
    gp_revisit_median_days: float = param("days", 1, 365, "assumption", "median time to the next visit", (7, 42))
    gp_max_visits: int = param("visits", 1, 20, "assumption: persistent pain is eventually referred",
                               "visits before referral regardless", (3, 8))
    referral_median_days: float = param("days", 0, 365, "Husband 1998: district hospital delay 4 d (0-794)",
                                        "median routine referral delay", (2, 21))
    urgent_referral_days: float = param("days", 0, 30, "NICE QS56: suspected MSCC assessed within 24 h",
                                        "urgent referral delay", (0.5, 2))
    mri_booking_days: float = param("days", 0, 180, "assumption: administrative lag before a routine slot",
                                    "routine MRI booking lag (before the queue)", (1, 14))
    retest_median_days: float = param("days", 1, 365, "assumption", "median time back to care after a false negative",
                                      (14, 60))
    neuro_report_mean_days: float = param(
        "days", 0, 90, "tuned to Husband 1998 (MSCC symptoms to treatment median 14 d) and Levack 2002 "
        "(weakness noticed median 20 d before diagnosis)",
        "mean delay from motor deficit to emergency presentation", (2, 20))
    decision_days: float = param("days", 0, 60, "assumption: MDT decision after a routine diagnosis",
                                 "routine diagnosis to treatment decision", (1, 14))
    fast_track_mri: bool = flag("NICE CG75 (unverified): MRI within a week for suspected spinal mets",
                                "known cancer + new back pain goes straight to urgent MRI")
    p_benign_back_pain: float = _share(
        "assumption: benign back pain episodes in patients with known cancer compete for MRI",
        "a patient without a symptomatic spinal lesion has a benign back-pain episode", (0.05, 0.3))
    p_benign_imaged: float = _share("assumption", "a benign episode is referred for imaging (usual care)",
                                    (0.1, 0.4))
    imaging: Imaging


# --- Services (SimPy resources) ----------------------------------------------------------------


class Services(Group):
    """Limited services: capacities are SimPy resources, so waits emerge from queues."""

    mri_scanners: int = param("scanners", 1, 50, "assumption: scanner-equivalents for this pathway",
                              "MRI capacity (parallel slots)", (1, 4))
    mri_slots_per_scanner_day: float = param("scans/day", 0.1, 100,
                                             "assumption: pathway share of a scanner's day",
                                             "spine MRI scans per scanner per day", (0.4, 1.5))
    theatres: int = param("theatres", 1, 20, "assumption", "spinal theatre capacity (parallel)", (1, 3))
    operation_days: float = param("days", 0.05, 10, "assumption: one spinal decompression per theatre-day",
                                  "theatre time held per operation", (0.5, 2))
    cement_days: float = param("days", 0.01, 5, "assumption: vertebroplasty/kyphoplasty list time",
                               "theatre time held per cement augmentation", (0.1, 0.5))
    linacs: int = param("machines", 1, 20, "assumption", "radiotherapy planning/start capacity (parallel)", (1, 3))
    rt_planning_days: float = param("days", 0.01, 10, "assumption: planning slot per course start",
                                    "radiotherapy capacity held per course start", (0.1, 1))


# --- 5. Strategy (NOMS-style decision) --------------------------------------------------------


class Strategy(Group):
    """The treatment policy applied at diagnosis (neurologic, oncologic, mechanical, systemic)."""

    surgery_for_compression: bool = flag("Patchell 2005", "decompressive surgery + RT for high-grade ESCC")
    surgery_escc_min: EsccGrade = choice("Bilsky 2010: grades 2-3 are high grade", "lowest ESCC grade operated")
    surgery_min_expected_survival_months: float = param(
        "months", 0, 60, "Ju 2014 (seed): surgery for at least 3 mo expected survival",
        "expected survival (revised Tokuhashi) needed for surgery", (3, 6))
    surgery_max_ecog: int = param("ECOG", 0, 4, "assumption: fitness for open surgery",
                                  "worst ECOG operated (patients are in groups 0-1, 2, 3-4)", (1, 3))
    surgery_excludes_paraplegia: bool = flag("Patchell 2005: not paraplegic >48 h",
                                             "no surgery for Frankel A-B")
    surgery_for_instability: bool = flag("Fisher 2010 (SINS): unstable lesions need stabilisation",
                                         "stabilising surgery for unstable lesions")
    sins_unstable_min: int = param("SINS points", 0, 18, "Fisher 2010: 13-18 unstable", "SINS treated as unstable",
                                   (11, 15))
    aggressive_resection: bool = flag("Shehadi 2007", "resection + stabilisation for every fit symptomatic lesion")
    cement_for_painful_fracture: bool = flag("Berenson (CAFE) 2011",
                                             "cement augmentation for a painful fracture without compression")
    bracing_for_indeterminate: bool = flag("Squires 2023 (osteoporotic VCF)", "brace for SINS 7-12 without surgery")
    sins_indeterminate_min: int = param("SINS points", 0, 18, "Fisher 2010: 7-12 potentially unstable",
                                        "SINS treated as potentially unstable", (6, 8))
    sbrt_for_pain: bool = flag("Sahgal (SC.24) 2021", "stereotactic RT instead of conventional for painful lesions")
    steroids_for_deficit: bool = flag("Sorensen 1994", "dexamethasone on a neurological deficit")
    bone_agents_for_all: bool = flag("Hortobagyi 1998; Ross 2003", "bone-targeted agent for every patient")
    supportive_max_expected_survival_months: float = param(
        "months", 0, 60, "Rades 2013 2-month death score: best supportive care for the dying",
        "expected survival below which care is supportive only", (0, 3))


# --- Treatment effects ------------------------------------------------------------------------


class Treatment(Group):
    """Responses, times to effect and risks of each treatment."""

    rt_keep_fast: float = _share("Rades (prospective, n=98): ambulatory after RT 35% if deficits in 1-7 d",
                                 "RT keeps walking, deficits developed in <=7 d", (0.4, 0.8))
    rt_keep_moderate: float = _share("Rades: 55% if deficits in 8-14 d", "RT keeps walking, 8-14 d", (0.45, 0.8))
    rt_keep_slow: float = _share("Rades: 86% if deficits over >14 d", "RT keeps walking, >14 d", (0.8, 0.99))
    rt_regain_fast: float = _share("Rades 2000: 10% improve if deficits in <=14 d", "RT regains walking, <=7 d",
                                   (0.0, 0.15))
    rt_regain_moderate: float = _share("Patchell 2005: 3/16 regained with RT", "RT regains walking, 8-14 d",
                                       (0.1, 0.35))
    rt_regain_slow: float = _share("Latini 1992 [breast]: 60% regained with RT", "RT regains walking, >14 d",
                                   (0.3, 0.7))
    surgery_keep: float = _share("Patchell 2005: 32/34 stayed ambulatory; Shehadi 2007: 98%",
                                 "surgery + RT keeps walking", (0.9, 0.99))
    surgery_regain: float = _share("Patchell 2005: 10/16 regained; Bulthuis 2023: 55.7%",
                                   "surgery + RT regains walking", (0.45, 0.7))
    steroid_odds_ratio: float = param("odds ratio", 0.5, 5, "Sorensen 1994: gait 81% vs 63% with dexamethasone",
                                      "odds ratio of walking after treatment with steroids", (1.5, 3.0))
    rt_improve_grade: float = _share("Rades JCO 2005: motor function improved in 26-31% after RT",
                                     "a walker with a deficit improves one Frankel grade after RT", (0.2, 0.35))
    surgery_improve_grade: float = _share("Shehadi 2007: 53% with deficits improved",
                                          "a walker with a deficit improves one Frankel grade after surgery",
                                          (0.4, 0.65))
    rt_relapse_median_days: float = param(
        "days", 1, 3650, "tuned to Patchell 2005: ambulation retained median 13 d after RT",
        "median time a walker keeps walking after RT alone of high-grade compression", (15, 120))
    rt_relapse_low_grade_median_days: float = param(
        "days", 1, 7300, "Antwerp MA (54 papers): 1-y local control 81% after cEBRT (exponential median ~1,200 d)",
        "median time a walker keeps walking after RT of a lesion below ESCC 2", (600, 2500))
    surgery_relapse_median_days: float = param(
        "days", 1, 7300, "tuned to Patchell 2005: ambulation retained median 122 d after surgery + RT",
        "median time a walker keeps walking after surgery + RT", (80, 400))
    recovery_days: float = param("days", 0, 180, "assumption: weeks to regain walking",
                                 "treatment start to regained walking", (7, 42))
    rt_effect_days: float = param("days", 0, 30, "assumption: compression relieved over the first days of RT",
                                  "RT start until decline stops", (1, 7))
    rt_after_surgery_days: float = param("days", 0, 60, "Patchell 2005 (unverified): RT within 14 d of surgery",
                                         "surgery to post-operative RT", (7, 21))
    rt_course_days: float = param("days", 1, 30, "Patchell 2005: 30 Gy in 10 fractions", "RT course length",
                                  (1, 14))
    p_complication: float = _share("Shehadi 2007 [breast] 39%; Bulthuis 2023 34.7%; Quraishi 2013 19%",
                                   "complication after open spinal surgery", (0.11, 0.39))
    p_rt_pain_response: float = _share("Radiat Oncol review: conventional RT relief 60-80%",
                                       "pain response to conventional RT", (0.6, 0.8))
    p_sbrt_pain_response: float = _share("Sahgal 2021 SC.24: complete response 35% vs 14%; assumption overall",
                                         "pain response to SBRT", (0.7, 0.9))
    rt_pain_relief: float = param("proportion", 0, 1, "Truntzer 2013: responders reach relief by ~2 weeks",
                                  "share of biological + radicular pain removed by responding RT", (0.5, 0.9))
    rt_pain_days: float = param("days", 0, 90, "Truntzer 2013: 38% at end of RT, 54% by day 8",
                                "RT start to pain relief", (7, 30))
    surgery_vas_after: float = param("VAS 0-10", 0, 10, "Shehadi 2007: median VAS 6 to 2",
                                     "VAS after decompression and stabilisation", (1, 3))
    cement_vas_drop: float = param("VAS points", 0, 10, "Berenson (CAFE) 2011: NRS -3.8 at 1 month",
                                   "mechanical VAS removed by cement augmentation", (3, 4.5))
    brace_vas_drop: float = param("VAS points", 0, 10, "assumption: Squires 2023 less pain with a rigid brace",
                                  "mechanical VAS removed by a brace", (0.5, 2))
    bone_agent_vas_drop: float = param("VAS points", 0, 10,
                                       "assumption: pamidronate marked pain relief 44% vs 30% (JCO 1996)",
                                       "biological VAS removed by a bone-targeted agent", (0, 1))
    pain_relapse_median_days: float = param("days", 1, 3650,
                                            "assumption: Rades 2005 in-field recurrence up to 26% at 2 y",
                                            "median time until treated pain returns", (180, 900))


class Parameters(Group):
    """Everything one scenario sets: the model's whole parameter set."""

    cohort: Cohort
    natural_history: NaturalHistory
    pain: Pain
    pathway: Pathway
    services: Services
    strategy: Strategy
    treatment: Treatment
