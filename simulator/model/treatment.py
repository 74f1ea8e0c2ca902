"""Treatments: they take capacity and time, then change the neurological course, pain and risk.

``treat`` is the SimPy part (queues for theatre and radiotherapy) of one course of treatment (an
:class:`~simulator.model.patient.Episode`); ``respond`` and ``relieve`` are the pure parts that
rewrite the patient's future from the day the treatment takes effect, from fixed draws (so the same
patient responds alike wherever a strategy gives the same treatment at the same state).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

import simpy

from simulator.model.course import INF
from simulator.model.pain import draw_response, residual_share
from simulator.model.patient import Episode, Patient
from simulator.model.response import improvement_probability, walking_probability
from simulator.model.sampling import exponential, with_odds_ratio
from simulator.model.services import Services
from simulator.model.strategy import Plan
from simulator.model.survival import metastatic_death_rate, refresh_death
from simulator.parameters.schema import Parameters
from simulator.vocabulary import TREATMENT, Cause, Event, Family, Grade, Operation, Priority, RtModality, walks

# Slots of one episode's draws (the first episode's come from the response block; permanent once released).
(WALK, IMPROVE, NEURO_RELAPSE, COMPLICATION, PAIN, PAIN_RELAPSE, REFER, ACCEPT, COMPLICATION_NEURO,
 STEROID_COMPLICATION) = range(10)
EPISODE_SLOTS = 10
POSTOPERATIVE_DAYS = 30.0  # the window of post-operative mortality that series report


def treat(env: simpy.Environment, p: Patient, plan: Plan, services: Services, params: Parameters,
          u: Sequence[float], priority: int, retreatment: bool = False) -> Generator[Any, Any, Episode]:
    """Carry out ``plan`` from now: queue for each service, then set the response; return the episode."""
    tx, sv = params.treatment, params.services
    kind = TREATMENT[plan.treatment]
    episode = Episode(plan.treatment, env.now, retreatment)
    p.episodes.append(episode)
    episode.steroids = plan.steroids
    if plan.steroids:
        p.log(env.now, Event.STEROIDS, "dexamethasone")
        if u[STEROID_COMPLICATION] < tx.p_steroid_serious_complication:
            p.log(env.now, Event.COMPLICATION, "steroid")
    if kind.family == Family.SUPPORTIVE:
        episode.start_day = env.now
        p.log(env.now, Event.SUPPORTIVE_CARE)
        return episode
    rt_priority = priority
    if kind.theatre:
        hold = sv.operation_days if kind.family == Family.SURGERY else sv.cement_days

        def operate(wait: float) -> None:
            episode.surgery_wait_days = wait
            episode.start_day = episode.surgery_day = env.now
            episode.stabilised = kind.stabilises
            if kind.decompresses:
                salvage = retreatment and kind.operation == Operation.DECOMPRESSION
                p.log(env.now, Event.SURGERY, Operation.SALVAGE if salvage else kind.operation)
                _operated(p, episode, params, u)
                refresh_death(p, params)  # the course and the post-operative hazard change now
            else:
                p.log(env.now, Event.CEMENT_AUGMENTATION)
                episode.mechanical_relief = tx.cement_vas_drop

        if (yield from services.theatre.use(priority, hold, p.stop_day, operate)) is None:
            return episode
        if kind.decompresses:
            rest = tx.rt_after_surgery_days - hold
            if rest > 0 and env.now + rest < p.stop_day:
                yield env.timeout(rest)
            rt_priority = Priority.ROUTINE
    elif kind.family == Family.BRACE:
        episode.start_day = env.now
        episode.mechanical_relief = tx.brace_vas_drop
        p.log(env.now, Event.BRACE)
    if kind.radiotherapy and env.now < p.stop_day and rt_allowed(p, params):

        def irradiate(wait: float) -> None:
            episode.rt_wait_days = wait
            episode.rt_day = env.now
            episode.radiotherapy = kind.radiotherapy
            p.log(env.now, Event.RADIOTHERAPY_START, kind.radiotherapy)
            if episode.start_day == INF:
                episode.start_day = episode.rt_day
            if episode.effect_day == INF:
                episode.effect_day = episode.rt_day + tx.rt_effect_days
                respond(p, episode, params, u)
                refresh_death(p, params)

        yield from services.radiotherapy.use(rt_priority, sv.rt_planning_days, p.stop_day, irradiate)
    relieve(p, episode, params, u)
    refresh_death(p, params)
    return episode


def rt_courses(p: Patient) -> int:
    """Courses of radiotherapy to the spine so far (a course before entry counts)."""
    return int(p.prior_rt) + sum(1 for e in p.episodes if e.rt_day < INF)


def rt_allowed(p: Patient, params: Parameters) -> bool:
    """Whether another course keeps within the cumulative dose limit of the spinal cord."""
    return rt_courses(p) < params.treatment.max_rt_courses


def _operated(p: Patient, episode: Episode, params: Parameters, u: Sequence[float]) -> None:
    """Decompression takes effect on the day of surgery; post-operative risks start."""
    tx = params.treatment
    episode.effect_day = episode.surgery_day
    if u[COMPLICATION] < tx.p_complication:
        episode.complication = True
        p.log(episode.surgery_day, Event.COMPLICATION, "post-operative")  # recorded with the operation
    respond(p, episode, params, u)
    # the operation multiplies the patient's own metastatic death hazard for 30 days: frail patients
    # (poor performance status, visceral disease) carry the highest post-operative mortality
    excess = (tx.surgery_30d_hazard_ratio - 1.0) * metastatic_death_rate(params, p)
    p.excess_hazards.append((episode.surgery_day, episode.surgery_day + POSTOPERATIVE_DAYS, excess))


def not_walking_since(p: Patient, day: float) -> float:
    """The day the patient last stopped walking before ``day`` (``inf`` if she walks on ``day``)."""
    if walks(p.grade_at(day)):
        return INF
    since = -INF
    for change_day, old, new, _cause in p.course.changes(-INF, day + 1e-9):
        if walks(old) and not walks(new):
            since = change_day
    return since


def respond(p: Patient, episode: Episode, params: Parameters, u: Sequence[float]) -> None:
    """Set the neurological course from the day the treatment takes effect (pure; no SimPy)."""
    tx, r = params.treatment, params.response
    day = episode.effect_day
    grade = p.grade_at(day)
    episode.grade_start = p.grade_at(episode.start_day if episode.start_day < INF else day)
    episode.grade_effect = grade
    compressive = p.escc2_day <= day or grade < Grade.E
    surgical = TREATMENT[episode.kind].family == Family.SURGERY
    if not compressive:
        episode.grade_after, episode.walks_after = grade, True
        p.course.replace_from(day, [(day, grade, Cause.TREATMENT)])
        if p.escc2_day < INF:  # treated before the compression it was heading for
            _relapse(p, episode, day, grade, tx.rt_relapse_low_grade_median_days, u)
        return
    chance = walking_probability(p, grade, day, not_walking_since(p, day), surgical, episode.steroids, r)
    if episode.retreatment and not surgical:
        chance = with_odds_ratio(chance, r.reirradiation_odds_ratio)
    episode.walks_after = u[WALK] < chance
    improve = improvement_probability(p, tx.surgery_improve_grade if surgical else tx.rt_improve_grade, surgical, r)
    changes = [(day, grade, Cause.TREATMENT)]
    settled = day
    if episode.walks_after and walks(grade):  # improving one Frankel grade: D (with or without aid) to E
        after = Grade.E if u[IMPROVE] < improve else grade
        settled = day + tx.recovery_days if after != grade else day
    elif episode.walks_after:
        after = Grade.D_UNAIDED if u[IMPROVE] < improve else Grade.D_AID
        settled = day + tx.recovery_days
    else:
        after = min(grade, Grade.C)
    changes.append((settled, after, Cause.TREATMENT))
    if episode.complication and u[COMPLICATION_NEURO] < tx.p_complication_neurological and after > Grade.A:
        after = Grade(after - 1)  # a neurological complication costs one grade
        complication_day = day + tx.complication_days
        if day < settled and complication_day <= settled:
            # during the recovery: it ends one grade lower, and what is left of the rise is the treatment's
            changes[-1] = (settled, after, Cause.TREATMENT)
        else:
            settled = max(settled, complication_day)
            changes.append((settled, after, Cause.COMPLICATION))
        episode.walks_after = walks(after)
    episode.grade_after, episode.recovery_day = after, settled
    p.course.replace_from(day, changes)
    if episode.walks_after:
        median = tx.surgery_relapse_median_days if surgical else tx.rt_relapse_median_days
        _relapse(p, episode, settled, after, median, u)


def _relapse(p: Patient, episode: Episode, start: float, grade: int, median: float, u: Sequence[float]) -> None:
    """The treated lesion progresses again: the patient's own decline restarts from a new deficit."""
    episode.neuro_relapse_day = start + exponential(u[NEURO_RELAPSE], median)
    if episode.neuro_relapse_day < INF:
        day = episode.neuro_relapse_day
        p.course.replace_from(day, p.decline.from_grade(day, min(grade, Grade.D_UNAIDED), Cause.RELAPSE))


def relieve(p: Patient, episode: Episode, params: Parameters, u: Sequence[float]) -> None:
    """Tumour-pain response by the consensus classes, its onset and its relapse (pure)."""
    tx = params.treatment
    kind = TREATMENT[episode.kind]
    if kind.family == Family.SURGERY and episode.surgery_day < INF:
        complete, partial, start = tx.surgery_pain_complete, tx.surgery_pain_partial, episode.surgery_day
    elif episode.rt_day < INF:
        complete, partial = tx.rt_pain_complete, tx.rt_pain_partial
        if episode.radiotherapy == RtModality.SBRT:
            complete = with_odds_ratio(complete, tx.sbrt_complete_odds_ratio)
        if episode.retreatment:
            complete, partial = tx.reirradiation_pain_complete, tx.reirradiation_pain_partial
        start = episode.rt_day + tx.rt_pain_days
    else:
        return
    episode.pain_response = draw_response(u[PAIN], complete, partial)
    episode.residual = residual_share(episode.pain_response, tx)
    if episode.residual < 1.0:
        episode.relief_day = start
        episode.pain_relapse_day = start + exponential(u[PAIN_RELAPSE], tx.pain_relapse_median_days)
