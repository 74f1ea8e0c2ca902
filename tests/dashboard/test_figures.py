"""Figure builders as pure functions: a trace per strategy, axis titles with units, sane values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard import figures as F
from dashboard.figures.style import OKABE_ITO, as_bool, strategy_colours, wilson

NAMES = ("baseline", "rt-only", "fast-track-mri")


def metas(fig) -> set[str]:
    return {t.meta for t in fig.data if t.meta}


@pytest.mark.parametrize("suffix,builder,table", F.RESULT_FIGURES, ids=[f[0] for f in F.RESULT_FIGURES])
def test_every_result_figure_has_each_strategy_and_titled_axes(fake, suffix, builder, table):
    colours = strategy_colours(NAMES)
    fig = builder(getattr(fake, table), colours)
    assert metas(fig) == set(NAMES)
    assert fig.layout.title.text
    axes = fig.layout.to_plotly_json()
    titled = [v.get("title", {}).get("text") for k, v in axes.items() if k.startswith(("xaxis", "yaxis"))]
    assert any(titled), "axes need titles"
    # every trace of a strategy is drawn in that strategy's colour (lines, bars or outlines)
    for trace in fig.data:
        if not trace.meta or trace.type not in ("scatter", "bar"):
            continue
        colour = colours[trace.meta]
        used = {getattr(trace.line, "color", None) if trace.type == "scatter" else None,
                getattr(trace.marker, "color", None),
                getattr(getattr(trace.marker, "line", None), "color", None)}
        if trace.type == "scatter" and trace.line.width == 0:
            continue  # band edges are invisible
        assert colour in used, (suffix, trace.name)


def test_colours_are_okabe_ito_in_order_reference_black():
    c = strategy_colours(["b", "a", "b", "c"])
    assert list(c) == ["b", "a", "c"]
    assert c["b"] == "#000000" and list(c.values()) == list(OKABE_ITO[:3])
    with pytest.raises(ValueError):
        strategy_colours([str(i) for i in range(9)])


def test_ambulatory_share_counts_only_the_living_and_stays_in_0_1(fake):
    out = F.ambulatory_share(fake.states)
    assert out["share"].between(0, 1).all()
    assert (out["low"] <= out["share"]).all() and (out["share"] <= out["high"]).all()
    s = fake.states
    first = s[(s["scenario"] == "baseline") & (s["days_since_diagnosis"] == 0) & s["alive"]]
    row = out[(out["scenario"] == "baseline") & (out["months"] == 0)].iloc[0]
    assert row["alive"] == len(first)
    assert row["share"] == pytest.approx(first["ambulatory"].mean())


def test_axis_titles_carry_units(fake):
    colours = strategy_colours(NAMES)
    fig = F.ambulatory_over_time(fake.states, colours)
    assert fig.layout.xaxis.title.text == "Months since diagnosis"
    assert "%" in fig.layout.yaxis.title.text
    assert "days" in F.delay_components(fake.patients, colours).layout.yaxis.title.text
    assert "VAS" in F.vas_over_time(fake.states, colours).layout.yaxis.title.text


def test_km_matches_scipy_directly():
    d = pd.DataFrame({"scenario": "a", "days_to_ambulation_loss": [30.0, 60, 90, 120, 150],
                      "ambulation_loss_observed": [True, False, True, True, False]})
    out = F.km_ambulation(d)
    res = stats.ecdf(stats.CensoredData(uncensored=np.array([30.0, 90, 120]) / 30.4375,
                                        right=np.array([60.0, 150]) / 30.4375))
    assert out["survival"].tolist() == pytest.approx([1.0, *res.sf.probabilities])
    assert out["survival"].is_monotonic_decreasing
    assert (out["low"] <= out["survival"] + 1e-12).all() and (out["survival"] <= out["high"] + 1e-12).all()


def test_km_ignores_patients_without_a_time(fake):
    p = fake.patients.copy()
    p.loc[p.index[:5], "days_to_ambulation_loss"] = np.nan
    out = F.km_ambulation(p)
    assert set(out["scenario"]) == set(NAMES)
    assert (out.groupby("scenario")["n"].first() <= p.groupby("scenario").size()).all()


def test_frankel_shares_sum_to_one(fake):
    out = F.frankel_shares(fake.patients)
    sums = out.groupby(["scenario", "timepoint"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)


def test_delay_stack_heights_are_component_means(fake):
    colours = strategy_colours(NAMES)
    fig = F.delay_components(fake.patients, colours)
    d = fake.patients[fake.patients["diagnosed"] & (fake.patients["scenario"] == "rt-only")]
    total = sum(t.y[0] for t in fig.data if t.meta == "rt-only")
    cols = ["patient_delay_days", "primary_care_delay_days", "referral_delay_days", "imaging_wait_days",
            "treatment_wait_days"]
    assert total == pytest.approx(d[cols].mean().sum())
    assert fig.layout.barmode == "stack"


def test_treatment_shares_per_strategy_sum_to_one(fake):
    out = F.treatment_shares(fake.patients)
    assert out.groupby("scenario")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_resource_summary_spans_replications(fake):
    out = F.resource_summary(fake.resources)
    util = out[out["measure"] == "utilisation"]
    assert (util["low"] <= util["mean"]).all() and (util["mean"] <= util["high"]).all()


def test_empty_tables_give_a_message_not_an_error():
    colours = strategy_colours(NAMES)
    empty_p = pd.DataFrame(columns=["scenario", "diagnosed", "days_to_ambulation_loss",
                                    "ambulation_loss_observed", "pain_response_3m", "treatment"])
    empty_s = pd.DataFrame(columns=["scenario", "alive", "days_since_diagnosis", "ambulatory", "vas"])
    for fig in (F.ambulatory_over_time(empty_s, colours), F.ambulation_km(empty_p, colours),
                F.vas_over_time(empty_s, colours), F.pain_response(empty_p, colours),
                F.treatment_mix(empty_p, colours), F.resource_use(pd.DataFrame(), colours),
                F.delay_curve(pd.DataFrame()), F.journey_timeline({}, {})):
        assert len(fig.data) == 0 and fig.layout.annotations


def test_delay_curve_points_and_figure(fake):
    settings = {"baseline": "baseline delays", "rt-only": "every delay x2"}
    points = F.delay_curve_points(fake.patients, settings)
    assert set(points["timepoint"]) == {"ambulatory_at_diagnosis", "ambulatory_3m", "ambulatory_6m"}
    assert len(points) == 6
    fig = F.delay_curve(points, selected="rt-only")
    assert len(fig.data) == 3 and all(len(t.x) == 2 for t in fig.data)
    assert "days" in fig.layout.xaxis.title.text
    assert fig.layout.shapes  # the selected setting is marked


def test_journey_timeline_rows_bands_and_events():
    states = pd.DataFrame({"day": np.arange(100.0, 110.0), "frankel": ["E"] * 5 + ["D"] * 3 + ["C"] * 2,
                           "ambulatory": [True] * 8 + [False] * 2, "vas": np.linspace(2, 7, 10)})
    events = pd.DataFrame({"day": [100.0, 104.0], "event": ["symptom_onset", "diagnosis"], "detail": ["", ""]})
    fig = F.journey_timeline({"without": (events, states), "with": (events, states)},
                             {"without": "#000000", "with": "#E69F00"}, origin_day=100.0)
    assert {t.meta for t in fig.data if t.meta} == {"without", "with"}
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 6  # three grade runs per row
    assert fig.data[0].x[0] == 0.0  # days since first symptom
    assert "diagnosis" in list(fig.data[1].text)


def test_wilson_and_as_bool():
    low, high = wilson(np.array([0, 5, 10]), np.array([10, 10, 10]))
    assert (low >= 0).all() and (high <= 1).all() and low[1] < 0.5 < high[1]
    s = pd.Series([True, None, False], dtype="boolean")
    assert as_bool(s).tolist()[0] == 1.0 and np.isnan(as_bool(s).tolist()[1])


def test_journey_labels_are_thinned_when_crowded():
    from dashboard.figures.journey import thin_labels

    out = thin_labels([0.0, 1.0, 50.0, 100.0], ["onset", "visit", "diagnosis", "death"])
    assert out == ["onset", "", "diagnosis", "death"]
