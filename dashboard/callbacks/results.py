"""Drawing a stored result: the answer first (cards, noise warning), every chart with its text, the summary.

The cards and the table read the same rows through the simulator's one formatter and interval
(``simulator.output.headline``), so their numbers cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.data import Backend, Comparison, bundled, comparisons, html_report, identical_to_reference
from dashboard.figures import RESULT_FIGURES, empty_figure, strategy_colours
from dashboard.figures.style import figure_summary, ink_on, text_colour
from dashboard.layout.common import grid
from dashboard.tables import KEY_OUTCOMES, summary_families, summary_rows

VERDICT_CLASS = {"better": "better", "worse": "worse", "identical": "same"}
PLACEHOLDER = "Press Run to simulate"


def result_colours(results: Any) -> dict[str, str]:
    """Strategy colours of a result, in run order (first = reference)."""
    return strategy_colours(s.name for s in results.scenarios)


def summary_columns(colours: Mapping[str, str]) -> list[dict[str, Any]]:
    """AG Grid columns of the summary: numbers sort as numbers and show as the cards' text."""
    strategy_style = {"styleConditions": [
        {"condition": f"params.value == {json.dumps(name)}",
         "style": {"backgroundColor": colour, "color": ink_on(colour), "fontWeight": "bold"}}
        for name, colour in colours.items()]}
    return [
        {"field": "label", "headerName": "Outcome", "minWidth": 170, "flex": 2},
        {"field": "scenario", "headerName": "Strategy", "cellStyle": strategy_style, "minWidth": 120, "flex": 1},
        {"field": "estimate", "headerName": "Estimate", "type": "numericColumn", "filter": "agNumberColumnFilter",
         "valueFormatter": {"function": "params.data.estimate_text"}},
        {"field": "ci", "headerName": "95% CI", "minWidth": 150},
        {"field": "difference", "headerName": "Difference vs reference", "type": "numericColumn",
         "filter": "agNumberColumnFilter", "valueFormatter": {"function": "params.data.difference_text"},
         "minWidth": 170},
        {"field": "difference_ci", "headerName": "95% CI of the difference", "minWidth": 160},
        {"field": "verdict", "headerName": "Compared with the reference", "minWidth": 150},
    ]


def summary_sections(prefix: str, rows: Sequence[Mapping[str, Any]], colours: Mapping[str, str]) -> list[Any]:
    """One collapsible section per outcome family (the key outcomes open), each a sortable, filterable grid."""
    columns = summary_columns(colours)
    return [html.Details(open=title == KEY_OUTCOMES, className="family", children=[
        html.Summary(f"{title} ({len({r['metric'] for r in family})} outcomes)"),
        grid({"type": f"{prefix}-summary-grid", "family": i}, columns, list(family)),
    ]) for i, (title, family) in enumerate(summary_families(rows))]


def card(name: str, colour: str, items: Sequence[Comparison], identical: bool) -> html.Article:
    """One strategy against the reference: each headline outcome's change, interval and verdict in words."""
    reference = items[0].reference if items else ""
    lines = [html.Li(className="line", children=[
        html.Span(c.metric.label, className="what"), " ",
        html.Span(c.change_text, className="change"), " ",
        html.Span(c.verdict, className=f"verdict {VERDICT_CLASS.get(c.verdict, 'unclear')}"),
    ]) for c in items]
    flag = html.P(f"Identical to {reference} on these patients: every outcome is the same in every "
                  "replication, so its lines lie under the reference's.", className="flag") if identical else None
    return html.Article(className="card", style={"borderLeftColor": colour}, **{"data-strategy": name}, children=[
        html.H4([html.Span(name, style={"color": text_colour(colour)}), f" vs {reference}"]), flag, html.Ul(lines)])


def noise_note(cards: Mapping[str, Sequence[Comparison]], replications: int, patients: int,
               max_replications: int) -> tuple[str, bool] | None:
    """(warning, whether more replications are possible) when headline intervals cannot separate strategies."""
    noisy = sorted({c.metric.label for items in cards.values() for c in items if c.noisy})
    if not noisy:
        return None
    text = (f"The 95% intervals are too wide to tell the strategies apart on {len(noisy)} of the key outcomes "
            f"({', '.join(noisy)}) with {replications} replication{'s' if replications != 1 else ''} of "
            f"{patients:,} patients.")
    if replications >= max_replications:
        return text + f" This server allows at most {max_replications} replications: use more patients.", False
    return text + " More replications narrow them (the same patients, more of them).", True


def noisiest(cards: Mapping[str, Sequence[Comparison]]) -> str | None:
    """The headline outcome with the widest interval among those that cannot be told apart (for 'more')."""
    noisy = [c for items in cards.values() for c in items if c.noisy]
    if not noisy:
        return None
    def width(c: Comparison) -> float:
        spread = c.difference_high - c.difference_low
        return spread / (abs(c.estimate) or 1.0) if spread == spread else float("inf")
    return max(noisy, key=width).metric.name


@dataclass(frozen=True)
class Rendered:
    """Everything a results panel shows."""

    figures: list[go.Figure]
    cards: Any
    noise: tuple[str, bool] | None
    sections: Any
    replications: Any = no_update


def render_results(prefix: str, results: Any, max_replications: int) -> Rendered:
    """What view ``prefix`` shows for ``results`` (placeholders when there are none)."""
    if results is None:
        return Rendered([empty_figure("", PLACEHOLDER) for _ in RESULT_FIGURES],
                        html.P("Press Run: each strategy's result against the reference appears here.",
                               className="help"), None, html.P("No results yet.", className="help"))
    colours = result_colours(results)
    figs = [builder(getattr(results, table), colours) for _, builder, table in RESULT_FIGURES]
    found = comparisons(results.summary)
    cards = [card(n, colours[n], items, identical_to_reference(results.summary, n)) for n, items in found.items()]
    m = results.manifest
    noise = noise_note(found, int(m["replications"]), int(m["patients"]), max_replications)
    sections = summary_sections(prefix, summary_rows(results.summary, list(colours)), colours)
    auto = m.get("replications_auto")
    return Rendered(figs, cards or html.P("Only one strategy: nothing to compare."), noise, sections,
                    int(m["replications"]) if auto else no_update)


def register_results(app: Dash, prefix: str, backend: Backend, max_replications: int) -> None:
    """Redraw view ``prefix``'s answer, charts and summary whenever its result key changes; serve its downloads."""
    names = [name for name, _, _ in RESULT_FIGURES]

    @lru_cache(maxsize=16)
    def rendered(key: str | None) -> tuple[Any, ...]:
        """A result's panel, drawn once per result key (results are immutable, so are their charts)."""
        shown = render_results(prefix, backend.results(key), max_replications)
        texts = [figure_summary(f) if key else PLACEHOLDER for f in shown.figures]
        noise_style = {"display": "block"} if shown.noise else {"display": "none"}
        text, more = shown.noise or ("", False)
        return (*shown.figures, *texts, shown.cards, noise_style, text, not more, shown.sections, shown.replications)

    @app.callback(*[Output(f"{prefix}-{n}-graph", "figure") for n in names],
                  *[Output(f"{prefix}-{n}-graph-text", "children") for n in names],
                  Output(f"{prefix}-cards", "children"), Output(f"{prefix}-noise", "style"),
                  Output(f"{prefix}-noise-text", "children"), Output(f"{prefix}-more", "disabled"),
                  Output(f"{prefix}-summary", "children"),
                  Output(f"{prefix}-replications", "value", allow_duplicate=True),
                  Input(f"{prefix}-result", "data"), prevent_initial_call="initial_duplicate")
    def _render(key: str | None) -> tuple[Any, ...]:
        return rendered(key if backend.results(key) is not None else None)

    @app.callback(Output(f"{prefix}-download", "data"), Input(f"{prefix}-summary-csv", "n_clicks"),
                  Input(f"{prefix}-report", "n_clicks"), State(f"{prefix}-result", "data"), prevent_initial_call=True)
    def _download(_csv: int, _report: int, key: str | None) -> Any:
        results = backend.results(key)
        if results is None:
            return no_update
        if ctx.triggered_id == f"{prefix}-report":
            names = "-vs-".join(s.name for s in results.scenarios)[:80]
            return dcc.send_string(html_report(results, bundled("baseline")), f"spinesim-report-{names}.html")
        return dcc.send_data_frame(results.summary.to_csv, "summary.csv", index=False)


def more_metric(backend: Backend) -> Any:
    """For 'Run more replications': the noisiest headline outcome of the shown result (None without one)."""
    def choose(key: Any) -> str | None:
        results = backend.results(key)
        return noisiest(comparisons(results.summary)) if results is not None else None
    return choose
