"""The diagnostic pathway and the treatment chosen: delay by component, treatment mix."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.data import TREATMENT_LABELS
from dashboard.figures.style import PATTERNS, coloured_label, empty_figure, is_dark, percent, styled

DELAY_COMPONENTS: dict[str, str] = {
    "patient_delay_days": "Patient (onset to first visit)",
    "primary_care_delay_days": "Primary care",
    "referral_delay_days": "Referral",
    "imaging_wait_days": "Imaging wait",
    "treatment_wait_days": "Treatment wait",
}


def delay_means(patients: pd.DataFrame) -> pd.DataFrame:
    """Mean and median of each delay component among diagnosed patients, per scenario (days)."""
    cols = ["scenario", "component", "label", "mean", "median", "n"]
    present = [c for c in DELAY_COMPONENTS if c in patients]
    if patients.empty or not present:
        return pd.DataFrame(columns=cols)
    d = patients[patients["diagnosed"].astype(bool)] if "diagnosed" in patients else patients
    long = d.melt(id_vars=["scenario"], value_vars=present, var_name="component", value_name="days")
    long = long[long["days"].notna()]
    long["days"] = long["days"].astype(float)
    g = long.groupby(["scenario", "component"], sort=False)["days"]
    out = pd.DataFrame({"mean": g.mean(), "median": g.median(), "n": g.size()}).reset_index()
    out["label"] = out["component"].map(DELAY_COMPONENTS)
    return out[cols]


def delay_components(patients: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Stacked bar per strategy of the mean days spent in each part of the diagnostic pathway.

    Fill = strategy colour; hatching = component (the legend shows the hatching in grey).
    The stack's height is the mean total delay from symptom onset to treatment.
    """
    title = "Where the time goes: mean delay by pathway step"
    y_title = "Mean delay (days)"
    data = delay_means(patients)
    if data.empty:
        return empty_figure(title, "No diagnosed patients to show", "Strategy", y_title)
    fig = go.Figure()
    for i, (component, label) in enumerate(DELAY_COMPONENTS.items()):
        shape = PATTERNS[i % len(PATTERNS)]
        fig.add_trace(go.Bar(x=[None], y=[None], name=label, legendgroup=component, showlegend=True,
                             marker={"color": "#dddddd", "pattern": {"shape": shape, "fgcolor": "#333"}},
                             hoverinfo="skip"))
        for name, colour in colours.items():
            d = data[(data["scenario"] == name) & (data["component"] == component)]
            if d.empty:
                continue
            fig.add_trace(go.Bar(
                x=[coloured_label(name, colour)], y=[float(d["mean"].iloc[0])], name=label,
                legendgroup=component, showlegend=False, meta=name,
                marker={"color": colour, "line": {"color": "white", "width": 1},
                        "pattern": {"shape": shape, "fgcolor": "white" if is_dark(colour) else "black",
                                    "solidity": 0.35}},
                customdata=[[float(d["median"].iloc[0]), int(d["n"].iloc[0])]],
                hovertemplate=(f"<b>{name}</b><br>{label}: mean %{{y:.1f}} days, median "
                               "%{customdata[0]:.1f} days<br>%{customdata[1]} patients<extra></extra>")))
    totals = data.groupby("scenario", sort=False)["mean"].sum()
    summary = "Mean days from first symptom to treatment: " + ", ".join(
        f"{n} {totals[n]:.0f}" for n in colours if n in totals) + "."
    styled(fig, title, "Strategy", y_title, height=400, legend_below=True, summary=summary)
    fig.update_layout(barmode="stack", legend_title_text="Step")
    fig.update_xaxes(type="category", tickangle=-30 if len(colours) > 3 else 0)
    return fig


def treatment_shares(patients: pd.DataFrame) -> pd.DataFrame:
    """Share of diagnosed patients given each treatment, per scenario (0-1)."""
    cols = ["scenario", "treatment", "label", "count", "n", "share"]
    if patients.empty:
        return pd.DataFrame(columns=cols)
    d = patients[patients["diagnosed"].astype(bool)] if "diagnosed" in patients else patients
    d = d[d["treatment"].notna()]
    out = d.groupby(["scenario", "treatment"], sort=False).size().rename("count").reset_index()
    out["n"] = out.groupby("scenario")["count"].transform("sum")
    out["share"] = out["count"] / out["n"]
    out["label"] = out["treatment"].map(lambda t: TREATMENT_LABELS.get(t, t))
    return out[cols]


def treatment_mix(patients: pd.DataFrame, colours: dict[str, str]) -> go.Figure:
    """Horizontal grouped bars: % of diagnosed patients receiving each treatment, bar per strategy."""
    title = "Treatment mix"
    x_title = "Share of diagnosed patients (%)"
    data = treatment_shares(patients)
    if data.empty:
        return empty_figure(title, "No treatments recorded", x_title, "Treatment")
    order = [t for t in TREATMENT_LABELS if t in set(data["treatment"])]
    order += sorted(set(data["treatment"]) - set(order))
    labels = [TREATMENT_LABELS.get(t, t) for t in order]
    fig = go.Figure()
    for name, colour in colours.items():
        d = data[data["scenario"] == name].set_index("treatment").reindex(order)
        if d["count"].isna().all():
            continue
        fig.add_trace(go.Bar(
            y=labels, x=100 * d["share"].fillna(0.0), orientation="h", name=name, meta=name,
            marker_color=colour, customdata=d[["count"]].fillna(0).astype(int).to_numpy(),
            hovertemplate=(f"<b>{name}</b><br>%{{y}}: %{{x:.1f}}%<br>%{{customdata[0]}} patients"
                           "<extra></extra>")))
    top = data.sort_values("share", ascending=False).drop_duplicates("scenario").set_index("scenario")
    summary = "Most common treatment: " + ", ".join(
        f"{n} {top.loc[n, 'label']} ({percent(float(top.loc[n, 'share']))})" for n in colours if n in top.index) + "."
    styled(fig, title, x_title, "", height=max(360, 70 + 32 * len(order) * max(1, len(colours)) // 2),
           summary=summary)
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="%")
    return fig
