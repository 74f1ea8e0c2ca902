"""Common random numbers of the survival draw (issue 7's acceptance test).

Each patient's death day is where the cumulative hazard of her own course reaches one Exp(1) draw
made from her survival uniform. So, on the same seed:

* a strategy change that leaves her neurological course (and treatment-related hazard) unchanged
  leaves her death day identical to the byte;
* one that keeps her in better states (walking longer) moves it later, never earlier, and strictly
  later when her hazard is lower for some time before she would have died;
* only through the state hazard ratios: with every ratio set to 1 the death day does not depend on
  the course at all.

Patients are compared one by one (``simulate`` returns them in patient order, whatever the scenario).
"""

from __future__ import annotations

import math
import struct

import pytest

from simulator.model.simulation import simulate
from simulator.vocabulary import HazardState, hazard_state

N = 3000
SEED = 23
INF = math.inf
FLAT = {"natural_history.survival.hr_walking_with_aid": 1.0, "natural_history.survival.hr_not_walking": 1.0,
        "natural_history.survival.hr_paraplegic": 1.0}
NO_EXCESS = {"treatment.surgery_30d_hazard_ratio": 1.0}  # post-operative hazard ratio 1: no excess
NO_SURGERY = {"strategy.surgery_for_compression": False, "strategy.surgery_for_instability": False}
ALL_OPERATED = {"strategy.p_surgical_referral": 1.0, "strategy.p_surgical_acceptance": 1.0}


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def same_course(a, b) -> bool:
    return a.course.days == b.course.days and a.course.grades == b.course.grades


def same_excess(a, b) -> bool:
    return a.excess_hazards == b.excess_hazards


@pytest.fixture(scope="module")
def base(baseline):
    """Every spinal lesion symptomatic, so that most patients are diagnosed and treated."""
    return baseline.with_overrides({"natural_history.p_symptomatic": 1.0}, name="symptomatic")


def run(scenario, **more):
    return simulate(scenario.with_overrides(more).params if more else scenario.params, SEED, 0, N).patients


def ratio_of(params, state: HazardState) -> float:
    s = params.natural_history.survival
    return {HazardState.WALKING_UNAIDED: 1.0, HazardState.WALKING_WITH_AID: s.hr_walking_with_aid,
            HazardState.NOT_WALKING: s.hr_not_walking, HazardState.PARAPLEGIC: s.hr_paraplegic}[state]


def compare_hazards(a, b, ratio) -> tuple[bool, bool]:
    """(b's state hazard ratio never above a's, and strictly below it for some time before a's death)."""
    start = max(a.entry_day, a.met_start)
    stop = min(a.death_day, a.end_day)
    days = sorted({start, *a.course.days[1:], *b.course.days[1:]})
    never_above, strictly = True, False
    for i, day in enumerate(days):
        if day < start:
            continue
        end = days[i + 1] if i + 1 < len(days) else INF
        ra, rb = ratio(hazard_state(a.grade_at(day))), ratio(hazard_state(b.grade_at(day)))
        if rb > ra:
            never_above = False
        if rb < ra and day < stop and end > day:
            strictly = True
    return never_above, strictly


def test_a_strategy_that_leaves_the_course_unchanged_leaves_the_death_day_identical(base):
    """Conventional RT vs SBRT for painful lesions without compression: different treatment, same course."""
    rt, sbrt = run(base), run(base, **{"strategy.sbrt_for_pain": True})
    unchanged = [(a, b) for a, b in zip(rt, sbrt, strict=True) if same_course(a, b) and same_excess(a, b)]
    assert len(unchanged) > 0.9 * N
    assert all(bits(a.death_day) == bits(b.death_day) for a, b in unchanged)
    treated_differently = [(a, b) for a, b in unchanged if a.treatment != b.treatment]
    assert len(treated_differently) > 50
    assert {(a.treatment, b.treatment) for a, b in treated_differently} >= {("rt", "sbrt")}
    # the strongest case: patients whose lesion never compressed the cord never change course
    never = [(a, b) for a, b in zip(rt, sbrt, strict=True) if a.escc2_day == INF and same_excess(a, b)]
    assert len(never) > 0.5 * N and all(bits(a.death_day) == bits(b.death_day) for a, b in never)


def test_post_operative_mortality_moves_the_death_day_earlier_only_for_the_operated(base):
    """Same course, an added 30-day post-operative hazard: the death day can only come sooner."""
    safe, risky = run(base, **ALL_OPERATED, **NO_EXCESS), run(base, **ALL_OPERATED)
    pairs = [(a, b) for a, b in zip(safe, risky, strict=True) if same_course(a, b)]
    assert len(pairs) > 0.9 * N
    operated = [(a, b) for a, b in pairs if b.excess_hazards]
    assert len(operated) > 50
    assert all(b.death_day <= a.death_day for a, b in operated)
    assert any(b.death_day < a.death_day for a, b in operated)
    assert all(bits(a.death_day) == bits(b.death_day) for a, b in pairs if not b.excess_hazards)


def test_keeping_her_walking_longer_moves_the_death_day_later(base):
    """RT alone vs surgery for every candidate, no post-operative excess: only the course differs.

    Where surgery's course is never in a worse state than RT's, the death day is no earlier; where it
    is in a better state for a while before the RT-arm death, it is strictly later (issue 7: "one
    that keeps her walking longer moves it in the direction of the hazard ratio").
    """
    params = base.params
    ratios = [ratio_of(params, s) for s in HazardState]
    assert ratios == sorted(ratios) and ratios[-1] > 1.0  # the scenario's ratios rise with severity
    rt, surgery = run(base, **NO_SURGERY, **NO_EXCESS), run(base, **ALL_OPERATED, **NO_EXCESS)

    def ratio(state):
        return ratio_of(params, state)

    better, strictly_better, worse = [], [], []
    for a, b in zip(rt, surgery, strict=True):
        if same_course(a, b):
            assert bits(a.death_day) == bits(b.death_day)
            continue
        b_never_above, b_strictly = compare_hazards(a, b, ratio)
        a_never_above, _ = compare_hazards(b, a, ratio)
        if b_never_above:
            better.append((a, b))
            if b_strictly:
                strictly_better.append((a, b))
        elif a_never_above:
            worse.append((a, b))
    assert len(strictly_better) > 20
    assert all(b.death_day >= a.death_day for a, b in better)
    assert all(b.death_day > a.death_day for a, b in strictly_better)
    assert all(b.death_day <= a.death_day for a, b in worse)


def test_with_state_hazard_ratios_of_1_the_death_day_does_not_depend_on_the_course(base):
    """The same two strategies with every state ratio 1: every death day identical, to the byte."""
    flat = base.with_overrides({**FLAT, **NO_EXCESS})
    rt, surgery = run(flat, **NO_SURGERY), run(flat, **ALL_OPERATED)
    changed = [(a, b) for a, b in zip(rt, surgery, strict=True) if not same_course(a, b)]
    assert len(changed) > 50
    assert all(bits(a.death_day) == bits(b.death_day) for a, b in zip(rt, surgery, strict=True))
