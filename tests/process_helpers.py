"""Helpers for SimPy process tests in SimPy's style: scripted draws, tiny services, exact logs.

Import as ``from process_helpers import ...`` (``tests/`` is on the path, as for ``browser_helpers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import simpy

from simulator.model.services import Services
from simulator.model.treatment import (
    ACCEPT,
    COMPLICATION,
    COMPLICATION_NEURO,
    EPISODE_SLOTS,
    IMPROVE,
    NEURO_RELAPSE,
    PAIN,
    PAIN_RELAPSE,
    REFER,
    STEROID_COMPLICATION,
    WALK,
)

#: A uniform that is above any probability below 1: "no" to every chance draw, "never" to a relapse.
NO = 1.0 - 1e-12
#: A uniform below any probability above 0: "yes" to every chance draw.
YES = 0.0

SLOTS = {"walk": WALK, "improve": IMPROVE, "neuro_relapse": NEURO_RELAPSE, "complication": COMPLICATION,
         "pain": PAIN, "pain_relapse": PAIN_RELAPSE, "refer": REFER, "accept": ACCEPT,
         "complication_neuro": COMPLICATION_NEURO, "steroid_complication": STEROID_COMPLICATION}


class ScriptedDraws:
    """A stand-in for :class:`simulator.streams.Draws` that hands out the given uniforms in order.

    Asking for more than were scripted fails the test, so a test also pins how many draws a
    process makes, and in which order.
    """

    def __init__(self, *values: float):
        self.values = list(values)
        self.used = 0

    def u(self) -> float:
        if self.used >= len(self.values):
            raise AssertionError(f"the process asked for draw {self.used + 1}; {len(self.values)} were scripted")
        self.used += 1
        return self.values[self.used - 1]

    def exhausted(self) -> bool:
        return self.used == len(self.values)


def response(**slots: float) -> list[float]:
    """One episode's response draws: every slot "no" (never a relapse, no complication) unless given."""
    u = [NO] * EPISODE_SLOTS
    for name, value in slots.items():
        u[SLOTS[name]] = value
    return u


def tiny_services(env: simpy.Environment, params: Any, window_day: float = 10_000.0) -> Services:
    """The scenario's services (one scanner, theatre and linac unless overridden) on a fresh environment."""
    return Services(env, params.services, window_day)


def assert_log(actual: Sequence[tuple[float, str, str]], expected: Sequence[tuple[float, str, str]],
               tolerance: float = 1e-9) -> None:
    """The exact list of (day, event, detail): events and details equal, days equal to ``tolerance``."""
    assert [(e, d) for _, e, d in actual] == [(e, d) for _, e, d in expected], actual
    assert [day for day, _, _ in actual] == pytest.approx([day for day, _, _ in expected], abs=tolerance), actual
