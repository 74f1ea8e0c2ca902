"""PSA: validated [uncertainty] tables, deterministic draws, noise kept apart, P(best), wider in -> wider out."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator import ScenarioError, load_scenario, parse_uncertainty, psa
from simulator.analysis.uncertainty import EXAMPLE_UNCERTAINTY, uniforms, with_uncertainty
from simulator.parameters.scenario import flatten

HEAD = 'name = "{name}"\ndescription = "PSA fixture."\nextends = "baseline"\n\n[uncertainty]\n'


def _with_uncertainty(write_scenario, name: str, lines: str) -> Path:
    return write_scenario(name, HEAD.format(name=name) + lines)


@pytest.mark.parametrize(("entry", "fragment"), [
    ('"pathway.nope" = { dist = "uniform", low = 1, high = 2 }', "no such parameter"),
    ('"pathway.fast_track_mri" = { dist = "uniform", low = 0, high = 1 }', "on/off switch, not a number"),
    ('"pathway.p_gp_suspects" = { dist = "normal", mean = 0.2, sd = 0.1 }', "is not one of beta, gamma"),
    ('"pathway.p_gp_suspects" = { dist = "beta", mean = 1.2, sd = 0.1 }', "beta mean = 1.2 must be between 0 and 1"),
    ('"pathway.p_gp_suspects" = { dist = "beta", mean = 0.2, sd = 0.5 }', "sd^2 < mean*(1-mean)"),
    ('"pathway.p_gp_suspects" = { dist = "beta", alpha = 0, beta = 2 }', "must both be > 0"),
    ('"pathway.p_gp_suspects" = { dist = "beta", mean = 0.2 }', "beta takes {mean, sd} or {alpha, beta}"),
    ('"pathway.referral_median_days" = { dist = "gamma", mean = 10, sd = 0 }', "gamma mean = 10 and sd = 0"),
    ('"pathway.referral_median_days" = { dist = "lognormal", low = 20, high = 5 }', "needs 0 < low < high"),
    ('"pathway.referral_median_days" = { dist = "lognormal", median = 10, sd_log = -1 }', "must both be > 0"),
    ('"pathway.referral_median_days" = { dist = "uniform", low = 5, high = "ten" }', "high = 'ten' must be a finite"),
    ('"pathway.p_gp_suspects" = { dist = "gamma", mean = 0.9, sd = 0.3 }', "outside the allowed range 0 to 1"),
    ('"cohort.subtype.hr_positive" = { dist = "beta", mean = 0.7, sd = 0.05 }', "cannot vary alone"),
])
def test_invalid_distributions_are_refused_with_file_and_key(write_scenario, entry: str, fragment: str) -> None:
    path = _with_uncertainty(write_scenario, "bad", entry + "\n")
    key = "uncertainty." + entry.split('"')[1]
    with pytest.raises(ScenarioError) as caught:
        parse_uncertainty(load_scenario(path))
    (problem,) = caught.value.problems
    assert problem.file == str(path) and problem.key == key
    assert fragment in problem.message, problem.message


def test_valid_forms_map_uniforms_through_the_ppf(uncertain: Path) -> None:
    dists = {d.path: d for d in parse_uncertainty(load_scenario(uncertain))}
    lognormal = dists["pathway.patient_delay_median_days"]  # 95% interval 5 to 20 days
    low, high = lognormal.values(np.array([0.025, 0.975]))[0]
    assert low == pytest.approx(5) and high == pytest.approx(20)
    beta = dists["natural_history.p_cord_compression"].rv
    assert beta.mean() == pytest.approx(0.3) and beta.std() == pytest.approx(0.05)
    visits, _ = dists["pathway.gp_max_visits"].values(np.linspace(0.01, 0.99, 9))
    assert np.all(visits == np.rint(visits)) and visits.min() >= 3 and visits.max() <= 8


def test_draws_outside_the_allowed_range_are_clipped_and_counted(write_scenario) -> None:
    # a gamma with ~0.3% of its mass above 1: accepted, and the rare draw above 1 is clipped to 1
    entry = '"pathway.p_gp_suspects" = { dist = "gamma", mean = 0.4, sd = 0.17 }\n'
    path = _with_uncertainty(write_scenario, "clip", entry)
    dist = {d.path: d for d in parse_uncertainty(load_scenario(path))}["pathway.p_gp_suspects"]
    values, clipped = dist.values(np.array([0.5, 0.9999999]))
    assert clipped.tolist() == [False, True] and values[1] == 1.0


def test_samplers_are_seeded_and_stratified() -> None:
    lhs = uniforms(8, 3, "lhs", seed=5)
    assert np.array_equal(lhs, uniforms(8, 3, "lhs", seed=5))
    assert not np.array_equal(lhs, uniforms(8, 3, "lhs", seed=6))
    assert all(sorted((lhs[:, j] * 8).astype(int)) == list(range(8)) for j in range(3))  # one draw per stratum
    sobol = uniforms(8, 3, "sobol", seed=5)
    assert sobol.shape == (8, 3) and np.array_equal(sobol, uniforms(8, 3, "sobol", seed=5))


def test_psa_cli_reports_outcomes_differences_and_noise(cli, small, uncertain: Path, write_scenario,
                                                        tmp_path: Path) -> None:
    fast = write_scenario("uncertain-fast", 'name = "uncertain-fast"\ndescription = "Fast-track MRI."\n'
                          'extends = "uncertain.toml"\n\n[pathway]\nfast_track_mri = true\n')
    out = tmp_path / "psa"
    code, stdout, _ = cli("psa", uncertain, fast, "--draws", "4", "--sampler", "sobol", *small, "--out", out,
                          "--metric", "ambulatory_at_diagnosis,diagnostic_delay_median_days,share_surgery")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "manifest.json", "psa.csv", "psa.html", "psa_draws.csv", "psa_parameters.csv", "value.csv",
        "net_benefit.csv", "ce_plane.csv", "ceac.csv", "ceaf.csv", "evpi.csv", "evppi.csv", "evppi_groups.csv"])
    summary = pd.read_csv(out / "psa.csv")
    for metric, rows in summary.groupby("metric"):
        if metric == "share_surgery":  # no better direction: no P(best)
            assert rows["p_best"].isna().all()
        else:
            assert rows["p_best"].sum() == pytest.approx(1.0)
    delay = summary[summary["metric"] == "diagnostic_delay_median_days"].set_index("scenario")
    assert delay.loc["uncertain-fast", "difference_high"] < 0  # fast-track shortens the delay in every draw
    assert delay.loc["uncertain-fast", "p_best"] == 1.0
    assert (summary["low"] <= summary["estimate"]).all() and (summary["estimate"] <= summary["high"]).all()
    assert {"between_draw_sd", "within_draw_sd", "monte_carlo_se"} <= set(summary.columns)
    draws = pd.read_csv(out / "psa_draws.csv")
    assert len(draws) == 4 * 2 * 5  # the three metrics asked for, then cost and QALYs per patient (always)
    assert list(dict.fromkeys(draws["metric"]))[-2:] == ["cost_per_patient", "qalys_per_patient"]
    parameters = pd.read_csv(out / "psa_parameters.csv")
    both = parameters.pivot_table(index=["draw", "parameter"], columns="scenario", values="value")
    assert (both["uncertain"] == both["uncertain-fast"]).all()  # same parameter values for both strategies
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["sampler"] == "sobol" and manifest["draws"] == 4
    assert "patient-sampling noise" in manifest["separation_of_uncertainty"]
    assert set(manifest["clipped_draws"].values()) == {0}


@pytest.mark.slow
def test_wider_distributions_give_wider_outcome_intervals(write_scenario) -> None:
    def spread(name: str, sd_log: float, sd: float) -> pd.Series:
        only = {"pathway.patient_delay_median_days": {"dist": "lognormal", "median": 10, "sd_log": sd_log},
                "natural_history.walking_loss_median_days": {"dist": "gamma", "mean": 38, "sd": sd}}
        scenario = replace(load_scenario("baseline"), name=name, uncertainty=only)  # these two alone vary
        metrics = ["diagnostic_delay_median_days", "ambulatory_6m"]
        result = psa([scenario], draws=6, metrics=metrics, patients=600, replications=2, seed=3)
        table = result.table.set_index("metric").loc[metrics]
        return table["high"] - table["low"]

    narrow, wide = spread("narrow", 0.05, 1.0), spread("wide", 0.8, 12.0)
    assert (wide > 2 * narrow).all(), (narrow, wide)
    assert not math.isnan(narrow.sum())


def test_the_example_uncertainty_is_valid_and_centred_on_the_baseline() -> None:
    """Every example path is a current parameter, its distribution is accepted, and holds the baseline value.

    The baseline value must lie within the distribution's central 95% (else the README's example
    would describe another model).
    """
    base = load_scenario("baseline")
    values = flatten(base.resolved())
    # baseline's own [uncertainty] table comes along (with_uncertainty adds to it): check the example's entries
    distributions = [d for d in parse_uncertainty(with_uncertainty(base, EXAMPLE_UNCERTAINTY))
                     if d.path in EXAMPLE_UNCERTAINTY]
    assert sorted(d.path for d in distributions) == sorted(EXAMPLE_UNCERTAINTY)
    assert {d.spec["dist"] for d in distributions} == {"beta", "gamma", "lognormal", "uniform"}
    for d in distributions:
        low, high = d.rv.ppf([0.025, 0.975])
        assert low <= values[d.path] <= high, (d.path, values[d.path], low, high)
