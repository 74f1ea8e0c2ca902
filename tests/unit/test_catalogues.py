"""Every member of each vocabulary reaches the outputs and the dashboard's labels (issue 9).

Treatments, services, grades, walking levels, routes, pain bands and event kinds are declared once
in ``simulator.vocabulary``; this runs every bundled scenario plus one that switches on the rarer
first treatments (SBRT for painful lesions, supportive care for short expected survival) and
checks that each member shows up where users read it, and that nothing undeclared does.
"""

from __future__ import annotations

import pytest

from dashboard.data import EVENT_LABELS, SERVICE_LABELS, TREATMENT_LABELS
from simulator import CAPACITY_RESOURCES, COLUMNS, describe_parameter, list_scenarios, load_scenario, run_experiment
from simulator.vocabulary import (
    EVENTS,
    GRADES,
    NO_TREATMENT,
    PAIN_BANDS,
    RETREATMENTS,
    ROUTES,
    SERVICE_KINDS,
    SERVICES,
    TREATMENT_FAMILIES,
    TREATMENT_FAMILY_KINDS,
    TREATMENT_KINDS,
    TREATMENTS,
    WALKING_VALUES,
    Event,
    Family,
    Imaging,
    Operation,
    Route,
    RtModality,
    grade_label,
)


@pytest.fixture(scope="module")
def outputs():
    scenarios = [load_scenario(name) for name, _ in list_scenarios()]
    rare = load_scenario("baseline").with_overrides(
        {"strategy.sbrt_for_pain": True, "strategy.supportive_max_expected_survival_months": 12},
        name="every-first-treatment")
    results = run_experiment([*scenarios, rare], 1500, 1, 11)
    return results


def _allowed(table: str, column: str) -> str:
    return next(c.allowed for c in COLUMNS[table] if c.name == column)


def test_every_treatment_is_given_labelled_and_documented(outputs):
    given = set(outputs.patients["treatment"].dropna())
    assert set(TREATMENTS) <= given, set(TREATMENTS) - given
    assert given <= {*TREATMENTS, "none"}
    assert all(code in _allowed("patients", "treatment") for code in TREATMENTS)
    assert all(kind.label and kind.colour.startswith("#") for kind in TREATMENT_KINDS)
    assert set(outputs.patients["retreatment"].dropna()) <= set(RETREATMENTS)
    assert set(TREATMENT_LABELS) == {*TREATMENTS, NO_TREATMENT}  # the dashboard's labels are the vocabulary's
    assert all(TREATMENT_LABELS[kind.code] == kind.label for kind in TREATMENT_KINDS)


def test_every_operation_modality_and_retreatment_logged_is_declared(outputs):
    """The catalogue names each treatment's operation and radiotherapy; the events log only declared names."""
    assert {kind.operation for kind in TREATMENT_KINDS} <= {*Operation.ALL, ""}
    assert {kind.radiotherapy for kind in TREATMENT_KINDS} == {*RtModality.ALL, ""}
    details = outputs.events.groupby("event")["detail"].agg(set)
    assert details["surgery"] <= set(Operation.ALL), details["surgery"]
    assert details["radiotherapy_start"] == set(RtModality.ALL), details["radiotherapy_start"]
    assert details["retreatment_decision"] <= set(RETREATMENTS), details["retreatment_decision"]
    tests = {detail.partition(":")[0] for detail in details["imaging"]}
    results = {detail.partition(":")[2].removesuffix(" (benign)") for detail in details["imaging"]}
    assert tests == set(Imaging.TESTS), tests
    assert results == {Imaging.POSITIVE, Imaging.NEGATIVE, Imaging.FALSE_POSITIVE, Imaging.RELAPSE}, results


def _codes(namespace: type) -> list[str]:
    return [value for key, value in vars(namespace).items() if key.isupper() and isinstance(value, str)]


def test_every_treatment_family_is_declared_and_has_its_share_metric(outputs):
    """A treatment of an undeclared family would count in no share; each family's share is a metric, and
    the shares of the diagnosed patients given a treatment add up to the share treated."""
    assert sorted(_codes(Family)) == sorted(TREATMENT_FAMILIES)  # the code's names are the catalogue's
    assert {kind.family for kind in TREATMENT_KINDS} == set(TREATMENT_FAMILIES)
    shares = outputs.summary.set_index(["scenario", "metric"])["estimate"]
    for scenario in outputs.summary["scenario"].unique():
        total = sum(shares[(scenario, family.metric)] for family in TREATMENT_FAMILY_KINDS)
        dx = outputs.patients[(outputs.patients["scenario"] == scenario) & outputs.patients["diagnosed"]]
        assert total == pytest.approx((dx["treatment"] != NO_TREATMENT).mean(), abs=1e-5), scenario


def test_every_service_is_used_labelled_and_has_a_capacity_parameter(outputs):
    assert set(outputs.resources["service"]) == set(SERVICES)
    assert set(SERVICE_LABELS) == set(SERVICES)
    assert CAPACITY_RESOURCES == {kind.name: kind.capacity_parameter for kind in SERVICE_KINDS}
    for kind in SERVICE_KINDS:
        assert describe_parameter(kind.capacity_parameter) is not None, kind.capacity_parameter
        assert describe_parameter(kind.day_cost_parameter) is not None, kind.day_cost_parameter


def test_every_event_kind_is_logged_and_labelled(outputs):
    assert sorted(_codes(Event)) == sorted(EVENTS)  # each name the code logs or reads is a declared kind
    logged = set(outputs.events["event"])
    assert logged <= set(EVENTS), logged - set(EVENTS)
    assert set(EVENTS) <= logged, set(EVENTS) - logged
    assert set(EVENT_LABELS) == set(EVENTS)


def test_every_route_grade_walking_level_and_pain_band_appears(outputs):
    assert sorted(_codes(Route)) == sorted(ROUTES)
    assert set(outputs.patients["route"]) == set(ROUTES)
    neuro = outputs.trajectories[outputs.trajectories["kind"] == "neuro"]
    assert set(neuro["state"]) == {grade_label(g) for g in GRADES}
    assert set(neuro["walking"]) == set(WALKING_VALUES.values())
    pain = outputs.trajectories[outputs.trajectories["kind"] == "pain"]
    assert set(pain["state"]) == {band for band, *_ in PAIN_BANDS}


def test_the_metrics_need_only_the_rows_and_columns_kept_per_block(outputs):
    """The streaming run keeps metric_rows of each block; the metrics from them equal those from whole tables."""
    from simulator.output.metrics import VALUE_COLUMNS, metric_rows, replication_metrics

    for (scenario, replication), patients in outputs.patients.groupby(["scenario", "replication"], sort=False):
        resources = outputs.resources[(outputs.resources["scenario"] == scenario)
                                      & (outputs.resources["replication"] == replication)]
        whole = replication_metrics(patients, resources)
        kept = replication_metrics(metric_rows(patients), resources, cohort=patients[list(VALUE_COLUMNS)])
        assert kept.keys() == whole.keys()
        for name, value in whole.items():
            assert kept[name] == value or (value != value and kept[name] != kept[name]), (scenario, name)
