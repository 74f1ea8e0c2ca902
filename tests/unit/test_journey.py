"""A patient's journey is her own rows of the replication's tables, whether or not she was simulated."""

import numpy as np
import pytest

from simulator.model.simulation import simulate
from simulator.output.tables import events_table, patients_table
from simulator.parameters.scenario import load_scenario
from simulator.run.journey import patient_journey

N = 400


@pytest.fixture(scope="module")
def whole():
    scenario = load_scenario("baseline")
    rep = simulate(scenario.params, 5, 0, N)
    return scenario, patients_table(rep, "baseline", 0, scenario.params), events_table(rep, "baseline", 0)


def test_journey_rows_are_the_replications_rows(whole):
    scenario, patients, events = whole
    diagnosed = patients.index[patients["diagnosed"].astype(bool)].tolist()
    untouched = patients.index[patients["onset_day"].isna()].tolist()
    assert diagnosed and untouched
    for pid in (diagnosed[0], untouched[0]):
        journey = patient_journey(scenario, 5, 0, pid, N)
        expected = patients.iloc[pid]
        assert journey.patient.astype(str).to_dict() == expected.astype(str).to_dict()
        own = events[events["patient_id"] == pid].reset_index(drop=True)
        assert np.array_equal(journey.events["day"].to_numpy(), own["day"].to_numpy())
        assert journey.events["event"].tolist() == own["event"].tolist()


def test_a_patient_outside_the_cohort_is_refused(whole):
    with pytest.raises(ValueError, match="outside 0 to 399"):
        patient_journey(whole[0], 5, 0, N, N)
