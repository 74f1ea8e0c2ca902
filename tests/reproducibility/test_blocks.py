"""Drawing and handing on the cohort in blocks changes nothing: the same tables whatever the block size.

``simulate(..., block=k)`` draws each block of ``k`` patients when the clock reaches its first entry
day and hands it on when its processes have ended (issue 9: memory bounded by the block). The
patients read their streams in order, so every block size must give the tables of one block, row
for row and to the byte: patients, events, trajectories and the states grid. Checked with Poisson
arrivals (blocks drawn as the clock reaches them, several alive at once) and with a cohort that
enters on day 0 (every block drawn at the start).
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.model.simulation import Replication, simulate
from simulator.output.tables import events_table, patients_table, states_table, trajectories_table

N = 400
SEED = 31
BLOCKS = (9, 37, 128, N - 1)
GRID_DAYS = 30.4375


def tables(params, block: int) -> dict[str, pd.DataFrame]:
    """The per-patient tables of one replication, built block by block as the runner builds them."""
    parts: list[Replication] = []
    simulate(params, SEED, 0, N, on_block=parts.append, block=block)
    assert len(parts) == -(-N // block)  # ceil(N / block) blocks, each handed on once
    built = {
        "patients": [patients_table(b, "s", 0, params) for b in parts],
        "events": [events_table(b, "s", 0) for b in parts],
        "trajectories": [trajectories_table(b, "s", 0, params) for b in parts],
        "states": [states_table(b, "s", 0, params, GRID_DAYS) for b in parts],
    }
    return {name: pd.concat(frames, ignore_index=True) for name, frames in built.items()}


@pytest.fixture(scope="module", params=["poisson", "cohort"])
def scenario(request, baseline):
    """Every spinal lesion symptomatic (many simulated patients), arriving over time or all on day 0."""
    return baseline.with_overrides({"natural_history.p_symptomatic": 1.0, "cohort.arrivals": request.param},
                                   name=f"symptomatic-{request.param}")


@pytest.fixture(scope="module")
def one_block(scenario):
    return tables(scenario.params, N)


@pytest.mark.parametrize("block", BLOCKS)
def test_blocks_give_the_tables_of_one_block(scenario, one_block, block):
    got = tables(scenario.params, block)
    assert one_block["patients"]["patient_id"].tolist() == list(range(N))
    assert one_block["patients"]["diagnosed"].astype(bool).sum() > 50  # the pathway and care ran for many
    assert len(one_block["events"]) > N
    for name, expected in one_block.items():
        pd.testing.assert_frame_equal(got[name], expected, check_exact=True, obj=f"{name} (block={block})")


def test_handing_blocks_on_returns_the_run_s_parameters_and_counts_without_patients(baseline):
    """Mutation-tested: what ``simulate`` returns once its blocks are handed on still reads as the run."""
    params = baseline.params
    parts: list[Replication] = []
    whole = simulate(params, SEED, 0, N)
    handed = simulate(params, SEED, 0, N, on_block=parts.append, block=128)
    assert handed.params is params and len(handed.cohort.pid) == 0 and handed.simulated == {}
    assert handed.events_simulated == whole.events_simulated and handed.window_day == whole.window_day
    assert sum(len(b.simulated) for b in parts) == len(whole.simulated)
