"""Write results to a folder: CSV and/or Parquet tables plus ``manifest.json``, atomically.

Everything is first written into a temporary folder beside the target, then renamed into place
file by file; a failure leaves the target folder as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

FORMATS = ("csv", "parquet")


class OutputError(OSError):
    """The output folder cannot be used (not writable, or not empty without overwrite)."""


def check_output_dir(out_dir: Path, overwrite: bool) -> None:
    """Refuse a folder that is not writable, is a file, or holds files (unless ``overwrite``)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir}: is a file, not a folder")
    if out_dir.exists() and any(out_dir.iterdir()) and not overwrite:
        raise OutputError(f"--out {out_dir}: folder is not empty (use --overwrite to replace its spinesim files)")
    probe_dir = out_dir if out_dir.exists() else _existing_parent(out_dir)
    if not probe_dir.is_dir():
        raise OutputError(f"--out {out_dir}: cannot be created ({probe_dir} is a file, not a folder)")
    if not os.access(probe_dir, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out_dir}: folder is not writable ({probe_dir})")


def _existing_parent(path: Path) -> Path:
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path("/")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write one table in the format its suffix names (deterministic bytes)."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, lineterminator="\n")
    else:
        frame.to_parquet(path, index=False, engine="pyarrow", compression="zstd")


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_outputs(tables: dict[str, pd.DataFrame], manifest: dict[str, Any], out_dir: Path,
                  formats: tuple[str, ...] = FORMATS, overwrite: bool = False,
                  texts: dict[str, str] | None = None) -> dict[str, Path]:
    """Write ``tables``, other text files (by name) and a manifest with their checksums; return the paths."""
    out_dir = Path(out_dir)
    check_output_dir(out_dir, overwrite)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".spinesim-", dir=out_dir))
    try:
        written: dict[str, Path] = {}
        for name, frame in tables.items():
            for fmt in formats:
                path = staging / f"{name}.{fmt}"
                write_table(frame, path)
                written[path.name] = path
        for name, text in (texts or {}).items():
            path = staging / name
            path.write_text(text, encoding="utf-8")
            written[name] = path
        full = dict(manifest)
        full["files"] = {name: {"sha256": sha256(path), "bytes": path.stat().st_size}
                         for name, path in sorted(written.items())}
        manifest_path = staging / "manifest.json"
        manifest_path.write_text(json.dumps(full, indent=2, sort_keys=True, default=str) + "\n")
        written["manifest.json"] = manifest_path
        final = {}
        for name, path in written.items():
            target = out_dir / name
            os.replace(path, target)
            final[name] = target
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def export_results(results: Any, out_dir: Path | str, formats: tuple[str, ...] = FORMATS,
                   overwrite: bool = False) -> dict[str, Path]:
    """Export an experiment's tables (patients, events, states, summary, resources) and manifest."""
    return write_outputs(results.tables(), results.manifest, Path(out_dir), formats, overwrite)
