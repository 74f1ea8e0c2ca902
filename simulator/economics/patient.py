"""Each synthetic patient's costs, QALYs and life-years, from her own event log and state history.

Event costs are charged on the day of the event (one row of the event log, one cost); state costs
and utilities accrue over the exact intervals of the ``trajectories`` table (neurological state from
entry, VAS band from symptom onset), from the patient's entry to death, the end of follow-up or the
time horizon, whichever comes first. Discounting is continuous in time from the patient's entry:
an amount on day ``t`` after entry is multiplied by ``(1 + r) ** -(t / 365.25)``; a daily rate held
over an interval is integrated exactly. Common random numbers make every difference between two
strategies a difference on the same patients.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.parameters.schema import Parameters
from simulator.vocabulary import (
    DAYS_PER_YEAR,
    WALKING_VALUES,
    Event,
    Imaging,
    Operation,
    Route,
    RtModality,
    Walking,
    imaging_detail,
)

#: Cost categories of the ``costs`` table, in report order.
COST_CATEGORIES = ("primary_care", "imaging", "specialist", "inpatient", "surgery", "radiotherapy", "drugs",
                   "complications", "community_care", "informal_care", "end_of_life")
OFFICE_START_HOUR, OFFICE_END_HOUR = 8.0, 18.0  # as the strategy's office hours
#: The columns of a costed line: keys, category, the days it falls on (clock) and its amounts.
LINE_COLUMNS = ["scenario", "replication", "patient_id", "category", "from_day", "to_day", "cost", "cost_discounted"]


@dataclass(frozen=True)
class EventCost:
    """How one kind of logged event is costed: its category and the unit cost it is charged."""

    category: str
    unit: Callable[[Parameters, pd.Series], np.ndarray]  # unit cost per row (the rows' details decide)


def _each(cost: Callable[[Parameters], float]) -> Callable[[Parameters, pd.Series], np.ndarray]:
    return lambda params, detail: np.full(len(detail), cost(params), dtype=float)


def _imaging(params: Parameters, detail: pd.Series) -> np.ndarray:
    e = params.costs.event
    kind = detail.str.split(":", n=1).str[0]
    return np.select([kind == Imaging.XRAY, kind == Imaging.CT, kind == Imaging.MRI], [e.xray, e.ct, e.mri], 0.0)


def _surgery(params: Parameters, detail: pd.Series) -> np.ndarray:
    e = params.costs.event
    return np.where(detail == Operation.RESECTION, e.resection, e.decompression)


def _radiotherapy(params: Parameters, detail: pd.Series) -> np.ndarray:
    e = params.costs.event
    return np.where(detail == RtModality.SBRT, e.sbrt_course, e.rt_planning + e.rt_fractions * e.rt_fraction)


def _referral(params: Parameters, detail: pd.Series) -> np.ndarray:
    # an emergency referral is part of the admission it leads to
    return np.where(detail == Route.EMERGENCY, 0.0, params.costs.event.specialist_attendance)


def _relapse(params: Parameters, detail: pd.Series) -> np.ndarray:
    e = params.costs.event
    return np.where(detail == "neurological", e.emergency_admission, e.specialist_attendance)


#: The costed events; every other event (entry, disease course, decisions) costs nothing itself.
EVENT_COSTS: dict[str, EventCost] = {
    Event.GP_VISIT: EventCost("primary_care", _each(lambda p: p.costs.event.gp_visit)),
    Event.IMAGING: EventCost("imaging", _imaging),
    Event.REFERRAL: EventCost("specialist", _referral),
    Event.EMERGENCY_PRESENTATION: EventCost("inpatient", _each(lambda p: p.costs.event.emergency_admission)),
    Event.RELAPSE: EventCost("inpatient", _relapse),
    Event.SURGERY: EventCost("surgery", _surgery),
    Event.CEMENT_AUGMENTATION: EventCost("surgery", _each(lambda p: p.costs.event.cement_augmentation)),
    Event.BRACE: EventCost("surgery", _each(lambda p: p.costs.event.brace)),
    Event.RADIOTHERAPY_START: EventCost("radiotherapy", _radiotherapy),
    Event.STEROIDS: EventCost("drugs", _each(lambda p: p.costs.event.steroid_course)),
    Event.COMPLICATION: EventCost("complications", _each(lambda p: p.costs.event.complication)),
    Event.DEATH: EventCost("end_of_life", _each(lambda p: p.costs.event.end_of_life)),
}


def rate(annual: float) -> float:
    """The continuous discount rate per year of an annual rate ``annual``."""
    return math.log1p(annual)


def discount_at(years: np.ndarray, annual: float) -> np.ndarray:
    """Discount factors for amounts ``years`` after entry."""
    return np.power(1.0 + annual, -np.asarray(years, dtype=float))


def discounted_years(start: np.ndarray, stop: np.ndarray, annual: float) -> np.ndarray:
    """Discounted length in years of the intervals ``[start, stop)`` (years after entry)."""
    r = rate(annual)
    if r == 0.0:
        return stop - start
    return (np.exp(-r * start) - np.exp(-r * stop)) / r


def office_hours(day: np.ndarray) -> np.ndarray:
    """Whether moments on the clock fall in weekday office hours (day 0 is a Monday 00:00)."""
    whole = np.floor(day)
    hour = (day - whole) * 24.0
    return (whole.astype(np.int64) % 7 < 5) & (hour >= OFFICE_START_HOUR) & (hour < OFFICE_END_HOUR)


def _windows(patients: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Each patient's entry day and the end of what is counted (death, end of follow-up or horizon)."""
    horizon = patients["entry_day"] + params.economics.horizon_years * DAYS_PER_YEAR
    end = np.fmin(patients["death_day"].fillna(np.inf), patients["end_day"])
    keys = patients[["scenario", "replication", "patient_id"]]
    return keys.assign(entry=patients["entry_day"].to_numpy(float), end=np.fmin(end, horizon).to_numpy(float))


def _event_costs(events: pd.DataFrame, windows: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """One row per costed event inside the window: keys, category, cost, discounted cost."""
    keys = ["scenario", "replication", "patient_id"]
    costed = events[events["event"].isin(list(EVENT_COSTS))].merge(windows, on=keys, how="inner")
    costed = costed[(costed["day"] >= costed["entry"]) & (costed["day"] <= costed["end"])]
    operated = events.loc[events["event"] == Event.SURGERY, keys].drop_duplicates()
    parts = []
    for name, how in EVENT_COSTS.items():
        rows = costed[costed["event"] == name]
        if name == Event.EMERGENCY_PRESENTATION and len(rows):  # an operation's spell includes the admission
            flag = rows[keys].merge(operated.assign(_op=True), on=keys, how="left")["_op"].fillna(False)
            rows = rows[~flag.to_numpy(bool)]
        if not len(rows):
            continue
        unit = how.unit(params, rows["detail"].astype(str).reset_index(drop=True))
        if name == Event.IMAGING:
            mri = rows["detail"].astype(str).str.startswith(imaging_detail(Imaging.MRI, "")).to_numpy()
            late = ~office_hours(rows["day"].to_numpy(float))
            unit = np.where(mri & late, unit * params.costs.event.mri_out_of_hours_factor, unit)
        day = rows["day"].to_numpy(float)
        years = (day - rows["entry"].to_numpy(float)) / DAYS_PER_YEAR
        parts.append(rows[keys].assign(category=how.category, from_day=day, to_day=day, cost=unit,
                                       cost_discounted=unit * discount_at(years, params.economics.discount_costs)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LINE_COLUMNS)


def _clipped(trajectories: pd.DataFrame, windows: pd.DataFrame, kind: str) -> pd.DataFrame:
    keys = ["scenario", "replication", "patient_id"]
    rows = trajectories[trajectories["kind"] == kind].merge(windows, on=keys, how="inner")
    start = np.fmax(rows["start_day"].to_numpy(float), rows["entry"].to_numpy(float))
    stop = np.fmin(rows["stop_day"].to_numpy(float), rows["end"].to_numpy(float))
    keep = stop > start
    rows = rows[keep].copy()
    rows["from_day"], rows["to_day"] = start[keep], stop[keep]
    rows["y0"] = (start[keep] - rows["entry"].to_numpy(float)) / DAYS_PER_YEAR
    rows["y1"] = (stop[keep] - rows["entry"].to_numpy(float)) / DAYS_PER_YEAR
    return rows


def _state_costs(neuro: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Community (and, in the societal perspective, unpaid) care over each neurological interval."""
    sc, econ = params.costs.state, params.economics
    keys = ["scenario", "replication", "patient_id"]
    paraplegic = neuro["state"].isin(["A", "B"]).to_numpy()
    walking = neuro["walking"].to_numpy()
    daily = np.select([paraplegic, walking == WALKING_VALUES[Walking.NOT_WALKING],
                       walking == WALKING_VALUES[Walking.WITH_AID]],
                      [sc.paraplegic, sc.not_walking, sc.walking_with_aid], 0.0)
    years = neuro["y1"].to_numpy() - neuro["y0"].to_numpy()
    disc = discounted_years(neuro["y0"].to_numpy(), neuro["y1"].to_numpy(), econ.discount_costs)
    spans = neuro[[*keys, "from_day", "to_day"]]
    parts = [spans.assign(category="community_care", cost=daily * years * DAYS_PER_YEAR,
                          cost_discounted=daily * disc * DAYS_PER_YEAR)]
    if econ.perspective == "societal":
        informal = np.where(paraplegic | (walking == WALKING_VALUES[Walking.NOT_WALKING]),
                            sc.informal_care_hours_not_walking * sc.informal_care_per_hour, 0.0)
        parts.append(spans.assign(category="informal_care", cost=informal * years * DAYS_PER_YEAR,
                                  cost_discounted=informal * disc * DAYS_PER_YEAR))
    out = pd.concat(parts, ignore_index=True)
    return out.loc[out["cost"] > 0, LINE_COLUMNS]


def _utility_decrements(events: pd.DataFrame, windows: pd.DataFrame, params: Parameters) -> pd.DataFrame:
    """Intervals of post-operative and radiotherapy disutility, as pieces with their decrement."""
    u = params.utilities
    pieces = []
    for event, decrement, days in ((Event.SURGERY, u.postoperative_decrement, u.postoperative_days),
                                   (Event.RADIOTHERAPY_START, u.radiotherapy_decrement, u.radiotherapy_days)):
        rows = events[events["event"] == event][["scenario", "replication", "patient_id", "day"]]
        pieces.append(rows.assign(kind="decrement", state=event, walking=None, start_day=rows["day"],
                                  stop_day=rows["day"] + days, value=decrement))
    rows = pd.concat(pieces, ignore_index=True)
    return rows.drop(columns="day")


def _quality_weights(neuro: pd.DataFrame, pain: pd.DataFrame, extra: pd.DataFrame, params: Parameters) -> list:
    u = params.utilities
    walking = neuro["walking"].to_numpy()
    paraplegic = neuro["state"].isin(["A", "B"]).to_numpy()
    neuro_u = np.select([paraplegic, walking == WALKING_VALUES[Walking.NOT_WALKING],
                         walking == WALKING_VALUES[Walking.WITH_AID]],
                        [u.paraplegic, u.not_walking, u.walking_with_aid], u.walking_unaided)
    pain_u = -np.select([pain["state"] == "moderate", pain["state"] == "severe"],
                        [u.pain_moderate_decrement, u.pain_severe_decrement], 0.0)
    return [(neuro, neuro_u), (pain, pain_u), (extra, -extra["value"].to_numpy(float) if len(extra) else
                                                 np.array([], dtype=float))]


@dataclass(frozen=True)
class PatientEconomics:
    """The economics of a scenario's patients.

    Attributes:
        costs: the ``costs`` table, one row per patient and cost category (categories with no cost
            left out).
        per_patient: the keys and ``cost``, ``cost_discounted``, ``qalys``, ``qalys_discounted``,
            ``life_years`` and ``life_years_discounted`` (the patients table's economic columns).
        lines: every costed line (:data:`LINE_COLUMNS`): an event's cost on its day
            (``from_day == to_day``), a state's daily cost over ``[from_day, to_day)`` (days on
            the clock, inside the patient's window); the budget impact reads their days.
    """

    costs: pd.DataFrame
    per_patient: pd.DataFrame
    lines: pd.DataFrame


def patient_economics(patients: pd.DataFrame, events: pd.DataFrame, trajectories: pd.DataFrame,
                      params: Parameters) -> PatientEconomics:
    """Costs by category, QALYs and life-years of the patients of one scenario, and their costed lines."""
    keys = ["scenario", "replication", "patient_id"]
    econ = params.economics
    windows = _windows(patients, params)
    neuro = _clipped(trajectories, windows, "neuro")
    pain = _clipped(trajectories, windows, "pain")
    extra = _utility_decrements(events, windows, params)
    extra = _clipped(extra.assign(kind="decrement"), windows, "decrement") if len(extra) else extra
    lines = pd.concat([_event_costs(events, windows, params), _state_costs(neuro, params)], ignore_index=True)
    costs = lines.groupby([*keys, "category"], sort=False, as_index=False)[["cost", "cost_discounted"]].sum()
    order = {c: i for i, c in enumerate(COST_CATEGORIES)}
    costs = costs.assign(_o=costs["category"].map(order)).sort_values([*keys, "_o"], kind="stable")
    costs = costs.drop(columns="_o").reset_index(drop=True)

    per = windows[keys].copy()
    totals = costs.groupby(keys, sort=False)[["cost", "cost_discounted"]].sum()
    per = per.join(totals, on=keys)
    for rows, weight in _quality_weights(neuro, pain, extra, params):
        if not len(rows):
            continue
        years = rows["y1"].to_numpy() - rows["y0"].to_numpy()
        disc = discounted_years(rows["y0"].to_numpy(), rows["y1"].to_numpy(), econ.discount_outcomes)
        add = rows[keys].assign(q=weight * years, qd=weight * disc).groupby(keys, sort=False)[["q", "qd"]].sum()
        per = per.join(add, on=keys)
        per["qalys"] = per.get("qalys", 0.0) + per["q"].fillna(0.0)
        per["qalys_discounted"] = per.get("qalys_discounted", 0.0) + per["qd"].fillna(0.0)
        per = per.drop(columns=["q", "qd"])
    alive = np.maximum(0.0, (windows["end"] - windows["entry"]).to_numpy(float)) / DAYS_PER_YEAR
    per["life_years"] = alive
    per["life_years_discounted"] = discounted_years(np.zeros_like(alive), alive, econ.discount_outcomes)
    for name in ("cost", "cost_discounted", "qalys", "qalys_discounted"):
        if name not in per:
            per[name] = 0.0
        per[name] = per[name].fillna(0.0).astype(float).round(6)
    per["life_years"] = per["life_years"].round(6)
    per["life_years_discounted"] = per["life_years_discounted"].round(6)
    costs[["cost", "cost_discounted"]] = costs[["cost", "cost_discounted"]].round(6)
    return PatientEconomics(costs, per[[*keys, "cost", "cost_discounted", "qalys", "qalys_discounted", "life_years",
                                        "life_years_discounted"]], lines)
