"""CHEERS 2022 and STRESS-DES as bundled data, and the filled checklist a report shows."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pytest

from simulator.economics import CHEERS_2022, STRESS_DES, fill_checklist
from simulator.economics.checklists import DATA

ROOT = Path(__file__).resolve().parents[2]


def test_cheers_2022_has_its_28_items_in_the_published_order():
    """Numbers 1-28; sections as the published table groups them (methods 4-21, results 22-25)."""
    assert CHEERS_2022.numbers() == tuple(str(n) for n in range(1, 29))
    sections = [item.section for item in CHEERS_2022.items]
    assert sections == (["Title", "Abstract", "Introduction"] + ["Methods"] * 18 + ["Results"] * 4
                        + ["Discussion"] + ["Other relevant information"] * 2)
    topics = {item.number: item.topic for item in CHEERS_2022.items}
    assert (topics["7"], topics["8"], topics["10"], topics["20"], topics["23"]) == (
        "Comparators", "Perspective", "Discount rate", "Characterising uncertainty", "Summary of main results")


def test_stress_des_has_its_24_items():
    assert STRESS_DES.numbers() == (
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5",
        "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4", "6.1")
    assert [i.section for i in STRESS_DES.items][::4] == ["Objectives", "Logic", "Logic", "Data", "Experimentation",
                                                          "Implementation"]
    assert {i.topic for i in STRESS_DES.items} >= {"Random sampling", "Estimation approach", "Initialisation"}


@pytest.mark.parametrize("checklist", [CHEERS_2022, STRESS_DES], ids=lambda c: c.name)
def test_every_item_says_what_its_wording_was_checked_against(checklist):
    assert checklist.sources and all(url.startswith("https://") for url in checklist.sources)
    assert "doi:" in checklist.citation
    for item in checklist.items:
        assert item.text and item.topic and item.checked
        assert item.checked != "wording not verified", f"{checklist.name} {item.number}: say how it was checked"


def test_checklist_files_are_package_data():
    """The wheel must carry the TOML files (what users install is what is tested)."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        patterns = tomllib.load(fh)["tool"]["setuptools"]["package-data"]["simulator"]
    files = sorted(DATA.glob("*.toml"))
    assert len(files) == 2
    for path in files:
        relative = path.relative_to(ROOT / "simulator").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_filled_checklist_covers_every_item():
    table = fill_checklist(CHEERS_2022, {1: "Title page", "7": "Methods: strategies"},
                           {"4": "no analysis plan was written", 21: "no patient involvement in this model"})
    assert len(table) == 28 and table["number"].tolist() == list(CHEERS_2022.numbers())
    rows = table.set_index("number")
    assert rows.loc["1", ["status", "answer"]].tolist() == ["answered", "Title page"]
    assert rows.loc["4", "answer"] == "not applicable: no analysis plan was written"
    assert rows.loc["21", "status"] == "not applicable"
    assert (rows.drop(["1", "4", "7", "21"])["answer"] == "not answered").all()
    assert rows.loc["7", "item"] == CHEERS_2022.items[6].text


@pytest.mark.parametrize(("answers", "excused", "message"), [
    ({"29": "x"}, {}, "no item 29"),
    ({}, {"2.6": "x"}, "no item 2.6"),
    ({"1": "  "}, {}, "is empty"),
    ({"1": "x"}, {"1": "y"}, "both answered and marked not applicable"),
])
def test_bad_answers_are_refused(answers, excused, message):
    checklist = STRESS_DES if "2.6" in excused else CHEERS_2022
    with pytest.raises(ValueError, match=message):
        fill_checklist(checklist, answers, excused)
