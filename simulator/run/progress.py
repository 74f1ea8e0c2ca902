"""A progress bar on stderr for long runs (units done of total)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Callable ``(done, total)`` that draws ``label [#####.....] done/total unit`` on stderr.

    As a context manager it ends an unfinished line on exit, so that a message after an error or
    Ctrl-C starts on a line of its own.
    """

    def __init__(self, label: str, unit: str = "units", stream: TextIO | None = None, width: int = 30):
        self.label, self.unit, self.width = label, unit, width
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.line_open = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the bar's line if it is unfinished."""
        if self.line_open:
            self.line_open = False
            self.stream.write("\n")
            self.stream.flush()

    def __call__(self, done: int, total: int) -> None:
        """Redraw the bar; finish the line when done."""
        filled = int(self.width * done / total) if total else self.width
        elapsed = time.monotonic() - self.started
        line = f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} {self.unit} " \
               f"({elapsed:.0f} s)"
        self.stream.write(line)
        self.line_open = done < total
        if not self.line_open:
            self.stream.write("\n")
        self.stream.flush()
