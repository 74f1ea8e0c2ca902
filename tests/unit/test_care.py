"""SimPy process tests of ``simulator/model/care.py``: the decision, the surgical opinion, follow-up.

Hand-built patients, a fresh environment, the scenario's services and scripted draws; each test
asserts the exact list of (day, event, detail) logged. Day 0 is Monday 00:00. For the surgical
opinion the treatment itself is replaced by a stub that records the plan; follow-up runs the real
``treat``. Referral shares and odds ratios are set in the tests (they test the mechanism); delays
are read from the scenario.
"""

from __future__ import annotations

import math

import pytest
import simpy
from process_helpers import NO, YES, ScriptedDraws, assert_log, response, tiny_services

from simulator.model import care
from simulator.model.care import care_after_diagnosis, follow_up, next_office_hours, retreatment_plan
from simulator.model.course import Course
from simulator.model.patient import Episode
from simulator.model.sampling import exponential
from simulator.model.strategy import BRACE_RT, RT, SURGERY_RT, ClinicalState, Plan, decide, referral_probability
from simulator.vocabulary import ESCC_GRADES, Cause, Grade, Priority

INF = math.inf
HOUR = 1.0 / 24.0
MONDAY_10 = 10 * HOUR
THURSDAY_10 = 3 + 10 * HOUR
FRIDAY_20 = 4 + 20 * HOUR
MONDAY_NEXT_8 = 7 + 8 * HOUR
OPINION = {"strategy.p_surgical_referral": 0.5, "strategy.p_surgical_acceptance": 0.8,
           "strategy.surgical_referral_out_of_hours_odds_ratio": 0.5,
           "strategy.surgical_referral_older_odds_ratio": 0.5, "strategy.surgery_for_compression": True,
           "strategy.bracing_for_indeterminate": True, "strategy.aggressive_resection": False,
           "strategy.supportive_max_expected_survival_months": 1.0,
           "strategy.surgery_min_expected_survival_months": 6.0}


# --- next_office_hours ----------------------------------------------------------------------------------


@pytest.mark.parametrize("day, expected", [
    (MONDAY_10, MONDAY_10),  # already in office hours
    (7 * HOUR, 8 * HOUR),  # Monday 07:00 -> Monday 08:00
    (19 * HOUR, 1 + 8 * HOUR),  # Monday 19:00 -> Tuesday 08:00
    (18 * HOUR, 1 + 8 * HOUR),  # Monday 18:00 is already closed
    (FRIDAY_20, MONDAY_NEXT_8),  # the weekend is skipped
    (5 + 12 * HOUR, MONDAY_NEXT_8),  # Saturday noon
    (6 + 23 * HOUR, MONDAY_NEXT_8),  # Sunday 23:00
    (14 + 3 * HOUR, 14 + 8 * HOUR),  # Monday 03:00 two weeks on
])
def test_next_office_hours(day, expected):
    assert next_office_hours(day) == pytest.approx(expected, abs=1e-9)


# --- the decision and the surgical opinion -----------------------------------------------------------------


@pytest.fixture
def params(baseline):
    return baseline.with_overrides(OPINION).params


@pytest.fixture
def treated(monkeypatch):
    """Replace ``treat`` and ``follow_up`` by stubs: record (day, plan, priority) and stop."""
    plans: list[tuple[float, Plan, int]] = []

    def fake_treat(env, p, plan, services, params, u, priority, retreatment=False):
        plans.append((env.now, plan, priority))
        yield env.timeout(0)
        return Episode(plan.treatment, env.now)

    def fake_follow_up(env, p, services, params, draws):
        yield env.timeout(0)

    monkeypatch.setattr(care, "treat", fake_treat)
    monkeypatch.setattr(care, "follow_up", fake_follow_up)
    return plans


def candidate(patient_factory, params, day: float, grade: int = Grade.D_UNAIDED, route: str = "emergency",
              **fields):
    """A surgical candidate diagnosed on ``day``: high-grade compression, fit, a good prognosis, SINS 7-12."""
    s = params.strategy
    p = patient_factory(escc2_day=0.0, route=route, diagnosis_day=day, **fields)
    state = ClinicalState(escc=ESCC_GRADES.index("2"), grade=grade, sins=s.sins_indeterminate_min, fractured=False,
                          ecog=1, expected_survival_months=29.0, age=p.age, day=day)
    assert decide(state, s).treatment == SURGERY_RT
    assert decide(state, s, allow_surgery=False).treatment == BRACE_RT
    return p, state


def run_care(p, state, params, u) -> simpy.Environment:
    env = simpy.Environment()
    services = tiny_services(env, params)

    def start():
        yield env.timeout(state.day)
        yield from care_after_diagnosis(env, p, state, services, params, ScriptedDraws(), u)

    env.process(start())
    env.run()
    return env


def test_a_candidate_not_referred_gets_the_non_surgical_plan(patient_factory, params, treated):
    p, state = candidate(patient_factory, params, MONDAY_10)
    run_care(p, state, params, response(refer=NO))
    assert_log(p.events, [(MONDAY_10, "surgical_referral", "not referred"),
                          (MONDAY_10, "treatment_decision", BRACE_RT)])
    assert (p.surgical_candidate, p.surgical_referral, p.surgical_accepted) == (True, False, False)
    assert treated == [(MONDAY_10, Plan(BRACE_RT, steroids=True), Priority.EMERGENCY)]
    assert (p.treatment, p.steroids) == (BRACE_RT, True)


def test_referred_in_office_hours_the_opinion_comes_after_the_opinion_time(patient_factory, params, treated):
    p, state = candidate(patient_factory, params, MONDAY_10)
    run_care(p, state, params, response(refer=YES, accept=YES))
    opinion = MONDAY_10 + params.strategy.surgical_opinion_days
    assert_log(p.events, [(MONDAY_10, "surgical_referral", "referred"), (opinion, "surgical_referral", "accepted"),
                          (opinion, "treatment_decision", SURGERY_RT)])
    assert treated == [(pytest.approx(opinion), Plan(SURGERY_RT, steroids=True, surgical=True), Priority.EMERGENCY)]
    assert (p.surgical_referral, p.surgical_accepted) == (True, True)


def test_referred_out_of_hours_the_opinion_waits_for_the_next_weekday_morning(patient_factory, params, treated):
    p, state = candidate(patient_factory, params, FRIDAY_20)
    run_care(p, state, params, response(refer=YES, accept=YES))
    opinion = MONDAY_NEXT_8 + params.strategy.surgical_opinion_days
    assert_log(p.events, [(FRIDAY_20, "surgical_referral", "referred"), (opinion, "surgical_referral", "accepted"),
                          (opinion, "treatment_decision", SURGERY_RT)])


def test_out_of_hours_referral_is_less_likely(patient_factory, params, treated):
    """A draw between the out-of-hours and the office-hours referral chances: referred only in office hours."""
    s = params.strategy
    _, weekday = candidate(patient_factory, params, MONDAY_10)
    _, weekend = candidate(patient_factory, params, FRIDAY_20)
    between = (referral_probability(weekday, s) + referral_probability(weekend, s)) / 2
    assert referral_probability(weekend, s) < between < referral_probability(weekday, s)
    for day, expected in ((MONDAY_10, "referred"), (FRIDAY_20, "not referred")):
        p, state = candidate(patient_factory, params, day)
        run_care(p, state, params, response(refer=between, accept=YES))
        assert p.events[0][1:] == ("surgical_referral", expected)


def test_a_declined_candidate_falls_back_to_the_non_surgical_plan(patient_factory, params, treated):
    p, state = candidate(patient_factory, params, MONDAY_10)
    run_care(p, state, params, response(refer=YES, accept=NO))
    opinion = MONDAY_10 + params.strategy.surgical_opinion_days
    assert_log(p.events, [(MONDAY_10, "surgical_referral", "referred"), (opinion, "surgical_referral", "declined"),
                          (opinion, "treatment_decision", BRACE_RT)])
    assert (p.surgical_referral, p.surgical_accepted) == (True, False)
    assert treated[0][1] == Plan(BRACE_RT, steroids=True)


def test_death_before_the_opinion_ends_care(patient_factory, params, treated):
    p, state = candidate(patient_factory, params, FRIDAY_20, death_day=FRIDAY_20 + 1.0)
    run_care(p, state, params, response(refer=YES, accept=YES))
    assert p.events == [] and treated == []


def test_a_routine_diagnosis_is_decided_after_the_decision_time(patient_factory, params, treated):
    """No deficit and no emergency: the decision waits ``decision_days``, and then queues as routine."""
    p, state = candidate(patient_factory, params, MONDAY_10, grade=Grade.E, route="routine")
    run_care(p, state, params, response(refer=NO))
    decision = MONDAY_10 + params.pathway.decision_days
    assert [day for day, _, _ in p.events] == pytest.approx([decision, decision])
    assert treated[0][0] == pytest.approx(decision) and treated[0][2] == Priority.ROUTINE
    assert treated[0][1].steroids is False  # no deficit, no dexamethasone


def test_the_referral_chance_is_that_of_the_moment_of_the_referral(patient_factory, baseline, treated):
    """Diagnosed on a Thursday morning, decided three days later on a Sunday: an out-of-hours referral.

    The referral is made at the decision (``surgical_referral`` is logged then, and the opinion waits
    from then for office hours), so the out-of-hours odds ratio applies to that moment.
    """
    params = baseline.with_overrides({**OPINION, "pathway.decision_days": 3.0}).params
    s = params.strategy
    p, state = candidate(patient_factory, params, THURSDAY_10, grade=Grade.E, route="routine")
    sunday = ClinicalState(**{**state.__dict__, "day": THURSDAY_10 + 3.0})
    between = (referral_probability(state, s) + referral_probability(sunday, s)) / 2
    run_care(p, state, params, response(refer=between, accept=YES))
    assert p.events[0] == (pytest.approx(THURSDAY_10 + 3.0), "surgical_referral", "not referred")


# --- follow-up: relapse and re-treatment -----------------------------------------------------------------


@pytest.fixture
def relapsing(baseline):
    return baseline.with_overrides({"treatment.max_rt_courses": 2, "treatment.max_retreatments": 3,
                                    "strategy.sbrt_for_reirradiation": False, "strategy.salvage_surgery": True,
                                    "strategy.supportive_max_expected_survival_months": 1.0}).params


def irradiated(patient_factory, **fields):
    """Treated with RT on day 0 (effect on day 3); her pain comes back on day 100. She outlives the test."""
    pain_relapse = fields.pop("pain_relapse_day", 100.0)
    neuro_relapse = fields.pop("neuro_relapse_day", INF)
    p = patient_factory(death_u=NO, diagnosis_day=0.0, **fields)
    e = Episode(RT, 0.0)
    e.start_day = e.rt_day = 0.0
    e.effect_day = 3.0
    e.radiotherapy = "conventional"
    e.pain_relapse_day, e.neuro_relapse_day = pain_relapse, neuro_relapse
    p.episodes.append(e)
    return p


def run_follow_up(p, params, draws) -> None:
    env = simpy.Environment()
    services = tiny_services(env, params)
    env.process(follow_up(env, p, services, params, draws))
    env.run()


def scan(params) -> float:
    return 1.0 / params.services.mri_slots_per_scanner_day


def test_a_pain_relapse_is_re_irradiated_then_supportive_care_at_the_dose_limit(patient_factory, relapsing):
    pw, tx = relapsing.pathway, relapsing.treatment
    p = irradiated(patient_factory)
    draws = ScriptedDraws(0.5, *response(pain=YES, pain_relapse=0.5),  # review; re-irradiation draws
                          0.5, *response())  # review of the second relapse; its (unused) draws
    run_follow_up(p, relapsing, draws)
    review = exponential(0.5, pw.relapse_review_median_days)
    t1 = 100.0 + review + scan(relapsing)
    t2 = t1 + tx.rt_pain_days + exponential(0.5, tx.pain_relapse_median_days)
    t3 = t2 + review + scan(relapsing)
    assert t3 < p.end_day
    assert_log(p.events, [
        (100.0, "relapse", "pain"), (t1, "imaging", "mri:relapse"), (t1, "retreatment_decision", "re-irradiation"),
        (t1, "radiotherapy_start", "conventional"),
        (t2, "relapse", "pain"), (t3, "imaging", "mri:relapse"), (t3, "retreatment_decision", "supportive"),
        (t3, "supportive_care", "")])
    assert draws.exhausted()
    second = p.episodes[1]
    assert (second.kind, second.retreatment, second.pain_response) == (RT, True, "complete")
    assert [e.relapse_cause for e in p.episodes] == ["pain", "pain"]
    assert len(p.episodes) == 2  # supportive care at relapse is a decision, not a course of treatment


def test_radiotherapy_before_entry_counts_towards_the_dose_limit(patient_factory, relapsing):
    p = irradiated(patient_factory, prior_rt=True)
    run_follow_up(p, relapsing, ScriptedDraws(0.5, *response()))
    assert [d for _, e, d in p.events if e == "retreatment_decision"] == ["supportive"]
    assert len(p.episodes) == 1


def test_sbrt_re_irradiation_when_the_policy_says_so(patient_factory, baseline, relapsing):
    params = baseline.with_overrides({"treatment.max_rt_courses": 2, "strategy.sbrt_for_reirradiation": True}).params
    p = irradiated(patient_factory)
    run_follow_up(p, params, ScriptedDraws(0.5, *response()))
    assert [d for _, e, d in p.events if e in ("retreatment_decision", "radiotherapy_start")] == ["sbrt", "sbrt"]


def test_the_number_of_re_treatments_is_bounded(patient_factory, baseline):
    params = baseline.with_overrides({"treatment.max_rt_courses": 5, "treatment.max_retreatments": 1,
                                      "strategy.sbrt_for_reirradiation": False}).params
    p = irradiated(patient_factory)
    run_follow_up(p, params, ScriptedDraws(0.5, *response(pain=YES, pain_relapse=0.5)))
    assert [e for _, e, _ in p.events] == ["relapse", "imaging", "retreatment_decision", "radiotherapy_start"]
    none = baseline.with_overrides({"treatment.max_retreatments": 0}).params
    q = irradiated(patient_factory)
    run_follow_up(q, none, ScriptedDraws())
    assert q.events == []


def test_a_neurological_relapse_is_seen_urgently_and_offered_salvage_surgery(patient_factory, relapsing):
    """Relapse on day 200 (she needs an aid 10 days later): urgent review, emergency MRI, salvage surgery + RT."""
    pw, tx, sv = relapsing.pathway, relapsing.treatment, relapsing.services
    course = Course()
    for change in irradiated(patient_factory).decline.from_grade(200.0, Grade.D_UNAIDED, Cause.RELAPSE):
        course.append(*change)
    p = irradiated(patient_factory, escc2_day=0.0, course=course, pain_relapse_day=INF, neuro_relapse_day=200.0)
    draws = ScriptedDraws(*response(refer=YES, accept=YES, walk=YES))
    t = 200.0 + pw.urgent_referral_days + scan(relapsing)
    assert p.grade_at(t) == Grade.D_UNAIDED
    run_follow_up(p, relapsing, draws)
    rt = t + max(tx.rt_after_surgery_days, sv.operation_days)
    assert_log(p.events, [
        (200.0, "relapse", "neurological"), (t, "imaging", "mri:relapse"),
        (t, "retreatment_decision", "salvage-surgery"), (t, "steroids", "dexamethasone"), (t, "surgery", "salvage"),
        (rt, "radiotherapy_start", "conventional")])
    assert draws.exhausted()
    salvage = p.episodes[1]
    assert (salvage.kind, salvage.retreatment, salvage.surgery_day) == (SURGERY_RT, True, pytest.approx(t))
    assert salvage.walks_after and p.grade_at(t + 1.0) == Grade.D_UNAIDED


def test_no_salvage_surgery_after_an_operation(patient_factory, relapsing):
    p = irradiated(patient_factory, escc2_day=0.0)
    p.episodes[0].kind, p.episodes[0].surgery_day = SURGERY_RT, 0.0
    state = care.relapse_state(p, 200.0, relapsing)
    assert retreatment_plan(p, state, "neurological", relapsing, YES, YES).treatment == RT
