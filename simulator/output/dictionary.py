"""The data dictionary of every exported table, generated from the column and metric catalogues."""

from __future__ import annotations

from simulator.output.metrics import METRICS
from simulator.output.tables import COLUMNS


def data_dictionary_markdown() -> str:
    """The data dictionary of every exported table, as Markdown (pasted into README.md)."""
    out = []
    for table, columns in COLUMNS.items():
        out.append(f"**{table}**\n\n| column | meaning | unit | allowed values |\n|---|---|---|---|")
        out += [f"| `{c.name}` | {c.meaning} | {c.unit} | {c.allowed} |" for c in columns]
        out.append("")
    out.append("**summary** (one row per scenario and metric; estimate and 95% interval over replications, "
               "paired difference to the reference scenario with its 95% interval)\n")
    out.append("| metric | label | unit | better |\n|---|---|---|---|")
    for m in METRICS:
        better = {True: "higher", False: "lower", None: "-"}[m.higher_is_better]
        out.append(f"| `{m.name}` | {m.description} | {m.unit} | {better} |")
    return "\n".join(out) + "\n"
