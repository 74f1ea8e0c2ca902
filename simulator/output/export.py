"""Write results to a folder: CSV and/or Parquet tables plus ``manifest.json``, in one step.

The tables are written into a staging folder and swapped in by
:func:`simulator.output.folder.staged_output`, so a reader of the folder sees the previous
complete output or the new complete one, however the process ends.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from simulator.output.folder import Committed, staged_output

FORMATS = ("csv", "parquet")
#: the tables with a row per patient (or per event or state), written block by block as parts
PATIENT_TABLES = ("patients", "events", "states", "trajectories", "costs")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table in the format its suffix names (deterministic bytes)."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, lineterminator="\n")
    else:
        frame.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def write_part(frame: pd.DataFrame, folder: Path, table: str, number: int, formats: tuple[str, ...]) -> None:
    """Write one block of ``table`` as part ``number`` in each format (joined by :func:`join_parts`)."""
    folder.mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        write_table(frame, part_path(folder, table, number, fmt))


def part_path(folder: Path, table: str, number: int, fmt: str) -> Path:
    """Where part ``number`` of ``table`` is written."""
    return folder / f"{table}-{number:06d}.{fmt}"


def join_parts(parts: list[Path], target: Path) -> None:
    """One file from the parts of a table, in order, deleting each part once copied.

    CSV parts are appended without their header line; Parquet parts become the file's row groups
    (one part in memory at a time).
    """
    if target.suffix == ".csv":
        with target.open("wb") as out:
            for k, part in enumerate(parts):
                with part.open("rb") as source:
                    header = source.readline()
                    if k == 0:
                        out.write(header)
                    shutil.copyfileobj(source, out, 1 << 20)
                part.unlink()
        return
    writer = None
    try:
        for part in parts:
            table = pq.read_table(part)
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema, compression="zstd")
            writer.write_table(table if table.schema == writer.schema else table.cast(writer.schema))
            part.unlink()
    finally:
        if writer is not None:
            writer.close()


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
