"""Health economics: the model-independent decision layer (numpy, scipy and pandas only).

It turns per-strategy mean costs (currency per patient) and QALYs per patient, per replication
or per PSA draw, into decisions: net monetary benefit, paired increments against a reference,
the full incremental analysis (dominance, extended dominance, ICERs, frontier), the CE plane,
acceptability curve and frontier, EVPI and EVPPI, and filled CHEERS 2022 and STRESS-DES
checklists. It imports nothing from ``simulator.model``. Methods: ``docs/economics-methods.md``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: public name -> its module (loaded on first use, PEP 562: ``spinesim run`` needs none of the PSA layer)
_API: dict[str, str] = {
    **dict.fromkeys(("CHEERS_2022", "STRESS_DES", "Checklist", "ChecklistItem", "fill_checklist"),
                    "simulator.economics.checklists"),
    **dict.fromkeys(("QUADRANTS", "compare_to_reference", "icer", "nmb_table", "quadrant"),
                    "simulator.economics.comparison"),
    **dict.fromkeys(("STATUS_KINDS", "frontier", "incremental_analysis", "optimal_on_frontier"),
                    "simulator.economics.decision"),
    "evppi": "simulator.economics.evppi",
    **dict.fromkeys(("check_thresholds", "net_monetary_benefit"), "simulator.economics.netbenefit"),
    **dict.fromkeys(("PSASample", "ce_plane", "ceac", "ceaf", "expected_outcomes"), "simulator.economics.psa"),
    **dict.fromkeys(("Population", "evpi"), "simulator.economics.voi"),
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _API:
        raise AttributeError(f"module 'simulator.economics' has no attribute {name!r}")
    value = getattr(import_module(_API[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
