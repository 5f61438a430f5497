"""History figures (frame -> plotly): changes, tokens and cost by month, churn, age.

Shared by the dashboard's history tab and `explorer report --history`. Tokens and cost count
the versions that changes left behind (additions and re-recordings): what re-recording cost.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

STATUS_NAMES = {"A": "added", "M": "re-recorded", "D": "deleted"}


def by_month(history: pd.DataFrame) -> pd.DataFrame:
    """Per commit month: changes by status, tokens and (where priced) cost of new versions."""
    months = history["committed_at"].dt.tz_localize(None).dt.to_period("M").astype(str)
    counts = pd.crosstab(months, history["status"]).reindex(columns=list(STATUS_NAMES),
                                                             fill_value=0)
    table = counts.rename(columns=STATUS_NAMES).rename_axis(columns=None)
    table["tokens"] = history.groupby(months)["total_tokens"].sum(min_count=1)
    if "cost_usd" in history.columns:
        table["cost_usd"] = history.groupby(months)["cost_usd"].sum(min_count=1)
    return table.rename_axis("month")


def most_rerecorded(history: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Tests (or files, where a version names no test) by re-recordings, most first."""
    changed = history[history["status"] == "M"]
    label = changed["test_id"].fillna(changed["path"])
    counts = label.value_counts().head(top)
    return pd.DataFrame({"re-recordings": counts}).rename_axis("test")


def ages_in_days(history: pd.DataFrame) -> pd.Series:
    """Days from each present recording's last change to the newest commit of the history."""
    if history.empty:
        return pd.Series(dtype="float64")
    latest = history.groupby("path")[["committed_at", "status"]].last()
    present = latest[latest["status"] != "D"]
    newest = history["committed_at"].max()
    return (newest - present["committed_at"]).dt.total_seconds() / 86400


def history_figures(history: pd.DataFrame) -> dict[str, go.Figure]:
    """The timeline, the most re-recorded tests and the age histogram ({} for no rows)."""
    if history.empty:
        return {}
    months = by_month(history)
    timeline = go.Figure([go.Bar(x=months.index.tolist(), y=months[name].tolist(), name=name)
                          for name in STATUS_NAMES.values()],
                         layout={"title": "Recording changes by commit month",
                                 "barmode": "stack", "xaxis": {"type": "category"}})
    figures = {"history_changes": timeline,
               "history_tokens": _line(months, "tokens", "Tokens in new versions by month "
                                                         "(known usage only)")}
    if "cost_usd" in months.columns:
        figures["history_cost"] = _line(months, "cost_usd", "Cost of new versions by month, "
                                                            "USD (priced usage only)")
    top = most_rerecorded(history)
    figures["history_churn"] = go.Figure(
        go.Bar(x=top["re-recordings"].tolist()[::-1],
               y=[escape(str(label)) for label in top.index.tolist()[::-1]],  # plotly reads tags
               orientation="h"),
        layout={"title": "Most re-recorded tests", "yaxis": {"automargin": True}})
    figures["history_age"] = go.Figure(
        go.Histogram(x=ages_in_days(history).tolist(), nbinsx=30),
        layout={"title": "Age of today's recordings (days since last recorded)",
                "xaxis": {"title": "days before the newest commit"}})
    for name, figure in figures.items():
        bars = len(top) if name == "history_churn" else 0
        _sized(figure, max(HEIGHT, 26 * bars + 140))
    return figures


HEIGHT = 340  # px; a figure without a height gets whatever its container has (~20 px in a tab)


def _sized(figure: go.Figure, height: int) -> None:
    """A height of its own, the title top left above the legend, room for both."""
    title = figure.layout.title.text
    figure.update_layout(height=height, margin={"t": 80, "l": 10, "r": 10, "b": 10},
                         title={"text": title, "font": {"size": 14}, "x": 0.01, "y": 0.98,
                                "xanchor": "left", "yanchor": "top"},
                         legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)


def _line(months: pd.DataFrame, column: str, title: str) -> go.Figure:
    values = [None if pd.isna(v) else float(v) for v in months[column]]
    return go.Figure(go.Scatter(x=months.index.tolist(), y=values, mode="lines+markers"),
                     layout={"title": title, "xaxis": {"type": "category"}})
