"""Token totals of index rows, computed in one place.

A row's total is `total_tokens` as the provider reported it, else prompt + completion, else NA:
a recording without usage has an unknown total, never 0.
"""

from __future__ import annotations

import pandas as pd


def total_tokens(rows: pd.DataFrame) -> pd.Series:
    """Per row: reported total, else prompt + completion (whichever is known); NA when unknown."""
    if rows.empty:
        return pd.Series([], dtype="Int64", index=rows.index)
    parts = rows[["prompt_tokens", "completion_tokens"]].astype("Int64").sum(axis=1, min_count=1)
    return rows["total_tokens"].astype("Int64").fillna(parts).astype("Int64")


def row_total(row: dict) -> int | None:
    """The same for one row as a dict (None for unknown)."""
    total = row.get("total_tokens")
    if total is not None:
        return int(total)
    known = [int(p) for p in (row.get("prompt_tokens"), row.get("completion_tokens"))
             if p is not None]
    return sum(known) if known else None
