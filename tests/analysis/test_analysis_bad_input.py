"""Bad input to the analyses: one line on stderr naming the key, value or range; exit 2; nothing written."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import tomli_w

from simulator.parameters.scenario import BUNDLED_DIR

BAD_BETA = '''name = "bad-beta"
description = "An invalid distribution (test fixture)."
extends = "baseline"

[uncertainty]
"natural_history.p_cord_compression" = { dist = "beta", mean = 1.2, sd = 0.05 }
'''

HEAD = 'name = "{name}"\ndescription = "An invalid [uncertainty] entry (test fixture)."\nextends = "baseline"\n\n' \
       "[uncertainty]\n"
#: key in argv -> (file name, [uncertainty] entry): economic bounds the issue lists (costs >= 0, utilities -0.6 to 1)
ENTRIES = {
    "NEGATIVE_COST": ("negative-cost", '"costs.event.mri" = { dist = "uniform", low = -10, high = 300 }\n'),
    "UTILITY_ABOVE_ONE": ("utility-above-one",
                          '"utilities.walking_unaided" = { dist = "uniform", low = 0.7, high = 1.05 }\n'),
    "UTILITY_BELOW": ("utility-below", '"utilities.paraplegic" = { dist = "uniform", low = -0.7, high = 0.2 }\n'),
    "NEGATIVE_CAPACITY": ("negative-capacity",
                          '"costs.capacity.theatre_day" = { dist = "gamma", mean = -4800, sd = 2400 }\n'),
    "BAD_LINK": ("bad-link", '"utilities.paraplegic" = { dist = "beta", mean = 0.14, sd = 0.05, '
                             'same_draw_as = "utilities.nope" }\n'),
}


def _baseline_without_uncertainty() -> str:
    """baseline.toml as a stand-alone file named "certain", without its [uncertainty] table."""
    with (BUNDLED_DIR / "baseline.toml").open("rb") as fh:
        doc = tomllib.load(fh)
    del doc["uncertainty"]
    return tomli_w.dumps({**doc, "name": "certain"})


SWEEP = ["sweep", "baseline", "--param"]
CASES = {
    "unknown parameter": ([*SWEEP, "pathway.patient_delay", "--values", "1,2"],
                          ["pathway.patient_delay", "no such parameter", "did you mean"]),
    "switch given a range": ([*SWEEP, "pathway.fast_track_mri", "--range", "0:1:2"],
                             ["pathway.fast_track_mri", "--values, not a range"]),
    "value below the range": ([*SWEEP, "services.mri_scanners", "--values", "0,2"],
                              ["services.mri_scanners", "= 0 is outside the allowed range 1 to 50 scanners"]),
    "value above the range": ([*SWEEP, "pathway.p_gp_suspects", "--range", "0.1:1.5:3"],
                              ["pathway.p_gp_suspects", "= 1.5 is outside the allowed range 0 to 1"]),
    "fraction for a whole number": ([*SWEEP, "services.theatres", "--values", "1.5,2"],
                                    ["services.theatres", "= 1.5 must be a whole number"]),
    "malformed range": ([*SWEEP, "services.theatres", "--range", "1:3"], ["--range '1:3' is not LOW:HIGH:COUNT"]),
    "one value": ([*SWEEP, "services.theatres", "--values", "2"], ["services.theatres", "at least two values"]),
    "a word for a number": ([*SWEEP, "services.theatres", "--values", "1,two"], ["= 'two' is not a number"]),
    "unknown metric": ([*SWEEP, "services.theatres", "--values", "1,2", "--metric", "walking"],
                       ["walking", "no such metric"]),
    "tornado on a switch": (["tornado", "baseline", "--params", "strategy.surgery_for_compression"],
                            ["strategy.surgery_for_compression", "on/off switch, not a number"]),
    "tornado on a choice": (["tornado", "baseline", "--params", "strategy.surgery_escc_min"],
                            ["strategy.surgery_escc_min", "a choice"]),
    "zero draws": (["psa", "baseline", "--draws", "0"], ["--draws = 0 is outside 2 to 10,000"]),
    "no uncertainty table": (["psa", "NO_UNCERTAINTY", "--draws", "4"], ["no [uncertainty] table in certain"]),
    "negative cost bound": (["psa", "NEGATIVE_COST", "--draws", "4"],
                            ["negative-cost.toml: uncertainty.costs.event.mri: low = -10 is outside the allowed "
                             "range 0 to 1e+06 GBP 2023/24"]),
    "utility above one": (["psa", "UTILITY_ABOVE_ONE", "--draws", "4"],
                          ["utility-above-one.toml: uncertainty.utilities.walking_unaided: high = 1.05 is outside "
                           "the allowed range -0.6 to 1 utility"]),
    "utility below -0.6": (["psa", "UTILITY_BELOW", "--draws", "4"],
                           ["utility-below.toml: uncertainty.utilities.paraplegic: low = -0.7 is outside the allowed "
                            "range -0.6 to 1 utility"]),
    "negative capacity cost mean": (["psa", "NEGATIVE_CAPACITY", "--draws", "4"],
                                    ["uncertainty.costs.capacity.theatre_day: gamma mean = -4800"]),
    "linked to a missing entry": (
        ["psa", "BAD_LINK", "--draws", "4"],
        ["uncertainty.utilities.paraplegic: same_draw_as = 'utilities.nope' is not an entry"]),
    "population half given": (["psa", "baseline", "--draws", "4", "--arrivals-per-year", "1000"],
                              ["--arrivals-per-year and --decision-years go together"]),
    "invalid distribution": (["psa", "BAD_BETA", "--draws", "4"],
                             ["uncertainty.natural_history.p_cord_compression", "beta mean = 1.2"]),
    "unknown resource": (["capacity", "baseline", "--resource", "ct", "--values", "1,2"], ["'ct'", "mri"]),
    "capacity below the range": (["capacity", "baseline", "--resource", "theatre", "--values", "0,1"],
                                 ["services.theatres", "= 0 is outside the allowed range 1 to 20"]),
    "capacity not whole": (["capacity", "baseline", "--resource", "theatre", "--values", "1,2.5"],
                           ["must be whole numbers"]),
    "auto with unknown metric": (["run", "baseline", "--replications", "auto", "--metric", "walking"],
                                 ["walking", "no such metric"]),
    "precision without auto": (["run", "baseline", "--precision", "0.05"], ["--precision and --metric need"]),
    "precision out of range": (["run", "baseline", "--replications", "auto", "--precision", "2"],
                               ["--precision = 2 is outside 0.001 to 0.5"]),
    "replications neither number nor auto": (["run", "baseline", "--replications", "many"],
                                             ["--replications = 'many' is not a whole number"]),
    "scheduler without dask": (["run", "baseline", "--scheduler", "tcp://127.0.0.1:8786"],
                               ["--scheduler needs --executor dask"]),
    "malformed scheduler": ([*SWEEP, "services.theatres", "--values", "1,2", "--executor", "dask", "--scheduler",
                             "nonsense", "--scheduler-timeout", "1"], ["'nonsense' is not a scheduler address"]),
}


@pytest.mark.parametrize(("argv", "fragments"), CASES.values(), ids=CASES.keys())
def test_bad_input_gives_one_line_and_exit_2(cli, write_scenario, tmp_path: Path, argv: list[str],
                                            fragments: list[str]) -> None:
    files = {"BAD_BETA": write_scenario("bad-beta", BAD_BETA),
             "NO_UNCERTAINTY": write_scenario("certain", _baseline_without_uncertainty()),
             **{key: write_scenario(name, HEAD.format(name=name) + entry) for key, (name, entry) in ENTRIES.items()}}
    argv = [str(files[a]) if a in files else a for a in argv]
    out = tmp_path / "out"
    code, stdout, err = cli(*argv, "--patients", "50", "--quiet", "--out", out)
    assert code == 2
    assert err.count("\n") == 1 and err.strip(), err
    for fragment in fragments:
        assert fragment in err, err
    assert not out.exists()  # nothing half-written


def test_a_non_empty_output_folder_is_refused_before_running(cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, _, err = cli("sweep", "baseline", "--param", "services.theatres", "--values", "1,2", "--quiet", "--out", out)
    assert code == 2 and "not empty" in err and err.count("\n") == 1
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
