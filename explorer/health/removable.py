"""Bytes the recorder can never read, per test file (stale and misplaced recordings)."""

from __future__ import annotations

import pandas as pd

NEVER_READ = ("stale", "misplaced")
NO_TEST = "(no test id)"


def removable_by_test_file(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per test file with stale or misplaced recordings: files and bytes of each, and
    `removable_bytes` (both together), largest first. Unexplained files are left out: they
    cannot be verified, so they are never counted as removable."""
    columns = ["test_file", "stale_files", "stale_bytes", "misplaced_files", "misplaced_bytes",
               "removable_bytes"]
    if "health" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=columns)
    rows = frame[frame["health"].isin(NEVER_READ).fillna(False).astype(bool)]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    data = pd.DataFrame({"test_file": rows["test_file"].fillna(NO_TEST).astype(str),
                         "health": rows["health"].astype(str),
                         "bytes": rows["size_bytes"].fillna(0).astype("int64")})
    table = data.pivot_table(index="test_file", columns="health", values="bytes",
                             aggfunc=["count", "sum"], fill_value=0)
    out = pd.DataFrame(index=table.index)
    for status in NEVER_READ:
        out[f"{status}_files"] = _column(table, "count", status)
        out[f"{status}_bytes"] = _column(table, "sum", status)
    out["removable_bytes"] = out["stale_bytes"] + out["misplaced_bytes"]
    out = out.reset_index().sort_values(["removable_bytes", "test_file"],
                                        ascending=[False, True], ignore_index=True)
    return out[columns]


def _column(table: pd.DataFrame, aggregate: str, status: str) -> pd.Series:
    key = (aggregate, status)
    return table[key].astype("int64") if key in table.columns else pd.Series(
        0, index=table.index, dtype="int64")
