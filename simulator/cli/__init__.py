"""The ``spinesim`` command line.

- ``main``: the parser, the dispatch and the one-line errors; it loads only the module of the
  command it is given (``COMMANDS``), so ``spinesim run`` never imports the dashboard or scipy.stats
- ``run``: ``run``; ``scenarios``: ``validate``, ``list``, ``show``; ``calibrate``: ``calibrate``
  (and ``--fit``); ``dashboard``: ``dashboard``; ``value``: ``value``; ``analyses``: ``sweep``,
  ``tornado``, ``psa``, ``capacity`` and the fit options
- ``common``: what the commands share (``UsageError``, the shared options, ``load_all``, the caps)
- ``args``: argument types that name the option, the value and the allowed range

Imports run one way: command modules -> ``common`` -> ``args``. The console script is
:func:`launch`, here, so that it loads ``main`` inside its Ctrl-C guard; nothing is re-exported,
so the module ``main`` and the function ``main`` never clash.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXIT_INTERRUPTED = 130
INTERRUPTED = "spinesim: interrupted"


def launch(argv: Sequence[str] | None = None) -> int:
    """The ``spinesim`` console script: :func:`simulator.cli.main.main`, with Ctrl-C at start-up handled."""
    try:
        from simulator.cli.main import main  # here, not above: Ctrl-C while it loads must be caught
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED
    return main(argv)
