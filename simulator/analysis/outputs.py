"""An analysis's result and how it is written: CSV tables, a self-contained HTML chart, manifest.json.

Writing is :func:`simulator.output.export.write_outputs`: everything is staged in a folder beside
the target and swapped in as one step, so a failure leaves the target folder as it was.
The chart has a fixed element id, so the same inputs give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from simulator.output.export import write_outputs
from simulator.output.folder import Committed

CHART_DIV_ID = "spinesim-chart"
DECIMALS = 6  # tables are rounded as the experiment summary is


@dataclass
class AnalysisResult:
    """Tables (tidy, by name), one chart and the manifest of one analysis."""

    kind: str  # "sweep", "tornado", "psa", "capacity"
    tables: dict[str, pd.DataFrame]
    figure: go.Figure
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # lines for the terminal
    files: dict[str, str] = field(default_factory=dict)  # other text files by name (e.g. fitted.toml)

    @property
    def table(self) -> pd.DataFrame:
        """The main table (named after the analysis)."""
        return self.tables[self.kind]

    def write(self, out_dir: Path | str, overwrite: bool = False) -> Committed:
        """Write ``KIND.csv`` (and any other tables and files), ``KIND.html`` and ``manifest.json``."""
        return write_analysis(self, Path(out_dir), overwrite)


def figure_html(figure: go.Figure) -> str:
    """A self-contained HTML page (plotly.js inlined: opens offline) with deterministic bytes."""
    return figure.to_html(include_plotlyjs=True, full_html=True, div_id=CHART_DIV_ID)


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Float columns rounded to :data:`DECIMALS` places."""
    out = frame.copy()
    floats = [c for c in out.columns if pd.api.types.is_float_dtype(out[c])]
    out[floats] = out[floats].round(DECIMALS)
    return out


def write_analysis(result: AnalysisResult, out_dir: Path, overwrite: bool = False) -> Committed:
    """Write the tables as CSV, the chart as HTML and any other files, atomically, with the manifest."""
    texts = {f"{result.kind}.html": figure_html(result.figure), **result.files}
    tables = {name: rounded(frame) for name, frame in result.tables.items()}
    return write_outputs(tables, result.manifest, out_dir, formats=("csv",), overwrite=overwrite, texts=texts)
