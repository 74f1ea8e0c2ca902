"""A run's report as one self-contained HTML page: the answer first, charts, the table, what was changed.

`html_report` is a pure function of a run's results (``simulator.Results``; and
the baseline scenario its parameters are compared with): the same results give the same bytes,
so the dashboard's "report" download and the command line write the same file. plotly.js is
inlined, so the page opens offline and sends nothing anywhere. Later chapters (for example the
health-economic ones) come in as :class:`ReportSection` values, after the built-in ones.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from simulator.output.headline import (
    INTERVAL_METHOD,
    Comparison,
    comparisons,
    format_change,
    format_interval,
    format_value,
    identical_to_reference,
    verdict,
)
from simulator.output.metrics import HEADLINE_METRICS, METRIC_BY_NAME
from simulator.parameters.scenario import Scenario, flatten, parameter_infos


class RunResults(Protocol):
    """What a report reads of a run (``simulator.Results`` has it): scenarios, summary and manifest."""

    scenarios: list[Scenario]
    summary: pd.DataFrame
    manifest: dict[str, Any]

#: Okabe & Ito (2008) colours, reference first (black); the dashboard uses the same order.
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442")
#: Chart options: no Plotly logo, no "send to cloud", nothing that links to a server.
PLOT_CONFIG: dict[str, Any] = {"displaylogo": False, "showSendToCloud": False, "responsive": True}
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:28px}.meta{color:#444}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border:1px solid #ccc;border-radius:6px;
padding:10px 14px;flex:1 1 320px}.card h3{margin:0 0 6px;font-size:1.05rem}.card ul{margin:0;padding-left:1.1em}
.card li{margin:3px 0}.verdict{font-weight:600}.flag{background:#fff4d6;border-left:4px solid #b8860b;padding:4px 8px}
table{border-collapse:collapse;background:#fff;font-size:.88rem;width:100%}th,td{border:1px solid #ddd;
padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f3f3}.scroll{overflow-x:auto}
"""


@dataclass(frozen=True)
class ReportSection:
    """An extra chapter: a title, trusted HTML (already escaped by its author) and charts after it."""

    title: str
    html: str = ""
    figures: tuple[go.Figure, ...] = field(default_factory=tuple)
    id: str = ""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def parameter_changes(scenario: Scenario, baseline: Scenario) -> list[tuple[str, Any, Any, str, str]]:
    """(path, baseline value, value, unit, description) of every parameter that differs from ``baseline``."""
    mine, base = flatten(scenario.resolved()), flatten(baseline.resolved())
    infos = {i.path: i for i in parameter_infos()}
    rows = []
    for path in sorted(set(mine) | set(base)):
        if mine.get(path) != base.get(path):
            info = infos.get(path)
            rows.append((path, base.get(path), mine.get(path), info.unit if info else "",
                         info.description if info else ""))
    return rows


def _card(name: str, items: Sequence[Comparison], identical: bool) -> str:
    reference = items[0].reference if items else ""
    lines = [f"<li><b>{_esc(c.metric.label)}</b>: {_esc(c.change_text)}, "
             f"<span class='verdict'>{_esc(c.verdict)}</span></li>" for c in items]
    flag = (f"<p class='flag'>Identical to {_esc(reference)} on these patients: every outcome is the same in "
            "every replication.</p>") if identical else ""
    return (f"<article class='card' data-strategy='{_esc(name)}'><h3>{_esc(name)} vs {_esc(reference)}</h3>"
            f"{flag}<ul>{''.join(lines)}</ul></article>")


def headline_html(summary: pd.DataFrame) -> str:
    """The headline cards: one per strategy against the reference."""
    cards = [_card(name, items, identical_to_reference(summary, name))
             for name, items in comparisons(summary).items()]
    return f"<div class='cards'>{''.join(cards)}</div>" if cards else "<p>Only one strategy: nothing to compare.</p>"


def difference_figure(summary: pd.DataFrame) -> go.Figure:
    """One panel per headline outcome: each strategy's paired difference to the reference, 95% interval."""
    metrics = [m for m in HEADLINE_METRICS if m in set(summary["metric"])]
    names = list(dict.fromkeys(summary["scenario"]))
    fig = make_subplots(rows=len(metrics), cols=1, vertical_spacing=0.5 / max(len(metrics), 1),
                        subplot_titles=[METRIC_BY_NAME[m].label for m in metrics])
    for row, metric in enumerate(metrics, start=1):
        unit = METRIC_BY_NAME[metric].unit
        scale = 100.0 if unit == "proportion" else 1.0
        rows = summary[(summary["metric"] == metric) & (summary["scenario"] != summary["reference"])]
        for _, r in rows.iterrows():
            colour = PALETTE[names.index(r["scenario"]) % len(PALETTE)]
            fig.add_trace(go.Scatter(
                x=[scale * r["difference"]], y=[r["scenario"]], mode="markers", marker={"color": colour, "size": 10},
                error_x={"type": "data", "symmetric": False,
                         "array": [scale * (r["difference_high"] - r["difference"])],
                         "arrayminus": [scale * (r["difference"] - r["difference_low"])]},
                name=str(r["scenario"]), showlegend=False, meta=str(r["scenario"]),
                hovertemplate=f"{_esc(r['scenario'])}: %{{x:+.1f}}<extra></extra>"), row=row, col=1)
        fig.add_vline(x=0, line={"color": "#888", "dash": "dash"}, row=row, col=1)
        fig.update_xaxes(title_text="per 100 patients" if unit == "proportion" else unit, row=row, col=1)
    fig.update_layout(template="plotly_white", height=150 * max(len(metrics), 1) + 80,
                      title="Difference from the reference, with 95% intervals", margin={"l": 140, "r": 20})
    return fig


def _summary_table(summary: pd.DataFrame) -> str:
    head = ("<tr><th>Outcome</th><th>Strategy</th><th>Estimate (95% CI)</th><th>Difference vs reference "
            "(95% CI)</th><th>Verdict</th></tr>")
    rows = []
    order = {m: i for i, m in enumerate(HEADLINE_METRICS)}
    frame = summary.assign(_key=summary["metric"].map(order).fillna(len(order)))
    for _, r in frame.sort_values("_key", kind="stable").iterrows():
        unit, ref = str(r["unit"]), r["scenario"] == r["reference"]
        estimate = f"{format_value(r['estimate'], unit)} ({format_interval(r['ci_low'], r['ci_high'], unit)})"
        change = "reference" if ref else (
            f"{format_change(r['difference'], unit)} "
            f"({format_interval(r['difference_low'], r['difference_high'], unit, change=True)})")
        word = "" if ref else verdict(r["difference_low"], r["difference_high"], r["higher_is_better"],
                                      r["difference"])
        rows.append(f"<tr><td>{_esc(r['label'])}</td><td>{_esc(r['scenario'])}</td><td>{_esc(estimate)}</td>"
                    f"<td>{_esc(change)}</td><td>{_esc(word)}</td></tr>")
    return f"<div class='scroll'><table>{head}{''.join(rows)}</table></div>"


def _changes_html(scenarios: Sequence[Scenario], baseline: Scenario) -> str:
    parts = []
    for s in scenarios:
        changes = parameter_changes(s, baseline)
        if not changes:
            parts.append(f"<p><b>{_esc(s.name)}</b>: the same parameters as {_esc(baseline.name)}.</p>")
            continue
        rows = "".join(f"<tr><td>{_esc(d)}</td><td><code>{_esc(p)}</code></td><td>{_esc(b)}</td><td>{_esc(v)}</td>"
                       f"<td>{_esc(u)}</td></tr>" for p, b, v, u, d in changes)
        parts.append(f"<h3>{_esc(s.name)}</h3><div class='scroll'><table><tr><th>Parameter</th><th>Path</th>"
                     f"<th>{_esc(baseline.name)}</th><th>{_esc(s.name)}</th><th>Unit</th></tr>{rows}</table></div>")
    return "".join(parts)


def _figure_html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG)


def _section(title: str, body: str, id_: str) -> str:
    return f"<section id='{_esc(id_)}'><h2>{_esc(title)}</h2>{body}</section>"


def html_report(results: RunResults, baseline: Scenario | None = None, sections: Sequence[ReportSection] = (),
                title: str | None = None) -> str:
    """The whole report of ``results`` (a ``simulator.Results``) as one HTML string, plotly.js inlined.

    ``baseline`` is the scenario whose parameters the others are compared with (default: the
    reference, the first scenario); ``sections`` are extra chapters placed before the run details.
    """
    summary, m = results.summary, results.manifest
    names = [s.name for s in results.scenarios]
    baseline = baseline or results.scenarios[0]
    heading = title or f"spinesim report: {' vs '.join(names)}"
    meta = (f"spinesim {m.get('spinesim_version', '?')} &middot; seed {m.get('seed')} &middot; "
            f"{m.get('patients'):,} patients &times; {m.get('replications')} replications &middot; "
            f"reference: {_esc(names[0])}")
    body = [
        f"<h1>{_esc(heading)}</h1><p class='meta'>{meta}</p><p class='meta'>Intervals: {_esc(INTERVAL_METHOD)}.</p>",
        _section("The answer first", headline_html(summary), "headline"),
        _section("Charts", _figure_html(difference_figure(summary), "chart-differences"), "charts"),
        _section("Summary table", _summary_table(summary), "summary"),
        _section(f"Parameters that differ from {baseline.name}", _changes_html(results.scenarios, baseline),
                 "parameters"),
    ]
    for i, extra in enumerate(sections, start=1):
        charts = "".join(_figure_html(f, f"section-{i}-chart-{j}") for j, f in enumerate(extra.figures, start=1))
        body.append(_section(extra.title, extra.html + charts, extra.id or f"section-{i}"))
    run = "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(m.get(k))}</td></tr>"
                  for k in ("spinesim_version", "seed", "patients", "replications", "grid_days",
                            "common_random_numbers"))
    body.append(_section("Run", f"<table>{run}</table>", "run"))
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_esc(heading)}</title><style>{_STYLE}</style>"
            f"<script>{get_plotlyjs()}</script></head><body><main>{''.join(body)}</main></body></html>\n")
