"""Scenario files: read TOML, resolve ``extends``, apply dotted overrides, validate everything.

A scenario is a name, a one-paragraph description and parameter values. ``extends = "NAME"`` names
another scenario (a bundled name or a path); the child's values override the parent's. Loading
collects *every* problem, each naming the file, the key path, the bad value and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from simulator.parameters.fields import ParamInfo
from simulator.parameters.files import UnreadableFile, read_bounded
from simulator.parameters.schema import Parameters

META_KEYS = ("name", "description", "extends", "uncertainty")
MAX_EXTENDS_DEPTH = 32  # files in one extends chain, the scenario itself included
MAX_SHOWN_PROBLEMS = 20  # str(ScenarioError) shows this many problems, then "... and N more"


def _bundled_dir() -> Path:
    """Where the bundled scenarios are: ``$SPINESIM_SCENARIOS``, else the package ``simulator.scenarios``.

    A wheel carries them inside that package; an editable install maps the package to the
    repository's top-level ``scenarios/`` folder (see ``pyproject.toml``). A bare source tree on
    ``sys.path`` without any install has no such package, and reads the top-level folder directly.
    """
    if os.environ.get("SPINESIM_SCENARIOS"):
        return Path(os.environ["SPINESIM_SCENARIOS"])
    try:
        return Path(str(files("simulator.scenarios")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "scenarios"


BUNDLED_DIR = _bundled_dir()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where, what value, and what is allowed."""

    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return _printable(f"{where}: {self.message}")


def _printable(text: str) -> str:
    """One line, whatever the input held (control characters escaped)."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class ScenarioError(ValueError):
    """A scenario could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[:MAX_SHOWN_PROBLEMS]]
        if len(problems) > MAX_SHOWN_PROBLEMS:
            lines.append(f"... and {len(problems) - MAX_SHOWN_PROBLEMS:,} more problems")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Scenario:
    """A validated, frozen description of one what-if: its name, question and parameters."""

    name: str
    description: str
    params: Parameters
    source: str = "<memory>"
    chain: tuple[str, ...] = ()
    uncertainty: dict[str, Any] = field(default_factory=dict)

    def resolved(self) -> dict[str, Any]:
        """The full nested parameter dictionary."""
        return self.params.model_dump(mode="json")

    def digest(self) -> str:
        """A content hash of the resolved parameters (cache key; independent of name and file)."""
        payload = json.dumps({"params": self.resolved(), "uncertainty": self.uncertainty}, sort_keys=True,
                             default=str)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def with_overrides(self, overrides: dict[str, Any], name: str | None = None,
                       description: str | None = None) -> Scenario:
        """A new scenario with dotted-path overrides applied and validated (this one is unchanged)."""
        data = self.resolved()
        problems: list[Problem] = []
        origin = f"overrides of {self.name}"
        _apply_dotted(data, overrides, origin, problems)
        params = _validate(data, origin, problems)
        return Scenario(name=name or self.name, description=description or self.description,
                        params=params, source=origin, chain=self.chain, uncertainty=self.uncertainty)

    def to_toml(self, extends: str | None = None, parent: Scenario | None = None) -> str:
        """The scenario as a TOML file; with ``parent``, only the values that differ are written."""
        data, uncertainty = self.resolved(), dict(self.uncertainty)
        if parent is not None:  # an uncertainty entry is inherited too: only new or changed ones are written
            data = _difference(data, parent.resolved())
            uncertainty = {k: v for k, v in uncertainty.items() if parent.uncertainty.get(k) != v}
        doc: dict[str, Any] = {"name": self.name, "description": self.description}
        if extends:
            doc["extends"] = extends
        if uncertainty:
            doc["uncertainty"] = uncertainty
        doc.update(data)
        return tomli_w.dumps(doc)


# --- reading ------------------------------------------------------------------------------------


def bundled_names() -> list[str]:
    """Names of the scenarios shipped in ``scenarios/``."""
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.toml"))


def list_scenarios() -> list[tuple[str, str]]:
    """(name, description) of every bundled scenario, baseline first."""
    names = sorted(bundled_names(), key=lambda n: (n != "baseline", n))
    return [(n, load_scenario(n).description) for n in names]


def resolve_path(ref: str, relative_to: Path | None = None) -> Path:
    """The file a scenario reference names: a bundled name, or a path (the referrer's folder first)."""
    if ref.endswith(".toml") or os.sep in ref or "/" in ref:
        path = Path(ref)
        if not path.is_absolute() and relative_to is not None:
            beside = relative_to / path
            if _exists(beside) or not _exists(path):
                return beside
        return path
    return BUNDLED_DIR / f"{ref}.toml"


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a NUL byte, a name too long
        return False


@dataclass
class _Chain:
    """What reading a file and its ancestors produced."""

    merged: dict[str, Any]
    names: tuple[str, ...]
    own: dict[str, Any]  # the top file's own keys (its name and description are not inherited)
    origins: dict[str, str]  # dotted parameter path -> the file that set it


def load_scenario(ref: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve and validate a scenario by bundled name or path; raise :class:`ScenarioError`."""
    problems: list[Problem] = []
    ref = str(ref)
    path = resolve_path(ref)
    try:
        chain = _read_chain(path, ref, problems, seen=(), referrer=None)
    except RecursionError:  # extends chains are limited to MAX_EXTENDS_DEPTH: this is a file's own nesting
        raise ScenarioError([Problem(str(path), "", "tables are nested too deeply")]) from None
    if problems:
        raise ScenarioError(problems)
    merged = dict(chain.merged)  # the top file's own dict must keep its name and description
    for key in ("name", "description", "extends"):
        merged.pop(key, None)
    name = chain.own.get("name", path.stem)
    description = chain.own.get("description", "")
    uncertainty = merged.pop("uncertainty", {})
    if not isinstance(name, str):
        problems.append(Problem(str(path), "name", f"= {name!r} must be a string"))
    if not isinstance(description, str):
        problems.append(Problem(str(path), "description", "must be a string"))
    if not isinstance(uncertainty, dict):
        problems.append(Problem(chain.origins.get("uncertainty", str(path)), "uncertainty",
                                "must be a table of parameter paths"))
        uncertainty = {}
    if overrides:
        _apply_dotted(merged, overrides, f"overrides of {path}", problems)
    params = _validate(merged, str(path), problems, chain.origins)
    return Scenario(name=str(name), description=" ".join(str(description).split()), params=params,
                    source=_source_label(path), chain=chain.names, uncertainty=dict(uncertainty))


def _source_label(path: Path) -> str:
    """'bundled:NAME' for shipped scenarios (machine-independent), else the path as given."""
    try:
        path.resolve().relative_to(BUNDLED_DIR.resolve())
        return f"bundled:{path.stem}"
    except (ValueError, OSError):
        return str(path)


def _cannot_read(path: Path, ref: str, referrer: Path | None, message: str) -> Problem:
    """A file that cannot be used, blamed on the ``extends`` that named it if there is one."""
    if referrer is None:
        return Problem(str(path), "", message)
    return Problem(str(referrer), "extends", f"= {ref!r}: {path} {message}")


def _read_toml(path: Path, ref: str, problems: list[Problem], referrer: Path | None) -> dict[str, Any] | None:
    def problem(message: str) -> None:
        problems.append(_cannot_read(path, ref, referrer, message))

    if not _exists(path):
        hint = ""
        if not (ref.endswith(".toml") or "/" in ref):
            close = difflib.get_close_matches(ref, bundled_names(), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; bundled: {', '.join(bundled_names())}"
        if referrer is None:
            problems.append(Problem(str(path), "", f"no scenario '{ref}' (file not found){hint}"))
        else:
            problems.append(Problem(str(referrer), "extends", f"= {ref!r}: no such scenario (looked for {path}){hint}"))
        return None
    try:
        text = read_bounded(path).decode("utf-8")
    except UnreadableFile as exc:
        problem(str(exc))
        return None
    except OSError as exc:
        problem(f"cannot be read: {exc.strerror or exc}")
        return None
    except UnicodeDecodeError:
        problem("cannot be read: it is not UTF-8 text")
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except RecursionError:
        problems.append(Problem(str(path), "", "tables are nested too deeply"))
    return None


def _read_chain(path: Path, ref: str, problems: list[Problem], seen: tuple[Path, ...],
                referrer: Path | None) -> _Chain:
    """Read a file and its ``extends`` ancestors; return the merged values, chain and provenance."""
    empty = _Chain({}, (), {}, {})
    try:
        key = path.resolve()
    except RuntimeError:  # pathlib's "Symlink loop from ..."
        problems.append(_cannot_read(path, ref, referrer, "is a loop of symbolic links"))
        return empty
    except (OSError, ValueError) as exc:
        problems.append(Problem(str(referrer or path), "extends" if referrer else "", f"= {ref!r}: {exc}"))
        return empty
    if len(seen) >= MAX_EXTENDS_DEPTH:
        problems.append(Problem(str(seen[0]), "extends", f"the chain {seen[0].name} -> {seen[1].name} -> ... -> "
                                f"{path.name} is longer than {MAX_EXTENDS_DEPTH} files (the limit for extends)"))
        return empty
    if key in seen:
        cycle = " -> ".join(p.stem for p in (*seen, key))
        problems.append(Problem(str(path), "extends", f"circular extends: {cycle}"))
        return empty
    data = _read_toml(path, ref, problems, referrer)
    if data is None:
        return empty
    data = _expand_dotted_keys(data, str(path), problems)
    origins = {k: str(path) for k in flatten({k: v for k, v in data.items() if k not in META_KEYS[:3]})}
    own_name = data.get("name", path.stem)
    parent_ref = data.get("extends")
    if parent_ref is None:
        return _Chain(data, (str(own_name),), data, origins)
    if not isinstance(parent_ref, str):
        problems.append(Problem(str(path), "extends", f"= {parent_ref!r} must be a scenario name or path"))
        return _Chain(data, (), data, origins)
    parent = _read_chain(resolve_path(parent_ref, relative_to=path.parent), parent_ref, problems,
                         (*seen, key), referrer=path)
    return _Chain(_deep_merge(parent.merged, data), (*parent.names, str(own_name)), data,
                  _merge_origins(parent.origins, origins))


def _merge_origins(parent: dict[str, str], child: dict[str, str]) -> dict[str, str]:
    """Provenance after a child file overrides its parent: the child owns every path it sets.

    A child that writes a table where the parent had a value (``mri_scanners = { a = 1 }``) owns
    that path, and a child value where the parent had a table owns everything below it.
    """
    owned = {prefix for key in child for prefix in _prefixes(key)}
    kept = {k: f for k, f in parent.items()
            if k not in owned and not any(p in child for p in _prefixes(k))}
    return {**kept, **child}


def _prefixes(key: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``."""
    parts = key.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _expand_dotted_keys(data: dict[str, Any], origin: str, problems: list[Problem]) -> dict[str, Any]:
    """Turn quoted keys such as ``"services.mri_scanners" = 2`` into nested tables, at every level."""
    plain = {k: (_expand_dotted_keys(v, origin, problems) if isinstance(v, dict) and k != "uncertainty" else v)
             for k, v in data.items() if "." not in k}
    dotted = {k: v for k, v in data.items() if "." in k}
    _apply_dotted(plain, dotted, origin, problems, create=True)
    return plain


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in top.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "uncertainty":
            out[k] = _deep_merge(out[k], v)
        elif k == "uncertainty" and isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = {**out[k], **v}
        else:
            out[k] = copy.deepcopy(v)
    return out


def _apply_dotted(data: dict[str, Any], overrides: dict[str, Any], origin: str,
                  problems: list[Problem], create: bool = False) -> None:
    """Set ``a.b.c = value`` paths in a nested dict; unknown paths become problems."""
    for path, value in overrides.items():
        parts = str(path).split(".")
        node = data
        for depth, part in enumerate(parts[:-1]):
            nxt = node.get(part)
            if nxt is None and create:
                nxt = node.setdefault(part, {})
            if not isinstance(nxt, dict):
                problems.append(Problem(origin, path, _unknown_key_message(".".join(parts[: depth + 1]))))
                break
            node = nxt
        else:
            if not create and parts[-1] not in node:
                problems.append(Problem(origin, path, _unknown_key_message(path)))
                continue
            node[parts[-1]] = value


# --- validation ---------------------------------------------------------------------------------


def _validate(data: dict[str, Any], origin: str, problems: list[Problem],
              origins: dict[str, str] | None = None) -> Parameters:
    for k in [k for k in data if k in META_KEYS]:
        data.pop(k)
    try:
        params = Parameters.model_validate(data)
    except ValidationError as exc:
        index = _origin_index(origins or {})
        # "did you mean" costs a fuzzy match per key: only for the problems a screen shows
        problems.extend(_describe(err, origin, index, hint=len(problems) + i < MAX_SHOWN_PROBLEMS)
                        for i, err in enumerate(exc.errors()))
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    return params


def _origin_index(origins: dict[str, str]) -> dict[str, str]:
    """Dotted path -> the file that set it or, for a table, the last file that set a value inside it."""
    index: dict[str, str] = {}
    for key, file in origins.items():
        for prefix in _prefixes(key)[:-1]:
            index[prefix] = file
    index.update(origins)
    return index


def _describe(err: dict[str, Any], default_origin: str, origins: dict[str, str], hint: bool = True) -> Problem:
    """Turn one pydantic error into a message with the key path, bad value and what is allowed."""
    loc = [str(p) for p in err["loc"] if not str(p).startswith("function-after")]
    key = ".".join(loc)
    kind = err["type"]
    origin = origins.get(key, default_origin)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(origin, key, f"= {err.get('input')!r} must be a table of parameters (write [{key}])")
    if kind == "extra_forbidden":
        return Problem(origin, key, _unknown_key_message(key) if hint else f"unknown key '{key.rpartition('.')[2]}'")
    if kind == "missing":
        return Problem(origin, key, "is missing (every parameter needs a value; extend 'baseline' to inherit them)")
    info = describe_parameter(key)
    allowed = ""
    if info is not None:
        if info.choices:
            allowed = f" (allowed: {', '.join(info.choices)})"
        elif info.low is not None or info.high is not None:
            allowed = f" (allowed: {_fmt(info.low)} to {_fmt(info.high)} {info.unit})"
        elif info.kind == "bool":
            allowed = " (allowed: true or false)"
    value = err.get("input")
    is_group = isinstance(value, dict) and info is None  # a group's own check (shares summing to 1)
    shown = "" if is_group else f"= {_shown(value)} "
    msg = err["msg"].replace("Value error, ", "")
    return Problem(origin, key or "(top level)", f"{shown}is invalid: {msg}{allowed}".strip())


MAX_SHOWN_VALUE = 80  # characters of a bad value shown in a message


def _shown(value: Any) -> str:
    """A value as the file wrote it (tables in TOML's inline form), cut to :data:`MAX_SHOWN_VALUE`."""
    if isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {_shown(v)}" for k, v in value.items()) + " }"
    else:
        text = repr(value)
    return text if len(text) <= MAX_SHOWN_VALUE else text[:MAX_SHOWN_VALUE - 3] + "..."


def _fmt(x: float | None) -> str:
    if x is None:
        return "any"
    return f"{x:g}"


# --- the schema, read as data -------------------------------------------------------------------


def parameter_infos(model: type[BaseModel] = Parameters, prefix: str = "") -> list[ParamInfo]:
    """Every leaf parameter of the schema with its unit, ranges and source, in schema order."""
    out: list[ParamInfo] = []
    for name, fld in model.model_fields.items():
        path = f"{prefix}{name}"
        ann = fld.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.extend(parameter_infos(ann, path + "."))
            continue
        extra = fld.json_schema_extra if isinstance(fld.json_schema_extra, dict) else {}
        low = high = None
        for meta in fld.metadata:
            low = getattr(meta, "ge", low)
            high = getattr(meta, "le", high)
        is_list = getattr(ann, "__origin__", None) is list
        if is_list:
            low, high = extra.get("item_low"), extra.get("item_high")
        choices = tuple(getattr(ann, "__args__", ())) if getattr(ann, "__origin__", None) is not None and not is_list \
            else ()
        kind = ("list" if is_list else "bool" if ann is bool else "int" if ann is int else "choice" if choices
                else "float")
        plausible = extra.get("plausible")
        out.append(ParamInfo(
            path=path, unit=str(extra.get("unit", "")), low=low, high=high,
            plausible=tuple(plausible) if plausible else ((low, high) if low is not None and high is not None
                                                           and kind in ("int", "float") else None),
            source=str(extra.get("source", "")), description=fld.description or "", kind=kind,
            choices=tuple(str(c) for c in choices)))
    return out


@functools.cache
def _infos_by_path() -> dict[str, ParamInfo]:
    return {i.path: i for i in parameter_infos()}


def describe_parameter(path: str) -> ParamInfo | None:
    """The schema's entry for one dotted parameter path, or None."""
    return _infos_by_path().get(path)


@functools.lru_cache(maxsize=256)
def _group_keys(prefix: str) -> tuple[str, ...]:
    """The keys allowed directly under a dotted prefix ('' = top level)."""
    keys = set()
    depth = 0 if not prefix else prefix.count(".") + 1
    for info in _infos_by_path().values():
        parts = info.path.split(".")
        if prefix and not info.path.startswith(prefix + "."):
            continue
        if len(parts) > depth:
            keys.add(parts[depth])
    if not prefix:
        keys.update(META_KEYS)
    return tuple(sorted(keys))


def _unknown_key_message(key: str) -> str:
    parent, _, leaf = key.rpartition(".")
    allowed = _group_keys(parent)
    if leaf in allowed:
        return f"'{key}' is not a parameter path ('{parent}' is not a table here)"
    close = difflib.get_close_matches(leaf, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed here: {', '.join(allowed)}"
    return f"unknown key '{leaf}'{hint}"


def _difference(data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            sub = _difference(v, base[k])
            if sub:
                out[k] = sub
        elif base.get(k) != v:
            out[k] = v
    return out


def parameter_table(scenario: Scenario) -> list[dict[str, Any]]:
    """Rows of (path, value, unit, allowed range, plausible range, source) for ``spinesim show``."""
    flat = flatten(scenario.resolved())
    rows = []
    for info in parameter_infos():
        rows.append({
            "path": info.path, "value": flat.get(info.path), "unit": info.unit,
            "allowed": ", ".join(info.choices) if info.choices else
            ("true/false" if info.kind == "bool" else f"{_fmt(info.low)} to {_fmt(info.high)}"),
            "plausible": (f"{info.plausible[0]:g} to {info.plausible[1]:g}" if info.plausible else ""),
            "source": info.source, "description": info.description,
        })
    return rows


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dict to ``{"a.b.c": value}``."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, path + "."))
        else:
            out[path] = v
    return out
