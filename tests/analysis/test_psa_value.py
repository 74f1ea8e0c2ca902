"""Value for money from a real PSA: the CEAC, CEAF and NMB agree; 0 <= EVPPI <= EVPI; a copy is identical.

The PSA runs the bundled baseline, surgery-eligible and fast-track-mri on 32 draws of five of
baseline's uncertain parameters (one per finer group, so that every group can be estimated from
32 draws), on small cohorts: these tests check the arithmetic and its consistency on simulated
draws, not the size of any value.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simulator import PSA_VALUE_TABLES, Population, load_scenario, psa, psa_value_text
from simulator.economics.smoothing import min_draws

NAMES = ("baseline", "surgery-eligible", "fast-track-mri")
SUBSET = ("response.surgery_odds_ratio", "natural_history.survival.hr_not_walking", "costs.event.mri",
          "costs.capacity.mri_scanner_day", "utilities.walking_unaided")
DRAWS = 32
POPULATION = Population(annual=1000, years=5, rate=0.035)


@pytest.fixture(scope="module")
def small_psa():
    table = load_scenario("baseline").uncertainty
    scenarios = [replace(load_scenario(n), uncertainty={p: table[p] for p in SUBSET}) for n in NAMES]
    return psa(scenarios, draws=DRAWS, patients=120, replications=1, seed=11, workers=2, population=POPULATION)


def test_tables_have_the_published_names_and_columns(small_psa) -> None:
    for name, columns in PSA_VALUE_TABLES.items():
        assert list(small_psa.tables[name].columns) == columns, name
    plane = small_psa.tables["ce_plane"]
    assert len(plane) == DRAWS * len(NAMES) and list(dict.fromkeys(plane["strategy"])) == list(NAMES)
    assert (plane.loc[plane["strategy"] == "baseline", ["incremental_cost", "incremental_qalys"]] == 0.0).all().all()
    value = small_psa.tables["value"].set_index("strategy")
    by = plane.groupby("strategy")
    assert np.allclose(value.loc[list(NAMES), "incremental_cost"], by["incremental_cost"].mean()[list(NAMES)])
    assert np.allclose(value.loc[list(NAMES), "qalys"], by["qalys"].mean()[list(NAMES)])
    text = psa_value_text(small_psa.tables, small_psa.manifest["value_for_money"])
    assert "GBP 20,000 per QALY" in text and "EVPPI per patient" in text and "CEAF" in text


def test_ceac_is_a_probability_and_agrees_with_the_net_benefit_table(small_psa) -> None:
    """At every threshold: each P in [0, 1], summing to 1; recomputed from the CE plane; CEAF = top mean NMB."""
    ceac, ceaf = small_psa.tables["ceac"], small_psa.tables["ceaf"].set_index("threshold")
    benefit, plane = small_psa.tables["net_benefit"], small_psa.tables["ce_plane"]
    assert ceac["probability"].between(0, 1).all()
    assert np.allclose(ceac.groupby("threshold")["probability"].sum(), 1.0, rtol=0, atol=1e-12)
    assert len(ceaf) == ceac["threshold"].nunique() >= 40
    for threshold, rows in ceac.groupby("threshold"):
        nmb = (threshold * plane["qalys"] - plane["cost"]).to_numpy().reshape(DRAWS, len(NAMES))
        top = nmb == nmb.max(axis=1, keepdims=True)
        assert np.allclose(rows["probability"], (top / top.sum(axis=1, keepdims=True)).mean(axis=0), atol=1e-12)
        at = benefit[benefit["threshold"] == threshold].set_index("strategy")
        chosen = ceaf.loc[threshold]
        assert at.loc[chosen["strategy"], "nmb"] == at["nmb"].max()  # the CEAF's strategy has the top mean NMB
        assert bool(at.loc[chosen["strategy"], "best"]) and at.loc[chosen["strategy"], "rank"] == 1
        assert chosen["expected_nmb"] == pytest.approx(at["nmb"].max(), rel=1e-12)
        assert chosen["probability"] == pytest.approx(rows.set_index("strategy").loc[chosen["strategy"], "probability"])
        assert np.allclose(at.loc[list(NAMES), "p_cost_effective"], rows["probability"])
        assert np.allclose(at.loc[list(NAMES), "nmb"], nmb.mean(axis=0), rtol=1e-12)


def test_evpi_bounds_evppi_bounds_zero_for_every_group(small_psa) -> None:
    evpi = small_psa.tables["evpi"].set_index("threshold")
    evppi, groups = small_psa.tables["evppi"], small_psa.tables["evppi_groups"]
    assert groups["estimated"].all() and (groups["min_draws"] <= DRAWS).all()
    assert set(groups["group"]) >= {"clinical", "costs", "utilities", "surgical response", "capacity costs"}
    assert len(evppi) == len(groups) * len(evpi)
    assert (evppi["evppi"] >= 0).all()
    assert (evppi["evppi"].to_numpy() <= evpi.loc[evppi["threshold"], "evpi"].to_numpy()).all()
    plane = small_psa.tables["ce_plane"]
    for threshold in (20_000.0, 30_000.0):
        nmb = (threshold * plane["qalys"] - plane["cost"]).to_numpy().reshape(DRAWS, len(NAMES))
        assert evpi.loc[threshold, "evpi"] == pytest.approx(nmb.max(axis=1).mean() - nmb.mean(axis=0).max(), abs=1e-9)
    assert np.allclose(evpi["evpi_population"], evpi["evpi"] * POPULATION.size, rtol=1e-12)
    assert small_psa.manifest["value_for_money"]["population"]["size"] == pytest.approx(POPULATION.size)


def test_a_strategy_against_an_exact_copy_of_itself_has_zero_increments_to_the_byte(tmp_path) -> None:
    """Common random numbers: the copy meets the same patients and the same parameter draws."""
    baseline = load_scenario("baseline")
    copy = replace(baseline, name="baseline-copy")
    result = psa([baseline, copy], draws=3, patients=100, replications=2, seed=5)
    value = result.tables["value"].set_index("strategy").loc["baseline-copy"]
    for column in ("incremental_cost", "incremental_cost_low", "incremental_cost_high", "incremental_qalys",
                   "incremental_qalys_low", "incremental_qalys_high", "incremental_cost_monte_carlo_se",
                   "incremental_qalys_monte_carlo_se"):
        assert value[column] == 0.0, column
    assert value["cost_monte_carlo_se"] > 0 and value["quadrant"] == "same"
    result.write(tmp_path / "out")
    plane = pd.read_csv(tmp_path / "out" / "ce_plane.csv", dtype=str)
    own, twin = (plane[plane["strategy"] == n].reset_index(drop=True) for n in ("baseline", "baseline-copy"))
    assert own[["draw", "cost", "qalys"]].equals(twin[["draw", "cost", "qalys"]])  # the same text, to the byte
    assert set(twin["incremental_cost"]) == {"0.0"} and set(twin["incremental_qalys"]) == {"0.0"}
    assert (result.tables["evpi"]["evpi"] == 0.0).all() and (result.tables["evppi"]["evppi"] == 0.0).all()
    assert np.allclose(result.tables["ceac"]["probability"], 0.5)  # a tie in every draw is shared


def test_groups_with_too_few_draws_are_listed_with_the_draws_they_need() -> None:
    """Three draws: no group can be fitted; each is listed, and the note names the most draws needed."""
    result = psa([load_scenario("baseline"), load_scenario("fast-track-mri")], draws=3, patients=60,
                 replications=1, seed=2)
    groups = result.tables["evppi_groups"].set_index("group")
    assert not groups["estimated"].any() and len(result.tables["evppi"]) == 0
    assert groups.loc["pathway delays", "size"] == 3 and groups.loc["pathway delays", "min_draws"] == min_draws(3)
    assert groups.loc["community care costs", "size"] == 1  # three care costs drawn as one (same_draw_as)
    assert groups.loc["costs", "method"] == "additive spline"
    (note,) = [n for n in result.notes if n.startswith("EVPPI not estimated with 3 draws")]
    assert f"--draws {groups['min_draws'].max()} or more" in note
