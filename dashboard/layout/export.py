"""View 4, Export (for analysts): the cohort table with filters, and the result files to download."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import dcc, html

from dashboard.layout.common import choice_options, field, grid
from dashboard.tables import COHORT_FILTERS

SOURCES = {"compare": "Compare strategies", "whatif": "What if", "delay": "Delay explorer"}
FILES = [(t, fmt) for t in ("patients", "events", "states", "summary", "resources") for fmt in ("csv", "parquet")]
PAGE_SIZE = 20


def download_id(filename: str) -> str:
    """The id of the button that downloads ``filename``."""
    return "export-file-" + filename.replace(".", "-")


def cohort_columns(dictionary: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """The cohort table's columns: the patients table's, from the data dictionary (meaning on hover)."""
    return [{"field": row["column"], "headerName": row["column"], "headerTooltip": row["meaning"]}
            for row in dictionary if row["table"] == "patients"]


def export_view(dictionary: Sequence[Mapping[str, str]] = ()) -> html.Div:
    """Result picker, cohort filters and table, download buttons, and the column dictionary."""
    filters = [field(col.replace("_", " ").capitalize(),
                     dcc.Dropdown(id=f"export-filter-{col}", multi=True, options=[], placeholder="all",
                                  style={"minWidth": "12em"}))
               for col in COHORT_FILTERS]
    buttons = [html.Button(f"{t}.{fmt}", id=download_id(f"{t}.{fmt}"), n_clicks=0, className="file")
               for t, fmt in FILES]
    buttons.append(html.Button("manifest.json", id=download_id("manifest.json"), n_clicks=0, className="file"))
    return html.Div(className="view", children=[
        html.H2("Export"),
        html.P("The tables behind every chart, one row per patient, event or state, keyed by scenario, "
               "replication and patient_id (the column dictionary is at the bottom of this page). Files are "
               "exactly what `spinesim run --out` writes, with a manifest.json holding the seed, every "
               "parameter and a checksum per file."),
        field("Results from", dcc.RadioItems(id="export-source", value="compare", inline=True,
                           options=choice_options(SOURCES)), wide=True),
        html.Div(id="export-status", className="status", role="status"),
        html.Div(className="fields", children=filters),
        grid("export-table", cohort_columns(dictionary), height="520px", rowModelType="infinite",
             dashGridOptions={"cacheBlockSize": PAGE_SIZE, "maxBlocksInCache": 20, "pagination": True,
                              "paginationPageSize": PAGE_SIZE, "paginationPageSizeSelector": False},
             defaultColDef={"sortable": True, "filter": False, "resizable": True, "minWidth": 90}),
        html.Div(className="buttons", children=[
            html.Button("Download filtered cohort (CSV)", id="export-filtered", n_clicks=0, className="primary")]),
        html.H3("All files of this run"),
        html.Div(className="buttons files", children=buttons),
        dcc.Download(id="export-download"),
        dcc.Store(id="export-refresh"),
        html.Details(className="dictionary", children=[
            html.Summary("Column dictionary: what every exported column means, with its unit"),
            grid("export-dictionary", [{"field": c, "headerName": c.capitalize(), "wrapText": True, "autoHeight": True,
                                        "flex": 3 if c == "meaning" else 1}
                                       for c in ("table", "column", "meaning", "unit", "allowed")],
                 list(dictionary), height="560px", dashGridOptions={"pagination": True, "paginationPageSize": 25}),
        ]),
    ])
