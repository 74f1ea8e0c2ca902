"""The parameter model: every number the simulation uses, with unit, range and source.

Source keys are short citations of ``shared/design/EVIDENCE.md`` and the seed review
(Ju et al., *World J Clin Oncol* 2014;5:263, cited as "Ju 2014 (seed)"). "assumption: ..." marks a
number no source gives, with the reason. Instants are days on the clock (``*_day``); durations are
lengths (``*_days``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from simulator.parameters.fields import Group, choice, flag, param, values
from simulator.vocabulary import CURRENCY_SYMBOLS, ESCC_GRADES

EsccGrade = Literal["0", "1a", "1b", "1c", "2", "3"]
assert EsccGrade.__args__ == ESCC_GRADES  # noqa: S101 - the Literal restates the vocabulary for pydantic
Currency = Literal["GBP", "EUR", "USD", "CAD"]
assert Currency.__args__ == tuple(CURRENCY_SYMBOLS)  # noqa: S101 - as above

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
    p_de_novo_metastatic: float = _share(
        "derived: Gong 2018 (SEER) 3.6% of all BC have bone metastases at diagnosis; Harries 2014 8.3% develop "
        "them later (3.6 / (3.6 + 8.3) = 0.30)",
        "entrants whose breast cancer was metastatic when first diagnosed (interval to MSCC counts from entry)",
        (0.2, 0.4))
    years_since_cancer_median: float = param(
        "years", 0.1, 30, "Hortobagyi NEJM 1996: median 3.8 y from primary to bone metastasis (SD 4.5 y)",
        "median years from the first breast cancer diagnosis to entry (recurrent disease)", (2.5, 5))
    years_since_cancer_sigma: float = param("log-SD", 0.1, 3, "Hortobagyi 1996: SD 4.5 y around a 3.8 y median",
                                            "lognormal spread of years since the first diagnosis", (0.6, 1.2))


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
    hr_walking_with_aid: float = param(
        "hazard ratio", 1, 10, "assumption: between walking unaided (1) and not walking (1.75), geometric middle",
        "death hazard ratio while walking with an aid vs unaided (causal part: the state itself)", (1.0, 1.75))
    hr_not_walking: float = param(
        "hazard ratio", 1, 10, "calibrated so that the crude death-rate ratio by walking status at diagnosis matches "
        "Yang 2018 (meta-analysis: non-ambulatory vs ambulatory HR 1.96, 1.65-2.34); Rades 2011 (504 breast MSCC): "
        "RR 1.75 (1.23-2.50) by status before RT, adjusted for visceral and bone metastases and deficit speed",
        "death hazard ratio while unable to walk (Frankel C) vs walking unaided: the current state, which treatment "
        "can change (a status at diagnosis is diluted by later recovery)", (1.2, 4.0))
    hr_rapid_motor_deficit: float = param(
        "hazard ratio", 1, 5, "Rades, Douglas, Veninga et al. 2011 (Strahlenther Onkol; 504 breast MSCC treated with "
        "RT, multivariate): time developing motor deficits 1-14 vs > 14 days RR 1.55 (1.30-1.86), adjusted for "
        "ambulatory status, visceral and other bone metastases and the number of vertebrae",
        "death hazard ratio from the onset of a motor deficit that develops rapidly, or the day it would have "
        "begun had treatment not prevented it (aggressive disease: a prognostic factor fixed by the lesion's own "
        "speed, which treatment does not change)", (1.30, 1.86))
    rapid_motor_deficit_days: float = param(
        "days", 1, 90, "Rades 2006 (JCO, 1,852 MSCC) and 2011: the cut-point of time developing motor deficits "
        "(1-14 vs > 14 days)", "a motor deficit is rapid if, untreated, it would cost walking within this time",
        (7, 14))
    hr_paraplegic: float = param(
        "hazard ratio", 1, 20, "assumption: no source gives Frankel A-B apart; 1.5 x the not-walking ratio "
        "(Tokuhashi and Rades scores grade paraplegia worst); plausible range: at least the not-walking ratio of "
        "Rades 2011 (1.75), at most 2.5 x the baseline not-walking ratio (3.0; the evidence notes' assumed 1.0-2.5 "
        "for A-B vs C)",
        "death hazard ratio while paraplegic (Frankel A-B) vs walking unaided", (1.75, 7.5))


class SphincterDysfunction(Group):
    """Bladder (sphincter) dysfunction by grade: it follows motor function (Ju 2014, seed)."""

    d_unaided: float = _share("assumption: mild weakness rarely affects the sphincters",
                              "sphincter dysfunction while walking unaided with a deficit", (0.0, 0.2))
    d_aid: float = _share("assumption: modified Frankel D1 includes bladder dysfunction (J Orthop Surg Res 2018)",
                          "sphincter dysfunction while walking with an aid", (0.2, 0.5))
    not_walking: float = _share("assumption, with Helweg-Larsen 1996: catheter in 37% at diagnosis, 52% walking",
                                "sphincter dysfunction while unable to walk (Frankel C)", (0.4, 0.8))
    paraplegic: float = _share("assumption: Clin Exp Metastasis 2020: bladder dysfunction 73% of non-walkers "
                               "after surgery", "sphincter dysfunction while paraplegic (Frankel A-B)", (0.6, 0.95))


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
    motor_onset_mean_days: float = param(
        "days", 0, 365, "Quinn & DeAngelis 2000 (quoted): pain predates neurological changes by a median of 7 weeks; "
        "calibrated to SCORAD III (22% without deficit at entry)", "mean time ESCC 2 to motor deficit", (7, 90))
    walking_loss_median_days: float = param(
        "days", 1, 365, "Helweg-Larsen & Sorensen 1994: weakness to loss of walking median 38 d",
        "median motor deficit to loss of walking (untreated, gradual compression)", (20, 90))
    walking_unaided_fraction: float = _share(
        "assumption: modified Frankel D3 (walks unaided) before D1-D2 (with an aid); calibrated to SCORAD "
        "(Hoskin 2019) and CRAG (Levack 2002) walking levels at diagnosis",
        "share of the time from a motor deficit to loss of walking spent walking unaided", (0.1, 0.7))
    p_acute_deterioration: float = _share(
        "Rades 2000 (IJROBP, prospective, 57 MSCC): 14 deteriorated rapidly within 48 h before RT (none improved); "
        "Rades 1999: 31 of 96", "compression that costs function acutely (vascular) rather than gradually",
        (0.15, 0.35))
    acute_time_factor: float = param(
        "ratio", 0.001, 1, "assumption: an acute deterioration loses walking within about 2 days (Rades 1999: < 48 h)",
        "time to lose walking in an acute decline relative to the patient's gradual one (paralysis then follows "
        "at her gradual pace)", (0.02, 0.15))
    walking_loss_sigma: float = param("log-SD", 0.1, 3,
                                      "assumption: Ju 2014 (seed) variable rate of deterioration",
                                      "patient-to-patient spread of decline speed", (0.4, 1.6))
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
    sphincter: SphincterDysfunction


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
                                        "urgent referral delay (median on the emergency route)", (0.5, 2))
    urgent_delay_sigma: float = param(
        "log-SD", 0, 3, "assumption: Husband 1998 ranges (GP 0-330 d, district hospital 0-794 d around medians of 3 "
        "and 4 d) show long tails", "spread of the urgent referral and hospital assessment delays (lognormal)",
        (0.3, 1.5))
    hospital_assessment_days: float = param(
        "days", 0, 30, "assumption: NICE QS56 asks for MRI within 24 h of suspected MSCC (Bachour 2025: 62% met it); "
        "Husband 1998: district-hospital stage a median 4 d in the 1990s", "median emergency referral to the MRI "
        "request (hospital assessment)", (0.25, 4))
    mri_booking_days: float = param("days", 0, 180, "assumption: administrative lag before a routine slot",
                                    "routine MRI booking lag (before the queue)", (1, 14))
    retest_median_days: float = param("days", 1, 365, "assumption", "median time back to care after a false negative",
                                      (14, 60))
    presentation_per_day_warning_signs: float = param(
        "per day", 0, 5, "assumption, calibrated to SCORAD III (Hoskin 2019) 22% walking unaided at diagnosis; "
        "NICE CG75: radicular pain in known cancer warrants immediate contact, and patients at risk are told so "
        "(QS56 statement 1): a post-2008 route, absent from the 1990s audits' pathway (targets.toml)",
        "presentation hazard with warning signs of compression (radicular or band-like pain), before a deficit",
        (0.005, 0.2))
    presentation_per_day_deficit: float = param(
        "per day", 0, 5, "assumption, calibrated to Levack 2002 (weakness noticed a median 20 d before diagnosis) and "
        "Rades (prospective): deficits that develop slowly are brought to care late",
        "presentation hazard with a mild motor deficit, still walking unaided", (0.0, 0.1))
    presentation_per_day_walking_aid: float = param(
        "per day", 0, 5, "assumption, calibrated to SCORAD III (43% walking with aids or reduced power at entry) and "
        "CRAG (Levack 2002: 82% unable to walk or walking only with help)",
        "presentation hazard when walking needs an aid", (0.01, 0.3))
    presentation_per_day_not_walking: float = param(
        "per day", 0, 20, "assumption: Helweg-Larsen 1994 (diagnosis rose stepwise with loss of gait or paralysis); "
        "calibrated to CRAG (Levack 2002) 46% unable to walk at diagnosis",
        "presentation hazard once unable to walk", (0.1, 3))
    p_gp_recognises_deficit: float = _share(
        "assumption (no per-visit figure found), calibrated to the walking levels at diagnosis: NICE CG75 asks for "
        "immediate contact on limb weakness in known cancer, but deficits are often missed in primary care: Levack "
        "2002 (CRAG): weakness noticed a median 20 d before diagnosis; Husband 1998: motor function worsened at the "
        "general-practice stage in 28% (57 patients); hence a range down to rare recognition",
        "a primary-care visit recognises a motor deficit as an emergency", (0.02, 0.9))
    p_gp_recognises_warning_signs: float = _share(
        "assumption: NICE CG75 red flags (radicular, band-like pain) call for contact within 24 h; CRAG: root "
        "pain to referral a median 9 weeks (NICE 2008)", "a primary-care visit recognises the warning signs of "
        "compression as an emergency", (0.05, 0.5))
    relapse_review_median_days: float = param(
        "days", 0, 180, "assumption: returning pain is reviewed within weeks in oncology follow-up",
        "median time from a pain relapse to review and imaging", (3, 42))
    decision_days: float = param("days", 0, 60, "assumption: MDT decision after a routine diagnosis",
                                 "routine diagnosis to treatment decision", (1, 14))
    fast_track_mri: bool = flag("NICE CG75 (public information): MRI within 1 week for pain suggesting spinal mets",
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
    mri_slots_per_scanner_day: float = param(
        "scans/day", 0.1, 100,
        "assumption: the pathway's share of a scanner's day, set so that it carries its demand at about 80% (about "
        "0.85 scans a day at baseline's 1,000 arrivals a year, measured with ample capacity); below the demand the "
        "queue, and every delay, grows with the run", "spine MRI scans per scanner per day", (0.4, 1.5))
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
    p_surgical_referral: float = _share(
        "calibrated to practice: Loblaw 2003 (Ontario) 16% of first MSCC episodes operated; Bollen (Dutch) 10% "
        "of symptomatic spinal metastases; Exeter 2010 (Britspine): 0% before an MSCC coordinator, 22% after",
        "a surgical candidate is referred for a surgical opinion (current practice; 1 = always)", (0.2, 1.0))
    surgical_referral_older_age_years: float = param(
        "years", 18, 100, "Chi 2009 (Patchell trial): surgery's benefit vanished between 60 and 70 years",
        "age from which referral for surgery is less likely", (65, 80))
    surgical_referral_older_odds_ratio: float = param(
        "odds ratio", 0.01, 10, "assumption: older patients are referred less often (no audit gives the ratio)",
        "odds ratio of referral at or above that age", (0.3, 1.0))
    surgical_referral_out_of_hours_odds_ratio: float = param(
        "odds ratio", 0.01, 10, "assumption: out-of-hours decisions reach a surgeon less often (Graham 2006: 7 of "
        "20 trial patients randomised out of hours)", "odds ratio of referral outside weekday office hours",
        (0.4, 1.0))
    p_surgical_acceptance: float = _share(
        "assumption: the surgeon accepts most referred candidates who meet the policy's criteria (Melbourne COSA "
        "2013: 68% operated where spinal surgery was on site)", "a referred candidate is accepted for surgery",
        (0.6, 1.0))
    surgical_opinion_days: float = param(
        "days", 0, 14, "assumption: the opinion is given within hours in office time (Exeter 2010: referral to MRI "
        "41 h)", "office time from referral to the surgical opinion", (0.1, 2))
    salvage_surgery: bool = flag("Radiat Oncol 2017: salvage surgery after SBRT failure; assumption",
                                 "offer salvage surgery for a neurological relapse (if never operated)")
    sbrt_for_reirradiation: bool = flag("Myrehaug 2017 (ISRS): SBRT re-irradiation 76% 1-year local control",
                                        "re-irradiate a relapse with SBRT instead of conventional RT")
    supportive_max_expected_survival_months: float = param(
        "months", 0, 60, "Rades 2013 2-month death score: best supportive care for the dying",
        "expected survival below which care is supportive only", (0, 3))


# --- Treatment effects ------------------------------------------------------------------------


class Response(Group):
    """Who walks after treatment: a logistic model of the state at effect and the prognostic factors.

    Base probabilities are for the reference patient: median decline speed, no visceral
    metastases, breast cancer diagnosed more than 15 months before, unable to walk for at most
    48 h, dexamethasone given, radiotherapy alone. The factors are those of Rades' scores.
    """

    p_walk_rt_unaided: float = _share(
        "Latini 1992 [breast]: 97% of walkers before RT responded; Rades 2005 breast: pre-RT ambulatory status "
        "predicts outcome", "walking after RT when walking unaided at effect (reference patient)", (0.85, 0.99))
    p_walk_rt_with_aid: float = _share(
        "assumption between unaided and not walking; Bach 1990: 79% of walkers stayed ambulatory",
        "walking after RT when walking with an aid at effect (reference patient)", (0.6, 0.95))
    p_walk_rt_not_walking: float = _share(
        "Helweg-Larsen 1996: 28% of non-walkers walked again; Rades 2010 matched: 26%; Latini 1992 [breast]: 60%; "
        "Kim 2012 SR: 29%", "regaining walking after RT when unable to walk (Frankel C, <= 48 h)", (0.2, 0.65))
    p_walk_rt_paraplegic: float = _share(
        "Maranzano 2011 RCT data: 0/5 non-ambulant recovered; PMID 39563396: Frankel A 29%, B 57% after surgery",
        "regaining walking after RT when paraplegic (Frankel A-B, <= 48 h)", (0.0, 0.2))
    log_odds_per_faster_fold: float = param(
        "log-odds per e-fold", 0, 5, "calibrated to Rades (prospective, n=98): walking after RT 35 / 55 / 86% when "
        "deficits developed over 1-7 / 8-14 / > 14 d; Rades 2000: 93% vs 10% improved after > 14 vs 1-14 d",
        "fall in the log-odds of walking per e-fold faster untreated decline than the median (tumour growth, "
        "vascular injury)", (0.2, 2))
    visceral_odds_ratio: float = param(
        "odds ratio", 0.05, 2, "assumption: a Rades ambulatory-score factor (IJROBP 2008; points not read); Rades "
        "2011 breast: no visceral metastases, better motor outcome", "odds ratio of walking with visceral metastases",
        (0.4, 1.0))
    short_interval_odds_ratio: float = param(
        "odds ratio", 0.05, 2, "assumption: a Rades ambulatory-score factor (interval <= 15 months; points not read)",
        "odds ratio of walking when breast cancer was diagnosed <= 15 months before", (0.5, 1.0))
    paralysed_over_48h_odds_ratio: float = param(
        "odds ratio", 0.01, 1, "Chaichana 2008 (n=78): symptoms < 48 h RR 2.9 for regaining walking; Patchell 2005 "
        "excluded paraplegia > 48 h; but surgical series of patients unable to walk for > 48 h report 55% (61/111, "
        "Sweden 2025) and 59.5% (22/37, PMID 39563396) walking again, near unselected surgical series (Kim 2012 SR: "
        "64%), so no effect (1) is plausible", "odds ratio of walking again after more than 48 h unable to walk",
        (0.15, 1.0))
    surgery_speed_factor: float = _share(
        "assumption: decompression relieves an acute compression at once (Chaichana 2008: symptoms < 48 h before "
        "surgery, RR 2.9 for walking again), where radiotherapy acts over days",
        "share of the speed-of-decline effect that remains after surgery (1 = as after RT)", (0.0, 1.0))
    surgery_odds_ratio: float = param(
        "odds ratio", 0.2, 20, "calibrated to Patchell 2005 (84% vs 57%, OR about 4 at a median age of 60) and "
        "Rades 2010 matched pairs (69% vs 68%, older)", "odds ratio of walking after decompressive surgery + RT vs "
        "RT alone at age 60", (1.5, 6))
    surgery_age_interaction_per_decade: float = param(
        "ratio per decade", 1, 5, "Chi 2009 (Patchell trial): age x treatment interaction HR 1.61 (unit taken as "
        "per decade: assumption); benefit vanished between 60 and 70", "fall of the surgical odds ratio per decade of "
        "age above 60", (1.0, 2.5))
    steroid_odds_ratio: float = param("odds ratio", 0.5, 10, "Sorensen 1994: gait after treatment 81% vs 63% "
                                      "with dexamethasone (OR 2.5)", "odds ratio of walking after treatment with "
                                      "dexamethasone", (1.5, 3.5))
    reirradiation_odds_ratio: float = param(
        "odds ratio", 0.1, 5, "Rades 2005 (re-RT after short-course RT): 38% of non-walkers walked again, as after "
        "a first course", "odds ratio of walking after re-irradiation vs a first course", (0.5, 1.5))


class Treatment(Group):
    """Times to effect, durability, pain response and risks of each treatment."""

    rt_improve_grade: float = _share(
        "Rades JCO 2005: motor function improved in 26-31% after RT; Rades 2002: 10% / 29% / 86% when deficits "
        "developed over 1-7 / 8-14 / > 14 d (the speed of decline moves it, as response.log_odds_per_faster_fold)",
        "a patient walking with a deficit recovers full function (Frankel E) after RT, or one who walks again does so "
        "unaided (reference patient: median speed of decline)", (0.2, 0.35))
    surgery_improve_grade: float = _share("Shehadi 2007: 53% with deficits improved",
                                          "the same after surgery (the speed effect as response.surgery_speed_factor)",
                                          (0.4, 0.65))
    rt_relapse_median_days: float = param(
        "days", 1, 7300, "Rades 2018 (686 pts, 20 Gy/5): 12-month local progression-free survival 63% in the "
        "intermediate group (exponential median ~550 d); 83% favourable, 46% poor",
        "median time a walker keeps local control after RT of high-grade compression", (300, 1400))
    rt_relapse_low_grade_median_days: float = param(
        "days", 1, 7300, "Antwerp MA (54 papers): 1-y local control 81% after cEBRT (exponential median ~1,200 d)",
        "median time to progression after RT of a lesion below ESCC 2", (600, 2500))
    surgery_relapse_median_days: float = param(
        "days", 1, 7300, "Park 2024 (102 pts): symptomatic local recurrence 21.5% at 12 months after surgery "
        "(exponential median ~1,050 d)", "median time to local recurrence after surgery + RT", (600, 2000))
    recovery_days: float = param("days", 0, 180, "assumption: Rades 2000: improvement seen by the end of RT and "
                                 "stable to 24 weeks", "treatment effect to improved or regained walking", (7, 42))
    rt_effect_days: float = param("days", 0, 30, "assumption: compression relieved over the first days of RT",
                                  "RT start until decline stops", (1, 7))
    rt_after_surgery_days: float = param("days", 0, 60, "Patchell 2005 (unverified): RT within 14 d of surgery",
                                         "surgery to post-operative RT", (7, 21))
    p_complication: float = _share("Shehadi 2007 [breast] 39%; Bulthuis 2023 34.7%; Quraishi 2013 19%",
                                   "complication after open spinal surgery", (0.11, 0.39))
    p_complication_neurological: float = _share(
        "assumption: a minority of complications (epidural haematoma, wound breakdown) cost neurological function",
        "a complication costs one neurological grade", (0.0, 0.25))
    complication_days: float = param("days", 0, 60, "assumption: early post-operative complications",
                                     "surgery to a neurological complication", (1, 14))
    surgery_30d_hazard_ratio: float = param(
        "hazard ratio", 1, 50, "calibrated to 30-day mortality after surgery (2.6% Japan DPC, n=3,524; 9% AOSpine, "
        "n=142; 11% NSQIP); risk rises with dependent status (NSQIP OR 5.75), non-skeletal metastases (DPC OR 2.27) "
        "and emergency admission (OR 1.8), so the ratio applies to the patient's own metastatic hazard",
        "death hazard in the 30 days after surgery relative to the patient's own metastatic hazard", (1, 8))
    p_steroid_serious_complication: float = _share(
        "J Neurooncol 1992: serious side effects 0/38 with 16 mg/d vs 4/28 with 96 mg; assumption 1%",
        "serious complication of a dexamethasone course", (0.0, 0.14))
    max_rt_courses: int = param("courses", 1, 5, "Rades 2008 (124 re-irradiated): no myelopathy at a cumulative "
                                "BED <= 120 Gy2, about two courses", "radiotherapy courses to one spinal site", (1, 3))
    max_retreatments: int = param("courses", 0, 10, "assumption: bounds the number of courses after relapse",
                                  "most courses of treatment for relapse", (1, 5))
    rt_pain_complete: float = _share(
        "Chow (Toronto, n=518, consensus endpoints): complete response 23-25% at weeks 2-12",
        "complete pain response to conventional RT", (0.13, 0.27))
    rt_pain_partial: float = _share(
        "Chow (Toronto, n=518): partial response 22-28% at weeks 2-12", "partial pain response to conventional RT",
        (0.2, 0.35))
    sbrt_complete_odds_ratio: float = param(
        "odds ratio", 0.2, 20, "Sahgal 2021 (SC.24): complete response at 3 months 35% vs 14%, OR 3.47",
        "odds ratio of a complete pain response with SBRT vs conventional RT", (1.5, 6))
    reirradiation_pain_complete: float = _share(
        "Radiother Oncol 2014 SR of re-irradiation (15 articles): complete 20%", "complete pain response to "
        "re-irradiation", (0.1, 0.3))
    reirradiation_pain_partial: float = _share(
        "same SR: partial 50% (overall 68%); Huisman (Utrecht): 66% of evaluable", "partial pain response to "
        "re-irradiation", (0.3, 0.55))
    surgery_pain_complete: float = _share(
        "assumption, with Shehadi 2007: median VAS 6 to 2 after surgery, held through 12 months",
        "complete tumour-pain response after decompression + RT", (0.1, 0.5))
    surgery_pain_partial: float = _share("assumption, with Shehadi 2007 (median VAS 2 after surgery)",
                                         "partial tumour-pain response after decompression + RT", (0.3, 0.7))
    pain_partial_residual: float = _share(
        "assumption: a partial response is at least a 2-point fall (consensus endpoints); half the pain remains",
        "share of tumour pain left by a partial response", (0.3, 0.7))
    rt_pain_days: float = param("days", 0, 120, "van der Velden 2018 (432 pts): median time to response 4 weeks "
                                "(1-15)", "RT start to pain response", (7, 42))
    pain_relapse_median_days: float = param(
        "days", 1, 3650, "assumption: Dutch Bone Metastasis Study re-treatment 24% after 8 Gy vs 6% after 24 Gy",
        "median time until treated pain returns", (180, 900))
    cement_vas_drop: float = param("VAS points", 0, 10, "Berenson (CAFE) 2011: NRS -3.8 at 1 month",
                                   "mechanical VAS removed by cement augmentation", (3, 4.5))
    brace_vas_drop: float = param("VAS points", 0, 10, "assumption: Squires 2023 less pain with a rigid brace",
                                  "mechanical VAS removed by a brace", (0.5, 2))
    bone_agent_vas_drop: float = param("VAS points", 0, 10,
                                       "assumption: pamidronate marked pain relief 44% vs 30% (JCO 1996)",
                                       "biological VAS removed by a bone-targeted agent", (0, 1))


# --- Health economics: costs, utilities, discounting ---------------------------------------------

_NCC = "NHS National Cost Collection 2023/24 (NCC)"
_PSSRU = "PSSRU Unit Costs of Health and Social Care 2024 (2023/24 prices)"


def _cost(source: str, description: str, plausible: tuple[float, float], high: float = 1_000_000) -> Any:
    return param("GBP 2023/24", 0, high, source, description, plausible)


class EventCosts(Group):
    """Unit costs of what happens to a patient (each event of the log costs once)."""

    gp_visit: float = _cost(f"{_PSSRU} Table 9.4.2: GP surgery consultation of 10 minutes, GBP 45",
                            "a primary-care visit", (33, 48))
    xray: float = _cost(f"{_NCC}: directly accessed plain film, GBP 43", "a plain radiograph", (43, 101))
    ct: float = _cost(f"{_NCC}: RD20A CT of one area without contrast, GBP 115", "a CT scan", (103, 158))
    mri: float = _cost(f"{_NCC}: RD04Z MRI of two or three areas (whole spine), GBP 149", "a whole-spine MRI",
                       (149, 201))
    mri_out_of_hours_factor: float = param(
        "ratio", 1, 5, "assumption: NCC does not split MRI by time of day; a 1.5x out-of-hours premium",
        "cost of an MRI outside weekday office hours relative to one inside", (1.0, 2.0))
    specialist_attendance: float = _cost(f"{_NCC}: WF01B consultant-led first attendance, GBP 232",
                                         "a specialist (oncology or spinal) assessment after referral", (192, 277))
    emergency_admission: float = _cost(
        f"{_NCC}: HC30 non-elective spinal admission without procedure (weighted), GBP 8,064 (mapping an assumption)",
        "an emergency admission for suspected MSCC that is not operated", (4648, 9729))
    decompression: float = _cost(
        f"{_NCC}: HC62-HC63 non-elective extradural spinal procedures (weighted), GBP 14,799 (mapping an assumption)",
        "decompressive surgery (the whole spell)", (9727, 23689))
    resection: float = _cost(
        f"{_NCC}: HC60-HC61 non-elective complex extradural procedures (weighted), GBP 22,037 (mapping an assumption)",
        "resection with stabilisation (the whole spell)", (15720, 28986))
    cement_augmentation: float = _cost(f"{_NCC}: HC64 day case (proxy), GBP 3,921", "vertebroplasty or kyphoplasty",
                                       (1817, 7629))
    brace: float = _cost("assumption: no NHS source found for a spinal orthosis", "a spinal brace", (100, 800))
    rt_planning: float = _cost(f"{_NCC}: SC47Z simple radiotherapy planning, GBP 539", "planning a conventional course",
                               (460, 815))
    rt_fraction: float = _cost(f"{_NCC}: SC22Z delivery of a fraction, GBP 237", "one fraction of conventional RT",
                               (230, 313))
    rt_fractions: int = param("fractions", 1, 30, "SCORAD III (Hoskin 2019): 20 Gy in 5 fractions vs 8 Gy in 1; "
                              "UK practice uses both", "fractions of a conventional palliative course", (1, 10))
    sbrt_course: float = _cost(f"{_NCC}: SC40Z SBRT planning GBP 1,338 + 2 x SC31Z delivery GBP 313 = GBP 1,963",
                               "a course of stereotactic RT (24 Gy in 2 fractions, as SC.24)", (1712, 2901))
    steroid_course: float = _cost("NHSBSA Drug Tariff, September 2025: dexamethasone 16 mg/day tapered, about GBP 5",
                                  "a dexamethasone course", (3, 20))
    complication: float = _cost(f"{_NCC}: HC31H/J non-elective spinal disorders with complications (proxy), "
                                "GBP 13,540", "a surgical or steroid complication", (8025, 15114))
    end_of_life: float = _cost("PSSRU 2024 (uprated): health and social care cost of the final year of life with "
                               "cancer, GBP 13,964", "care in the last months of life (charged at death)",
                               (10000, 18000))


class StateCosts(Group):
    """Daily costs of living in a neurological state (community health and social care)."""

    walking_with_aid: float = _cost(
        f"assumption priced with {_PSSRU}: half an hour of home care (GBP 27/h) and a district nurse visit a week "
        "(GBP 58)", "community and social care per day walking with an aid", (0, 50), high=10_000)
    not_walking: float = _cost(
        f"assumption priced with {_PSSRU}: 4 h of home care a day, 3 district nurse visits a week, equipment",
        "community and social care per day unable to walk", (60, 224), high=10_000)
    paraplegic: float = _cost(
        f"assumption priced with {_PSSRU}: 6 h of home care and a daily district nurse visit (a care home costs "
        "GBP 224 a day)", "community and social care per day paraplegic", (133, 268), high=10_000)
    informal_care_per_hour: float = _cost(
        f"{_PSSRU}: home care worker hour GBP 27 (opportunity cost of a carer's hour, societal perspective only)",
        "value of an hour of unpaid care", (10, 30), high=1000)
    informal_care_hours_not_walking: float = param(
        "hours/day", 0, 24, "assumption: unpaid care beside the formal package", "unpaid care per day unable to walk "
        "or paraplegic (societal perspective)", (2, 8))


class CapacityCosts(Group):
    """What a unit of each limited service costs to provide for a day, so that capacity has a price."""

    mri_scanner_day: float = _cost(f"derived: 18 scan slots a day x {_NCC} RD04Z GBP 149",
                                   "an MRI scanner-day for this pathway", (1793, 3585))
    theatre_day: float = _cost("secondary: about GBP 1,200 per theatre hour x 4 h (one spinal list)",
                               "a spinal theatre session-day", (4800, 7504))
    linac_day: float = _cost(f"derived: 35 fraction slots a day x {_NCC} SC22Z GBP 237", "a linac-day",
                             (5935, 15626))


class Costs(Group):
    """Costs, in the scenario's currency and price year (defaults: UK NHS and PSS, GBP 2023/24)."""

    event: EventCosts
    state: StateCosts
    capacity: CapacityCosts


_Utility = Annotated[float, Field(ge=-0.6, le=1.0)]


def _utility(source: str, description: str, plausible: tuple[float, float]) -> Any:
    return param("utility (0 = dead, 1 = full health)", -0.6, 1.0, source, description, plausible)


class Utilities(Group):
    """Health-state utilities (EQ-5D scale) and the decrements that modify them."""

    walking_unaided: float = _utility("Schoenfeld et al., Spine (EQ-5D by ambulatory status in spinal metastases, "
                                      "675 assessments): walking independently 0.76", "walking unaided", (0.66, 0.86))
    walking_with_aid: float = _utility("Schoenfeld et al., Spine: walking with an assistive device 0.59",
                                       "walking with an aid", (0.49, 0.69))
    not_walking: float = _utility("Schoenfeld et al., Spine: non-ambulatory 0.14", "unable to walk", (0.05, 0.25))
    paraplegic: float = _utility("derived: Matza 2014 cord compression with paralysis -0.32 from 0.47 (0.15), "
                                 "as Schoenfeld's non-ambulatory 0.14", "paraplegic (Frankel A-B)", (0.05, 0.25))
    pain_moderate_decrement: float = param(
        "utility", 0, 1, "Dolan 1997 UK EQ-5D-3L tariff: moderate pain or discomfort -0.123 (applied to VAS 4-6.9)",
        "utility lost while pain is moderate (VAS 4 to 7)", (0.06, 0.2))
    pain_severe_decrement: float = param(
        "utility", 0, 1, "Dolan 1997 UK EQ-5D-3L tariff: extreme pain or discomfort -0.386 (applied to VAS 7-10)",
        "utility lost while pain is severe (VAS 7 to 10)", (0.2, 0.5))
    postoperative_decrement: float = param("utility", 0, 1, "Matza 2014: surgery disutility -0.07",
                                           "utility lost after an operation", (0.035, 0.14))
    postoperative_days: float = param("days", 0, 365, "assumption: no source gives the duration",
                                      "how long the post-operative disutility lasts", (14, 90))
    radiotherapy_decrement: float = param("utility", 0, 1, "Matza 2014: two weeks of daily radiation -0.06",
                                          "utility lost during a radiotherapy course", (0.02, 0.06))
    radiotherapy_days: float = param("days", 0, 60, "Matza 2014: two weeks of daily radiation",
                                     "how long the radiotherapy disutility lasts", (7, 21))


_Threshold = Annotated[float, Field(ge=0, le=1_000_000)]


class Economics(Group):
    """The reference case of the cost-utility analysis: currency, perspective, discounting, horizon."""

    currency: Currency = choice(
        "NICE PMG36: costs in the currency of the health system", "currency of every cost")
    price_year: int = param("year", 1990, 2100, "NCC 2023/24 and PSSRU 2024: financial year 2023/24 (given as 2023)",
                            "price year of the costs (start of the financial year)", (2015, 2030))
    perspective: Literal["health-system", "societal"] = choice(
        "NICE PMG36 Table 4.1: NHS and personal social services (the health-system perspective here)",
        "costs counted: health system and social care, or also unpaid care (societal)")
    discount_costs: float = param("per year", 0, 0.15, "NICE PMG36 section 4.5.1: 3.5% a year",
                                  "discount rate of costs", (0.0, 0.06))
    discount_outcomes: float = param("per year", 0, 0.15, "NICE PMG36 section 4.5.1: 3.5% a year (1.5% in a "
                                     "sensitivity case)", "discount rate of QALYs and life-years", (0.0, 0.06))
    horizon_years: float = param("years", 0.1, 50, "NICE PMG36: long enough to capture all differences; the "
                                 "follow-up of the cohort bounds it", "time horizon from each patient's entry",
                                 (1, 20))
    wtp_thresholds: list[_Threshold] = values(
        "GBP per QALY", 0, 1_000_000, "NICE PMG36: 20,000 to 30,000 GBP per QALY (25,000-35,000 from April 2026 "
        "for medicines)", "willingness-to-pay thresholds for net benefit and acceptability")


# --- Service standards (reported as pathway KPIs; they change no patient's course) -------------------


class Targets(Group):
    """The waiting-time standards the pathway is held to, as the KPIs count them."""

    emergency_mri_hours: float = param(
        "hours", 1, 168, "NICE QS56 statement 3: whole-spine MRI within 24 hours of suspected MSCC with "
        "neurological symptoms or signs", "target from an emergency presentation to its MRI "
        "(a scan at exactly the target meets it)", (24, 48))
    referral_to_mri_days: float = param(
        "days", 0.5, 90, "NICE CG75/NG234: MRI within 1 week for pain suggestive of spinal metastases without "
        "neurology (unverified: the one-week wording was not seen in the guideline; set the local standard)",
        "target from a routine or fast-track referral to the diagnostic MRI (a longer wait is a breach)", (7, 14))


class Parameters(Group):
    """Everything one scenario sets: the model's whole parameter set."""

    cohort: Cohort
    natural_history: NaturalHistory
    pain: Pain
    pathway: Pathway
    services: Services
    strategy: Strategy
    response: Response
    treatment: Treatment
    costs: Costs
    utilities: Utilities
    economics: Economics
    targets: Targets
