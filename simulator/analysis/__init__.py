"""What-if analyses on top of the experiment runner.

Each runs its scenarios on the same patients (common random numbers) through
:func:`simulator.run.executor.execute` (local processes or Dask) and returns an
:class:`AnalysisResult`: tidy tables, a plotly figure and a manifest, written atomically by
``result.write(out_dir)``.

- ``precision.run_to_precision``: ``spinesim run --replications auto`` (replications until a stated precision)
- ``sweep.sweep``: one-way sweep of a parameter
- ``tornado.tornado``: each parameter at the ends of its plausible range, swing largest first
- ``psa.psa``: probabilistic sensitivity analysis over the scenarios' ``[uncertainty]`` tables
  (``uncertainty`` validates and samples those tables)
- ``capacity.capacity``: capacity planning for MRI, theatre or radiotherapy
- ``fit.fit``: calibration fitting of parameters to the published targets
- ``charts``: the figures, as pure functions of the tables (their subcommands are
  ``simulator.cli.analyses``)

The public API, ``simulator``, re-exports these functions. This package itself re-exports nothing,
so that a module and the function named after it never shadow each other
(``simulator.analysis.psa.psa`` works).
"""
