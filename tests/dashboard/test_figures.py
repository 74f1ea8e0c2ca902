"""Figure builders as pure functions: a trace per strategy, axis titles with units, sane values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from dashboard import figures as F
from dashboard.data import EVENT_LABELS
from dashboard.figures.style import OKABE_ITO, as_bool, contrast, ink_on, strategy_colours, text_colour

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


def test_km_is_each_replications_scipy_curve_averaged_with_the_summarys_t_interval():
    days = [30.0, 60, 90, 120, 150]
    one = pd.DataFrame({"scenario": "a", "replication": 0, "days_to_ambulation_loss": days,
                        "ambulation_loss_observed": [True, False, True, True, False]})
    out = F.km_ambulation(one)
    res = stats.ecdf(stats.CensoredData(uncensored=np.array([30.0, 90, 120]) / 30.4375,
                                        right=np.array([60.0, 150]) / 30.4375))
    assert out["survival"].tolist() == pytest.approx(res.sf.evaluate(out["months"].to_numpy()).tolist())
    assert out["survival"].is_monotonic_decreasing and out["low"].isna().all()  # one replication: no interval
    two = pd.concat([one, one.assign(replication=1, ambulation_loss_observed=[False, False, True, True, True])])
    out2 = F.km_ambulation(two)
    assert (out2["low"] <= out2["survival"] + 1e-12).all() and (out2["survival"] <= out2["high"] + 1e-12).all()


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
                F.delay_outcomes(pd.DataFrame(columns=["metric"]), colours, ("ambulatory_6m",)),
                F.journey_timeline({}, {})):
        assert len(fig.data) == 0 and fig.layout.annotations


def test_delay_outcomes_draw_the_summarys_estimates_and_intervals(fake):
    colours = strategy_colours(["baseline", "rt-only"])
    summary = fake.summary[fake.summary["scenario"].isin(colours)]
    fig = F.delay_outcomes(summary, colours, ("ambulatory_3m", "diagnostic_delay_median"))
    bars = [t for t in fig.data if t.meta]
    assert {t.meta for t in bars} == set(colours) and len(bars) == 4
    row = summary[(summary["scenario"] == "rt-only") & (summary["metric"] == "ambulatory_3m")].iloc[0]
    share = next(t for t in bars if t.meta == "rt-only" and t.xaxis == "x")
    assert share.y[0] == pytest.approx(100 * row["estimate"])  # in %
    assert share.error_y.array[0] == pytest.approx(100 * (row["ci_high"] - row["estimate"]))


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
    changes = [t for t in fig.data if t.name == "with: Frankel changes"]
    assert list(changes[0].text) == ["E to D", "D to C"]  # every change of grade is marked
    events = [t for t in fig.data if t.name == "with: events"][0]
    assert "diagnosis" in list(events.text)
    assert list(events.customdata[:, 0]) == [EVENT_LABELS["symptom_onset"], "diagnosis"]
    assert "E to D on day 5" in fig.layout.meta["summary"]


def test_as_bool_and_label_colours_reach_wcag_aa_contrast():
    s = pd.Series([True, None, False], dtype="boolean")
    assert as_bool(s).tolist()[0] == 1.0 and np.isnan(as_bool(s).tolist()[1])
    for colour in OKABE_ITO:
        assert contrast(text_colour(colour), "#ffffff") >= 4.5  # strategy names in their colour, readable
        assert contrast(ink_on(colour), colour) >= 4.5  # text on a strategy-coloured cell
    assert text_colour("#000000") == "#000000" and text_colour("#E69F00") != "#E69F00"


def test_journey_labels_are_thinned_when_crowded():
    from dashboard.figures.journey import thin_labels

    out = thin_labels([0.0, 1.0, 50.0, 100.0], ["onset", "visit", "diagnosis", "death"])
    assert out == ["onset", "", "diagnosis", "death"]
