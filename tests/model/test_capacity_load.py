"""Every bundled scenario's services can carry their demand: no queue that grows with the run.

A service loaded beyond its capacity makes every wait, and every delay and outcome behind it, grow
with the length of the run (the number of patients at a fixed arrival rate), so results would depend
on the cohort size chosen. The demand is measured with four times the scenario's capacity on the same
patients (common random numbers): the share of that ample capacity in use, times four, is the
load the scenario's own capacity would carry.
"""

from __future__ import annotations

import pytest

from simulator.parameters.scenario import bundled_names, flatten, load_scenario
from simulator.run.experiment import run_experiment
from simulator.vocabulary import SERVICE_KINDS

PATIENTS = 20_000  # 20 years of arrivals at 1,000 a year: about 6,000 MRI scans, a Poisson SE of 1.3%
AMPLE = 4
MAX_LOAD = 0.95  # the load above which a queue's waits are unstable in practice (M/M/1: wait ~ 1/(1 - load))


@pytest.mark.slow
@pytest.mark.parametrize("name", bundled_names())
def test_demand_stays_below_capacity(name: str) -> None:
    scenario = load_scenario(name)
    resolved = flatten(scenario.resolved())
    ample = scenario.with_overrides({s.capacity_parameter: AMPLE * resolved[s.capacity_parameter]
                                     for s in SERVICE_KINDS})
    resources = run_experiment([ample], patients=PATIENTS, replications=1, seed=3).resources
    for service in SERVICE_KINDS:
        load = AMPLE * float(resources.loc[resources["service"] == service.name, "utilisation"].iloc[0])
        assert load < MAX_LOAD, f"{name}: {service.label} demand is {load:.0%} of its capacity"
