"""Export: the cohort table (filtered, sorted, paged on the server) and the files to download."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, no_update

from dashboard.data import EXPORT_FILES, Backend, InputError
from dashboard.layout.export import PAGE_SIZE, SOURCES, download_id
from dashboard.tables import COHORT_FILTERS, cohort_page, filter_cohort, filter_options

RESULT_STORES = [State(f"{p}-result", "data") for p in SOURCES]  # keys in SOURCES order
FILTERS = [Input(f"export-filter-{c}", "value") for c in COHORT_FILTERS]


def chosen_key(source: str, keys: Sequence[str | None]) -> str | None:
    """The result key of the chosen view (keys in SOURCES order)."""
    return dict(zip(SOURCES, keys, strict=True)).get(source)


def cohort_view(backend: Backend, key: str | None, filters: Mapping[str, Sequence[str] | None],
                sort_by: Sequence[Mapping[str, str]] | None, page: int) -> tuple[list[dict[str, Any]], int, str]:
    """(rows of the page, page count, status line) of the filtered cohort."""
    results = backend.results(key)
    if results is None:
        return [], 1, "No results yet in this view: run it first."
    rows, pages, total = cohort_page(results.patients, filters, sort_by, page, PAGE_SIZE)
    return rows, pages, cohort_status(results, total)


def cohort_status(results: Any, total: int) -> str:
    """'123 of 1200 patient rows match. Run: ...'."""
    scenarios = ", ".join(s.name for s in results.scenarios)
    m = results.manifest
    return (f"{total} of {len(results.patients)} patient rows match. Run: {scenarios}; "
            f"{m.get('patients')} patients x {m.get('replications')} replications, seed {m.get('seed')}.")


def rows_response(backend: Backend, key: str | None, filters: Mapping[str, Sequence[str] | None],
                  request: Mapping[str, Any] | None) -> dict[str, Any]:
    """AG Grid's infinite-model answer: the requested block of the filtered, sorted cohort and the row count."""
    request = request or {}
    start, end = int(request.get("startRow", 0)), int(request.get("endRow", PAGE_SIZE))
    results = backend.results(key)
    if results is None:
        return {"rowData": [], "rowCount": 0}
    size = max(1, min(end - start, 500))
    sort_by = [{"column_id": m["colId"], "direction": m.get("sort", "asc")} for m in request.get("sortModel") or []]
    rows, _, total = cohort_page(results.patients, filters, sort_by, start // size, size)
    return {"rowData": rows, "rowCount": total}


def download(backend: Backend, key: str | None, filename: str) -> dict[str, Any]:
    """A whole exported file of the result (for dcc.Download); raises InputError without results."""
    if backend.results(key) is None:
        raise InputError("No results yet in this view: run it first.")
    return dcc.send_bytes(backend.export_file(str(key), filename), filename=filename)


def filtered_csv(backend: Backend, key: str | None, filters: Mapping[str, Sequence[str] | None]) -> dict[str, Any]:
    """The filtered cohort (every patient column) as CSV (for dcc.Download)."""
    results = backend.results(key)
    if results is None:
        raise InputError("No results yet in this view: run it first.")
    frame = filter_cohort(results.patients, filters)
    return dcc.send_data_frame(frame.to_csv, "patients-filtered.csv", index=False)


def register(app: Dash, backend: Backend) -> None:
    """Wire the Export view."""
    @app.callback(*[Output(f"export-filter-{c}", "options") for c in COHORT_FILTERS],
                  Input("export-source", "value"), Input("tab", "data"), *RESULT_STORES)
    def _options(source: str, _tab: str, *keys: str | None) -> tuple[Any, ...]:
        results = backend.results(chosen_key(source, keys))
        options = filter_options(results.patients) if results is not None else {}
        return tuple(options.get(c, []) for c in COHORT_FILTERS)

    @app.callback(Output("export-table", "getRowsResponse"), Output("export-status", "children"),
                  Input("export-table", "getRowsRequest"), State("export-source", "value"),
                  *[State(f"export-filter-{c}", "value") for c in COHORT_FILTERS], *RESULT_STORES)
    def _rows(request: dict[str, Any] | None, source: str, *args: Any) -> tuple[Any, Any]:
        filters = dict(zip(COHORT_FILTERS, args[:len(COHORT_FILTERS)], strict=True))
        key = chosen_key(source, args[len(COHORT_FILTERS):])
        response = rows_response(backend, key, filters, request)
        results = backend.results(key)
        status = cohort_status(results, response["rowCount"]) if results is not None else \
            "No results yet in this view: run it first."
        return response, status

    app.clientside_callback(  # new filters or results: AG Grid asks again for its rows
        # getApi throws (a console error) while the grid is not drawn yet; it asks for its rows when it is
        """function() { try { dash_ag_grid.getApi('export-table').purgeInfiniteCache(); } catch (e) { }
                        return window.dash_clientside.no_update; }""",
        Output("export-refresh", "data"), Input("export-source", "value"), Input("tab", "data"), *FILTERS,
        *[Input(f"{p}-result", "data") for p in SOURCES], prevent_initial_call=True)

    buttons = {download_id(f): f for f in EXPORT_FILES}

    @app.callback(Output("export-download", "data"), Output("export-status", "children", allow_duplicate=True),
                  *[Input(b, "n_clicks") for b in buttons], Input("export-filtered", "n_clicks"),
                  State("export-source", "value"), *[State(f"export-filter-{c}", "value") for c in COHORT_FILTERS],
                  *RESULT_STORES, prevent_initial_call=True)
    def _download(*args: Any) -> tuple[Any, Any]:
        source = args[len(buttons) + 1]
        rest = args[len(buttons) + 2:]
        filters = dict(zip(COHORT_FILTERS, rest[:len(COHORT_FILTERS)], strict=True))
        key = chosen_key(source, rest[len(COHORT_FILTERS):])
        try:
            if ctx.triggered_id == "export-filtered":
                return filtered_csv(backend, key, filters), no_update
            return download(backend, key, buttons[str(ctx.triggered_id)]), no_update
        except InputError as exc:
            return no_update, str(exc)
