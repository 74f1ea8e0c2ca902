"""Running experiments: replications, executor, progress, journeys."""
