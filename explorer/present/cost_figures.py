"""The cost panel's figures: pure functions from a priced frame to plotly figures."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from explorer.pricing.cost import cost_table

TOP = 15
PRICED_COLOR = "#4c78a8"
UNPRICED_COLOR = "#bab0ac"


def cost_figures(priced: pd.DataFrame) -> dict[str, go.Figure]:
    """Spend by model, by test file (top 15), the most expensive tests (top 15), unpriced share.

    `priced` is a frame from `explorer.pricing.cost.price_frame` (it needs `cost_usd`).
    """
    if "cost_usd" not in priced.columns:
        raise ValueError("the frame has no cost_usd column; price it first with "
                         "explorer.pricing.cost.price_frame(df)")
    return {
        "by_model": spend_bar(priced, "model", "Spend by model"),
        "by_test_file": spend_bar(priced, "test_file", f"Spend by test file (top {TOP})", TOP),
        "top_tests": spend_bar(priced, "test_id", f"Most expensive tests (top {TOP})", TOP),
        "unpriced_share": unpriced_share(priced),
    }


def spend_bar(priced: pd.DataFrame, by: str, title: str, top: int | None = None) -> go.Figure:
    """Horizontal bars of cost per group, largest on top; groups with no priced recording left out."""
    table = cost_table(priced, by=by)
    table = table[table["cost_usd"].notna()]
    if top is not None:
        table = table.head(top)
    labels = table[by].astype(object).where(table[by].notna(), "(none)").astype(str)
    figure = go.Figure(go.Bar(
        x=table["cost_usd"].astype(float).tolist()[::-1],
        y=[html.escape(label) for label in labels.tolist()[::-1]],  # plotly reads a little HTML
        orientation="h",
        marker_color=PRICED_COLOR,
        customdata=table[["recordings", "unpriced_recordings"]].astype(int).values.tolist()[::-1],
        hovertemplate="%{y}<br>$%{x:,.4f}<br>%{customdata[0]} recordings, "
                      "%{customdata[1]} unpriced<extra></extra>",
    ))
    if table.empty:
        title += ": nothing priced"
    figure.update_layout(title=title, xaxis_title="USD", yaxis_title=None,
                         height=max(260, 28 * len(table) + 120), margin={"l": 10})
    figure.update_yaxes(automargin=True)
    return figure


def unpriced_share(priced: pd.DataFrame) -> go.Figure:
    """Stacked percentage bars: priced vs unpriced recordings, and priced vs unpriced known tokens."""
    is_priced = priced["cost_usd"].notna()
    tokens = priced[["prompt_tokens", "completion_tokens"]].astype("Int64").sum(axis=1)
    counts = {
        "priced": [int(is_priced.sum()), int(tokens[is_priced].sum())],
        "unpriced": [int((~is_priced).sum()), int(tokens[~is_priced].sum())],
    }
    totals = [counts["priced"][i] + counts["unpriced"][i] for i in range(2)]
    figure = go.Figure()
    for status, color in (("priced", PRICED_COLOR), ("unpriced", UNPRICED_COLOR)):
        shares = [100 * n / t if t else 0.0 for n, t in zip(counts[status], totals)]
        figure.add_bar(name=status, x=shares, y=["recordings", "tokens"], orientation="h",
                       marker_color=color, customdata=counts[status],
                       hovertemplate=f"{status}: %{{customdata:,}} (%{{x:.1f}}%)<extra></extra>")
    figure.update_layout(barmode="stack", title="Unpriced share", xaxis_title="% of total",
                         xaxis_range=[0, 100], height=240)
    return figure
