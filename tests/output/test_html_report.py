"""The HTML report: one self-contained page from a run's results, the same bytes for the same run."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from simulator import ReportSection, html_report, load_scenario, parameter_changes, run_experiment
from simulator.output.headline import comparisons, verdict
from simulator.output.html_report import headline_html


@pytest.fixture(scope="module")
def results():
    names = ("baseline", "rt-only", "mri-capacity")
    return run_experiment([load_scenario(n) for n in names], 300, 2, 5)


def test_report_is_deterministic_offline_and_holds_cards_table_parameters_and_run(results):
    baseline = load_scenario("baseline")
    page = html_report(results, baseline)
    assert page == html_report(results, baseline)  # the dashboard and the CLI write the same file
    assert page.startswith("<!DOCTYPE html>") and "<html lang='en'>" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import", page)  # nothing is fetched
    assert "Plotly.newPlot" in page and page.count("<script>") >= 1
    assert '"displaylogo": false' in page and '"showSendToCloud": false' in page  # no link out of the page
    assert page.count("class='card'") == 2 and "rt-only vs baseline" in page
    assert "per 100 patients" in page and "95% t-interval over replications" in page
    changed = parameter_changes(load_scenario("mri-capacity"), baseline)
    assert changed and all(f"<code>{path}</code>" in page for path, *_ in changed)
    assert f"seed {results.manifest['seed']}" in page and results.manifest["spinesim_version"] in page


def test_each_card_gives_every_headline_outcome_its_change_and_verdict(results):
    page = html_report(results, load_scenario("baseline"))
    found = comparisons(results.summary)
    assert found and all(items for items in found.values())
    for items in found.values():
        for c in items:
            assert f"<b>{html.escape(c.metric.label)}</b>: {html.escape(c.change_text)}, " \
                   f"<span class='verdict'>{html.escape(c.verdict)}</span>" in page, c.metric.name


def test_the_heading_line_names_version_seed_cohort_and_reference_and_each_section_its_id(results):
    """Mutation-tested: the run line is read from the manifest, the reference is the first scenario."""
    m = results.manifest
    page = html_report(results, load_scenario("baseline"))
    assert (f"<p class='meta'>spinesim {m['spinesim_version']} &middot; seed {m['seed']} &middot; "
            f"{m['patients']:,} patients &times; {m['replications']} replications &middot; reference: baseline</p>"
            ) in page
    assert re.findall(r"<section id='([^']+)'>", page)[:4] == ["headline", "charts", "summary", "parameters"]
    table = page[page.index("<section id='summary'>"):page.index("<section id='parameters'>")]
    assert re.search(r"</tr>[^<]", table) is None  # rows follow one another, nothing between them


def test_extra_sections_are_appended_before_the_run_details(results):
    page = html_report(results, sections=[ReportSection("Value for money", "<p>ICER here</p>", id="value")])
    assert page.index("id='value'") < page.index("id='run'") and "<p>ICER here</p>" in page


def test_parameter_changes_are_empty_for_the_same_scenario_and_name_units():
    baseline = load_scenario("baseline")
    assert parameter_changes(baseline, baseline) == []
    rows = parameter_changes(load_scenario("mri-capacity"), baseline)
    assert any(unit == "scanners" for _, _, _, unit, _ in rows)


def test_each_section_has_its_heading_and_each_summary_row_its_verdict(results):
    """Mutation-tested: the headings the reader navigates by, and the verdict read from both interval ends."""
    page = html_report(results, load_scenario("baseline"))
    headings = dict(re.findall(r"<section id='([^']+)'><h2>([^<]*)</h2>", page))
    assert headings["summary"] == "Summary table" and headings["run"] == "Run", headings
    table = page[page.index("<section id='summary'>"):page.index("<section id='parameters'>")]
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    rows = results.summary[results.summary["scenario"] != results.summary["reference"]]
    expected = sorted((html.escape(r.label), r.scenario,
                       html.escape(verdict(r.difference_low, r.difference_high, r.higher_is_better, r.difference)))
                      for r in rows.itertuples())
    assert sorted((c[0], c[1], c[4]) for c in cells if c[3] != "reference") == expected


def test_a_strategy_identical_to_the_reference_is_flagged_on_its_card(results):
    """Mutation-tested: the flag is read for each card's own strategy (rt-only differs, a renamed copy does not)."""
    assert "class='flag'" not in headline_html(results.summary)
    baseline = load_scenario("baseline")
    copy = dataclasses.replace(baseline, name="baseline-again")
    page = headline_html(run_experiment([baseline, copy], 200, 2, 3).summary)
    assert "<p class='flag'>Identical to baseline on these patients" in page
