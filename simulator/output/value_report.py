"""The health-economic chapters of the HTML report: question, population, methods, value, budget, checklists.

``value_sections(results)`` gives the :class:`~simulator.output.html_report.ReportSection` values
that ``spinesim report`` adds to :func:`~simulator.output.html_report.html_report`; a pure function
of the run (same results, same bytes).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from simulator.economics.value import per_strategy, replication_acceptability
from simulator.output.checklist_answers import ValueRun, filled_checklists
from simulator.output.headline import (
    format_change,
    format_interval,
    format_money,
    format_value,
    value_sentence,
)
from simulator.output.html_report import ReportSection
from simulator.output.value_charts import acceptability_figure, budget_figure, ce_plane_figure, threshold_grid


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = "".join(f"<tr>{''.join(f'<td>{_esc(c)}</td>' for c in row)}</tr>" for row in rows)
    return (f"<div class='scroll'><table><tr>{''.join(f'<th>{_esc(h)}</th>' for h in head)}</tr>{cells}</table>"
            "</div>")


def _question(run: ValueRun) -> ReportSection:
    items = "".join(f"<li><b>{_esc(s.name)}</b>{' (reference)' if i == 0 else ''}: {_esc(s.description)}</li>"
                    for i, s in enumerate(run.scenarios))
    return ReportSection("The question and the strategies compared",
                         "<p>Which of these strategies gives the best value for money for the population below, "
                         f"and what does it cost the service each year?</p><ul>{items}</ul>", id="question")


def _population(run: ValueRun) -> ReportSection:
    p = run.scenarios[0].params
    c, m = p.cohort, run.manifest
    rows = [("entry population", c.entry), ("arrivals", f"{c.arrivals}, {c.arrivals_per_year:,g} a year"),
            ("age at entry", f"mean {c.age_mean_years:g} years (SD {c.age_sd_years:g})"),
            ("tumour subtype", ", ".join(f"{k} {v:.0%}" for k, v in c.subtype.model_dump().items())),
            ("performance status", ", ".join(f"{k} {v:.0%}" for k, v in c.ecog.model_dump().items())),
            ("follow-up", f"{c.follow_up_days:g} days"),
            ("simulated", f"{m.get('patients'):,} synthetic patients per strategy, {m.get('replications')} "
                          "replications on the same patients (common random numbers)")]
    return ReportSection("Population", _table(("", "value"), rows), id="population")


def _methods(run: ValueRun) -> ReportSection:
    e = run.scenarios[0].params.economics
    rows = [("perspective", e.perspective), ("time horizon", f"{e.horizon_years:g} years from each patient's entry"),
            ("discounting", f"costs {e.discount_costs:.1%}, QALYs and life-years {e.discount_outcomes:.1%} a year"),
            ("currency and price year", f"{e.currency}, {e.price_year}"),
            ("willingness-to-pay thresholds", ", ".join(format_money(t, e.currency) for t in e.wtp_thresholds)
             + " per QALY")]
    return ReportSection("Perspective, horizon and discounting", _table(("", "value"), rows), id="methods")


def _interval(mean: float, low: float, high: float, currency: str | None = None, digits: int = 4,
              signed: bool = True) -> str:
    if currency is not None:
        return (f"{format_money(mean, currency, signed)} ({format_money(low, currency, signed)} to "
                f"{format_money(high, currency, signed)})")
    return f"{mean:+.{digits}f} ({low:+.{digits}f} to {high:+.{digits}f})"


def _value(run: ValueRun, net_benefit: pd.DataFrame, per_replication: pd.DataFrame) -> ReportSection:
    e = run.scenarios[0].params.economics
    cur, ref = e.currency, run.scenarios[0].name
    if run.value.empty:
        return ReportSection("Value for money", "<p>No costs or QALYs were computed.</p>", id="value")
    rows = [(r.strategy, format_money(r.cost, cur), f"{r.qalys:.4f}",
             "reference" if r.strategy == ref else _interval(r.incremental_cost, r.incremental_cost_low,
                                                             r.incremental_cost_high, cur),
             "" if r.strategy == ref else _interval(r.incremental_qalys, r.incremental_qalys_low,
                                                    r.incremental_qalys_high),
             r.status) for r in run.value.itertuples()]
    value = _table(("strategy", "cost per patient", "QALYs per patient", f"incremental cost vs {ref} (95% CI)",
                    f"incremental QALYs vs {ref} (95% CI)", "status"), rows)
    nmb = _table(("threshold per QALY", "strategy", "net monetary benefit per patient (95% CI)",
                  "best value in % of replications"),
                 [(format_money(r.threshold, cur), r.strategy,
                   _interval(r.nmb, r.nmb_low, r.nmb_high, cur, signed=False), f"{100 * r.p_cost_effective:.0f}%")
                  for r in net_benefit.itertuples()])
    words = [value_sentence(r.strategy, ref, r.incremental_cost, r.incremental_qalys,
                            _p_best(net_benefit, r.strategy, t), t, cur)
             for r in run.value.itertuples() if r.strategy != ref for t in e.wtp_thresholds]
    samples = per_strategy(per_replication)
    ceac = replication_acceptability(per_replication, threshold_grid(e.wtp_thresholds)).rename(
        columns={"p_cost_effective": "probability"})
    figures = (ce_plane_figure(samples, ref, cur, max(e.wtp_thresholds)), acceptability_figure(ceac, cur))
    top = format_money(max(e.wtp_thresholds), cur)
    body = ("<ul>" + "".join(f"<li>{_esc(w)}</li>" for w in words) + "</ul>" + value
            + "<p>Net monetary benefit = threshold &times; QALYs &minus; cost, per patient; the share of "
              "replications is patient-level noise only (the parameters are fixed).</p>" + nmb
            + f"<p>The plane shows each replication (dots) and the mean (diamond) against {_esc(ref)}, on the "
              f"same patients; below the dashed line of {_esc(top)} per QALY a strategy is cost-effective at that "
              "threshold. The curve gives, at each threshold, the share of replications in which each strategy "
              "has the highest net benefit.</p>")
    return ReportSection("Value for money", body, figures, id="value")


def _p_best(net_benefit: pd.DataFrame, strategy: str, threshold: float) -> float:
    rows = net_benefit[(net_benefit["strategy"] == strategy) & (net_benefit["threshold"] == float(threshold))]
    return float(rows["p_cost_effective"].iloc[0]) if len(rows) else float("nan")


def _budget(run: ValueRun) -> ReportSection:
    p = run.scenarios[0].params
    cur = p.economics.currency
    b = run.budget.set_index(["scenario", "year", "item"])
    rows = []
    for (name, year), _ in run.budget.groupby(["scenario", "year"], sort=False):
        total, treated = b.loc[(name, year, "total")], b.loc[(name, year, "patients_treated")]
        impact = "reference" if name == total["reference"] else _interval(
            total["difference"], total["difference_low"], total["difference_high"], cur)
        rows.append((name, year, f"{format_money(total['estimate'], cur)} ({format_money(total['ci_low'], cur)} to "
                     f"{format_money(total['ci_high'], cur)})", impact, f"{treated['estimate']:,.0f}"))
    note = (f"<p>Undiscounted cost paid in each calendar year by the simulated open cohort "
            f"({run.manifest.get('patients'):,} patients entering at {p.cohort.arrivals_per_year:,g} a year), "
            "capacity included; the budget impact is the paired difference to the reference. The budget table "
            "has every category.</p>")
    table = _table(("strategy", "year", "total cost (95% CI)", "budget impact (95% CI)", "patients treated"), rows)
    return ReportSection("Budget impact", note + table, (budget_figure(run.budget, cur),), id="budget")


def _kpis(run: ValueRun) -> ReportSection:
    t = run.scenarios[0].params.targets
    rows = []
    order = {name: i for i, name in enumerate(dict.fromkeys(run.kpis["metric"]))}
    for r in run.kpis.assign(_o=run.kpis["metric"].map(order)).sort_values("_o", kind="stable").itertuples():
        unit = str(r.unit)
        change = "reference" if r.scenario == r.reference else (
            f"{format_change(r.difference, unit, of_capacity=r.metric.endswith('_utilisation'))} "
            f"({format_interval(r.difference_low, r.difference_high, unit, True)})")
        rows.append((r.label, r.scenario, f"{format_value(r.estimate, unit)} "
                     f"({format_interval(r.ci_low, r.ci_high, unit)})", change))
    note = (f"<p>Targets: MRI within {t.emergency_mri_hours:g} hours of an emergency presentation; MRI within "
            f"{t.referral_to_mri_days:g} days of a routine or fast-track referral (a longer wait is a breach).</p>")
    return ReportSection("Pathway KPIs", note + _table(("KPI", "strategy", "estimate (95% CI)",
                                                        "difference vs reference (95% CI)"), rows), id="kpis")


def _checklist(name: str, table: pd.DataFrame, id_: str) -> ReportSection:
    rows = [(r.number, r.section, r.topic, r.item, r.answer) for r in table.itertuples()]
    return ReportSection(f"{name} checklist", _table(("item", "section", "topic", "what to report", "answer"), rows),
                         id=id_)


def value_sections(run: ValueRun, net_benefit: pd.DataFrame, per_replication: pd.DataFrame) -> list[ReportSection]:
    """The report's health-economic chapters, the filled CHEERS 2022 and STRESS-DES checklists last."""
    lists = filled_checklists(run)
    return [_question(run), _population(run), _methods(run), _value(run, net_benefit, per_replication),
            _budget(run), _kpis(run),
            *(_checklist(name, table, f"checklist-{i}") for i, (name, table) in enumerate(lists.items(), start=1))]
