"""Record the reference run that the columnar core must reproduce.

Run ``python tests/regression/reference/make_reference.py``.

Three pinned scenarios (every parameter written out, so later calibration of the bundled baseline
does not move them) are run on the same patients and every table is stored as Parquet beside this
script. ``tests/regression/test_reference_run.py`` runs the same experiment with the current code
and compares each table. Regenerate only when the model changes on purpose, and say so in the
commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIOS = ("baseline", "surgery-eligible", "fast-track-mri")
PATIENTS, REPLICATIONS, SEED = 1500, 2, 77
TABLES = ("patients", "events", "states", "trajectories", "costs", "resources", "summary", "value", "net_benefit")


def pinned(name: str) -> Path:
    """The pinned copy of a bundled scenario."""
    return HERE / f"pinned-{name}.toml"


def write_pinned() -> None:
    """Write every parameter of each bundled scenario into its pinned copy."""
    from simulator import load_scenario

    for name in SCENARIOS:
        scenario = load_scenario(name)
        pinned(name).write_text(scenario.to_toml(), encoding="utf-8")


def run():
    """The reference experiment on the pinned scenarios."""
    from simulator import load_scenario, run_experiment

    return run_experiment([load_scenario(str(pinned(name))) for name in SCENARIOS], PATIENTS, REPLICATIONS, SEED)


def main() -> int:
    if "--keep-scenarios" not in sys.argv:
        write_pinned()
    results = run()
    tables = results.tables()
    for name in TABLES:  # the tables the regression test compares
        tables[name].to_parquet(HERE / f"{name}.parquet", index=False, engine="pyarrow", compression="zstd")
    print(f"wrote {len(TABLES)} tables to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
