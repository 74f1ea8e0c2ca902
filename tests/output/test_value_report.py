"""The report's value chapters say what the run's tables hold: signed paired intervals, each verdict's
chance of being best, the plane's means and threshold line.

``value_sections`` is called on a real (small) run, and each rendered cell is read back and compared
with the table it was written from, to the rounding it is printed with.
"""

from __future__ import annotations

import html
import re

import pytest

from simulator import load_scenario, run_experiment
from simulator.economics.value import per_strategy
from simulator.output.headline import format_change, format_money
from simulator.output.value_charts import incremental
from simulator.output.value_report import value_sections
from simulator.vocabulary import CURRENCY_SYMBOLS

NAMES = ("baseline", "fast-track-mri", "mri-capacity")


@pytest.fixture(scope="module")
def run():
    results = run_experiment([load_scenario(n) for n in NAMES], 300, 2, 4)
    return results, {s.id: s for s in value_sections(results, results.net_benefit, results.per_replication)}


def _rows(fragment: str) -> list[list[str]]:
    """The cell texts of every table row in an HTML fragment that this package wrote."""
    return [[html.unescape(c) for c in re.findall(r"<t[dh]>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", fragment)]


def _money(cell: str, currency: str) -> list[tuple[str, int]]:
    """(sign, amount) of each sum of money in ``cell``, as ``format_money`` writes it."""
    found = re.findall(rf"([+-]?){re.escape(CURRENCY_SYMBOLS.get(currency, currency + ' '))}([\d,]+)", cell)
    return [(sign, int(amount.replace(",", ""))) for sign, amount in found]


def _signed(x: float) -> tuple[str, int]:
    """How a signed amount is printed: its sign ('' for zero) and its size to the unit."""
    return ("-" if round(x) < 0 else "+" if round(x) > 0 else ""), abs(round(x))


def test_each_chapter_has_its_title_in_reading_order(run):
    _, sections = run
    assert [(i, s.title) for i, s in sections.items()][:6] == [
        ("question", "The question and the strategies compared"), ("population", "Population"),
        ("methods", "Perspective, horizon and discounting"), ("value", "Value for money"),
        ("budget", "Budget impact"), ("kpis", "Pathway KPIs")]
    assert [s.title for i, s in sections.items() if i.startswith("checklist")] == [
        "CHEERS 2022 checklist", "STRESS-DES checklist"]


def test_the_methods_table_gives_the_scenario_s_discount_rates_and_thresholds(run):
    results, sections = run
    e = results.scenarios[0].params.economics
    rows = dict(_rows(sections["methods"].html)[1:])
    assert rows["discounting"] == f"costs {e.discount_costs:.1%}, QALYs and life-years {e.discount_outcomes:.1%} a year"
    assert rows["willingness-to-pay thresholds"].split(", ")[0] == format_money(e.wtp_thresholds[0], e.currency)


def test_the_population_table_gives_the_run_s_size_from_its_manifest(run):
    results, sections = run
    rows = dict(_rows(sections["population"].html)[1:])
    assert rows["simulated"].startswith(f"{results.manifest['patients']:,} synthetic patients per strategy, "
                                        f"{results.manifest['replications']} replications")


def test_incremental_costs_and_qalys_are_the_paired_intervals_of_the_value_table_with_their_signs(run):
    results, sections = run
    rows = {r[0]: r for r in _rows(sections["value"].html) if r[0] in NAMES}
    assert list(rows) == list(NAMES) and rows["baseline"][3] == "reference" and rows["baseline"][4] == ""
    printed_positive = False
    for r in results.value.itertuples():
        if r.strategy == "baseline":
            continue
        cost, qalys = rows[r.strategy][3], rows[r.strategy][4]
        expected = [_signed(x) for x in (r.incremental_cost, r.incremental_cost_low, r.incremental_cost_high)]
        assert _money(cost, results.scenarios[0].params.economics.currency) == expected, cost
        printed_positive |= any(sign == "+" for sign, _ in expected)
        numbers = [float(x) for x in re.findall(r"[+-]\d+\.\d{4}", qalys)]
        assert numbers == pytest.approx([r.incremental_qalys, r.incremental_qalys_low, r.incremental_qalys_high],
                                        abs=5e-5), qalys
    assert printed_positive  # so the test sees the '+' that a signed amount must carry


def test_each_verdict_names_its_threshold_and_the_share_of_replications_in_which_it_is_best(run):
    results, sections = run
    e = results.scenarios[0].params.economics
    verdicts = [html.unescape(v) for v in re.findall(r"<li>(.*?)</li>", sections["value"].html)]
    expected = []
    for strategy in NAMES[1:]:
        for t in e.wtp_thresholds:
            p = results.net_benefit.query("strategy == @strategy and threshold == @t")["p_cost_effective"].iloc[0]
            expected.append((strategy, f"at {format_money(t, e.currency)} per QALY it is the best value in "
                                       f"{100 * p:.0f}% of replications"))
    assert len(verdicts) == len(expected)
    for text, (strategy, words) in zip(verdicts, expected, strict=True):
        assert text.startswith(strategy) and words in text, text
        assert "no cost or QALY estimate" not in text  # both estimates exist in this run


def test_the_plane_marks_each_strategy_s_mean_and_the_highest_threshold_s_line(run):
    results, sections = run
    e = results.scenarios[0].params.economics
    plane, curve = sections["value"].figures
    assert [t.name for t in plane.data] == list(NAMES) and [t.name for t in curve.data] == list(NAMES)
    means = incremental(per_strategy(results.per_replication), "baseline").groupby("strategy")[
        ["incremental_qalys", "incremental_cost"]].mean()
    for trace in plane.data:
        assert (trace.x[-1], trace.y[-1]) == pytest.approx(tuple(means.loc[trace.name]), rel=1e-12)
    line = plane.layout.shapes[0]
    assert line.y1 / line.x1 == pytest.approx(max(e.wtp_thresholds)) and line.line.dash == "dash"


def test_each_kpi_difference_interval_is_signed_like_the_change_it_qualifies(run):
    """A difference from the reference reads '+1.2 (95% CI +0.4 to +2.0)', never an unsigned interval."""
    results, sections = run
    rows = [r for r in _rows(sections["kpis"].html)[1:] if r[3] != "reference"]
    assert rows
    for r in rows:
        bounds = re.findall(r"95% CI (\S+) to (\S+?)\)", r[3])
        assert bounds, r
        assert all(b == "0" or b.strip("0.,%") == "" or b[0] in "+-" for b in bounds[0]), r
    assert any("+" in r[3].split("95% CI")[1] for r in rows)  # so the test sees a sign that must be there


def test_the_population_table_has_its_header_and_each_kpi_change_is_the_difference_as_headline_words(run):
    """Mutation-tested: the population table's header row, and each KPI's change read from its difference."""
    results, sections = run
    assert _rows(sections["population"].html)[0] == ["", "value"]
    kpis = results.kpis
    changes = [r for r in kpis.itertuples() if r.scenario != r.reference]
    assert changes
    cells = {(r[0], r[1]): r[3] for r in _rows(sections["kpis"].html)[1:]}
    for r in changes:
        words = format_change(r.difference, str(r.unit), of_capacity=r.metric.endswith("_utilisation"))
        assert cells[(r.label, r.scenario)].startswith(f"{words} (95% CI "), (r.label, r.scenario)


def test_each_net_benefit_interval_is_in_the_scenario_s_currency(run):
    """Mutation-tested: the NMB cell prints its mean and both bounds as money, in the run's currency."""
    results, sections = run
    cur = results.scenarios[0].params.economics.currency
    rows = [r for r in _rows(sections["value"].html) if len(r) == 4 and r[0] != "threshold per QALY"]
    assert rows
    for r in rows:
        assert len(_money(r[2], cur)) == 3, r
