"""Write results to a folder: CSV and/or Parquet tables plus ``manifest.json``, in one step.

The tables are written into a staging folder and swapped in by
:func:`simulator.output.folder.staged_output`, so a reader of the folder sees the previous
complete output or the new complete one, however the process ends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from simulator.output.folder import Committed, staged_output

FORMATS = ("csv", "parquet")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table in the format its suffix names (deterministic bytes)."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, lineterminator="\n")
    else:
        frame.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def write_outputs(tables: dict[str, pd.DataFrame], manifest: dict[str, Any], out_dir: Path,
                  formats: tuple[str, ...] = FORMATS, overwrite: bool = False,
                  texts: dict[str, str] | None = None) -> Committed:
    """Write ``tables``, other text files (by name) and a manifest with their checksums; return the paths."""
    with staged_output(out_dir, overwrite) as staging:
        for name, frame in tables.items():
            for fmt in formats:
                write_table(frame, staging.path / f"{name}.{fmt}")
        for name, text in (texts or {}).items():
            (staging.path / name).write_text(text, encoding="utf-8")
        return staging.commit(manifest)


def export_results(results: Any, out_dir: Path | str, formats: tuple[str, ...] = FORMATS,
                   overwrite: bool = False) -> Committed:
    """Export an experiment's tables (patients, events, states, summary, resources) and manifest."""
    return write_outputs(results.tables(), results.manifest, Path(out_dir), formats, overwrite)
