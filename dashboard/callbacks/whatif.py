"""What if: levers from the schema, validation on every change, upload and download of TOML."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.callbacks.results import register_results
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


def edited_spec(parent: str, uploaded: Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The spec of the edited scenario: the upload (or the parent) with the lever values."""
    if uploaded:
        name = uploaded.get("name") or "uploaded"
        base: Any = {"toml": uploaded["toml"], "filename": uploaded.get("filename", "upload.toml")}
    else:
        name, base = parent, parent
    if name == parent:
        name = f"{parent} (edited)"
    return {"base": base, "overrides": dict(overrides), "name": name}


def whatif_request(parent: str, uploaded: Mapping[str, Any] | None, lever_values: Sequence[Any],
                   patients: Any, replications: Any, seed: Any) -> dict[str, Any]:
    """The run request: the parent, then the edited scenario; raises InputError on a bad lever."""
    catalogue = parameter_catalogue()
    overrides, problems = coerce_levers(lever_values, lever_paths(catalogue), catalogue)
    if problems:
        raise InputError("Fix these values first:\n" + "\n".join(problems))
    return {"kind": "experiment", "scenarios": [{"base": parent}, edited_spec(parent, uploaded, overrides)],
            "patients": patients, "replications": replications, "seed": seed}


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
        request = whatif_request(parent, uploaded, values, 100, 1, 1)
        build_scenario(request["scenarios"][1])
    except InputError as exc:
        return error_message(str(exc))
    return ""


def toml_download(parent: str, uploaded: Mapping[str, Any] | None, values: Sequence[Any]) -> dict[str, Any]:
    """The edited scenario as a TOML file extending the parent (for dcc.Download)."""
    catalogue = parameter_catalogue()
    overrides, problems = coerce_levers(values, lever_paths(catalogue), catalogue)
    if problems:
        raise InputError("\n".join(problems))
    spec = edited_spec(parent, uploaded, overrides)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", spec["name"]).strip("-") or "scenario"
    return dcc.send_string(scenario_toml(spec, parent), filename=f"{slug}.toml")


def register(app: Dash, backend: Backend, jobs: JobManager, poll_ms: int) -> None:
    """Wire the What-if view."""
    register_runner(app, "whatif", backend, jobs, "experiment", whatif_request,
                    [State("whatif-parent", "value"), State("whatif-uploaded", "data"), State(LEVER, "value")],
                    poll_ms)
    register_results(app, "whatif", backend)

    @app.callback(Output("whatif-uploaded", "data"), Output("whatif-upload-message", "children"),
                  Output("whatif-parent", "value"), Output(LEVER, "value"),
                  Input("whatif-parent", "value"), Input("whatif-upload", "contents"),
                  Input("whatif-reset", "n_clicks"), State("whatif-upload", "filename"),
                  State("whatif-uploaded", "data"), prevent_initial_call=True)
    def _base(parent: str, contents: str | None, _reset: int, filename: str | None,
              uploaded: dict[str, Any] | None) -> tuple[Any, ...]:
        if ctx.triggered_id == "whatif-upload":
            stored, message = read_upload(contents, filename)
            if stored is None:
                return no_update, error_message(message), no_update, [no_update] * len(ctx.outputs_list[3])
            return stored, message, stored["extends"], base_values(stored["extends"], stored)
        if ctx.triggered_id == "whatif-parent":
            return None, "", no_update, base_values(parent, None)
        return no_update, no_update, no_update, base_values(parent, uploaded)

    @app.callback(Output("whatif-lever-message", "children"), Input(LEVER, "value"),
                  State("whatif-parent", "value"), State("whatif-uploaded", "data"))
    def _check(values: list[Any], parent: str, uploaded: dict[str, Any] | None) -> Any:
        return lever_message(parent, uploaded, values)

    @app.callback(Output("whatif-toml-download", "data"),
                  Output("whatif-lever-message", "children", allow_duplicate=True),
                  Input("whatif-download-toml", "n_clicks"), State("whatif-parent", "value"),
                  State("whatif-uploaded", "data"), State(LEVER, "value"), prevent_initial_call=True)
    def _download(_clicks: int, parent: str, uploaded: dict[str, Any] | None, values: list[Any]) -> Any:
        try:
            return toml_download(parent, uploaded, values), no_update
        except InputError as exc:
            return no_update, error_message(f"Cannot download: fix these values first:\n{exc}")
