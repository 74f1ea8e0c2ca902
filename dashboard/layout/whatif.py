"""View 2, What if: edit the main levers of a scenario (no file editing) and run it beside its parent.

The controls are generated from the parameter schema (``parameter_infos``): label, unit and allowed
range come from the schema, the starting value from the parent scenario, so they cannot drift. The
costs, utilities, discounting and service targets are offered whole, group by group (folded away).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboard.config import DashboardConfig
from dashboard.data import SERVICE_KINDS, UPLOAD_MAX_BYTES
from dashboard.layout.common import field, results_panel, run_controls, scenario_options

# The levers offered, by group (dotted parameter paths; any missing from the schema is skipped).
LEVERS: dict[str, tuple[str, ...]] = {
    "Delays before treatment": (
        "pathway.patient_delay_median_days", "pathway.gp_revisit_median_days",
        "pathway.referral_median_days", "pathway.mri_booking_days", "pathway.decision_days"),
    "Capacity": (*(kind.capacity_parameter for kind in SERVICE_KINDS), "services.mri_slots_per_scanner_day"),
    "Strategy thresholds": (
        "strategy.surgery_escc_min", "strategy.sins_unstable_min",
        "strategy.surgery_min_expected_survival_months", "strategy.surgery_max_ecog",
        "strategy.supportive_max_expected_survival_months"),
    "Pathway policy": ("pathway.fast_track_mri",),
}
#: Value-for-money levers, generated from the schema: every parameter under these prefixes (a path ending in
#: "." is a whole group), in schema order, so a new cost, utility or target appears here by itself.
SCHEMA_LEVERS: dict[str, tuple[str, ...]] = {
    "Costs per event": ("costs.event.",),
    "Costs per day in a state and of capacity": ("costs.state.", "costs.capacity."),
    "Utilities": ("utilities.",),
    "Perspective, discounting and horizon": ("economics.perspective", "economics.discount_costs",
                                             "economics.discount_outcomes", "economics.horizon_years"),
    "Service standards (KPI targets)": ("targets.",),
}
EDITABLE_KINDS = ("float", "int", "bool", "choice")  # a list (the thresholds) is set on the Value tab


def _matches(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path.startswith(p) if p.endswith(".") else path == p for p in prefixes)


def lever_group_paths(catalogue: Mapping[str, Any]) -> dict[str, list[str]]:
    """Every lever group with its paths in display order: the chosen levers, then the schema's groups."""
    groups = {name: [p for p in paths if p in catalogue] for name, paths in LEVERS.items()}
    for name, prefixes in SCHEMA_LEVERS.items():
        groups[name] = [path for path, info in catalogue.items()
                        if _matches(path, prefixes) and info.kind in EDITABLE_KINDS]
    return {name: paths for name, paths in groups.items() if paths}


def lever_paths(catalogue: Mapping[str, Any]) -> list[str]:
    """The lever paths that exist in the schema, in display order."""
    return [p for paths in lever_group_paths(catalogue).values() for p in paths]


def _fmt(x: float | None) -> str:
    return "any" if x is None else f"{x:g}"


def allowed_text(info: Any) -> str:
    """'allowed 0 to 365 days' for a number, the choices for a category, '' for a switch."""
    if info.kind == "choice":
        return "one of " + ", ".join(info.choices)
    if info.kind == "bool":
        return ""
    return f"{info.unit}; allowed {_fmt(info.low)} to {_fmt(info.high)}"


def lever_control(info: Any, value: Any) -> html.Div:
    """One lever: a number box, an on/off switch or a dropdown, labelled from the schema."""
    id_ = {"type": "lever", "path": info.path}
    label = info.description[:1].upper() + info.description[1:]
    if info.kind == "bool":
        control: Any = dcc.RadioItems(id=id_, value=bool(value), inline=True,
                                      options=[{"label": "on", "value": True},
                                               {"label": "off", "value": False}])
    elif info.kind == "choice":
        control = dcc.Dropdown(id=id_, value=value, clearable=False, style={"width": "8em"},
                               options=[{"label": c, "value": c} for c in info.choices])
    else:
        control = dcc.Input(id=id_, type="number", value=value, debounce=False, style={"width": "8em"},
                            step=1 if info.kind == "int" else "any")
    return html.Div(className="field lever", title=f"{info.path}\nsource: {info.source}", children=[
        html.Label(label, htmlFor=None if info.kind in ("bool", "choice") else _dom_id(id_)),
        control,
        html.Small(allowed_text(info), className="help"),
    ])


def _dom_id(id_: dict[str, str]) -> str:
    """The DOM id Dash gives a dict id (sorted keys, compact JSON), so a label can point at its input."""
    return "{" + ",".join(f'"{k}":"{v}"' for k, v in sorted(id_.items())) + "}"


def lever_groups(catalogue: Mapping[str, Any], values: Mapping[str, Any]) -> list[Any]:
    """The lever controls, one fieldset per group; the schema's value-for-money groups fold away."""
    out: list[Any] = []
    for group, paths in lever_group_paths(catalogue).items():
        fieldset = html.Fieldset(className="lever-group", children=[
            html.Legend(group), *[lever_control(catalogue[p], values.get(p)) for p in paths]])
        out.append(html.Details(className="lever-fold", children=[html.Summary(f"{group} ({len(paths)})"),
                                                                   fieldset])
                   if group in SCHEMA_LEVERS else fieldset)
    return out


def whatif_view(config: DashboardConfig, choices: Sequence[tuple[str, str]], catalogue: Mapping[str, Any],
                parent_values: Mapping[str, Any]) -> html.Div:
    """Parent picker, upload, levers, TOML download, run controls and the side-by-side results."""
    names = [n for n, _ in choices]
    return html.Div(className="view", children=[
        html.H2("What if"),
        html.P("Start from a bundled scenario, change the levers below, and run the edited scenario beside "
               "its parent on the same patients. Every value is checked against the model's allowed range "
               "before it runs. Download the edited scenario as a TOML file to run it with "
               "`spinesim run`, or upload one."),
        html.Div(className="fields", children=[
            field("Parent scenario",
                  dcc.Dropdown(id="whatif-parent", value=names[0] if names else None, clearable=False,
                               options=scenario_options(choices), style={"width": "16em"})),
            field("Or upload a scenario file (.toml)",
                  dcc.Upload(id="whatif-upload", className="upload", accept=".toml", max_size=UPLOAD_MAX_BYTES,
                             children=html.Div(["Drop a file here or ", html.A("choose one")]))),
        ]),
        html.Div(id="whatif-upload-message", className="message", role="alert"),
        html.Div(id="whatif-levers", className="levers", children=lever_groups(catalogue, parent_values)),
        html.Div(id="whatif-lever-message", className="message", role="alert"),
        html.Fieldset(className="lever-group saved", children=[
            html.Legend("Name and keep this scenario"),
            html.Div(className="fields", children=[
                field("Name", dcc.Input(id="whatif-name", type="text", value="", placeholder="e.g. two scanners",
                                        maxLength=80, debounce=True)),
                field("Description", dcc.Input(id="whatif-description", type="text", value="", maxLength=300,
                                               placeholder="the question it asks", debounce=True,
                                               className="wide-input")),
                field("Your saved scenarios (in this browser)",
                      dcc.Dropdown(id="whatif-saved", options=[], placeholder="none saved yet",
                                   style={"minWidth": "14em"})),
            ]),
            html.Div(className="buttons", children=[
                html.Button("Save in this browser", id="whatif-save", n_clicks=0),
                html.Button("Reset to parent", id="whatif-reset", n_clicks=0),
                html.Button("Download scenario (TOML)", id="whatif-download-toml", n_clicks=0),
                dcc.Download(id="whatif-toml-download"),
            ]),
            html.Div(id="whatif-save-message", className="status", role="status"),
        ]),
        dcc.Store(id="whatif-uploaded"),
        dcc.Store(id="saved-scenarios", storage_type="local"),  # the user's own, never sent elsewhere
        dcc.Store(id="whatif-autorun"),
        dcc.Store(id="whatif-linked"),  # a shared link's parent and edits, applied once on opening
        run_controls("whatif", config),
        results_panel("whatif"),
    ])
