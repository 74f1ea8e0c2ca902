"""Every baseline value lies inside its documented plausible range.

The tornado analysis moves each parameter to the ends of that range; a default outside it would
make both bars point the same way and says the range or the value is wrong.
"""

from simulator import load_scenario, parameter_infos
from simulator.parameters.scenario import flatten


def test_every_baseline_value_is_within_its_plausible_range():
    values = flatten(load_scenario("baseline").resolved())
    outside = []
    for info in parameter_infos():
        if info.kind in ("int", "float") and info.plausible:
            low, high = info.plausible
            if not low <= values[info.path] <= high:
                outside.append(f"{info.path} = {values[info.path]} outside {low}-{high}")
    assert not outside, "\n".join(outside)
