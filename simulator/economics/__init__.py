"""Health economics: the model-independent decision layer (numpy, scipy and pandas only).

It turns per-strategy mean costs (currency per patient) and QALYs per patient, per replication
or per PSA draw, into decisions: net monetary benefit, paired increments against a reference,
the full incremental analysis (dominance, extended dominance, ICERs, frontier), the CE plane,
acceptability curve and frontier, EVPI and EVPPI, and filled CHEERS 2022 and STRESS-DES
checklists. It imports nothing from ``simulator.model``. Methods: ``docs/economics-methods.md``.
"""

from simulator.economics.checklists import CHEERS_2022, STRESS_DES, Checklist, ChecklistItem, fill_checklist
from simulator.economics.comparison import QUADRANTS, compare_to_reference, icer, nmb_table, quadrant
from simulator.economics.decision import STATUS_KINDS, frontier, incremental_analysis, optimal_on_frontier
from simulator.economics.evppi import evppi
from simulator.economics.netbenefit import check_thresholds, net_monetary_benefit
from simulator.economics.psa import PSASample, ce_plane, ceac, ceaf, expected_outcomes
from simulator.economics.voi import Population, evpi

__all__ = [
    "CHEERS_2022", "Checklist", "ChecklistItem", "PSASample", "Population", "QUADRANTS", "STATUS_KINDS",
    "STRESS_DES", "ce_plane", "ceac", "ceaf", "check_thresholds", "compare_to_reference", "evpi", "evppi",
    "expected_outcomes", "fill_checklist", "frontier", "icer", "incremental_analysis", "net_monetary_benefit",
    "nmb_table", "optimal_on_frontier", "quadrant",
]
