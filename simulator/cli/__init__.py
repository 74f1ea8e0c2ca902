"""The ``spinesim`` command line.

- ``main``: the parser, the dispatch and the one-line errors; it loads only the module of the
  command it is given (``COMMANDS``), so ``spinesim run`` never imports the dashboard or scipy.stats
- ``run``: ``run``; ``scenarios``: ``validate``, ``list``, ``show``; ``calibrate``: ``calibrate``
  (and ``--fit``); ``dashboard``: ``dashboard``; ``value``: ``value``; ``analyses``: ``sweep``,
  ``tornado``, ``psa``, ``capacity`` and the fit options
- ``common``: what the commands share (``UsageError``, the shared options, ``load_all``, the caps); it loads
  no simulation, so ``--version``, ``list``, ``show`` and ``validate`` start quickly
- ``paired``: running scenarios on the same patients for ``report`` and ``value``
- ``args``: argument types that name the option, the value and the allowed range

Imports run one way: command modules -> ``paired`` -> ``common`` -> ``args``. The console script is
:func:`launch`, here, so that it loads ``main`` inside its Ctrl-C guard; nothing is re-exported,
so the module ``main`` and the function ``main`` never clash.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from types import FrameType

EXIT_INTERRUPTED = 130
INTERRUPTED = "spinesim: interrupted"
_interrupted: list[int] = []  # the Ctrl-Cs received, whatever exception they surfaced as


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    """Python's own behaviour (raise KeyboardInterrupt), remembering that it happened.

    A Ctrl-C that lands inside a C extension's import (numpy's, say) surfaces as an ImportError,
    not a KeyboardInterrupt; the record lets :func:`launch` still report it as an interruption.
    """
    _interrupted.append(signum)
    raise KeyboardInterrupt


def launch(argv: Sequence[str] | None = None) -> int:
    """The ``spinesim`` console script: :func:`simulator.cli.main.main`, with Ctrl-C at start-up handled."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_interrupt)
    try:
        from simulator.cli.main import main  # here, not above: Ctrl-C while it loads must be caught

        return main(argv)
    except BaseException:
        if not _interrupted:
            raise
        try:
            print(INTERRUPTED, file=sys.stderr)
        except (KeyboardInterrupt, OSError):
            pass
        return EXIT_INTERRUPTED
