"""Reporting checklists as data (CHEERS 2022, STRESS-DES), and a filled checklist for a report.

The items live in ``data/*.toml`` beside this module, each with its number, section, topic, a
short paraphrase of what to report and what the paraphrase was checked against (the sources are
listed in each file). ``fill_checklist`` answers every item from the caller's answers, so a
report can show the whole checklist: answered, "not applicable: <why>", or "not answered".
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

DATA = Path(__file__).with_name("data")
ANSWERED, NOT_APPLICABLE, NOT_ANSWERED = "answered", "not applicable", "not answered"


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a reporting checklist.

    Attributes:
        number: the item's number as the checklist prints it ("7", "2.5.1").
        section: the checklist section (for example "Methods").
        topic: the item's title.
        text: a short paraphrase of what to report.
        checked: what the paraphrase was checked against ("wording not verified" when nothing).
    """

    number: str
    section: str
    topic: str
    text: str
    checked: str


@dataclass(frozen=True)
class Checklist:
    """A reporting checklist: its name, citation, the sources read, and its items in order."""

    name: str
    citation: str
    sources: tuple[str, ...]
    items: tuple[ChecklistItem, ...]

    def numbers(self) -> tuple[str, ...]:
        """The item numbers, in order."""
        return tuple(item.number for item in self.items)


def load_checklist(path: Path) -> Checklist:
    """Read a checklist file (``name``, ``citation``, ``sources``, ``[checks]``, ``[[items]]``)."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    checks = raw.get("checks", {})
    items = tuple(ChecklistItem(number=str(row["number"]), section=row["section"], topic=row["topic"],
                                text=row["text"], checked=checks.get(row.get("checked", ""), "wording not verified"))
                  for row in raw["items"])
    return Checklist(raw["name"], raw["citation"], tuple(raw["sources"]), items)


CHEERS_2022 = load_checklist(DATA / "cheers2022.toml")
STRESS_DES = load_checklist(DATA / "stress_des.toml")


def _keys(checklist: Checklist, name: str, given: Mapping[object, str]) -> dict[str, str]:
    """``given`` keyed by item number as text, every key a real item and every text non-empty."""
    out = {str(k): str(v).strip() for k, v in given.items()}
    unknown = sorted(set(out) - set(checklist.numbers()))
    if unknown:
        raise ValueError(f"{name}: {checklist.name} has no item {', '.join(unknown)}")
    empty = [k for k, v in out.items() if not v]
    if empty:
        raise ValueError(f"{name}: the text for {checklist.name} item {', '.join(empty)} is empty")
    return out


def fill_checklist(checklist: Checklist, answers: Mapping[object, str],
                   not_applicable: Mapping[object, str] | None = None) -> pd.DataFrame:
    """Every item of ``checklist`` with its answer, its reason for not applying, or "not answered".

    Args:
        checklist: ``CHEERS_2022``, ``STRESS_DES`` or another loaded checklist.
        answers: item number -> where or how the report answers it.
        not_applicable: item number -> why the item does not apply.

    Returns:
        One row per item in checklist order: ``number``, ``section``, ``topic``, ``item`` (what to
        report), ``status`` ("answered", "not applicable" or "not answered") and ``answer`` (the
        answer, "not applicable: <why>" or "not answered").

    Raises:
        ValueError: for an unknown item number, an empty text, or an item given in both mappings.
    """
    given = _keys(checklist, "answers", answers)
    excused = _keys(checklist, "not_applicable", not_applicable or {})
    both = sorted(set(given) & set(excused), key=checklist.numbers().index)
    if both:
        raise ValueError(f"{checklist.name} item {', '.join(both)}: both answered and marked not applicable")
    rows = []
    for item in checklist.items:
        if item.number in given:
            status, answer = ANSWERED, given[item.number]
        elif item.number in excused:
            status, answer = NOT_APPLICABLE, f"{NOT_APPLICABLE}: {excused[item.number]}"
        else:
            status, answer = NOT_ANSWERED, NOT_ANSWERED
        rows.append({"number": item.number, "section": item.section, "topic": item.topic, "item": item.text,
                     "status": status, "answer": answer})
    return pd.DataFrame(rows)
