"""What if: levers from the schema, validation on every change, upload and download of TOML."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.callbacks.results import more_metric, register_results
from dashboard.callbacks.runs import error_message, register_runner
from dashboard.data import (
    UPLOAD_MAX_BYTES,
    Backend,
    InputError,
    build_scenario,
    bundled,
    parameter_catalogue,
    scenario_from_upload,
    scenario_toml,
    scenario_values,
)
from dashboard.jobs import JobManager
from dashboard.layout.whatif import lever_paths

LEVER = {"type": "lever", "path": ALL}


def coerce_levers(values: Sequence[Any], paths: Sequence[str], catalogue: Mapping[str, Any],
                  ) -> tuple[dict[str, Any], list[str]]:
    """Lever values as the schema's types, plus a message for each one that is empty or out of range."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    for path, value in zip(paths, values, strict=True):
        info = catalogue[path]
        label = f"{info.description} ({path})"
        if info.kind in ("bool", "choice"):
            out[path] = bool(value) if info.kind == "bool" else value
            continue
        if value is None or value == "":
            problems.append(f"{label}: enter a number from {info.low:g} to {info.high:g} {info.unit}")
            continue
        number = float(value)
        if info.kind == "int" and not number.is_integer():
            problems.append(f"{label} = {number:g}: must be a whole number of {info.unit}")
            continue
        if (info.low is not None and number < info.low) or (info.high is not None and number > info.high):
            problems.append(f"{label} = {number:g} is outside the allowed range "
                            f"{info.low:g} to {info.high:g} {info.unit}")
            continue
        out[path] = int(number) if info.kind == "int" else number
    return out, problems


def edited_spec(parent: str, uploaded: Mapping[str, Any] | None, overrides: Mapping[str, Any],
                name: str | None = None, description: str | None = None) -> dict[str, Any]:
    """The spec of the edited scenario: the upload (or the parent) with the lever values, named."""
    if uploaded:
        default = uploaded.get("name") or "uploaded"
        base: Any = {"toml": uploaded["toml"], "filename": uploaded.get("filename", "upload.toml")}
    else:
        default, base = parent, parent
    chosen = (name or "").strip() or default
    if chosen == parent:
        chosen = f"{parent} (edited)"
    spec = {"base": base, "overrides": dict(overrides), "name": chosen}
    if (description or "").strip():
        spec["description"] = description.strip()
    return spec


def whatif_request(parent: str, uploaded: Mapping[str, Any] | None, lever_values: Sequence[Any], name: str | None,
                   description: str | None, patients: Any, replications: Any, seed: Any) -> dict[str, Any]:
    """The run request: the parent, then the edited scenario; raises InputError on a bad lever."""
    catalogue = parameter_catalogue()
    overrides, problems = coerce_levers(lever_values, lever_paths(catalogue), catalogue)
    if problems:
        raise InputError("Fix these values first:\n" + "\n".join(problems))
    return {"kind": "experiment",
            "scenarios": [{"base": parent}, edited_spec(parent, uploaded, overrides, name, description)],
            "patients": patients, "replications": replications, "seed": seed}


def changed_levers(parent: str, uploaded: Mapping[str, Any] | None, values: Sequence[Any]) -> dict[str, Any]:
    """The lever values that differ from the parent's (or the upload's): what a link or a save keeps."""
    catalogue = parameter_catalogue()
    paths = lever_paths(catalogue)
    overrides, _ = coerce_levers(values, paths, catalogue)
    base = dict(zip(paths, base_values(parent, uploaded), strict=True))
    return {p: v for p, v in overrides.items() if base.get(p) != v}


def lever_values(parent: str, uploaded: Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> list[Any]:
    """The parent's (or upload's) lever values with ``overrides`` applied, in lever order (unknown paths ignored)."""
    paths = lever_paths(parameter_catalogue())
    return [overrides.get(p, v) for p, v in zip(paths, base_values(parent, uploaded), strict=True)]


def save_scenario(saved: list[dict[str, Any]] | None, name: str | None, description: str | None, parent: str,
                  uploaded: Mapping[str, Any] | None, values: Sequence[Any]) -> tuple[Any, str]:
    """The browser's saved scenarios with this one added (or replaced, same name), and a message."""
    name = (name or "").strip()
    if not name:
        return no_update, "Type a name first: it is how you will find this scenario again."
    entry = {"name": name, "description": (description or "").strip(), "parent": parent,
             "overrides": changed_levers(parent, uploaded, values), "uploaded": dict(uploaded) if uploaded else None}
    kept = [e for e in (saved or []) if e.get("name") != name]
    return [*kept, entry], f"Saved '{name}' in this browser (nowhere else). Pick it from the list to load it again."


def read_upload(contents: str | None, filename: str | None) -> tuple[dict[str, Any] | None, str]:
    """Decode and validate an uploaded scenario: (stored upload or None, message)."""
    if not contents:
        return None, ""
    name = filename or "upload.toml"
    encoded = contents.split(",", 1)[-1]
    if len(encoded) > 4 * (UPLOAD_MAX_BYTES // 3 + 1):  # checked here, whatever the browser allowed
        return None, (f"{name} is larger than {UPLOAD_MAX_BYTES:,} bytes: a scenario file may be at most "
                      f"{UPLOAD_MAX_BYTES // 1000} kB")
    try:
        text = base64.b64decode(encoded).decode("utf-8")
        scenario = scenario_from_upload(text, name)
    except UnicodeDecodeError:
        return None, f"{name}: not a text file (a scenario is a UTF-8 TOML file)"
    except InputError as exc:
        return None, str(exc)
    parent = re.search(r'^extends\s*=\s*"([^"]+)"', text, re.M)
    return ({"toml": text, "filename": name, "name": scenario.name,
             "extends": parent.group(1) if parent else "baseline"},
            f"Loaded {name}: scenario '{scenario.name}'. Its values are in the levers below.")


def base_values(parent: str, uploaded: Mapping[str, Any] | None) -> list[Any]:
    """Lever values of the upload (if any) or the parent, in lever order."""
    scenario = (build_scenario({"base": {"toml": uploaded["toml"], "filename": uploaded["filename"]}})
                if uploaded else bundled(parent))
    values = scenario_values(scenario)
    return [values.get(p) for p in lever_paths(parameter_catalogue())]


def lever_message(parent: str, uploaded: Mapping[str, Any] | None, values: Sequence[Any]) -> Any:
    """What is wrong with the levers right now (empty when the edited scenario is valid)."""
    try:
        request = whatif_request(parent, uploaded, values, None, None, 100, 1, 1)
        build_scenario(request["scenarios"][1])
    except InputError as exc:
        return error_message(str(exc))
    return ""


def toml_download(parent: str, uploaded: Mapping[str, Any] | None, values: Sequence[Any], name: str | None = None,
                  description: str | None = None) -> dict[str, Any]:
    """The edited scenario as a TOML file extending the parent, with its name and description (for dcc.Download)."""
    catalogue = parameter_catalogue()
    overrides, problems = coerce_levers(values, lever_paths(catalogue), catalogue)
    if problems:
        raise InputError("\n".join(problems))
    spec = edited_spec(parent, uploaded, overrides, name, description)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", spec["name"]).strip("-") or "scenario"
    return dcc.send_string(scenario_toml(spec, parent), filename=f"{slug}.toml")


def base_update(trigger: Any, parent: str, contents: str | None, filename: str | None,
                uploaded: dict[str, Any] | None, saved_name: str | None, saved: list[dict[str, Any]] | None,
                linked: Mapping[str, Any] | None, n_levers: int) -> tuple[Any, ...]:
    """(upload, upload message, parent, lever values, name, description, autorun) after what changed."""
    keep = (no_update, no_update)
    if trigger == "whatif-upload":
        stored, message = read_upload(contents, filename)
        if stored is None:
            return no_update, error_message(message), no_update, [no_update] * n_levers, *keep, no_update
        return stored, message, stored["extends"], base_values(stored["extends"], stored), *keep, no_update
    if trigger == "whatif-saved":
        entry = next((e for e in saved or [] if e.get("name") == saved_name), None)
        if entry is None:
            return no_update, no_update, no_update, [no_update] * n_levers, *keep, no_update
        up = entry.get("uploaded")
        return (up, f"Loaded '{entry['name']}' from this browser.", entry["parent"],
                lever_values(entry["parent"], up, entry.get("overrides") or {}), entry["name"],
                entry.get("description", ""), no_update)
    if trigger == "whatif-linked" and linked:
        return (None, "", linked["parent"], lever_values(linked["parent"], None, linked.get("overrides") or {}),
                no_update, no_update, bool(linked.get("run")))
    if trigger == "whatif-parent":
        return None, "", no_update, base_values(parent, None), *keep, no_update
    return no_update, no_update, no_update, base_values(parent, uploaded), *keep, no_update


def register(app: Dash, backend: Backend, jobs: JobManager, poll_ms: int, max_replications: int) -> None:
    """Wire the What-if view."""
    register_runner(app, "whatif", backend, jobs, "experiment", whatif_request,
                    [State("whatif-parent", "value"), State("whatif-uploaded", "data"), State(LEVER, "value"),
                     State("whatif-name", "value"), State("whatif-description", "value")], poll_ms,
                    more=more_metric(backend), autorun=True)
    register_results(app, "whatif", backend, max_replications)

    @app.callback(Output("whatif-uploaded", "data"), Output("whatif-upload-message", "children"),
                  Output("whatif-parent", "value"), Output(LEVER, "value"), Output("whatif-name", "value"),
                  Output("whatif-description", "value"), Output("whatif-autorun", "data"),
                  Input("whatif-parent", "value"), Input("whatif-upload", "contents"),
                  Input("whatif-reset", "n_clicks"), Input("whatif-saved", "value"), Input("whatif-linked", "data"),
                  State("whatif-upload", "filename"), State("whatif-uploaded", "data"),
                  State("saved-scenarios", "data"), prevent_initial_call=True)
    def _base(parent: str, contents: str | None, _reset: int, saved_name: str | None, linked: Any,
              filename: str | None, uploaded: dict[str, Any] | None, saved: list[dict[str, Any]] | None) -> Any:
        return base_update(ctx.triggered_id, parent, contents, filename, uploaded, saved_name, saved, linked,
                           len(ctx.outputs_list[3]))

    @app.callback(Output("whatif-lever-message", "children"), Input(LEVER, "value"),
                  State("whatif-parent", "value"), State("whatif-uploaded", "data"))
    def _check(values: list[Any], parent: str, uploaded: dict[str, Any] | None) -> Any:
        return lever_message(parent, uploaded, values)

    @app.callback(Output("saved-scenarios", "data"), Output("whatif-save-message", "children"),
                  Input("whatif-save", "n_clicks"), State("saved-scenarios", "data"), State("whatif-name", "value"),
                  State("whatif-description", "value"), State("whatif-parent", "value"),
                  State("whatif-uploaded", "data"), State(LEVER, "value"), prevent_initial_call=True)
    def _save(_clicks: int, saved: Any, name: Any, description: Any, parent: str, uploaded: Any,
              values: list[Any]) -> tuple[Any, Any]:
        return save_scenario(saved, name, description, parent, uploaded, values)

    @app.callback(Output("whatif-saved", "options"), Input("saved-scenarios", "data"))
    def _saved_options(saved: list[dict[str, Any]] | None) -> list[dict[str, str]]:
        return [{"label": e["name"], "value": e["name"], "title": e.get("description", "")} for e in saved or []]

    @app.callback(Output("whatif-toml-download", "data"),
                  Output("whatif-lever-message", "children", allow_duplicate=True),
                  Input("whatif-download-toml", "n_clicks"), State("whatif-parent", "value"),
                  State("whatif-uploaded", "data"), State(LEVER, "value"), State("whatif-name", "value"),
                  State("whatif-description", "value"), prevent_initial_call=True)
    def _download(_clicks: int, parent: str, uploaded: dict[str, Any] | None, values: list[Any], name: Any,
                  description: Any) -> Any:
        try:
            return toml_download(parent, uploaded, values, name, description), no_update
        except InputError as exc:
            return no_update, error_message(f"Cannot download: fix these values first:\n{exc}")
