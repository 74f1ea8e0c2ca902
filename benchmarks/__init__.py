"""Speed and memory benchmarks of spinesim (``make bench``): printed as a table, never asserted."""
