"""Scenario files: read TOML, resolve ``extends``, apply dotted overrides, validate everything.

A scenario is a name, a one-paragraph description and parameter values. ``extends = "NAME"`` names
another scenario (a bundled name or a path); the child's values override the parent's. Loading
collects *every* problem, each naming the file, the key path, the bad value and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, ValidationError

from simulator.parameters.fields import ParamInfo
from simulator.parameters.schema import Parameters

META_KEYS = ("name", "description", "extends", "uncertainty")
BUNDLED_DIR = Path(os.environ.get("SPINESIM_SCENARIOS", Path(__file__).resolve().parents[2] / "scenarios"))


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
        super().__init__("\n".join(str(p) for p in problems))


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
        data = self.resolved()
        if parent is not None:
            data = _difference(data, parent.resolved())
        doc: dict[str, Any] = {"name": self.name, "description": self.description}
        if extends:
            doc["extends"] = extends
        if self.uncertainty:
            doc["uncertainty"] = self.uncertainty
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
    except RecursionError:
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


def _read_toml(path: Path, ref: str, problems: list[Problem], referrer: Path | None) -> dict[str, Any] | None:
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
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(str(path), "", f"not valid TOML: {exc}"))
    except RecursionError:
        problems.append(Problem(str(path), "", "tables are nested too deeply"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(Problem(str(path), "", f"cannot be read: {exc}"))
    return None


def _read_chain(path: Path, ref: str, problems: list[Problem], seen: tuple[Path, ...],
                referrer: Path | None) -> _Chain:
    """Read a file and its ``extends`` ancestors; return the merged values, chain and provenance."""
    empty = _Chain({}, (), {}, {})
    try:
        key = path.resolve()
    except (OSError, ValueError) as exc:
        problems.append(Problem(str(referrer or path), "extends" if referrer else "", f"= {ref!r}: {exc}"))
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
                  {**{k: f for k, f in parent.origins.items() if k not in origins}, **origins})


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
        problems.extend(_describe(err, origin, origins or {}) for err in exc.errors())
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    return params


def _origin_of(key: str, origins: dict[str, str], default: str) -> str:
    """The file that set ``key`` (or, for a table, the last file that set a value inside it)."""
    if key in origins:
        return origins[key]
    inside = [f for k, f in origins.items() if k.startswith(key + ".")]
    return inside[-1] if inside else default


def _describe(err: dict[str, Any], default_origin: str, origins: dict[str, str]) -> Problem:
    """Turn one pydantic error into a message with the key path, bad value and what is allowed."""
    loc = [str(p) for p in err["loc"] if not str(p).startswith("function-after")]
    key = ".".join(loc)
    kind = err["type"]
    origin = _origin_of(key, origins, default_origin)
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Problem(origin, key, f"= {err.get('input')!r} must be a table of parameters (write [{key}])")
    if kind == "extra_forbidden":
        return Problem(origin, key, _unknown_key_message(key))
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
    shown = "" if isinstance(value, dict) else f" = {value!r}"
    msg = err["msg"].replace("Value error, ", "")
    return Problem(origin, key or "(top level)", f"{shown.strip()} is invalid: {msg}{allowed}".strip())


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


_INFOS: dict[str, ParamInfo] | None = None


def describe_parameter(path: str) -> ParamInfo | None:
    """The schema's entry for one dotted parameter path, or None."""
    global _INFOS
    if _INFOS is None:
        _INFOS = {i.path: i for i in parameter_infos()}
    return _INFOS.get(path)


def _group_keys(prefix: str) -> list[str]:
    """The keys allowed directly under a dotted prefix ('' = top level)."""
    keys = set()
    depth = 0 if not prefix else prefix.count(".") + 1
    for info in parameter_infos():
        parts = info.path.split(".")
        if prefix and not info.path.startswith(prefix + "."):
            continue
        if len(parts) > depth:
            keys.add(parts[depth])
    if not prefix:
        keys.update(META_KEYS)
    return sorted(keys)


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
