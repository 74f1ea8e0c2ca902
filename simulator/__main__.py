"""``python -m simulator`` is the ``spinesim`` command."""

import sys

from simulator.cli import launch

sys.exit(launch())
