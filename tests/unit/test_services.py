"""SimPy process tests of ``Service.use`` in SimPy's style: hand-built patients and an exact log."""

from __future__ import annotations

import math
import random
from operator import attrgetter
from types import SimpleNamespace

import pytest
from simpy.resources.resource import SortedQueue

from simulator.model.services import EMERGENCY, ROUTINE, URGENT, Service, Services, _InsertionQueue
from simulator.vocabulary import SERVICE_KINDS, SERVICES

SCAN_DAYS = 1.0


def patient(env, service, log, name, arrive, priority=ROUTINE, hold=SCAN_DAYS, give_up=math.inf):
    yield env.timeout(arrive)
    wait = yield from service.use(priority, hold, give_up)
    log.append((name, "gave up" if wait is None else "scanned", env.now))
    return wait


@pytest.fixture
def mri(env):
    return Service(env, "mri", capacity=1, window_day=100.0)


def test_priorities_are_simpys_lower_first():
    assert EMERGENCY < URGENT < ROUTINE


def test_emergency_before_urgent_before_routine(env, log, mri):
    """While p1 is scanned, routine, urgent and emergency patients queue in that order; served in reverse."""
    env.process(patient(env, mri, log, "p1", 0.0))
    env.process(patient(env, mri, log, "routine", 0.1, priority=ROUTINE))
    env.process(patient(env, mri, log, "urgent", 0.2, priority=URGENT))
    env.process(patient(env, mri, log, "emergency", 0.3, priority=EMERGENCY))
    env.run()
    assert log == [("p1", "scanned", 1.0), ("emergency", "scanned", 2.0), ("urgent", "scanned", 3.0),
                   ("routine", "scanned", 4.0)]


def test_two_routine_patients_on_day_zero(env, log, mri):
    p1 = env.process(patient(env, mri, log, "p1", 0.0))
    p2 = env.process(patient(env, mri, log, "p2", 0.0))
    env.run()
    assert log == [("p1", "scanned", 1.0), ("p2", "scanned", 2.0)]
    assert (p1.value, p2.value) == (0.0, 1.0)
    assert mri.waits == [0.0, 1.0]
    assert mri.busy_days == 2.0
    assert mri.max_queue == 1


def test_urgent_patient_overtakes_an_earlier_routine_patient(env, log, mri):
    """p1 is being scanned; p2 (routine) queues at 0.2; p3 (urgent) arrives at 0.5 and goes next."""
    env.process(patient(env, mri, log, "p1", 0.0))
    p2 = env.process(patient(env, mri, log, "p2", 0.2))
    p3 = env.process(patient(env, mri, log, "p3", 0.5, priority=URGENT))
    env.run()
    assert log == [("p1", "scanned", 1.0), ("p3", "scanned", 2.0), ("p2", "scanned", 3.0)]
    assert p3.value == pytest.approx(0.5)
    assert p2.value == pytest.approx(1.8)


def test_urgent_does_not_preempt_a_scan_in_progress(env, log, mri):
    env.process(patient(env, mri, log, "p1", 0.0, hold=3.0))
    env.process(patient(env, mri, log, "p2", 1.0, priority=URGENT))
    env.run()
    assert log == [("p1", "scanned", 3.0), ("p2", "scanned", 4.0)]


def test_a_patient_who_gives_up_leaves_the_queue_and_gets_none(env, log, mri):
    """p1 scans 0-5; p2 queues at 0 and gives up on day 2; p3 queues at 1 and is next at day 5."""
    queue_lengths = []

    def observer():
        for day in (1.5, 2.5):
            yield env.timeout(day - env.now)
            queue_lengths.append((day, len(mri.resource.queue)))

    env.process(patient(env, mri, log, "p1", 0.0, hold=5.0))
    p2 = env.process(patient(env, mri, log, "p2", 0.0, give_up=2.0))
    p3 = env.process(patient(env, mri, log, "p3", 1.0))
    env.process(observer())
    env.run()
    assert log == [("p2", "gave up", 2.0), ("p1", "scanned", 5.0), ("p3", "scanned", 6.0)]
    assert p2.value is None
    assert p3.value == 4.0
    assert queue_lengths == [(1.5, 2), (2.5, 1)]
    assert mri.waits == [0.0, 4.0]  # the patient who gave up has no wait recorded
    assert mri.resource.count == 0 and not mri.resource.queue


def test_give_up_day_already_passed_means_no_queueing(env, log, mri):
    env.process(patient(env, mri, log, "p1", 0.0, hold=5.0))
    p2 = env.process(patient(env, mri, log, "p2", 1.0, give_up=1.0))
    env.run()
    assert log == [("p2", "gave up", 1.0), ("p1", "scanned", 5.0)]
    assert p2.value is None


def test_a_free_service_is_used_even_at_the_give_up_day(env, log, mri):
    p1 = env.process(patient(env, mri, log, "p1", 2.0, give_up=2.0))
    env.run()
    assert log == [("p1", "scanned", 3.0)]
    assert p1.value == 0.0


def test_two_scanners_serve_two_at_once(env, log):
    mri = Service(env, "mri", capacity=2, window_day=100.0)
    for name in ("p1", "p2", "p3"):
        env.process(patient(env, mri, log, name, 0.0))
    env.run()
    assert log == [("p1", "scanned", 1.0), ("p2", "scanned", 1.0), ("p3", "scanned", 2.0)]


def test_busy_days_count_only_inside_the_window(env, log):
    mri = Service(env, "mri", capacity=1, window_day=2.5)
    for name in ("p1", "p2", "p3"):
        env.process(patient(env, mri, log, name, 0.0))
    env.run()
    assert mri.busy_days == 2.0  # the scan ending on day 3 is outside [0, 2.5]


def test_services_of_a_replication(env, baseline):
    sv = baseline.params.services
    services = Services(env, sv, window_day=365.0)
    assert [s.name for s in services.all()] == list(SERVICES)
    # each service has the capacity its vocabulary entry names
    assert [s.capacity for s in services.all()] == [attrgetter(k.capacity_parameter)(baseline.params)
                                                    for k in SERVICE_KINDS]
    assert (services.mri.capacity, services.theatre.capacity, services.radiotherapy.capacity) == (
        sv.mri_scanners, sv.theatres, sv.linacs)
    assert services.mri_scan_days == pytest.approx(1.0 / sv.mri_slots_per_scanner_day)


def test_insertion_queue_orders_requests_as_simpys_sorted_queue():
    """Inserting in place keeps SimPy's order, ties (same priority and time) in arrival order."""
    rng = random.Random(3)
    ours, simpys = _InsertionQueue(), SortedQueue()
    for i in range(500):
        item = SimpleNamespace(key=(rng.randint(0, 2), float(rng.randint(0, 20)), False), i=i)
        ours.append(item)
        simpys.append(item)
        if rng.random() < 0.3:  # served from the front, as the resource does
            assert ours.pop(0) is simpys.pop(0)
    assert [x.i for x in ours] == [x.i for x in simpys]
