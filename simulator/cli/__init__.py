"""The ``spinesim`` command line.

- ``main``: the parser and the commands ``run``, ``validate``, ``list``, ``show``, ``calibrate``,
  ``dashboard`` (the console script is ``simulator.cli.main:main``)
- ``analyses``: ``sweep``, ``tornado``, ``psa``, ``capacity``, ``run --replications auto`` and
  ``calibrate --fit``
- ``common``: what both use (``UsageError``, the shared options, ``load_all``, the caps)
- ``args``: argument types that name the option, the value and the allowed range

Imports run one way: ``main`` -> ``analyses`` -> ``common`` -> ``args``. This package re-exports
nothing, so that the module ``main`` and the function ``main`` never shadow each other.
"""
