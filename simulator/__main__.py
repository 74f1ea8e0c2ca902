"""``python -m simulator`` is the ``spinesim`` command."""

import sys

from simulator.cli import main

sys.exit(main())
