"""Quickstart: compare radiotherapy alone with surgery for eligible patients on the same patients.

Run with ``python docs/examples/quickstart.py``; its output is committed as ``quickstart.out`` and a
regression test checks that the model still prints exactly this at this seed.
"""

from simulator import load_scenario, run_experiment
from simulator.output.report import format_summary

if __name__ == "__main__":
    scenarios = [load_scenario("rt-only"), load_scenario("surgery-eligible")]
    results = run_experiment(scenarios, patients=1500, replications=2, seed=11)
    print(format_summary(results.summary, metrics=("diagnosed", "ambulatory_3m", "ambulatory_6m",
                                                   "vas_3m", "share_surgery")))
