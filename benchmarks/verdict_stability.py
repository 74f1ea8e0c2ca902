"""How often the headline verdicts on the bundled strategies flip between seeds, by cohort size.

``python -m benchmarks.verdict_stability`` (``make verdicts``). For each cohort size (patients per
replication x replications) every bundled strategy is run against the baseline on the same
patients under several seeds; a (strategy, headline outcome) pair *flips* when its verdict
(better / worse / no clear difference, from the 95% t-interval of the paired difference) is not
the same under every seed. Prints the share of pairs that flip, the share with a clear verdict
and the simulation time per run of the default comparison (two strategies), so the dashboard's
default cohort can be chosen from the trade-off (README, "Default cohort size"). Never asserted.
"""

from __future__ import annotations

import sys
import time

from simulator import HEADLINE_METRICS, comparisons, list_scenarios, load_scenario, run_experiment

SIZES = ((500, 3), (1000, 3), (2000, 3), (1000, 5))
SEEDS = (1, 2, 3, 4)


def verdicts(patients: int, replications: int, seed: int) -> dict[tuple[str, str], str]:
    """{(strategy, outcome): verdict} of every bundled strategy against the baseline."""
    names = [n for n, _ in list_scenarios()]
    results = run_experiment([load_scenario(n) for n in names], patients, replications, seed)
    return {(name, c.metric.name): c.verdict for name, items in comparisons(results.summary, HEADLINE_METRICS).items()
            for c in items if c.verdict != "identical"}


def default_time(patients: int, replications: int) -> float:
    """Seconds to simulate the dashboard's default comparison (baseline vs rt-only) at this size."""
    start = time.perf_counter()
    run_experiment([load_scenario("baseline"), load_scenario("rt-only")], patients, replications, 1)
    return time.perf_counter() - start


def main() -> int:
    """Print the flip table."""
    print(f"headline verdicts of every bundled strategy vs baseline under seeds {SEEDS}; never asserted")
    print(f"{'patients':>9} {'reps':>5} {'pairs':>6} {'flip':>7} {'clear':>7} {'default run s':>14}")
    for patients, replications in SIZES:
        runs = [verdicts(patients, replications, seed) for seed in SEEDS]
        pairs = set().union(*runs)
        flips = sum(len({r.get(p, "identical") for r in runs}) > 1 for p in pairs)
        clear = sum(r.get(p) in ("better", "worse") for r in runs for p in pairs) / (len(pairs) * len(runs))
        print(f"{patients:>9,} {replications:>5} {len(pairs):>6} {flips / len(pairs):>7.0%} {clear:>7.0%} "
              f"{default_time(patients, replications):>14.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
