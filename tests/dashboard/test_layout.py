"""Layout: controls generated from the parameter schema, ids namespaced, app and server entry points."""

from __future__ import annotations

from typing import Any

import pytest
from dash import dcc, html

from dashboard.app import create_app, stop_jobs
from dashboard.config import DashboardConfig, env_flag
from dashboard.data import bundled, parameter_catalogue, scenario_values
from dashboard.layout import VIEWS
from dashboard.layout.whatif import LEVERS, allowed_text, lever_group_paths, lever_groups


def walk(component: Any):
    yield component
    children = getattr(component, "children", None)
    if isinstance(children, (list, tuple)):
        for c in children:
            yield from walk(c)
    elif children is not None and hasattr(children, "to_plotly_json"):
        yield from walk(children)


def test_every_lever_exists_in_the_schema():
    catalogue = parameter_catalogue()
    missing = [p for group in LEVERS.values() for p in group if p not in catalogue]
    assert missing == []


def test_lever_controls_read_unit_range_and_default_from_schema_and_scenario():
    catalogue = parameter_catalogue()
    values = scenario_values(bundled("baseline"))
    root = html.Div(lever_groups(catalogue, values))
    controls = {c.id["path"]: c for c in walk(root)
                if isinstance(getattr(c, "id", None), dict) and c.id.get("type") == "lever"}
    assert set(controls) == {p for g in lever_group_paths(catalogue).values() for p in g}
    assert {p for g in LEVERS.values() for p in g} < set(controls)
    for path, control in controls.items():
        info = catalogue[path]
        assert control.value == values[path], path
        if info.kind == "bool":
            assert isinstance(control, dcc.RadioItems)
        elif info.kind == "choice":
            assert [o["value"] for o in control.options] == list(info.choices)
        else:
            assert isinstance(control, dcc.Input) and control.type == "number"
            assert f"{info.low:g} to {info.high:g}" in allowed_text(info) and info.unit in allowed_text(info)


def test_cost_utility_and_target_levers_are_generated_from_the_schema():
    """Every numeric cost and utility parameter is a lever, so a new one in the schema appears by itself."""
    catalogue = parameter_catalogue()
    groups = lever_group_paths(catalogue)
    levers = {p for g in groups.values() for p in g}
    for prefix in ("costs.", "utilities.", "targets."):
        schema = {p for p, i in catalogue.items() if p.startswith(prefix) and i.kind in ("float", "int")}
        assert schema and schema <= levers, prefix
    assert {"economics.discount_costs", "economics.horizon_years"} <= levers
    assert "economics.wtp_thresholds" not in levers  # a list: the Value tab sets its threshold


def test_create_app_namespaces_ids_and_exposes_a_server(tmp_path):
    app = create_app(DashboardConfig(cache_dir=tmp_path, job_workers=1))
    try:
        ids = [c.id for c in walk(app.layout) if isinstance(getattr(c, "id", None), str)]
        assert len(ids) == len(set(ids))
        for prefix in ("compare", "whatif"):
            assert {f"{prefix}-ambulatory-graph", f"{prefix}-summary", f"{prefix}-cards", f"{prefix}-more",
                    f"{prefix}-report"} <= set(ids)
        assert {"delay-outcomes-graph", "delay-journey-graph", "export-table", "url", "tab"} <= set(ids)
        assert {"sens-graph", "sens-table", "sens-run", "sens-message", "compare-autorun"} <= set(ids)
        tabs = [c for c in walk(app.layout) if getattr(c, "role", None) == "tab"]
        assert {"value-plane-graph", "value-ceac-graph", "value-nmb-graph", "value-budget-graph", "value-threshold",
                "value-run", "valuepsa-run", "value-sentence", "value-kpis"} <= set(ids)
        assert [t.id for t in tabs] == [f"tab-{v}" for v in VIEWS] and len(tabs) == 6
        assert all(t.to_plotly_json()["props"]["aria-controls"].startswith("panel-") for t in tabs)
        assert 'lang="en"' in app.index_string and app.server.config["MAX_CONTENT_LENGTH"] == 1_000_000
    finally:
        stop_jobs(app)


def test_sensitivity_controls_come_from_the_schema_and_the_simulator():
    from dashboard.analysis_inputs import numeric_parameters
    from dashboard.data import METRIC_CHOICES, TORNADO_DEFAULTS, scenario_choices
    from dashboard.layout.sensitivity import sensitivity_view

    config = DashboardConfig(max_tornado_parameters=12, prerun_compare=False)
    view = sensitivity_view(config, scenario_choices(), parameter_catalogue())
    by_id = {c.id: c for c in walk(view) if isinstance(getattr(c, "id", None), str)}
    assert [o["value"] for o in by_id["sens-metric"].options] == [m for m, _, _ in METRIC_CHOICES]
    assert by_id["sens-tornado-params"].value == list(TORNADO_DEFAULTS)
    assert {o["value"] for o in by_id["sens-sweep-param"].options} == {i.path for i in numeric_parameters()}
    assert "days" in by_id["sens-sweep-info"].children and "plausible" in by_id["sens-sweep-info"].children
    assert by_id["sens-patients"].value == config.sensitivity_patients


def test_config_caps_and_env(monkeypatch):
    monkeypatch.setenv("SPINESIM_DASH_MAX_PATIENTS", "300")
    monkeypatch.setenv("SPINESIM_DASH_DEBUG", "no")
    config = DashboardConfig.from_env(max_replications=4)
    assert config.max_patients == 300 and config.max_replications == 4 and config.debug is False
    assert config.default_patients <= 300 and config.default_replications <= 4
    assert config.prerun_compare is True
    monkeypatch.setenv("SPINESIM_DASH_PRERUN", "0")
    assert DashboardConfig.from_env().prerun_compare is False
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env_flag("X_FLAG") is True and env_flag("UNSET_FLAG_XYZ") is False
    with pytest.raises(ValueError):
        DashboardConfig(max_strategies=9)


def test_missing_chromium_is_an_error_not_a_skip(monkeypatch):
    from dashboard import bench

    monkeypatch.setattr(bench, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(FileNotFoundError, match="make browser"):
        bench.launch_chromium(object())
