"""One output file written in one step: a reader sees the previous file or the new one, never half of it.

The text is written to a hidden file beside the target (``.NAME.spinesim-staging-*``), flushed to
disk, then renamed over the target (``os.replace``) or, without ``overwrite``, linked to it (which
fails if a file appeared there meanwhile, so nothing is ever clobbered). A failure removes the
staged file and leaves the target as it was.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from simulator.output.folder import STAGING_TAG, OutputError


def check_output_file(path: Path | str, overwrite: bool, option: str = "--out",
                      suffixes: Sequence[str] = (".html",)) -> Path:
    """Refuse another suffix, a folder, an existing file (unless ``overwrite``) or a folder that cannot be written."""
    target = Path(path)
    if not str(path).strip():
        raise OutputError(f"{option} is empty: name an output file")
    if target.suffix.lower() not in suffixes:
        raise OutputError(f"{option} {path}: name a {' or '.join(suffixes)} file (the report is one HTML page)")
    if target.is_dir():
        raise OutputError(f"{option} {path}: is a folder, not a file")
    if target.exists() and not overwrite:
        raise OutputError(f"{option} {path}: file exists (use --overwrite to replace it)")
    folder = target.absolute().parent
    if not folder.is_dir():
        raise OutputError(f"{option} {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {path}: folder is not writable ({folder})")
    return target


def write_text_file(path: Path | str, text: str, overwrite: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` in one step; return the path."""
    target = Path(path)
    staged = target.with_name(f".{target.name}.{STAGING_TAG}-{secrets.token_hex(4)}")
    try:
        with staged.open("x", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(staged, target)
        else:
            try:
                os.link(staged, target)
            except FileExistsError:
                raise OutputError(f"--out {path}: file exists (use --overwrite to replace it)") from None
            except OSError:  # a file system without hard links: check, then rename
                if target.exists():
                    raise OutputError(f"--out {path}: file exists (use --overwrite to replace it)") from None
                os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return target
