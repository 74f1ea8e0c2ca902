"""Delay explorer logic (pure): two absolute delays to compare, the example patients, and the words.

The educator sets two delays in weeks ("diagnosis 2 weeks after the first symptom" against "8
weeks"), for the whole way to diagnosis or for one step. For one step, its median becomes the
number of days asked. For the whole way, every step's median is scaled so that the medians add
up to the days asked, keeping the baseline's proportions between steps; queues, repeat visits and
false negatives then add their own time, so the caption reports the simulated median as well.
Both settings run on the same simulated patients, so the difference is the delay's alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard.data import HEADLINE_METRICS, comparisons
from dashboard.figures.style import as_bool

DAYS_PER_WEEK = 7.0
#: The steps before diagnosis whose medians add up to "the whole way to diagnosis".
TO_DIAGNOSIS: dict[str, tuple[str, str]] = {
    "patient": ("Patient: first symptom to first visit", "pathway.patient_delay_median_days"),
    "primary_care": ("Primary care: time between visits", "pathway.gp_revisit_median_days"),
    "referral": ("Referral to a specialist", "pathway.referral_median_days"),
    "imaging": ("Booking the MRI scan", "pathway.mri_booking_days"),
}
COMPONENT_PATHS: dict[str, tuple[str, str]] = {
    **TO_DIAGNOSIS, "decision": ("Deciding on treatment (after diagnosis)", "pathway.decision_days")}
DELAY_CHOICES: dict[str, str] = {"total": "The whole way to diagnosis",
                                 **{k: label for k, (label, _) in COMPONENT_PATHS.items()}}
DEFAULT_WEEKS = (2, 8)
MAX_WEEKS = 16
BASE = "baseline"


def setting_name(lever: str, weeks: float) -> str:
    """'diagnosis 2 weeks after the first symptom' (or the step's own words)."""
    unit = "week" if weeks == 1 else "weeks"
    if lever == "total":
        return f"diagnosis {weeks:g} {unit} after the first symptom"
    label = COMPONENT_PATHS[lever][0].split(":")[0].split(" (")[0].lower()
    return f"{label} {weeks:g} {unit}"


def overrides_for(lever: str, weeks: float, base_values: Mapping[str, Any],
                  highs: Mapping[str, float | None]) -> dict[str, float]:
    """The parameter values that set ``lever`` to ``weeks`` (clipped to the schema's upper limits)."""
    if lever not in DELAY_CHOICES:
        raise ValueError(f"unknown delay {lever!r}; choose one of {', '.join(DELAY_CHOICES)}")
    days = float(weeks) * DAYS_PER_WEEK
    if lever != "total":
        path = COMPONENT_PATHS[lever][1]
        return {path: _clip(days, highs.get(path))}
    paths = [p for _, p in TO_DIAGNOSIS.values() if p in base_values]
    total = sum(float(base_values[p]) for p in paths)
    share = {p: float(base_values[p]) / total if total else 1 / len(paths) for p in paths}
    return {p: _clip(days * share[p], highs.get(p)) for p in paths}


def _clip(value: float, high: float | None) -> float:
    return round(min(value, high) if high is not None else value, 3)


def delay_specs(lever: str, weeks: Sequence[float], base_values: Mapping[str, Any],
                highs: Mapping[str, float | None]) -> list[dict[str, Any]]:
    """Scenario specs (for ``data.build_scenario``) of the settings compared, the first the reference."""
    return [{"base": BASE, "overrides": overrides_for(lever, w, base_values, highs), "name": setting_name(lever, w),
             "description": f"Baseline with {setting_name(lever, w)}."} for w in weeks]


def median_delays(patients: pd.DataFrame) -> dict[str, float]:
    """Simulated median days from the first symptom to diagnosis, per setting (diagnosed patients)."""
    d = patients[as_bool(patients["diagnosed"]) == 1.0]
    return {str(k): float(v) for k, v in d.groupby("scenario", sort=False)["diagnostic_delay_days"].median().items()}


def outcome_caption(summary: pd.DataFrame, medians: Mapping[str, float]) -> str:
    """The comparison in plain words: what the longer delay changed, and how long people really waited."""
    found = comparisons(summary)
    if not found:
        return "Run the explorer to compare the two delays."
    (other, items), = list(found.items())[:1]
    reference = items[0].reference if items else ""
    words = "; ".join(f"{c.metric.label.lower()}: {c.change_text} ({c.verdict})" for c in items)
    waits = " and ".join(f"{medians[n]:.0f} days with {n}" for n in (reference, other) if n in medians)
    return (f"With {other} instead of {reference}: {words}. Half of the patients were diagnosed within {waits} "
            "(simulated medians: queues and repeat visits add to the steps' own times). Same patients, same "
            "disease, same luck: only the delay differs.")


def journey_candidates(patients: pd.DataFrame, labels: Mapping[str, str], first: str, second: str,
                       limit: int = 12) -> list[dict[str, Any]]:
    """Patients (replication 0) whose walking really differs between the settings, as dropdown options.

    A patient qualifies on a headline outcome recorded under both settings (alive and assessed
    then, so not through death) with different values; outcomes are tried in the headline order,
    so walking at diagnosis and at 6 and 12 months come first. ``labels`` names the outcomes.
    """
    columns = [m for m in HEADLINE_METRICS if m in patients.columns]
    p = patients[patients["replication"] == patients["replication"].min()]
    a = p[p["scenario"] == first].set_index("patient_id")
    b = p[p["scenario"] == second].set_index("patient_id")
    options: list[dict[str, Any]] = []
    seen: set[int] = set()
    for column in columns:
        both = pd.DataFrame({"a": as_bool(a[column]), "b": as_bool(b[column])}).dropna()
        for pid, r in both[both["a"] != both["b"]].iterrows():
            if int(pid) in seen or len(options) >= limit:
                continue
            seen.add(int(pid))
            yes = first if r["a"] == 1.0 else second
            no = second if yes == first else first
            options.append({"label": f"Patient {pid}: {labels.get(column, column).lower()} with {yes}, "
                                     f"not with {no}", "value": int(pid)})
    return options
