"""``spinesim report``: one self-contained HTML page with every CHEERS 2022 and STRESS-DES item answered.

``simulator.cli.main.main`` is called in-process. The checklist rows are read back from the written
page (its HTML tables), so an item the run left unanswered, or a missing one, fails the test.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.cli.main import EXIT_BAD_INPUT, main
from simulator.economics import CHEERS_2022, STRESS_DES
from simulator.economics.checklists import NOT_ANSWERED, NOT_APPLICABLE

RUN = ["report", "baseline", "fast-track-mri", "--patients", "300", "--replications", "2", "--seed", "4", "--quiet"]


class _Tables(HTMLParser):
    """The rows of each ``<section id=...>``'s tables, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self._section, self._row, self._cell = "", None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self._section = dict(attrs).get("id") or ""
            self.sections.setdefault(self._section, [])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.sections[self._section].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell += data


def _sections(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.sections


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main([*RUN, "--out", str(out)]) == 0
    return out


def _checklist_rows(page: str, section: str) -> list[list[str]]:
    rows = _sections(page)[section]
    assert rows[0] == ["item", "section", "topic", "what to report", "answer"]
    return rows[1:]


@pytest.mark.parametrize("section, checklist", [("checklist-1", CHEERS_2022), ("checklist-2", STRESS_DES)],
                         ids=["CHEERS 2022", "STRESS-DES"])
def test_every_checklist_item_is_in_the_report_and_answered(written, section, checklist):
    page = written.read_text(encoding="utf-8")
    rows = _checklist_rows(page, section)
    assert [r[0] for r in rows] == list(checklist.numbers())
    assert [r[2] for r in rows] == [item.topic for item in checklist.items]
    for number, *_, answer in rows:
        assert answer and answer != NOT_ANSWERED, f"{checklist.name} {number} is not answered"
        if answer.startswith(NOT_APPLICABLE):
            assert len(answer) > len(NOT_APPLICABLE) + 10, f"{checklist.name} {number}: say why it does not apply"
        assert answer.endswith("."), f"{checklist.name} {number}: an answer is a whole sentence"
    assert NOT_ANSWERED not in page


def test_answers_come_from_the_run(written):
    page = written.read_text(encoding="utf-8")
    cheers = {r[0]: r[-1] for r in _checklist_rows(page, "checklist-1")}
    stress = {r[0]: r[-1] for r in _checklist_rows(page, "checklist-2")}
    assert "baseline" in cheers["7"] and "fast-track-mri" in cheers["7"]
    assert "3.5%" in cheers["10"] and "GBP" in cheers["15"]
    assert "2 replications" in cheers["17"] and "seed 4" in stress["4.3"]
    assert "300" in stress["1.3"] and "numpy" in stress["5.1"]
    assert "streams keyed by" in stress["5.2"] and "None" not in stress["5.2"]  # read from the run's manifest
    assert cheers["13"].count("utilities.") >= 3  # each utility parameter with its source, from the schema


def test_the_report_has_its_value_chapters_with_intervals_and_opens_offline(written):
    page = written.read_text(encoding="utf-8")
    for id_ in ("headline", "question", "population", "methods", "value", "budget", "kpis", "checklist-1",
                "checklist-2", "run"):
        assert f"<section id='{id_}'>" in page, id_
    assert "per QALY" in page and "95% CI" in page and "best value in" in page
    assert "Budget impact" in page and "Emergency presentations scanned within target" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=['\"]http", page)  # nothing fetched from elsewhere


def test_the_same_seed_writes_the_same_bytes_whatever_the_workers(written, tmp_path):
    again = tmp_path / "again.html"
    assert main([*RUN, "--workers", "2", "--out", str(again)]) == 0
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(written.read_bytes()).digest()


def _run(capsys, *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, [line for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.mark.parametrize("name, needle", [("report.txt", ".html"), ("missing/report.html", "does not exist")])
def test_a_bad_out_file_exits_2_before_running(capsys, tmp_path, name, needle):
    code, lines = _run(capsys, *RUN, "--out", str(tmp_path / name))
    assert code == EXIT_BAD_INPUT and len(lines) == 1 and needle in lines[0] and "Traceback" not in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_an_existing_report_is_kept_without_overwrite_and_replaced_whole_with_it(capsys, tmp_path, written):
    out = tmp_path / "report.html"
    out.write_text("previous")
    code, lines = _run(capsys, *RUN, "--out", str(out))
    assert code == EXIT_BAD_INPUT and "--overwrite" in lines[0] and out.read_text() == "previous"
    assert main([*RUN, "--out", str(out), "--overwrite"]) == 0
    assert out.read_bytes() == written.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no staged file left behind


@pytest.mark.parametrize("argv, needle", [(["--replications", "1"], "at least 2"), (["--patients", "0"], "--patients")])
def test_bad_run_settings_exit_2(capsys, tmp_path, argv, needle):
    code, lines = _run(capsys, "report", "baseline", "rt-only", *argv, "--out", str(tmp_path / "r.html"))
    assert code == EXIT_BAD_INPUT and len(lines) == 1 and needle in lines[0]
    assert not (tmp_path / "r.html").exists()


def test_an_unknown_scenario_exits_2(capsys, tmp_path):
    code, lines = _run(capsys, "report", "baseline", "no-such-strategy", "--out", str(tmp_path / "r.html"))
    assert code == EXIT_BAD_INPUT and "no-such-strategy" in lines[0]
