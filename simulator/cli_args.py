"""Argument types for the CLI: each refuses bad input with the option, the value and the range."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def bounded_int(option: str, low: int, high: int) -> Callable[[str], int]:
    """An integer option within [low, high]."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} = {text!r} is not a whole number "
                                             f"(allowed: {low:,} to {high:,})") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{option} = {value:,} is outside {low:,} to {high:,}")
        return value
    parse.__name__ = option
    return parse


def bounded_float(option: str, low: float, high: float) -> Callable[[str], float]:
    """A finite number option within [low, high]."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} = {text!r} is not a number "
                                             f"(allowed: {low:g} to {high:g})") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{option} = {text} is outside {low:g} to {high:g}")
        return value
    parse.__name__ = option
    return parse


def format_choice(text: str) -> str:
    """``--format``: csv, parquet or both."""
    if text not in ("csv", "parquet", "both"):
        raise argparse.ArgumentTypeError(f"--format = {text!r} is not one of csv, parquet, both")
    return text


def outputs_option(parser: argparse.ArgumentParser) -> None:
    """The ``--out DIR`` option (required)."""
    parser.add_argument("--out", required=True, help="output folder (must be empty unless --overwrite)")
