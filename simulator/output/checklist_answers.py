"""CHEERS 2022 and STRESS-DES answered from a run: its manifest, its scenarios and its tables.

Every item gets an answer written from what the run recorded (the seed, the replications, each
scenario's parameters with their sources, the versions, the value and budget tables), or "not
applicable" with the reason; nothing is left unanswered. The answers say where in the report, or
in the run's files, the item is reported.
"""

from __future__ import annotations

import os
import platform
from typing import Any, Protocol

import pandas as pd

from simulator.economics.checklists import CHEERS_2022, STRESS_DES, fill_checklist
from simulator.output.headline import format_money
from simulator.parameters.scenario import Scenario, parameter_infos
from simulator.vocabulary import EVENT_KINDS, SERVICE_KINDS, listing

Answers = tuple[dict[str, str], dict[str, str]]  # (answers, not applicable) by item number


class ValueRun(Protocol):
    """What the checklists read of a run (``simulator.Results`` has it)."""

    scenarios: list[Scenario]
    manifest: dict[str, Any]
    value: pd.DataFrame
    budget: pd.DataFrame
    kpis: pd.DataFrame


def _assumptions() -> list[str]:
    return [i.path for i in parameter_infos() if i.source.lower().startswith("assumption")]


def _sources(prefix: str) -> str:
    return "; ".join(f"{i.path}: {i.source}" for i in parameter_infos() if i.path.startswith(prefix))


def _source_families(prefix: str) -> str:
    """The distinct sources of a group's parameters (the part of each source before its first colon)."""
    found = [i.source.split(":", 1)[0].strip() for i in parameter_infos() if i.path.startswith(prefix)]
    return "; ".join(dict.fromkeys(found))


def _source(path: str) -> str:
    return next(i.source for i in parameter_infos() if i.path == path)


def _facts(run: ValueRun) -> dict[str, Any]:
    """The numbers and words the answers quote."""
    m, ref = run.manifest, run.scenarios[0]
    p = ref.params
    names = [s.name for s in run.scenarios]
    uncertain = sum(len(s.uncertainty or {}) for s in run.scenarios)
    return {"names": ", ".join(names), "ref": ref.name, "p": p, "e": p.economics, "m": m,
            "n": m.get("patients"), "r": m.get("replications"), "seed": m.get("seed"),
            "params": len(parameter_infos()), "assumptions": _assumptions(), "uncertain": uncertain,
            "versions": ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())}


def _results_text(run: ValueRun, currency: str) -> str:
    if run.value.empty:
        return "no costs or QALYs were computed"
    return "; ".join(f"{r.strategy}: {format_money(r.cost, currency)} and {r.qalys:.4f} QALYs per patient"
                     for r in run.value.itertuples())


def cheers_answers(run: ValueRun) -> Answers:
    """The answers to the 28 CHEERS 2022 items, and the items that do not apply with why."""
    f = _facts(run)
    p, e = f["p"], f["e"]
    c = p.cohort
    services = listing([s.label for s in SERVICE_KINDS])
    capacity = listing([f"{s.label} ({s.unit}: {_value(p, s.capacity_parameter)})" for s in SERVICE_KINDS])
    answers = {
        "1": f"The report's title names it a cost-utility analysis by discrete-event simulation of {f['names']}.",
        "2": "'The answer first' and 'Value for money' summarise the question, the methods (a simulated cohort on "
             "common random numbers), the results with 95% intervals and the uncertainty shown.",
        "3": "'The question' gives each strategy's question; " + " ".join(s.description for s in run.scenarios[:1]),
        "4": "No separate health economic analysis plan was written: the scenario files and run settings, recorded "
             "in manifest.json before the results, fix the analysis (section 'Run').",
        "5": f"'Population': {c.entry} entry population, age {c.age_mean_years:g} (SD {c.age_sd_years:g}) years, "
             f"entering at {c.arrivals_per_year:,g} a year ({c.arrivals}); {f['n']:,} synthetic patients per "
             f"strategy and replication.",
        "6": f"Costs of the {e.currency} health system ({e.price_year} prices) for a cancer network with this "
             f"pathway's capacity of {capacity}.",
        "7": f"'The question and the strategies compared': {f['names']}; the first ({f['ref']}) is the "
             "reference, the others are the questions their scenario files ask.",
        "8": f"{e.perspective} perspective ({_source('economics.perspective')}).",
        "9": f"{e.horizon_years:g} years from each patient's entry, within {c.follow_up_days:g} days of follow-up "
             f"({_source('economics.horizon_years')}).",
        "10": f"Costs {e.discount_costs:.1%} and outcomes {e.discount_outcomes:.1%} a year, continuous in time "
              f"({_source('economics.discount_costs')}).",
        "11": "QALYs (and life-years) per patient for benefit; costs per patient by category; walking, pain and "
              "survival outcomes in the summary table; pathway KPIs (waits, breaches, utilisation).",
        "12": "From each synthetic patient's own event log and exact state history: time in each walking state "
              "and pain band, events costed on their day (the trajectories, events and costs tables).",
        "13": "Utilities by walking state and pain band, with decrements: " + _sources("utilities.") + ".",
        "14": "Unit costs per event, per day in a state and per day of capacity, each with its source in "
              "manifest.json; the sources: " + _source_families("costs.") + ".",
        "15": f"{e.currency}, {e.price_year} prices; every unit cost is from that price year, no conversion.",
        "16": f"spinesim {f['m'].get('spinesim_version')}: a discrete-event simulation (SimPy) of the pathway with "
              f"limited {services} capacity, chosen because waits for capacity change walking; the code and "
              "scenario files are distributed with the package (section 'Run').",
        "17": f"Means over {f['r']} replications with 95% t-intervals, paired differences on common random "
              f"numbers; {len(f['assumptions'])} of {f['params']} parameters are stated assumptions; validated "
              "against published calibration targets (`spinesim calibrate`).",
        "20": f"Patient-level noise: {f['r']} replications with paired 95% intervals and the share of replications "
              f"each strategy is best. Parameter uncertainty: {f['uncertain']} uncertain parameters in the "
              "scenarios' [uncertainty] tables, for `spinesim psa` (not run in this report).",
        "22": f"Every one of the {f['params']} parameters with its value, unit, allowed and plausible range and "
              "source is in manifest.json and `spinesim show NAME`; those that differ between strategies are in "
              "'Parameters that differ'.",
        "23": "'Value for money': " + _results_text(run, e.currency) + ".",
        "24": "The intervals and the acceptability curve show patient-level noise over replications; the "
              "acceptability at each threshold is in the net benefit table.",
        "26": f"Findings: the value sentences. Limitations: synthetic patients; {len(f['assumptions'])} parameters "
              "are assumptions; only patient-level noise is shown here.",
    }
    excused = {
        "18": "this run reports whole-cohort means; no subgroups were analysed (the exported patients table "
              "holds subtype, ECOG and route for subgroup analysis).",
        "19": "the model has no socioeconomic attributes, so no distributional analysis was possible.",
        "21": "a model run: no patients, public or stakeholders were involved in it.",
        "25": "no engagement took place (item 21).",
        "27": "a model run has no funder; a study that reports it states its own funding.",
        "28": "a model run has no authors with interests; a study that reports it states its own.",
    }
    return answers, excused


def stress_answers(run: ValueRun) -> Answers:
    """The answers to the 24 STRESS-DES items, and the items that do not apply with why."""
    f = _facts(run)
    p, c, m = f["p"], f["p"].cohort, f["m"]
    services = ", ".join(f"{s.label} ({s.capacity_parameter} = {_value(p, s.capacity_parameter)} {s.unit})"
                         for s in SERVICE_KINDS)
    answers = {
        "1.1": "'The question': " + " ".join(s.description for s in run.scenarios[:1]),
        "1.2": "Mean cost and QALYs per patient, ICERs, net benefit, budget per calendar year and the pathway KPIs, "
               f"each a mean over {f['r']} replications with a 95% t-interval (paired differences).",
        "1.3": f"Scenarios {f['names']}, each run on the same {f['n']:,} patients for each of {f['r']} replications; "
               "each is described under 'The question and the strategies compared'.",
        "2.1": "Text: symptom onset, primary care, referral, imaging (MRI queue), diagnosis, treatment decision, "
               "theatre and radiotherapy queues, outcomes to death or end of follow-up (README: the model).",
        "2.2": f"The reference scenario ({f['ref']}): " + run.scenarios[0].description,
        "2.3": "'Parameters that differ' lists every parameter each scenario changes against the reference.",
        "2.4": "A NOMS-style decision policy (named predicates on ESCC grade, stability, fitness and expected "
               "survival; the strategy parameters) chooses each patient's treatment.",
        "2.5.1": "Patients, with the attributes of the patients table (the README's data dictionary).",
        "2.5.2": "Activities (event log kinds): " + ", ".join(k.name for k in EVENT_KINDS) + ".",
        "2.5.3": "Resources: " + services + ".",
        "2.5.4": "Priority queues (emergency, urgent, routine; lower first, first come first served within a "
                 "priority); a patient leaves a queue at death, end of follow-up or an emergency.",
        "2.5.5": f"Entry: {c.arrivals} arrivals at {c.arrivals_per_year:,g} a year; exit at death or after "
                 f"{c.follow_up_days:g} days of follow-up.",
        "3.1": "Every parameter's source (published studies, NHS costs, stated assumptions) is in manifest.json and "
               "`spinesim show NAME`; the evidence notes give links.",
        "3.3": f"All {f['params']} inputs with value, unit, range and source in manifest.json; "
               f"{f['uncertain']} with distributions in the [uncertainty] tables.",
        "3.4": f"{len(f['assumptions'])} parameters are assumptions (their sources say why), for example "
               + ", ".join(f["assumptions"][:6]) + ".",
        "4.1": "Terminating: each patient is followed from entry to death or the end of follow-up; queues start "
               "empty on day 0 with no warm-up, and capacity use is measured over the arrival window.",
        "4.2": f"{c.follow_up_days:g} days of follow-up per patient (clock in days); the economic horizon "
               f"{f['e'].horizon_years:g} years.",
        "4.3": f"{f['r']} independent replications of {f['n']:,} patients (seed {f['seed']}); the intervals show "
               "whether that is enough (`--replications auto` chooses it).",
        "5.1": f"Python with SimPy, numpy, scipy, pandas: {f['versions']}.",
        "5.2": f"numpy PCG64 streams: {m.get('common_random_numbers')}, so every strategy meets the same patients.",
        "5.3": "SimPy's event queue; a lower priority value is served first; replications may run in parallel "
               "processes with byte-identical output.",
        "5.4": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; the run time is printed by the "
               "command, not stored, so the same seed gives the same file.",
        "6.1": f"spinesim {m.get('spinesim_version')} with the scenario files and manifest.json (seed {f['seed']}) "
               "reproduces this report.",
    }
    excused = {"3.2": "no data were pre-processed: the inputs are published figures or stated assumptions."}
    return answers, excused


def _value(params: Any, path: str) -> Any:
    value = params
    for part in path.split("."):
        value = getattr(value, part)
    return value


def filled_checklists(run: ValueRun) -> dict[str, pd.DataFrame]:
    """Both checklists filled from the run, by name (every item answered or not applicable)."""
    return {CHEERS_2022.name: fill_checklist(CHEERS_2022, *cheers_answers(run)),
            STRESS_DES.name: fill_checklist(STRESS_DES, *stress_answers(run))}
