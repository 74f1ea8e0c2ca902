"""Tests of ``simulator/model/treatment.py``: one course of treatment as a SimPy process, and its response.

``treat`` runs on a fresh environment with the scenario's services (all free), for a hand-built
patient whose untreated course is the factory's: deficit on day 10, D unaided 10 days, with an aid
20, not walking (C) 30, B 40, then A. Each test asserts the exact log, the episode's fields, the
course as rewritten from the day the treatment takes effect, and the refreshed death day. Response
draws are scripted per slot (``process_helpers.response``: every slot "no" unless given).
"""

from __future__ import annotations

import math

import pytest
import simpy
from process_helpers import NO, YES, assert_log, response, tiny_services

from simulator.model.course import Course, Decline
from simulator.model.patient import Episode
from simulator.model.response import improvement_probability, walking_probability
from simulator.model.sampling import exponential, with_odds_ratio
from simulator.model.strategy import BRACE_RT, CEMENT_RT, RT, SBRT, SUPPORTIVE, SURGERY_RT, Plan
from simulator.model.survival import (
    first_passage,
    hazard_pieces,
    metastatic_death_rate,
    refresh_death,
    survival_target,
)
from simulator.model.treatment import POSTOPERATIVE_DAYS, not_walking_since, respond, rt_allowed, rt_courses, treat
from simulator.vocabulary import Cause, Grade, Priority, walks

INF = math.inf
A, B, C, D_AID, D_UN, E = Grade.A, Grade.B, Grade.C, Grade.D_AID, Grade.D_UNAIDED, Grade.E
DAY = 30.0  # treatment starts: she walks with an aid (20-40)


@pytest.fixture
def params(baseline):
    return baseline.params


def compressed(patient_factory, params, **fields):
    p = patient_factory(escc2_day=0.0, motor_day=10.0, death_u=fields.pop("death_u", 0.5), **fields)
    refresh_death(p, params)
    return p


def run_treat(p, plan, params, u, day=DAY, priority=Priority.EMERGENCY, retreatment=False) -> Episode:
    env = simpy.Environment()
    services = tiny_services(env, params)
    out: list[Episode] = []

    def start():
        yield env.timeout(day)
        out.append((yield from treat(env, p, plan, services, params, u, priority, retreatment)))

    env.process(start())
    env.run()
    return out[0]


def copy_course(course: Course) -> Course:
    c = Course()
    c.days, c.grades, c.causes = list(course.days), list(course.grades), list(course.causes)
    return c


def changes_from(course: Course, day: float) -> list[tuple[float, int, str]]:
    return [(d, new, cause) for d, _old, new, cause in course.changes(day, INF)]


def assert_death_refreshed(p, params) -> None:
    assert p.death_day == first_passage(hazard_pieces(p, params), survival_target(p.death_u))


# --- surgery + RT ---------------------------------------------------------------------------------------


def test_surgery_then_radiotherapy(patient_factory, params):
    tx, sv = params.treatment, params.services
    p = compressed(patient_factory, params)
    untreated_death = p.death_day
    e = run_treat(p, Plan(SURGERY_RT, steroids=True, surgical=True), params, response(walk=YES, improve=YES))
    rt_day = DAY + max(tx.rt_after_surgery_days, sv.operation_days)
    assert_log(p.events, [(DAY, "steroids", "dexamethasone"), (DAY, "surgery", "decompression"),
                          (rt_day, "radiotherapy_start", "conventional")])
    assert (e.kind, e.start_day, e.surgery_day, e.effect_day) == (SURGERY_RT, DAY, DAY, DAY)
    assert e.rt_day == pytest.approx(rt_day) and e.radiotherapy == "conventional"
    # a walker whose function improves after decompression recovers full function (Frankel E)
    assert (e.grade_start, e.grade_effect, e.grade_after, e.walks_after) == (D_AID, D_AID, E, True)
    assert e.recovery_day == DAY + tx.recovery_days
    assert (e.surgery_wait_days, e.rt_wait_days, e.stabilised, e.complication) == (0.0, 0.0, True, False)
    # the course from the effect day: recovery to E, then (much later) the relapse of her own decline,
    # which starts again from a new deficit (D unaided)
    relapse = DAY + tx.recovery_days + exponential(NO, tx.surgery_relapse_median_days)
    assert e.neuro_relapse_day == pytest.approx(relapse)
    assert changes_from(p.course, DAY) == [
        (DAY + tx.recovery_days, E, Cause.TREATMENT), (pytest.approx(relapse), D_UN, Cause.RELAPSE),
        (pytest.approx(relapse + 10.0), D_AID, Cause.RELAPSE), (pytest.approx(relapse + 30.0), C, Cause.RELAPSE),
        (pytest.approx(relapse + 60.0), B, Cause.RELAPSE), (pytest.approx(relapse + 100.0), A, Cause.RELAPSE)]
    assert changes_from(p.course, -INF)[:2] == [(10.0, D_UN, Cause.NATURAL), (20.0, D_AID, Cause.NATURAL)]
    # post-operative mortality: for 30 days from the operation her own metastatic hazard is multiplied by
    # the hazard ratio (the excess is (ratio - 1) x that hazard), and the death day is refreshed
    excess = (tx.surgery_30d_hazard_ratio - 1.0) * metastatic_death_rate(params, p)
    assert excess > 0
    assert p.excess_hazards == [(DAY, DAY + POSTOPERATIVE_DAYS, pytest.approx(excess))]
    assert_death_refreshed(p, params)
    assert p.death_day != untreated_death


def test_a_complication_with_neurological_harm_costs_one_grade(patient_factory, params):
    tx = params.treatment
    p = compressed(patient_factory, params)
    e = run_treat(p, Plan(SURGERY_RT, steroids=True, surgical=True), params,
                  response(walk=YES, improve=NO, complication=YES, complication_neuro=YES))
    assert ("complication", "post-operative") in [(ev, d) for _, ev, d in p.events]
    assert e.complication and e.grade_after == C and not e.walks_after
    settled = DAY + tx.complication_days
    assert changes_from(p.course, DAY) == [(settled, C, Cause.COMPLICATION)]
    assert e.neuro_relapse_day == INF  # not walking after treatment: no relapse is scheduled


def test_a_complication_during_the_recovery_makes_it_one_grade_smaller_and_the_rise_stays_the_treatments(
        patient_factory, params):
    """Regression: walking with an aid, full recovery due, a neurological complication before it ends.

    She recovers to D unaided instead of E on the recovery day. The change is a rise, so its cause is
    the treatment: before the fix it was recorded as caused by the complication (the complication's
    change and the recovery fell on one day and the later cause stood), so a grade rose without
    treatment (seen in about 1 of 4,000 baseline patients).
    """
    tx = params.treatment
    assert tx.complication_days < tx.recovery_days  # the complication comes while she recovers
    p = compressed(patient_factory, params)
    e = run_treat(p, Plan(SURGERY_RT, steroids=True, surgical=True), params,
                  response(walk=YES, improve=YES, complication=YES, complication_neuro=YES))
    assert e.complication and (e.grade_effect, e.grade_after, e.walks_after) == (D_AID, D_UN, True)
    assert e.recovery_day == DAY + tx.recovery_days
    assert changes_from(p.course, DAY)[0] == (DAY + tx.recovery_days, D_UN, Cause.TREATMENT)
    assert all(new < old or cause == Cause.TREATMENT for _, old, new, cause in p.course.changes())


def test_a_complication_after_the_recovery_is_its_own_loss_of_a_grade(patient_factory, baseline):
    """A complication later than the recovery: she recovers to E, then loses a grade to the complication."""
    params = baseline.with_overrides({"treatment.complication_days": 30.0, "treatment.recovery_days": 7.0}).params
    tx = params.treatment
    p = compressed(patient_factory, params)
    e = run_treat(p, Plan(SURGERY_RT, steroids=True, surgical=True), params,
                  response(walk=YES, improve=YES, complication=YES, complication_neuro=YES))
    assert (e.grade_after, e.walks_after, e.recovery_day) == (D_UN, True, DAY + tx.complication_days)
    assert changes_from(p.course, DAY)[:2] == [(DAY + tx.recovery_days, E, Cause.TREATMENT),
                                               (DAY + tx.complication_days, D_UN, Cause.COMPLICATION)]


def cumulative_hazard(pieces, day: float) -> float:
    """The cumulative hazard of ``pieces`` up to ``day``."""
    total = 0.0
    for i, (start, rate) in enumerate(pieces):
        end = min(pieces[i + 1][0] if i + 1 < len(pieces) else INF, day)
        if end > start:
            total += rate * (end - start)
    return total


def test_no_radiotherapy_after_death_following_surgery(patient_factory, baseline):
    """A post-operative death half a day after the operation: she is never irradiated.

    Her survival uniform is chosen so that, with the post-operative hazard, she dies three quarters
    of a day after surgery, while without it she would live to the RT day (her decline is slow:
    walking with an aid from day 20 to day 220). The excess hazard
    starts on the day of surgery, so the death day must be refreshed then: waiting for the
    radiotherapy slot with the death day of the course before surgery gives RT to a dead patient.
    """
    params = baseline.with_overrides({"treatment.surgery_30d_hazard_ratio": 50.0}).params
    tx = params.treatment
    slow = Decline(10.0, 200.0, 30.0, 40.0)  # the factory's decline, with an aid for 200 days instead of 20
    probe = compressed(patient_factory, params, decline=slow)
    untreated = hazard_pieces(probe, params)
    rate_at_surgery = next(rate for start, rate in reversed(untreated) if start <= DAY)
    post_operative = rate_at_surgery + (tx.surgery_30d_hazard_ratio - 1.0) * metastatic_death_rate(params, probe)
    target = cumulative_hazard(untreated, DAY) + 0.75 * post_operative
    death_u = -math.expm1(-target)
    assert first_passage(untreated, target) > DAY + tx.rt_after_surgery_days  # without it, she lives to the RT day
    p = compressed(patient_factory, params, decline=slow, death_u=death_u)
    e = run_treat(p, Plan(SURGERY_RT, steroids=False, surgical=True), params, response(walk=YES))
    assert_death_refreshed(p, params)
    assert p.death_day == pytest.approx(DAY + 0.75)
    assert [ev for _, ev, _ in p.events] == ["surgery"]
    assert all(day <= p.death_day for day, _, _ in p.events), p.events
    assert e.rt_day == INF


# --- radiotherapy -----------------------------------------------------------------------------------------


def test_radiotherapy_takes_effect_after_its_delay(patient_factory, params):
    tx = params.treatment
    p = compressed(patient_factory, params)
    untreated = copy_course(p.course)
    e = run_treat(p, Plan(RT, steroids=True), params, response(walk=YES))
    effect = DAY + tx.rt_effect_days
    grade = untreated.grade_at(effect)
    assert_log(p.events, [(DAY, "steroids", "dexamethasone"), (DAY, "radiotherapy_start", "conventional")])
    assert (e.start_day, e.rt_day, e.effect_day, e.surgery_day) == (DAY, DAY, effect, INF)
    assert (e.grade_start, e.grade_effect, e.walks_after) == (D_AID, grade, True)
    # the untreated course stands until the effect day, the treatment's from then on
    assert list(p.course.changes(-INF, effect)) == list(untreated.changes(-INF, effect))
    assert {cause for _, _, cause in changes_from(p.course, effect)} <= {Cause.TREATMENT, Cause.RELAPSE}
    assert p.grade_at(effect + 100.0) == (grade if walks(grade) else D_AID)
    assert p.excess_hazards == []
    assert_death_refreshed(p, params)


def test_a_slower_decline_makes_recovering_full_function_after_rt_more_likely(patient_factory, params):
    """Rades 2002: improvement after RT 10% / 29% / 86% when deficits developed over 1-7 / 8-14 / > 14 days.

    One draw between a fast and a slow walker's chance of improving: the slow one recovers full
    function, the fast one keeps walking with her aid.
    """
    r, base = params.response, params.treatment.rt_improve_grade
    fast, slow = (compressed(patient_factory, params, speed=speed) for speed in (1.5, -1.0))
    u = (improvement_probability(fast, base, False, r) + improvement_probability(slow, base, False, r)) / 2.0
    episodes = [run_treat(p, Plan(RT, steroids=True), params, response(walk=YES, improve=u)) for p in (fast, slow)]
    assert [(e.grade_effect, e.walks_after) for e in episodes] == [(D_AID, True), (D_AID, True)]
    assert [e.grade_after for e in episodes] == [D_AID, E]


def test_no_radiotherapy_starts_on_the_day_follow_up_ends(patient_factory, params):
    """Follow-up (or life) ends on the day the course would begin: nothing is given, nothing logged."""
    p = compressed(patient_factory, params, end_day=DAY)
    e = run_treat(p, Plan(RT, steroids=False), params, response(walk=YES))
    assert (e.rt_day, e.effect_day) == (INF, INF)
    assert [event for _, event, _ in p.events] == []


def test_radiotherapy_that_fails_holds_the_grade_below_walking_and_never_relapses(patient_factory, params):
    p = compressed(patient_factory, params)
    e = run_treat(p, Plan(RT, steroids=True), params, response(walk=NO))
    effect = e.effect_day
    assert (e.grade_after, e.walks_after, e.neuro_relapse_day) == (C, False, INF)
    assert changes_from(p.course, effect) == [(effect, C, Cause.TREATMENT)]
    assert {p.grade_at(d) for d in (effect, effect + 100.0, 1e5)} == {C}


def test_treatment_before_the_compression_it_was_heading_for_stops_the_decline(patient_factory, params):
    """Pain-first lesion, compression due on day 150 and a deficit on day 200; irradiated on day 100.

    The treatment stops the compression, so the untreated decline never happens; the lesion can
    relapse later, and the decline then starts from that day. Without treatment nothing improves.
    """
    tx = params.treatment
    p = patient_factory(escc2_day=150.0, motor_day=200.0, death_u=NO)
    refresh_death(p, params)
    e = run_treat(p, Plan(RT, steroids=False), params, response(walk=YES, neuro_relapse=0.5), day=100.0)
    effect = 100.0 + tx.rt_effect_days
    relapse = effect + exponential(0.5, tx.rt_relapse_low_grade_median_days)
    assert (e.grade_effect, e.grade_after, e.walks_after) == (E, E, True)
    assert e.neuro_relapse_day == pytest.approx(relapse)
    assert p.grade_at(250.0) == E  # no natural decline after the treatment took effect
    assert changes_from(p.course, -INF) == [
        (pytest.approx(relapse), D_UN, Cause.RELAPSE), (pytest.approx(relapse + 10.0), D_AID, Cause.RELAPSE),
        (pytest.approx(relapse + 30.0), C, Cause.RELAPSE), (pytest.approx(relapse + 60.0), B, Cause.RELAPSE),
        (pytest.approx(relapse + 100.0), A, Cause.RELAPSE)]
    assert all(new < old or cause == Cause.TREATMENT for _, old, new, cause in p.course.changes())


def test_sbrt_raises_the_chance_of_a_complete_pain_response(patient_factory, params):
    tx = params.treatment
    sbrt_complete = with_odds_ratio(tx.rt_pain_complete, tx.sbrt_complete_odds_ratio)
    assert sbrt_complete > tx.rt_pain_complete
    u = (tx.rt_pain_complete + sbrt_complete) / 2
    sbrt_patient, rt_patient = patient_factory(), patient_factory()
    sbrt = run_treat(sbrt_patient, Plan(SBRT, steroids=False), params, response(pain=u))
    rt = run_treat(rt_patient, Plan(RT, steroids=False), params, response(pain=u))
    assert sbrt_patient.events == [(DAY, "radiotherapy_start", "sbrt")]
    assert (sbrt.radiotherapy, sbrt.pain_response, sbrt.residual) == ("sbrt", "complete", 0.0)
    assert rt.pain_response != "complete"
    assert sbrt.relief_day == DAY + tx.rt_pain_days
    assert sbrt.pain_relapse_day == pytest.approx(sbrt.relief_day + exponential(NO, tx.pain_relapse_median_days))


def test_the_dose_limit_counts_radiotherapy_before_entry(patient_factory, baseline):
    params = baseline.with_overrides({"treatment.max_rt_courses": 1}).params
    p = patient_factory(prior_rt=True)
    assert rt_courses(p) == 1 and not rt_allowed(p, params)
    e = run_treat(p, Plan(RT, steroids=False), params, response())
    assert p.events == [] and e.rt_day == INF and e.effect_day == INF


# --- cement, brace, supportive care -------------------------------------------------------------------------


def test_cement_augmentation_then_radiotherapy(patient_factory, params):
    tx, sv = params.treatment, params.services
    p = patient_factory(fracture_day=0.0, death_u=0.5)
    refresh_death(p, params)
    e = run_treat(p, Plan(CEMENT_RT, steroids=False), params, response(), priority=Priority.ROUTINE)
    assert_log(p.events, [(DAY, "cement_augmentation", ""), (DAY + sv.cement_days, "radiotherapy_start",
                                                              "conventional")])
    assert (e.start_day, e.stabilised, e.mechanical_relief) == (DAY, True, tx.cement_vas_drop)
    assert e.effect_day == pytest.approx(DAY + sv.cement_days + tx.rt_effect_days)
    assert p.excess_hazards == []  # not an open operation
    assert_death_refreshed(p, params)


def test_brace_then_radiotherapy(patient_factory, params):
    tx = params.treatment
    p = patient_factory(fracture_day=0.0)
    e = run_treat(p, Plan(BRACE_RT, steroids=False), params, response())
    assert_log(p.events, [(DAY, "brace", ""), (DAY, "radiotherapy_start", "conventional")])
    assert (e.start_day, e.stabilised, e.mechanical_relief, e.surgery_day) == (DAY, False, tx.brace_vas_drop, INF)


def test_supportive_care_changes_nothing_but_the_record(patient_factory, params):
    p = compressed(patient_factory, params)
    before = (list(p.course.days), list(p.course.grades), p.death_day)
    e = run_treat(p, Plan(SUPPORTIVE, steroids=True), params, response())
    assert_log(p.events, [(DAY, "steroids", "dexamethasone"), (DAY, "supportive_care", "")])
    assert (e.start_day, e.effect_day, e.walks_after, e.grade_effect) == (DAY, INF, None, -1)
    assert (list(p.course.days), list(p.course.grades), p.death_day) == before


def test_a_steroid_complication_is_logged(patient_factory, params):
    p = patient_factory()
    run_treat(p, Plan(SUPPORTIVE, steroids=True), params, response(steroid_complication=YES))
    assert [(e, d) for _, e, d in p.events] == [("steroids", "dexamethasone"), ("complication", "steroid"),
                                                ("supportive_care", "")]


# --- the pure parts ---------------------------------------------------------------------------------------


def test_not_walking_since_is_the_last_loss_of_walking(patient_factory):
    p = patient_factory(motor_day=10.0)  # stops walking on day 40
    assert not_walking_since(p, 30.0) == INF
    assert not_walking_since(p, 40.0) == 40.0
    assert not_walking_since(p, 500.0) == 40.0


def test_respond_uses_the_response_model_and_the_reirradiation_odds_ratio(patient_factory, params):
    r = params.response
    p = compressed(patient_factory, params)
    e = Episode(RT, DAY, retreatment=True)
    e.start_day = e.effect_day = DAY
    first = walking_probability(p, D_AID, DAY, INF, False, False, r)
    again = with_odds_ratio(first, r.reirradiation_odds_ratio)
    respond(p, e, params, response(walk=again * 0.999))
    assert e.walks_after
    q = compressed(patient_factory, params)
    e2 = Episode(RT, DAY, retreatment=True)
    e2.start_day = e2.effect_day = DAY
    respond(q, e2, params, response(walk=min(again * 1.001 + 1e-12, NO)))
    assert not e2.walks_after
