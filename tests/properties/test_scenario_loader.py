"""Property: loading any file gives a Scenario or a ScenarioError, never another exception.

The documents mix real parameter paths (from the schema, written as nested tables or as quoted
dotted keys) with random keys, and draw values of every TOML type: integers (huge and negative
included), floats (nan and inf included), booleans, strings, dates and times, arrays and nested
tables. Half of the documents ``extends = "baseline"``, and real paths often get values that are
valid for them, so loadable scenarios occur too (``test_generator_produces_loadable_scenarios``
checks this). Raw text, and valid TOML with random edits spliced in, exercise the parser.

Any other exception fails the property (the loader bugs it found are pinned in
``tests/scenarios/test_loader_regressions.py``).
"""

from __future__ import annotations

import math
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, event, find, given, settings
from hypothesis import strategies as st

from simulator.parameters.scenario import (
    MAX_SHOWN_PROBLEMS,
    META_KEYS,
    Scenario,
    ScenarioError,
    flatten,
    load_scenario,
    parameter_infos,
)
from simulator.parameters.schema import Parameters

INFOS = {info.path: info for info in parameter_infos()}
REAL_PATHS = sorted(INFOS)
GROUP_PATHS = sorted(
    {p.rsplit(".", 1)[0] for p in REAL_PATHS} | {p.split(".", 1)[0] for p in REAL_PATHS}
)
LEAF_NAMES = sorted({p.rsplit(".", 1)[-1] for p in REAL_PATHS})
CHOICES = sorted({c for info in INFOS.values() for c in info.choices})

STABLE = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

# --- strategies ---------------------------------------------------------------------------------

keys = st.one_of(
    st.sampled_from(REAL_PATHS),  # becomes a quoted dotted key at the top level
    st.sampled_from(GROUP_PATHS),
    st.sampled_from(LEAF_NAMES),
    st.sampled_from(META_KEYS),
    st.text(max_size=12),
)

scalars = st.one_of(
    st.integers(),  # unbounded: huge positive and negative
    st.integers(min_value=-5, max_value=60),
    st.floats(),  # nan, inf, -inf, subnormals, huge
    st.floats(min_value=-2.0, max_value=400.0),
    st.booleans(),
    st.text(max_size=20),
    st.sampled_from([*CHOICES, "baseline", "rt-only", "baseline.toml", "", "."]),
    st.dates(),
    st.datetimes(),
    st.times(),
)

values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(keys, children, max_size=4),
    ),
    max_leaves=12,
)


def valid_value(path: str) -> st.SearchStrategy[Any]:
    """A value of the right type inside the allowed range of one parameter."""
    info = INFOS[path]
    if info.kind == "bool":
        return st.booleans()
    if info.kind == "choice":
        return st.sampled_from(info.choices)
    if info.kind == "int":
        return st.integers(min_value=int(info.low), max_value=int(info.high))
    return st.floats(min_value=info.low, max_value=info.high, allow_nan=False, allow_infinity=False)


@st.composite
def real_overrides(draw) -> dict[str, Any]:
    """Values for a few real parameter paths, mostly valid, sometimes anything."""
    chosen = draw(st.lists(st.sampled_from(REAL_PATHS), max_size=5, unique=True))
    return {
        p: draw(st.one_of(valid_value(p), valid_value(p), valid_value(p), values)) for p in chosen
    }


def _set_nested(doc: dict[str, Any], path: str, value: Any) -> None:
    *groups, leaf = path.split(".")
    node = doc
    for g in groups:
        nxt = node.get(g)
        if not isinstance(nxt, dict):
            nxt = node[g] = {}
        node = nxt
    node[leaf] = value


@st.composite
def documents(draw) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if draw(st.booleans()):
        doc["extends"] = "baseline"
    for path, value in draw(real_overrides()).items():
        if draw(st.booleans()):
            doc[path] = value  # "cohort.p_visceral_mets" = ...  (quoted dotted key)
        else:
            _set_nested(doc, path, value)  # [cohort] p_visceral_mets = ...
    if draw(st.integers(0, 2)) == 0:  # a meta key with a value of any type
        doc[draw(st.sampled_from(["name", "description", "uncertainty"]))] = draw(values)
    if draw(st.integers(0, 3)) == 0:
        doc.update(draw(st.dictionaries(keys, values, max_size=3)))
    return doc


@st.composite
def spliced(draw) -> str:
    """Valid TOML text with a random edit: an insertion, a deletion, or both."""
    text = tomli_w.dumps(draw(documents()))
    at = draw(st.integers(0, len(text)))
    cut = draw(st.integers(0, 10))
    return text[:at] + draw(st.text(max_size=10)) + text[at + cut :]


sources = st.one_of(
    documents().map(tomli_w.dumps),
    documents().map(tomli_w.dumps),
    documents().map(tomli_w.dumps),
    spliced(),
    st.text(max_size=200),
    st.text(alphabet='[]{}=".,#\n abc0123456789-+_:', max_size=200),
)

# --- the property -------------------------------------------------------------------------------


def _expected_values(doc: dict[str, Any]) -> dict[str, Any]:
    """The real parameter values a loadable document sets itself (quoted dotted keys win).

    A path under a quoted key that sets a whole table (``"cohort.subtype" = {...}``) is left out:
    which of the two wins depends on the order of the keys.
    """
    tables = {k: v for k, v in doc.items() if "." not in k and k not in META_KEYS}
    out = flatten({k: v for k, v in tables.items() if isinstance(v, dict)})
    dotted = {k: v for k, v in doc.items() if "." in k}
    out.update(dotted)
    return {
        k: v
        for k, v in out.items()
        if k in INFOS and not any(k.startswith(q + ".") for q in dotted)
    }


def _load_text(text: str) -> Scenario:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        path.write_text(text, encoding="utf-8")
        return load_scenario(path)


@STABLE
@given(text=sources)
def test_load_returns_a_scenario_or_raises_scenario_error(text):
    try:
        scenario = _load_text(text)
    except ScenarioError as err:
        event("ScenarioError")
        assert err.problems, "a ScenarioError must say what is wrong"
        assert all(p.file and p.message for p in err.problems)
        # one problem per line, whatever the keys held; a screenful, then how many more
        shown = [str(p) for p in err.problems[:MAX_SHOWN_PROBLEMS]]
        more = len(err.problems) - MAX_SHOWN_PROBLEMS
        assert str(err).splitlines() == shown + ([f"... and {more:,} more problems"] if more > 0 else [])
        assert all("\n" not in str(p) for p in err.problems)
        return
    event("loaded")
    assert isinstance(scenario, Scenario)
    assert isinstance(scenario.params, Parameters)
    assert isinstance(scenario.name, str) and isinstance(scenario.description, str)
    resolved = flatten(scenario.resolved())
    assert set(resolved) == set(INFOS)
    for path, value in resolved.items():
        assert not (isinstance(value, float) and not math.isfinite(value)), path
    doc = tomllib.loads(text)
    for path, value in _expected_values(doc).items():
        assert resolved[path] == value, f"{path}: wrote {value!r}, loaded {resolved[path]!r}"
    assert len(scenario.digest()) == 16


def _loads_with_a_real_override(doc: dict[str, Any]) -> bool:
    if doc.get("extends") != "baseline" or not _expected_values(doc):
        return False
    try:
        _load_text(tomli_w.dumps(doc))
    except ScenarioError:
        return False
    return True


def test_generator_produces_loadable_scenarios():
    """The property is not vacuous: the generator does write valid scenarios that change a value."""
    doc = find(
        documents(),
        _loads_with_a_real_override,
        settings=settings(derandomize=True, database=None, max_examples=500),
    )
    assert doc["extends"] == "baseline"
