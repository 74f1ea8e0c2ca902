"""Extreme values: unlimited capacity, no symptomatic lesions, no treatment effect."""

from __future__ import annotations

from simulator.model.patient import INF
from simulator.model.simulation import simulate
from simulator.parameters.scenario import describe_parameter
from simulator.vocabulary import Cause

N = 1500
SEED = 5


def _max(path: str) -> float:
    return describe_parameter(path).high


def unlimited(scenario):
    """Every service at the schema's maximum capacity, MRI scans at the fastest allowed rate."""
    return scenario.with_overrides({
        "services.mri_scanners": int(_max("services.mri_scanners")),
        "services.mri_slots_per_scanner_day": float(_max("services.mri_slots_per_scanner_day")),
        "services.theatres": int(_max("services.theatres")),
        "services.linacs": int(_max("services.linacs")),
    }, name="unlimited")


def test_very_high_capacity_gives_zero_queue_waits(tiny_scenario, run_cached):
    """The M/M/infinity check: with more servers than patients in the system, nobody queues."""
    results = run_cached([unlimited(tiny_scenario)], N, 1, SEED)
    patients, resources = results.patients, results.resources
    for column in ("mri_wait_days", "surgery_wait_days", "rt_wait_days"):
        values = patients[column].dropna()
        assert len(values) > 0, column
        assert (values == 0).all(), column
    assert (resources["mean_wait_days"] == 0).all()
    assert (resources["max_queue"] == 0).all()


def test_no_symptomatic_lesions_means_no_diagnoses(baseline, run_cached):
    """A pathological fracture is symptomatic whatever ``p_symptomatic`` says, so fractures go too."""
    silent = baseline.with_overrides({"natural_history.p_symptomatic": 0.0, "natural_history.fracture_per_year": 0.0,
                                      "pathway.p_benign_back_pain": 0.0}, name="silent")
    results = run_cached([silent], N, 1, SEED)
    patients, events = results.patients, results.events
    assert not patients["diagnosed"].any()
    assert (patients["treatment"] == "none").all()
    assert (patients["route"] == "none").all()
    assert not events["event"].isin(["symptom_onset", "gp_visit", "imaging", "diagnosis", "frankel_change",
                                     "walking_change", "relapse"]).any()
    assert (results.resources["uses"] == 0).all()
    diagnosed = results.summary.set_index("metric").loc["diagnosed", "estimate"]
    assert diagnosed == 0


def _never_improves(p) -> bool:
    return all(new < old for _day, old, new, _cause in p.course.changes())


def test_the_grade_never_improves_without_treatment(tiny_scenario):
    rep = simulate(tiny_scenario.params, SEED, 0, N)
    untreated = [p for p in rep.patients if not p.episodes]
    declining = [p for p in untreated if p.motor_day < INF]
    assert len(declining) >= 10  # patients who do decline, untreated, are in the sample (19 at seed 5)
    assert all(_never_improves(p) for p in untreated)
    assert all(cause == Cause.NATURAL for p in untreated for *_, cause in p.course.changes())


def test_supportive_care_does_not_improve_the_grade(tiny_scenario):
    """Supportive care has no effect on the spine: the course is the untreated one."""
    supportive = tiny_scenario.with_overrides({"strategy.supportive_max_expected_survival_months": 10.5})
    rep = simulate(supportive.params, SEED, 0, N)
    chosen = [p for p in rep.patients if p.treatment == "supportive"]
    assert len(chosen) > 20
    assert all(p.first.effect_day == INF for p in chosen)
    assert all(_never_improves(p) for p in chosen)


def test_untreated_patients_have_no_improving_event(tiny_scenario, run_cached):
    results = run_cached([tiny_scenario], N, 1, SEED)
    untreated = set(results.patients.loc[results.patients["treatment"].isin(["none", "supportive"]), "patient_id"])
    events = results.events
    changes = events[events["event"].isin(["frankel_change", "walking_change"])
                     & events["patient_id"].isin(untreated)]
    assert len(untreated) > 0 and len(changes) > 0
    assert set(changes["detail"].str.rsplit(" ", n=1).str[1]) == {Cause.NATURAL}
    assert not changes["detail"].isin(["not walking->with aid natural", "not walking->unaided natural",
                                       "with aid->unaided natural"]).any()
