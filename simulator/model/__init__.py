"""The clinical model: patients, natural history, pathway, strategy, treatment (SimPy processes)."""
