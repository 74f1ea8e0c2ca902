"""Small synthetic result tables that follow docs/api.md column for column (for unit tests)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

FRANKEL = ["A", "B", "C", "D", "E"]
TREATMENTS = ["surgery+rt", "rt", "sbrt", "cement+rt", "brace+rt", "supportive"]
COMPONENTS = ["patient_delay_days", "primary_care_delay_days", "referral_delay_days",
              "imaging_wait_days", "treatment_wait_days"]


@dataclass
class FakeResults:
    patients: pd.DataFrame
    events: pd.DataFrame
    states: pd.DataFrame
    summary: pd.DataFrame
    resources: pd.DataFrame
    manifest: dict[str, Any] = field(default_factory=dict)
    scenarios: list[Any] = field(default_factory=list)


def make_results(names=("baseline", "rt-only"), patients=60, replications=2, seed=0) -> FakeResults:
    rng = np.random.default_rng(seed)
    prow, erow, srow, rrow = [], [], [], []
    for s_i, name in enumerate(names):
        for rep in range(replications):
            for pid in range(patients):
                diagnosed = pid % 10 != 0
                comp = rng.exponential([10, 20, 8, 6, 3]) * (1 + 0.3 * s_i)
                onset = float(rng.uniform(0, 300))
                delay = float(comp.sum())
                dx = onset + delay if diagnosed else np.nan
                fr_dx = FRANKEL[min(4, int(rng.integers(1, 6)))] if diagnosed else None
                fr_tx = FRANKEL[min(4, FRANKEL.index(fr_dx) + 1)] if diagnosed else None
                ttl = float(rng.exponential(200))
                obs = bool(rng.random() < 0.6) if diagnosed else None
                amb = [bool(rng.random() < 0.7 - 0.1 * s_i) if diagnosed else None for _ in range(4)]
                row = {
                    "scenario": name, "replication": rep, "patient_id": pid, "subtype": "hr_positive",
                    "ecog": int(rng.integers(0, 4)), "age_years": float(rng.normal(61, 12)),
                    "entry_day": 0.0, "spinal_mets_day": onset - 30, "symptomatic": True,
                    "onset_day": onset, "diagnosed": diagnosed, "diagnosis_day": dx,
                    "route": "routine" if pid % 3 else "emergency",
                    **{c: (float(v) if diagnosed else np.nan) for c, v in zip(COMPONENTS, comp, strict=True)},
                    "diagnostic_delay_days": delay if diagnosed else np.nan,
                    "treatment": TREATMENTS[(pid + s_i) % len(TREATMENTS)] if diagnosed else "none",
                    "treatment_day": dx + 3, "mri_wait_days": 2.0, "surgery_wait_days": np.nan,
                    "rt_wait_days": 1.0, "frankel_at_diagnosis": fr_dx,
                    "ambulatory_at_diagnosis": fr_dx in ("D", "E") if diagnosed else None,
                    "escc_at_diagnosis": "2", "sins_at_diagnosis": 8, "vas_at_diagnosis": 6.0,
                    "frankel_after_treatment": fr_tx,
                    "ambulatory_after_treatment": fr_tx in ("D", "E") if diagnosed else None,
                    "ambulation_lost_day": np.nan,
                    **{f"frankel_{m}": fr_tx for m in ("1m", "3m", "6m", "12m")},
                    **{f"ambulatory_{m}": a for m, a in zip(("1m", "3m", "6m", "12m"), amb, strict=True)},
                    **{f"vas_{m}": float(rng.uniform(0, 8)) for m in ("1m", "3m", "6m", "12m")},
                    "pain_response_3m": bool(rng.random() < 0.6) if diagnosed else None,
                    "death_day": np.nan, "dead": False, "end_day": 1826.0,
                    "survival_days_from_diagnosis": 400.0 if diagnosed else np.nan,
                    "days_to_ambulation_loss": ttl if diagnosed else np.nan,
                    "ambulation_loss_observed": obs,
                }
                prow.append(row)
                erow.append({"scenario": name, "replication": rep, "patient_id": pid, "day": onset,
                             "event": "onset", "detail": "pain"})
                if diagnosed:
                    erow.append({"scenario": name, "replication": rep, "patient_id": pid, "day": dx,
                                 "event": "diagnosis", "detail": "routine"})
                    for k in range(8):
                        srow.append({"scenario": name, "replication": rep, "patient_id": pid,
                                     "day": dx + 30.4375 * k, "days_since_diagnosis": 30.4375 * k,
                                     "alive": k < 7 or pid % 2 == 0, "frankel": "D",
                                     "ambulatory": bool(rng.random() < 0.8 - 0.05 * k - 0.1 * s_i),
                                     "vas": float(rng.uniform(0, 8))})
            for svc in ("mri", "theatre", "radiotherapy"):
                rrow.append({"scenario": name, "replication": rep, "service": svc,
                             "uses": int(rng.integers(10, 100)), "utilisation": float(rng.uniform(0.2, 0.9)),
                             "mean_wait_days": float(rng.uniform(0, 10)), "p90_wait_days": float(rng.uniform(5, 20)),
                             "max_queue": int(rng.integers(0, 10))})
    srows = []
    for s_i, name in enumerate(names):
        for metric, label, unit, hib in (("ambulatory_3m", "Ambulatory at 3 months", "proportion", True),
                                         ("diagnostic_delay_median", "Median diagnostic delay", "days", False)):
            est = 0.6 - 0.05 * s_i if unit == "proportion" else 40 + 5 * s_i
            srows.append({"scenario": name, "metric": metric, "label": label, "unit": unit,
                          "higher_is_better": hib, "estimate": est, "ci_low": est * 0.9,
                          "ci_high": est * 1.1,
                          "difference": np.nan if s_i == 0 else est - (0.6 if unit == "proportion" else 40),
                          "difference_low": np.nan if s_i == 0 else -1.0,
                          "difference_high": np.nan if s_i == 0 else 1.0, "reference": names[0]})
    return FakeResults(pd.DataFrame(prow), pd.DataFrame(erow), pd.DataFrame(srow), pd.DataFrame(srows),
                       pd.DataFrame(rrow), {"seed": seed, "patients": patients,
                                            "replications": replications})
