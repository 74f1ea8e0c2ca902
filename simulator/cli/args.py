"""Argument types for the CLI: each refuses bad input with the option, the value and the range."""

from __future__ import annotations

import argparse
import ipaddress
import math
import re
from collections.abc import Callable
from typing import Any

_HOST_NAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _bounded(option: str, low: float, high: float, cast: Callable[[str], float], kind: str,
             show: Callable[[float], str]) -> Callable[[str], Any]:
    """An option parsed by ``cast`` and kept within [low, high]; messages name the option and the range."""
    allowed = f"{show(low)} to {show(high)}"

    def parse(text: str) -> Any:
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{option} = {text!r} is not {kind} (allowed: {allowed})") from None
        if not math.isfinite(value) or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{option} = {text} is outside {allowed}")
        return value
    parse.__name__ = option
    return parse


def bounded_int(option: str, low: int, high: int) -> Callable[[str], int]:
    """A whole-number option within [low, high]."""
    return _bounded(option, low, high, int, "a whole number", lambda x: f"{x:,}")


def bounded_float(option: str, low: float, high: float) -> Callable[[str], float]:
    """A finite number option within [low, high]."""
    return _bounded(option, low, high, float, "a number", lambda x: f"{x:g}")


def format_choice(text: str) -> str:
    """``--format``: csv, parquet or both."""
    if text not in ("csv", "parquet", "both"):
        raise argparse.ArgumentTypeError(f"--format = {text!r} is not one of csv, parquet, both")
    return text


def output_folder(option: str) -> Callable[[str], str]:
    """A folder option that refuses an empty name (``--out ""`` would otherwise mean the current folder)."""
    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"{option} is empty: name an output folder")
        return text
    parse.__name__ = option
    return parse


def outputs_option(parser: argparse.ArgumentParser) -> None:
    """The ``--out DIR`` option (required)."""
    parser.add_argument("--out", required=True, type=output_folder("--out"),
                        help="output folder (must be empty unless --overwrite)")


def host_address(text: str) -> str:
    """``--host``: an IP address (``127.0.0.1``, ``0.0.0.0``, ``::1``) or a host name such as ``localhost``."""
    looks_numeric = all(part.isdigit() for part in text.split(".")) or ":" in text
    if looks_numeric:
        try:
            ipaddress.ip_address(text)
            return text
        except ValueError:
            pass
    elif _HOST_NAME.match(text):
        return text
    raise argparse.ArgumentTypeError(f"--host = {text!r} is not an IP address or host name "
                                     "(e.g. 127.0.0.1 for this machine only, 0.0.0.0 for every interface)")
