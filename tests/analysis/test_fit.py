"""Calibration fitting: a bounded search on the same patients, before/after, a scenario that extends baseline."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from simulator import fit, load_scenario
from simulator.analysis import fit as fit_module
from simulator.analysis.common import parameter_info, plausible_range
from simulator.cli import analyses as analysis_cli

OPTIMUM = {"pathway.patient_delay_median_days": 20.0, "natural_history.walking_loss_median_days": 45.0}


def stub(overrides: dict[str, float]) -> list[SimpleNamespace]:
    """Two targets, each met exactly at OPTIMUM (distance in tolerances, as TargetResult has)."""
    out = []
    for i, (path, best) in enumerate(OPTIMUM.items()):
        value = overrides[path]
        distance = abs(value - best) / 5.0
        out.append(SimpleNamespace(target=SimpleNamespace(id=f"t{i}", comparison=""), published=best, simulated=value,
                                   tolerance=5.0, distance=distance, passed=distance <= 1))
    return out


def test_fit_finds_the_stub_optimum_within_the_plausible_range() -> None:
    result = fit(list(OPTIMUM), method="Nelder-Mead", max_evaluations=80, evaluate=stub)
    for path, best in OPTIMUM.items():
        assert result.fitted[path] == pytest.approx(best, abs=0.5)
    assert result.objective_after < result.objective_before
    assert result.evaluations <= 80 + 1
    powell = fit(list(OPTIMUM), method="Powell", max_evaluations=120, evaluate=stub)
    assert powell.objective_after < 0.05


def test_fitted_values_become_a_scenario_that_extends_baseline(tmp_path: Path) -> None:
    result = fit(["pathway.patient_delay_median_days"], max_evaluations=30,
                 evaluate=lambda o: stub({**o, "natural_history.walking_loss_median_days": 45.0}))
    path = tmp_path / "fitted.toml"
    path.write_text(result.toml())
    doc = tomllib.loads(path.read_text())
    assert doc["extends"] == "baseline" and list(doc) == ["name", "description", "extends", "pathway"]
    loaded = load_scenario(path)
    assert loaded.params.pathway.patient_delay_median_days == pytest.approx(20.0, abs=0.5)


def test_bound_is_the_plausible_range() -> None:
    """A target beyond the plausible range pulls the fit to the range's upper end, and no further."""
    path = "natural_history.walking_loss_median_days"
    _, high = plausible_range(parameter_info(path, "test"), "test")
    beyond = high + 10  # the stub's optimum lies outside the plausible range

    def far(o: dict[str, float]) -> list[SimpleNamespace]:
        d = abs(o[path] - beyond) / 5
        return [SimpleNamespace(target=SimpleNamespace(id="t", comparison=""), published=beyond, simulated=0,
                                tolerance=5, distance=d, passed=False)]
    result = fit([path], max_evaluations=40, evaluate=far)
    assert result.fitted[path] == pytest.approx(high, abs=0.1)


def test_run_fit_writes_scenario_tables_chart_and_manifest(monkeypatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setattr(fit_module, "targets_evaluator", lambda *a, **k: stub)
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    analysis_cli.register_fit_options(parser)
    out = tmp_path / "fit"
    args = parser.parse_args(["--fit", *OPTIMUM, "--fit-out", str(out), "--fit-max-evaluations", "60"])
    assert analysis_cli.run_fit(args) == 0
    assert sorted(p.name for p in out.iterdir()) == ["fit.csv", "fit.html", "fit_parameters.csv", "fitted.toml",
                                                    "manifest.json"]
    table = pd.read_csv(out / "fit.csv")
    assert (table["distance_after"] <= table["distance_before"]).all()
    assert load_scenario(out / "fitted.toml").name == "baseline-fitted"
    assert "sum of squared distances" in capsys.readouterr().out


@pytest.mark.slow
def test_fit_against_the_real_targets_runs_end_to_end() -> None:
    result = fit(["natural_history.walking_loss_median_days"], patients=300, seed=2026, max_evaluations=3)
    assert len(result.before) == len(result.after) > 0
    assert result.objective_after <= result.objective_before
