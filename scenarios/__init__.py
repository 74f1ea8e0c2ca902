"""The bundled scenarios (``*.toml`` beside this file), installed as the package ``simulator.scenarios``.

This folder is where the scenarios are edited; ``pyproject.toml`` maps it into the package, so a
wheel carries them and an editable install reads them from here.
"""
