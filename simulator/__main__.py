"""``python -m simulator`` is the ``spinesim`` command."""

import sys

from simulator.cli.main import main

sys.exit(main())
