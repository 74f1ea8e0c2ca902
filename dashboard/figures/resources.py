"""Limited services: utilisation of MRI, theatre and radiotherapy, and the waits for them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.data import SERVICE_LABELS
from dashboard.figures.style import empty_figure, styled

PANELS = (("utilisation", "Utilisation (%)", 100.0), ("mean_wait_days", "Mean wait (days)", 1.0))


def resource_summary(resources: pd.DataFrame) -> pd.DataFrame:
    """Mean, minimum and maximum over replications of each service measure, per scenario.

    Returns ``scenario, service, measure, mean, low, high`` (utilisation 0-1, waits in days, uses
    in patients, max_queue in patients).
    """
    cols = ["scenario", "service", "measure", "mean", "low", "high"]
    measures = [m for m in ("utilisation", "mean_wait_days", "p90_wait_days", "uses", "max_queue")
                if m in resources]
    if resources.empty or not measures:
        return pd.DataFrame(columns=cols)
    long = resources.melt(id_vars=["scenario", "service"], value_vars=measures, var_name="measure")
    long["value"] = long["value"].astype(float)
    g = long.groupby(["scenario", "service", "measure"], sort=False)["value"]
    out = pd.DataFrame({"mean": g.mean(), "low": g.min(), "high": g.max()}).reset_index()
    return out[cols]


def resource_use(resources: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Grouped bars per service and strategy: utilisation (%) and mean wait (days).

    Error bars span the lowest to highest replication; the hover adds the 90th-centile wait and uses.
    """
    title = "Services: how busy they are and how long patients wait"
    data = resource_summary(resources)
    if data.empty:
        return empty_figure(title, "No service use recorded", "Service", "")
    services = [s for s in SERVICE_LABELS if s in set(data["service"])]
    services += sorted(set(data["service"]) - set(services))
    labels = [SERVICE_LABELS.get(s, s) for s in services]
    fig = make_subplots(rows=1, cols=len(PANELS), subplot_titles=[p[1] for p in PANELS],
                        horizontal_spacing=0.1)
    for col, (measure, axis_title, scale) in enumerate(PANELS, start=1):
        for name, colour in colours.items():
            d = data[(data["scenario"] == name) & (data["measure"] == measure)].set_index("service")
            if d.empty:
                continue
            d = d.reindex(services)
            extra = data[(data["scenario"] == name)].pivot_table(
                index="service", columns="measure", values="mean").reindex(services)
            p90 = extra["p90_wait_days"] if "p90_wait_days" in extra else pd.Series(float("nan"), services)
            uses = extra["uses"] if "uses" in extra else pd.Series(float("nan"), services)
            fig.add_trace(go.Bar(
                x=labels, y=scale * d["mean"], name=name, legendgroup=name, showlegend=col == 1,
                meta=name, marker_color=colour,
                error_y={"type": "data", "array": scale * (d["high"] - d["mean"]),
                         "arrayminus": scale * (d["mean"] - d["low"]), "color": "#444"},
                customdata=list(zip(p90.fillna(-1), uses.fillna(-1), strict=True)),
                hovertemplate=(f"<b>{name}</b><br>%{{x}}: {axis_title.lower()} %{{y:.1f}}<br>"
                               "90th-centile wait %{customdata[0]:.1f} days; %{customdata[1]:.0f} uses"
                               "<br>(bar: mean of replications; whisker: lowest-highest)<extra></extra>")),
                row=1, col=col)
            fig.update_yaxes(title_text=axis_title, row=1, col=col)
    util = data[data["measure"] == "utilisation"].set_index(["scenario", "service"])["mean"]
    summary = f"{labels[0]} utilisation: " + ", ".join(
        f"{n} {100 * util[(n, services[0])]:.0f}%" for n in colours if (n, services[0]) in util.index) + "."
    styled(fig, title, "Service", "", height=380, legend_below=True, summary=summary)
    for col, (_, axis_title, _) in enumerate(PANELS, start=1):
        fig.update_yaxes(title_text=axis_title, rangemode="tozero", row=1, col=col)
    fig.update_layout(barmode="group")
    return fig
