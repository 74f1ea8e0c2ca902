"""Delay explorer logic (pure): which delays can be moved, the sweep of settings, and the words.

The sweep runs the baseline scenario at five settings of one delay (or of all of them together), on
the same simulated patients, so the curve shows what the delay alone does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.figures.style import as_bool

COMPONENT_PATHS: dict[str, tuple[str, str]] = {
    "patient": ("Patient: first symptom to first visit", "pathway.patient_delay_median_days"),
    "primary_care": ("Primary care: time between visits", "pathway.gp_revisit_median_days"),
    "referral": ("Referral to a specialist", "pathway.referral_median_days"),
    "imaging": ("Booking the MRI scan", "pathway.mri_booking_days"),
    "decision": ("Deciding on treatment", "pathway.decision_days"),
}
DELAY_CHOICES: dict[str, str] = {"total": "All steps together",
                                 **{k: label for k, (label, _) in COMPONENT_PATHS.items()}}
TOTAL_FACTORS: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 4.0)
EXTRA_DAYS: tuple[float, ...] = (0.0, 7.0, 14.0, 28.0, 56.0)
BASE = "baseline"


def reference_index(lever: str) -> int:
    """Index of the sweep point that is the unchanged baseline."""
    return TOTAL_FACTORS.index(1.0) if lever == "total" else 0


def sweep(lever: str, base_values: Mapping[str, Any], highs: Mapping[str, float | None]) -> list[dict[str, Any]]:
    """The five settings of a delay sweep: ``name``, ``setting`` (plain words), ``overrides``.

    ``total`` multiplies every component's median by 0.5-4; a component gets 0-56 extra days on its
    median. Values are clipped to the schema's upper limit (``highs``).
    """
    if lever not in DELAY_CHOICES:
        raise ValueError(f"unknown delay {lever!r}; choose one of {', '.join(DELAY_CHOICES)}")
    out = []
    if lever == "total":
        for f in TOTAL_FACTORS:
            overrides = {p: _clip(float(base_values[p]) * f, highs.get(p))
                         for _, p in COMPONENT_PATHS.values() if p in base_values}
            setting = "baseline delays" if f == 1.0 else f"every delay x{f:g}"
            out.append({"name": f"delays x{f:g}", "setting": setting, "overrides": overrides})
        return out
    label, path = COMPONENT_PATHS[lever]
    base = float(base_values[path])
    for extra in EXTRA_DAYS:
        value = _clip(base + extra, highs.get(path))
        setting = "baseline delays" if extra == 0 else f"{label.split(':')[0].lower()} +{extra:g} days"
        out.append({"name": f"{lever} +{extra:g}d", "setting": setting, "overrides": {path: value}})
    return out


def _clip(value: float, high: float | None) -> float:
    return round(min(value, high) if high is not None else value, 3)


def sweep_specs(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scenario specs (for ``data.build_scenario``) of the sweep points."""
    return [{"base": BASE, "overrides": p["overrides"], "name": p["name"],
             "description": f"Baseline with {p['setting']}."} for p in points]


def journey_candidates(patients: pd.DataFrame, without: str, with_delay: str,
                       limit: int = 12) -> list[dict[str, Any]]:
    """Patients worth following (replication 0): those the delay changes most, as dropdown options.

    First those who walk at 3 months without the delay but not with it, then those whose walking
    at diagnosis differs, then those whose diagnosis is most delayed.
    """
    cols = ["patient_id", "diagnostic_delay_days", "ambulatory_at_diagnosis", "ambulatory_3m"]
    p = patients[(patients["replication"] == patients["replication"].min()) & patients["diagnosed"].astype(bool)]
    a = p[p["scenario"] == without][cols].set_index("patient_id")
    b = p[p["scenario"] == with_delay][cols].set_index("patient_id")
    both = a.add_suffix("_a").join(b.add_suffix("_b"), how="inner")
    if both.empty:
        return []
    walk3 = (as_bool(both["ambulatory_3m_a"]) == 1) & (as_bool(both["ambulatory_3m_b"]) != 1)
    walk0 = (as_bool(both["ambulatory_at_diagnosis_a"]) == 1) & (as_bool(both["ambulatory_at_diagnosis_b"]) != 1)
    extra = both["diagnostic_delay_days_b"].astype(float) - both["diagnostic_delay_days_a"].astype(float)
    both = both.assign(walk3=walk3, walk0=walk0, extra=extra)
    both = both.sort_values(["walk3", "walk0", "extra"], ascending=False, kind="stable").head(limit)
    options = []
    for pid, r in both.iterrows():
        if r["walk3"]:
            story = "walks at 3 months without the delay, not with it"
        elif r["walk0"]:
            story = "walks at diagnosis without the delay, not with it"
        else:
            story = f"diagnosed {r['extra']:.0f} days later with the delay"
        options.append({"label": f"Patient {pid}: {story}", "value": int(pid)})
    return options


def curve_caption(points: pd.DataFrame, selected: str | None) -> str:
    """Plain-language reading of the curve at the selected and the baseline settings."""
    if points.empty or selected is None:
        return "Run the explorer to see how walking changes with the delay."
    def share(name: str, timepoint: str) -> float:
        row = points[(points["scenario"] == name) & (points["timepoint"] == timepoint)]
        return float(row["share"].iloc[0]) if not row.empty else float("nan")
    base = points[points["setting"] == "baseline delays"]
    sel = points[points["scenario"] == selected]
    if sel.empty:
        return ""
    s = sel.iloc[0]
    text = (f"With {s['setting']}, half of the patients waited more than {s['median_delay_days']:.0f} days "
            f"from their first symptom to diagnosis. {100 * share(selected, 'ambulatory_at_diagnosis'):.0f} "
            f"in 100 could still walk when they were diagnosed, and "
            f"{100 * share(selected, 'ambulatory_3m'):.0f} in 100 of those alive 3 months later")
    if not base.empty and base.iloc[0]["scenario"] != selected:
        b = base.iloc[0]["scenario"]
        text += (f" (with the baseline delays: {100 * share(b, 'ambulatory_at_diagnosis'):.0f} and "
                 f"{100 * share(b, 'ambulatory_3m'):.0f} in 100)")
    return text + ". Every point uses the same simulated patients; only the delay differs."
