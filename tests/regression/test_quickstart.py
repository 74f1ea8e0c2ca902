"""Regression (not validation): the quickstart example prints exactly its committed output.

A change here means the model's behaviour at this seed changed: if intended, regenerate with
``python docs/examples/quickstart.py > docs/examples/quickstart.out`` and say why in the commit.
"""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_quickstart_output_is_unchanged():
    out = subprocess.run([sys.executable, str(EXAMPLES / "quickstart.py")], capture_output=True, text=True,
                         check=True).stdout
    assert out == (EXAMPLES / "quickstart.out").read_text()
