"""Health economics: the model-independent decision layer (numpy, scipy and pandas only).

It turns per-strategy mean costs (currency per patient) and QALYs per patient, per replication,
into decisions: net monetary benefit, paired increments against a reference, and the full
incremental analysis (dominance, extended dominance, ICERs, frontier). It imports nothing from
``simulator.model``.
"""

from simulator.economics.comparison import QUADRANTS, compare_to_reference, icer, nmb_table, quadrant
from simulator.economics.decision import STATUS_KINDS, frontier, incremental_analysis, optimal_on_frontier
from simulator.economics.netbenefit import check_thresholds, net_monetary_benefit

__all__ = [
    "QUADRANTS", "STATUS_KINDS", "check_thresholds", "compare_to_reference", "frontier", "icer",
    "incremental_analysis", "net_monetary_benefit", "nmb_table", "optimal_on_frontier", "quadrant",
]
