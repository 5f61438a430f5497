"""The cost panel's figures: pure functions from a priced frame to plotly figures."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from explorer.present.html_table import middle
from explorer.pricing.cost import cost_table

TOP = 15
LABEL_CHARS = 48  # longer labels (test ids) are cut in the middle; hover and the table have them
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
    labels = _labels(table[by])
    escaped = [html.escape(label) for label in labels]  # plotly reads a little HTML
    counts = table[["recordings", "unpriced_recordings"]].astype(int).values.tolist()
    figure = go.Figure(go.Bar(
        x=table["cost_usd"].astype(float).tolist()[::-1],
        y=escaped[::-1],  # one category per group: two tests never share a bar
        orientation="h",
        marker_color=PRICED_COLOR,
        customdata=[[*c, label] for c, label in zip(counts, escaped)][::-1],
        hovertemplate="%{customdata[2]}<br>$%{x:,.4f}<br>%{customdata[0]:,} recordings, "
                      "%{customdata[1]:,} unpriced<extra></extra>",
    ))
    if table.empty:
        title += ": nothing priced"
    figure.update_layout(title={"text": title, "automargin": True}, xaxis_title="USD",
                         yaxis_title=None, height=max(260, 28 * len(table) + 140),
                         margin={"l": 10, "r": 20})
    figure.update_yaxes(automargin=True, tickmode="array", tickvals=escaped[::-1],
                        ticktext=[html.escape(label) for label in short_labels(labels)][::-1])
    figure.update_xaxes(automargin=True)
    return figure


def _labels(values: pd.Series) -> list[str]:
    return values.astype(object).where(values.notna(), "(none)").astype(str).tolist()


def short_labels(labels: list[str], limit: int = LABEL_CHARS) -> list[str]:
    """Labels shortened in the middle (a test id's file and parameters stay), each still
    unique: where two would read the same, more of them is kept."""
    longest = max((len(label) for label in labels), default=0)
    while True:
        short = [middle(label, limit) for label in labels]
        if len(set(short)) == len(set(labels)) or limit >= longest:
            return short
        limit += 8


def cost_tables(priced: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The numbers behind each of `cost_figures`, as display strings (same names)."""
    tables = {name: spend_rows(priced, by, TOP if by != "model" else None)
              for name, by in (("by_model", "model"), ("by_test_file", "test_file"),
                               ("top_tests", "test_id"))}
    tables["unpriced_share"] = unpriced_rows(priced)
    return tables


def spend_rows(priced: pd.DataFrame, by: str, top: int | None = None) -> pd.DataFrame:
    """Each group's recordings, cost (unpriced when nothing in it is priced) and unpriced count,
    the costliest first."""
    table = cost_table(priced, by=by)
    if top is not None:
        table = table.head(top)
    return pd.DataFrame({
        by: _labels(table[by]),
        "recordings": [f"{int(n):,}" for n in table["recordings"]],
        "cost": ["unpriced" if pd.isna(v) else f"${v:,.4f}" for v in table["cost_usd"]],
        "unpriced": [f"{int(n):,}" for n in table["unpriced_recordings"]],
    })


def unpriced_rows(priced: pd.DataFrame) -> pd.DataFrame:
    is_priced = priced["cost_usd"].notna()
    tokens = priced[["prompt_tokens", "completion_tokens"]].astype("Int64").sum(axis=1)
    rows = []
    for label, counts in (("recordings", [is_priced.sum(), (~is_priced).sum()]),
                          ("tokens", [tokens[is_priced].sum(), tokens[~is_priced].sum()])):
        rows.append({"of": label, "priced": f"{int(counts[0]):,}",
                     "unpriced": f"{int(counts[1]):,}"})
    return pd.DataFrame(rows, columns=["of", "priced", "unpriced"])


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
