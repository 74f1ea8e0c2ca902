"""Every bundled scenario loads, validates, answers its own question and round-trips through TOML.

In the spirit of Synthea's one test that validates every module: new files in ``scenarios/`` are
picked up automatically.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from simulator.parameters.scenario import (
    META_KEYS,
    Scenario,
    bundled_names,
    describe_parameter,
    flatten,
    list_scenarios,
    load_scenario,
)

SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted(SCENARIO_DIR.glob("*.toml"))
NAMES = [p.stem for p in FILES]
NON_BASELINE = [n for n in NAMES if n != "baseline"]

# What each bundled scenario must mean once resolved: the values its question depends on. The
# values inherited unchanged from baseline are pinned here too, so a change to baseline that would
# silently change the question makes this test fail (the fix is then an explicit override).
DEFINITIONS: dict[str, dict[str, object]] = {
    "baseline": {},
    "rt-only": {
        "strategy.surgery_for_compression": False,
        "strategy.surgery_for_instability": False,
        "strategy.aggressive_resection": False,
        "strategy.steroids_for_deficit": True,
    },
    "surgery-eligible": {
        "strategy.surgery_for_compression": True,
        "strategy.surgery_escc_min": "2",
        "strategy.surgery_min_expected_survival_months": 3.0,
        "strategy.surgery_excludes_paraplegia": True,
        "strategy.surgery_max_ecog": 2,
        "strategy.aggressive_resection": False,
    },
    "aggressive-resection": {
        "strategy.aggressive_resection": True,
        "strategy.surgery_min_expected_survival_months": 3.0,
        "strategy.surgery_max_ecog": 2,
        "treatment.p_complication": 0.39,
    },
    "fast-track-mri": {"pathway.fast_track_mri": True},
    "awareness": {},  # directional: checked in test_awareness_shortens_every_delay
    "mri-capacity": {"services.mri_scanners": 2},
    "cement-fractures": {"strategy.cement_for_painful_fracture": True},
    "bone-agents": {"strategy.bone_agents_for_all": True},
}


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    return load_scenario("baseline")


def _raw(name: str) -> dict:
    with (SCENARIO_DIR / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def _written_paths(raw: dict) -> dict[str, object]:
    """The parameter values a file writes itself, as dotted paths (meta keys left out)."""
    return flatten({k: v for k, v in raw.items() if k not in META_KEYS})


def test_the_bundled_set_is_complete():
    assert set(DEFINITIONS) <= set(NAMES), (
        f"missing scenario files: {set(DEFINITIONS) - set(NAMES)}"
    )
    assert set(NAMES) <= set(DEFINITIONS), (
        f"add the new scenario to DEFINITIONS: {set(NAMES) - set(DEFINITIONS)}"
    )
    assert bundled_names() == sorted(NAMES)


def test_list_scenarios_puts_baseline_first_and_lists_every_file():
    listed = list_scenarios()
    assert listed[0][0] == "baseline"
    assert sorted(n for n, _ in listed) == sorted(NAMES)
    assert all(desc for _, desc in listed)


@pytest.mark.parametrize("name", NAMES)
def test_loads_by_name_and_by_path_identically(name):
    by_name = load_scenario(name)
    by_path = load_scenario(SCENARIO_DIR / f"{name}.toml")
    assert isinstance(by_name, Scenario)
    assert by_name.digest() == by_path.digest()
    assert by_name.name == name == by_path.name


@pytest.mark.parametrize("name", NAMES)
def test_name_equals_stem_and_description_is_one_paragraph(name):
    raw = _raw(name)
    assert raw.get("name") == name, "bundled files must set name equal to the file stem"
    desc = raw.get("description")
    assert isinstance(desc, str) and len(desc.split()) >= 25, (
        "the description should state the question"
    )
    assert "\n\n" not in desc, "one paragraph"
    scenario = load_scenario(name)
    assert scenario.description == " ".join(desc.split())


@pytest.mark.parametrize("name", NON_BASELINE)
def test_description_asks_a_question(name):
    assert "What if" in load_scenario(name).description


@pytest.mark.parametrize("name", NON_BASELINE)
def test_extends_baseline_and_differs_from_it(name, baseline):
    raw = _raw(name)
    assert raw.get("extends") == "baseline"
    scenario = load_scenario(name)
    assert scenario.chain == ("baseline", name)
    assert scenario.resolved() != baseline.resolved()
    assert scenario.digest() != baseline.digest()


@pytest.mark.parametrize("name", NON_BASELINE)
def test_writes_only_overrides_that_change_something(name, baseline):
    written = _written_paths(_raw(name))
    assert written, "a scenario must override at least one parameter"
    base = flatten(baseline.resolved())
    resolved = flatten(load_scenario(name).resolved())
    for path, value in written.items():
        assert path in base, f"{name}: {path} is not a parameter"
        assert resolved[path] == value
        assert base[path] != value, f"{name}: {path} = {value!r} restates baseline; drop it"


@pytest.mark.parametrize("name", NON_BASELINE)
def test_changed_values_stay_within_the_plausible_range(name, baseline):
    base = flatten(baseline.resolved())
    for path, value in flatten(load_scenario(name).resolved()).items():
        if value == base[path]:
            continue
        info = describe_parameter(path)
        assert info is not None
        if info.plausible is not None and not isinstance(value, bool):
            low, high = info.plausible
            assert low <= value <= high, f"{name}: {path} = {value} outside plausible {low}-{high}"


@pytest.mark.parametrize("name", NAMES)
def test_resolved_values_match_the_definition(name):
    resolved = flatten(load_scenario(name).resolved())
    for path, expected in DEFINITIONS[name].items():
        assert resolved[path] == expected, (
            f"{name}: {path} = {resolved[path]!r}, expected {expected!r}"
        )


def test_awareness_shortens_every_delay(baseline):
    base = baseline.params.pathway
    aware = load_scenario("awareness").params.pathway
    assert aware.patient_delay_median_days < base.patient_delay_median_days
    assert aware.p_gp_suspects > base.p_gp_suspects
    assert aware.presentation_per_day_deficit > base.presentation_per_day_deficit
    assert aware.p_gp_recognises_deficit > base.p_gp_recognises_deficit
    assert "assumption" in load_scenario("awareness").description


def test_mri_capacity_doubles_the_scanners(baseline):
    assert (
        load_scenario("mri-capacity").params.services.mri_scanners
        == 2 * baseline.params.services.mri_scanners
    )


@pytest.mark.parametrize("name", NON_BASELINE)
def test_to_toml_with_parent_round_trips(name, baseline, tmp_path):
    scenario = load_scenario(name)
    text = scenario.to_toml(extends="baseline", parent=baseline)
    doc = tomllib.loads(text)
    assert doc["extends"] == "baseline"
    assert _written_paths(doc) == _written_paths(_raw(name)), (
        "to_toml(parent=...) writes only the differences"
    )
    out = tmp_path / f"{name}.toml"
    out.write_text(text, encoding="utf-8")
    again = load_scenario(out)
    assert again.digest() == scenario.digest()
    assert again.resolved() == scenario.resolved()
    assert (again.name, again.description) == (scenario.name, scenario.description)


@pytest.mark.parametrize("name", NAMES)
def test_to_toml_in_full_round_trips_without_extends(name, tmp_path):
    scenario = load_scenario(name)
    out = tmp_path / "full.toml"
    out.write_text(scenario.to_toml(), encoding="utf-8")
    again = load_scenario(out)
    assert again.digest() == scenario.digest()
    assert again.chain == (name,)


def test_digest_ignores_name_but_not_values(baseline, tmp_path):
    copy = tmp_path / "renamed.toml"
    copy.write_text(
        'name = "renamed"\ndescription = "same values"\nextends = "baseline"\n', encoding="utf-8"
    )
    assert load_scenario(copy).digest() == baseline.digest()
    changed = baseline.with_overrides({"services.mri_scanners": 3})
    assert changed.digest() != baseline.digest()
    assert baseline.params.services.mri_scanners == 1, "with_overrides must not change the original"


def test_baseline_values_are_finite():
    for path, value in flatten(load_scenario("baseline").resolved()).items():
        if isinstance(value, float):
            assert math.isfinite(value), path


# Baseline values that descriptions quote ("10 to 5 days", "instead of baseline's 6"): if baseline
# changes, the description must change with it.
QUOTED_BASELINE = [
    ("awareness", "pathway.patient_delay_median_days", 10, "10 to 5 days"),
    ("awareness", "pathway.p_gp_suspects", 0.2, "0.2 to 0.4"),
    ("awareness", "pathway.presentation_per_day_deficit", 0.005, "0.005 to 0.01"),
    ("awareness", "pathway.p_gp_recognises_deficit", 0.05, "instead of 1 in 20"),
    ("surgery-eligible", "strategy.surgery_min_expected_survival_months", 6, "baseline's 6"),
    ("bone-agents", "cohort.p_bone_agent", 0.6, "about 60%"),
    ("mri-capacity", "services.mri_scanners", 1, "from one scanner-equivalent to two"),
]


@pytest.mark.parametrize(("name", "path", "value", "phrase"), QUOTED_BASELINE)
def test_descriptions_quote_current_baseline_values(name, path, value, phrase, baseline):
    assert flatten(baseline.resolved())[path] == value, f"{name} quotes {path} = {value}"
    assert phrase in load_scenario(name).description
