"""Broken scenario files give a ScenarioError naming the file, the key path and what is allowed.

One row per kind of mistake (a parametrised table, as in the STARS models' validation tests). Each
row writes its files into ``tmp_path``, loads one of them, and checks both ``str(error)`` (what a
user sees) and the structured ``error.problems``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tomli_w

from simulator.parameters.scenario import BUNDLED_DIR, ScenarioError, load_scenario

HEAD = 'name = "broken"\ndescription = "A broken scenario."\nextends = "baseline"\n'


def _baseline_without(*paths: str) -> str:
    """baseline.toml as a stand-alone file (no extends) with some dotted paths removed."""
    with (BUNDLED_DIR / "baseline.toml").open("rb") as fh:
        doc = tomllib.load(fh)
    for path in paths:
        *groups, leaf = path.split(".")
        node = doc
        for g in groups:
            node = node[g]
        del node[leaf]
    doc["name"] = "standalone"
    return tomli_w.dumps(doc)


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str]  # file name -> content, written into tmp_path
    key: str  # the Problem.key expected ("" where no key applies, e.g. a missing file)
    expect: tuple[str, ...]  # substrings of that problem's message: the value, range or suggestion
    load: str = "broken.toml"  # a file in tmp_path, or "bundled:NAME"
    file: str = ""  # the file the problem must name (default: the loaded file)
    overrides: dict = field(default_factory=dict)


CASES = [
    # --- unknown keys, with a suggestion or the list of allowed keys --------------------------
    Case(
        "unknown-key",
        {"broken.toml": HEAD + "[services]\nmri_scaners = 2\n"},
        "services.mri_scaners",
        ("unknown key 'mri_scaners'", "did you mean 'mri_scanners'?"),
    ),
    Case(
        "unknown-group",
        {"broken.toml": HEAD + "[servics]\nmri_scanners = 2\n"},
        "servics",
        ("unknown key 'servics'", "did you mean 'services'?"),
    ),
    Case(
        "unknown-key-nothing-close",
        {"broken.toml": HEAD + "[strategy]\nxyzzy = true\n"},
        "strategy.xyzzy",
        ("unknown key 'xyzzy'", "allowed here:", "surgery_for_compression"),
    ),
    Case(
        "unknown-nested-key",
        {"broken.toml": HEAD + "[natural_history.survival]\nhr_ecog2 = 1.4\n"},
        "natural_history.survival.hr_ecog2",
        ("did you mean 'hr_ecog_2'?",),
    ),
    # --- dotted override paths that do not exist ----------------------------------------------
    Case(
        "dotted-key-quoted",
        {"broken.toml": HEAD + '"services.mri_scanner" = 2\n'},
        "services.mri_scanner",
        ("unknown key 'mri_scanner'", "did you mean 'mri_scanners'?"),
    ),
    Case(
        "dotted-key-bare",
        {"broken.toml": HEAD + "pathway.fast_track = true\n"},
        "pathway.fast_track",
        ("did you mean 'fast_track_mri'?",),
    ),
    Case(
        "dotted-key-unknown-group",
        {"broken.toml": HEAD + '"nope.mri_scanners" = 2\n'},
        "nope",
        ("unknown key 'nope'", "allowed here:", "services"),
    ),
    Case(
        "dotted-override-argument",
        {},
        "services.mri_scanner",
        ("did you mean 'mri_scanners'?",),
        load="bundled:baseline",
        file="baseline.toml",
        overrides={"services.mri_scanner": 2},
    ),
    Case(
        "dotted-override-unknown-group",
        {},
        "nope.x",
        ("unknown key 'nope'", "allowed here:", "services"),
        load="bundled:baseline",
        file="baseline.toml",
        overrides={"nope.x": 1},
    ),
    Case(
        "dotted-override-out-of-range",
        {},
        "services.mri_scanners",
        ("= 0", "allowed: 1 to 50 scanners"),
        load="bundled:baseline",
        file="baseline.toml",
        overrides={"services.mri_scanners": 0},
    ),
    # --- wrong types ----------------------------------------------------------------------------
    Case(
        "string-for-int",
        {"broken.toml": HEAD + '[services]\nlinacs = "two"\n'},
        "services.linacs",
        ("'two'", "valid integer", "allowed: 1 to 20 machines"),
    ),
    Case(
        "float-for-int",
        {"broken.toml": HEAD + "[services]\ntheatres = 1.5\n"},
        "services.theatres",
        ("= 1.5", "valid integer", "allowed: 1 to 20 theatres"),
    ),
    Case(
        "string-for-float",
        {"broken.toml": HEAD + '[pathway]\ndecision_days = "3"\n'},
        "pathway.decision_days",
        ("'3'", "valid number", "allowed: 0 to 60 days"),
    ),
    Case(
        "int-for-bool",
        {"broken.toml": HEAD + "[strategy]\naggressive_resection = 1\n"},
        "strategy.aggressive_resection",
        ("= 1", "valid boolean", "allowed: true or false"),
    ),
    Case(
        "bool-for-float",
        {"broken.toml": HEAD + "[treatment]\np_complication = true\n"},
        "treatment.p_complication",
        ("= True", "allowed: 0 to 1 proportion"),
    ),
    Case(
        "date-for-float",
        {"broken.toml": HEAD + "[pathway]\ndecision_days = 2024-01-01\n"},
        "pathway.decision_days",
        ("2024", "allowed: 0 to 60 days"),
    ),
    Case(
        "bad-choice",
        {"broken.toml": HEAD + '[strategy]\nsurgery_escc_min = "4"\n'},
        "strategy.surgery_escc_min",
        ("'4'", "allowed: 0, 1a, 1b, 1c, 2, 3"),
    ),
    Case(
        "bad-entry-choice",
        {"broken.toml": HEAD + '[cohort]\nentry = "everyone"\n'},
        "cohort.entry",
        ("'everyone'", "allowed: newly-diagnosed, advanced, bone-metastasis"),
    ),
    Case(
        "scalar-for-group",
        {"broken.toml": HEAD + "services = 3\n"},
        "services",
        ("= 3", "must be a table"),
    ),
    Case(
        "extends-not-a-string",
        {"broken.toml": 'name = "broken"\nextends = 3\n'},
        "extends",
        ("= 3", "must be a scenario name or path"),
    ),
    Case(
        "name-not-a-string",
        {"broken.toml": HEAD.replace('name = "broken"', "name = 3")},
        "name",
        ("= 3", "must be a string"),
    ),
    Case(
        "description-not-a-string",
        {"broken.toml": HEAD.replace('"A broken scenario."', "[1, 2]")},
        "description",
        ("must be a string",),
    ),
    # --- values outside the allowed range -------------------------------------------------------
    Case(
        "probability-above-1",
        {"broken.toml": HEAD + "[pathway]\np_gp_suspects = 1.5\n"},
        "pathway.p_gp_suspects",
        ("= 1.5", "less than or equal to 1", "allowed: 0 to 1 proportion"),
    ),
    Case(
        "probability-negative",
        {"broken.toml": HEAD + "[natural_history]\np_symptomatic = -0.1\n"},
        "natural_history.p_symptomatic",
        ("= -0.1", "allowed: 0 to 1 proportion"),
    ),
    Case(
        "zero-scanners",
        {"broken.toml": HEAD + "services.mri_scanners = 0\n"},
        "services.mri_scanners",
        ("= 0", "greater than or equal to 1", "allowed: 1 to 50 scanners"),
    ),
    Case(
        "negative-days",
        {"broken.toml": HEAD + "[pathway]\ndecision_days = -1\n"},
        "pathway.decision_days",
        ("= -1", "allowed: 0 to 60 days"),
    ),
    Case(
        "huge-float",
        {"broken.toml": HEAD + "[cohort]\narrivals_per_year = 1e300\n"},
        "cohort.arrivals_per_year",
        ("1e+300", "allowed: 1 to 1e+06 patients/year"),
    ),
    Case(
        "huge-int",
        {"broken.toml": HEAD + "[services]\nmri_scanners = " + "9" * 40 + "\n"},
        "services.mri_scanners",
        ("9" * 40, "allowed: 1 to 50 scanners"),
    ),
    Case(
        "ecog-above-4",
        {"broken.toml": HEAD + "[strategy]\nsurgery_max_ecog = 5\n"},
        "strategy.surgery_max_ecog",
        ("= 5", "allowed: 0 to 4 ECOG"),
    ),
    # --- nan and inf ----------------------------------------------------------------------------
    Case(
        "nan",
        {"broken.toml": HEAD + "[pathway]\ndecision_days = nan\n"},
        "pathway.decision_days",
        ("nan", "finite number", "allowed: 0 to 60 days"),
    ),
    Case(
        "inf",
        {"broken.toml": HEAD + "[pathway]\nreferral_median_days = inf\n"},
        "pathway.referral_median_days",
        ("inf", "finite number", "allowed: 0 to 365 days"),
    ),
    Case(
        "minus-inf",
        {"broken.toml": HEAD + "[natural_history.survival]\nhr_visceral = -inf\n"},
        "natural_history.survival.hr_visceral",
        ("-inf", "finite number", "allowed: 0.5 to 10 hazard ratio"),
    ),
    Case(
        "nan-share",
        {"broken.toml": HEAD + "[cohort.subtype]\nhr_positive = nan\n"},
        "cohort.subtype.hr_positive",
        ("nan", "finite number", "allowed: 0 to 1 proportion"),
    ),
    # --- probability vectors that do not sum to 1 -----------------------------------------------
    Case(
        "shares-above-1",
        {"broken.toml": HEAD + "[cohort.subtype]\nhr_positive = 0.9\n"},
        "cohort.subtype",
        ("shares must sum to 1", "sum to 1.2", "hr_positive=0.9"),
    ),
    Case(
        "shares-below-1",
        {
            "broken.toml": HEAD
            + "[cohort]\necog = { ecog_0_1 = 0.5, ecog_2 = 0.2, ecog_3_4 = 0.2 }\n"
        },
        "cohort.ecog",
        ("shares must sum to 1", "sum to 0.9"),
    ),
    Case(
        "shares-nested",
        {"broken.toml": HEAD + "[natural_history.level]\nsacral = 0.5\n"},
        "natural_history.level",
        ("shares must sum to 1", "sacral=0.5"),
    ),
    # --- extends ----------------------------------------------------------------------------------
    Case(
        "circular-extends",
        {
            "a.toml": 'name = "a"\nextends = "b.toml"\n',
            "b.toml": 'name = "b"\nextends = "a.toml"\n',
        },
        "extends",
        ("circular extends", "a -> b -> a"),
        load="a.toml",
    ),
    Case(
        "self-extends",
        {"broken.toml": 'name = "broken"\nextends = "broken.toml"\n'},
        "extends",
        ("circular extends", "broken -> broken"),
    ),
    Case(
        "extends-missing-file",
        {"broken.toml": 'name = "broken"\nextends = "nothere.toml"\n'},
        "extends",
        ("'nothere.toml'", "no such scenario"),
        file="broken.toml",
    ),
    Case(
        "extends-unknown-bundled-name",
        {"broken.toml": 'name = "broken"\nextends = "baselne"\n'},
        "extends",
        ("'baselne'", "did you mean 'baseline'?"),
        file="broken.toml",
    ),
    Case(
        "extends-missing-grandparent",
        {
            "broken.toml": 'name = "broken"\nextends = "mid.toml"\n',
            "mid.toml": 'name = "mid"\nextends = "gone.toml"\n',
        },
        "extends",
        ("'gone.toml'", "no such scenario"),
        file="mid.toml",
    ),
    Case(
        "unknown-bundled-name",
        {},
        "",
        ("no scenario 'rt-onl'", "did you mean 'rt-only'?"),
        load="bundled:rt-onl",
        file="rt-onl.toml",
    ),
    Case(
        "unknown-bundled-name-nothing-close",
        {},
        "",
        ("no scenario 'qqqq'", "bundled:", "baseline"),
        load="bundled:qqqq",
        file="qqqq.toml",
    ),
    # --- malformed TOML ---------------------------------------------------------------------------
    Case(
        "unclosed-array",
        {"broken.toml": HEAD + "[services]\nmri_scanners = [1,\n"},
        "",
        ("not valid TOML", "end of document"),
    ),
    Case(
        "duplicate-key",
        {"broken.toml": HEAD + "[services]\nlinacs = 1\nlinacs = 2\n"},
        "",
        ("not valid TOML", "line 6"),
    ),
    Case(
        "bare-string",
        {"broken.toml": HEAD + "[cohort]\nentry = advanced\n"},
        "",
        ("not valid TOML", "line 5"),
    ),
    Case(
        "not-toml-at-all",
        {"broken.toml": "<html><body>not a scenario</body></html>\n"},
        "",
        ("not valid TOML",),
    ),
    Case("invalid-utf8", {"broken.toml": HEAD + "# \udcff\n"}, "", ("cannot be read",)),
    # --- a file that does not extend baseline must set everything ---------------------------------
    Case(
        "missing-parameter",
        {"broken.toml": _baseline_without("services.linacs")},
        "services.linacs",
        ("is missing", "extend 'baseline'"),
    ),
    Case(
        "missing-nested-parameter",
        {"broken.toml": _baseline_without("natural_history.survival.hr_visceral")},
        "natural_history.survival.hr_visceral",
        ("is missing", "extend 'baseline'"),
    ),
    Case(
        "missing-share",
        {"broken.toml": _baseline_without("cohort.subtype.triple_negative")},
        "cohort.subtype.triple_negative",
        ("is missing",),
    ),
    Case(
        "missing-group",
        {"broken.toml": _baseline_without("treatment")},
        "treatment",
        ("is missing", "extend 'baseline'"),
    ),
    # --- the parameters of clinical model v2 and of the economics (issues 7 and 8) ----------
    Case(
        "negative-hazard-ratio-of-walking-state",
        {"broken.toml": HEAD + "[natural_history.survival]\nhr_not_walking = 0.5\n"},
        "natural_history.survival.hr_not_walking",
        ("0.5", "allowed: 1 to 10 hazard ratio"),
    ),
    Case(
        "surgical-odds-ratio-out-of-range",
        {"broken.toml": HEAD + "[response]\nsurgery_odds_ratio = 50\n"},
        "response.surgery_odds_ratio",
        ("50", "allowed: 0.2 to 20 odds ratio"),
    ),
    Case(
        "referral-share-above-one",
        {"broken.toml": HEAD + "[strategy]\np_surgical_referral = 1.2\n"},
        "strategy.p_surgical_referral",
        ("1.2", "allowed: 0 to 1 proportion"),
    ),
    Case(
        "negative-cost",
        {"broken.toml": HEAD + "[costs.event]\nmri = -10\n"},
        "costs.event.mri",
        ("-10", "allowed: 0 to 1e+06 GBP 2023/24"),
    ),
    Case(
        "utility-above-one",
        {"broken.toml": HEAD + "[utilities]\nwalking_unaided = 1.2\n"},
        "utilities.walking_unaided",
        ("1.2", "allowed: -0.6 to 1"),
    ),
    Case(
        "utility-below-minus-0-6",
        {"broken.toml": HEAD + "[utilities]\nparaplegic = -0.7\n"},
        "utilities.paraplegic",
        ("-0.7", "allowed: -0.6 to 1"),
    ),
    Case(
        "discount-rate-above-15-percent",
        {"broken.toml": HEAD + "[economics]\ndiscount_costs = 0.2\n"},
        "economics.discount_costs",
        ("0.2", "allowed: 0 to 0.15 per year"),
    ),
    Case(
        "unknown-currency",
        {"broken.toml": HEAD + '[economics]\ncurrency = "XYZ"\n'},
        "economics.currency",
        ("XYZ", "allowed: GBP, EUR, USD, CAD"),
    ),
    Case(
        "unknown-cost-category",
        {"broken.toml": HEAD + "[costs.helicopter]\nflight = 500\n"},
        "costs.helicopter",
        ("unknown key 'helicopter'", "allowed here:", "event"),
    ),
    Case(
        "empty-threshold-list",
        {"broken.toml": HEAD + "[economics]\nwtp_thresholds = []\n"},
        "economics.wtp_thresholds",
        ("at least 1",),
    ),
    Case(
        "negative-threshold",
        {"broken.toml": HEAD + "[economics]\nwtp_thresholds = [20000, -5]\n"},
        "economics.wtp_thresholds.1",
        ("-5",),
    ),
]


@pytest.fixture(autouse=True)
def _run_in_tmp_path(tmp_path, monkeypatch):
    """Relative ``extends`` paths are looked up in the current directory first (a reported loader
    bug), so the tests run where their files are, whatever directory pytest was started from."""
    monkeypatch.chdir(tmp_path)


def _write(tmp_path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        # surrogateescape turns a lone "\udcff" back into the invalid byte 0xff
        (tmp_path / name).write_bytes(text.encode("utf-8", errors="surrogateescape"))


def _load(case: Case, tmp_path: Path):
    if case.load.startswith("bundled:"):
        return load_scenario(case.load.removeprefix("bundled:"), overrides=case.overrides or None)
    return load_scenario(tmp_path / case.load, overrides=case.overrides or None)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_scenario_is_reported_with_file_key_and_what_is_allowed(case, tmp_path):
    _write(tmp_path, case.files)
    with pytest.raises(ScenarioError) as info:
        _load(case, tmp_path)
    err = info.value
    text = str(err)
    file = case.file or Path(case.load.removeprefix("bundled:")).name
    assert err.problems, "a ScenarioError must carry its problems"
    # the file is matched by name, inside the problem's file field (which may add a prefix such as
    # "overrides of" for values that came from the overrides argument)
    matching = [p for p in err.problems if p.key == case.key and file in p.file]
    assert matching, f"no problem for key {case.key!r} in {file}; got:\n{text}"
    problem = matching[0]
    for fragment in case.expect:
        assert fragment in problem.message, f"{fragment!r} not in {problem.message!r}"
    # what the user sees: one line naming the file, the key path and the message
    line = str(problem)
    assert line in text.splitlines()
    assert file in line
    if case.key:
        assert line.startswith(f"{problem.file}: {case.key}: ")


def test_every_problem_is_collected_not_just_the_first(tmp_path):
    (tmp_path / "broken.toml").write_text(
        HEAD + "[services]\nmri_scaners = 2\nlinacs = 0\n[pathway]\ndecision_days = nan\n"
        "[cohort.subtype]\nhr_positive = 0.9\n[strategy]\nsurgery_escc_min = 2\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "broken.toml")
    keys = {p.key for p in info.value.problems}
    assert keys == {
        "services.mri_scaners",
        "services.linacs",
        "pathway.decision_days",
        "cohort.subtype",
        "strategy.surgery_escc_min",
    }
    assert len(str(info.value).splitlines()) == len(info.value.problems) == 5


def test_meta_errors_and_value_errors_are_reported_together(tmp_path):
    (tmp_path / "broken.toml").write_text(
        'name = 3\nextends = "baseline"\n[services]\nlinacs = 0\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "broken.toml")
    assert {p.key for p in info.value.problems} == {"name", "services.linacs"}


def test_scenario_error_is_a_value_error_and_good_files_still_load(tmp_path):
    assert issubclass(ScenarioError, ValueError)
    (tmp_path / "fine.toml").write_text(HEAD + "services.mri_scanners = 3\n", encoding="utf-8")
    assert load_scenario(tmp_path / "fine.toml").params.services.mri_scanners == 3


def test_partial_share_table_merges_with_the_parent(tmp_path):
    """A child that rewrites some shares keeps the parent's others; the merged sum is checked."""
    (tmp_path / "ok.toml").write_text(
        HEAD + "[cohort.subtype]\nhr_positive = 0.6\nher2_positive = 0.25\n", encoding="utf-8"
    )
    subtype = load_scenario(tmp_path / "ok.toml").params.cohort.subtype
    assert (subtype.hr_positive, subtype.her2_positive, subtype.triple_negative) == (
        0.6,
        0.25,
        0.15,
    )
