"""The data behind the compare view: one row per added, removed or changed recording, built
from a `TreeDiff`, and which rows pass the view's filters, in which order. (Where the two
trees come from is `explorer.review.pair`.)"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explorer.api import TreeDiff, total_tokens

# the table's order: behaviour first, then files, then bookkeeping (unchanged moves last)
ORDER = ("request", "response", "moved", "added", "removed", "environment", "noise",
         "unchanged move")
BOOKKEEPING = ("environment", "noise")
CHANGE_COLUMNS = ("path", "status", "source", "noise", "summary", "test_id", "test_file",
                  "model", "base_model", "head_model", "base_tokens", "head_tokens",
                  "token_delta", "base_chunks", "head_chunks", "base_streaming",
                  "head_streaming", "head_error", "rank")


def _side(rows: pd.DataFrame, prefix: str) -> pd.DataFrame:
    rows = rows.drop_duplicates("path").set_index("path")
    return pd.DataFrame({f"{prefix}_model": rows["model"].astype(object),
                         f"{prefix}_tokens": total_tokens(rows),
                         f"{prefix}_chunks": rows["n_chunks"].astype("Int64"),
                         f"{prefix}_streaming": rows["streaming"].astype("boolean"),
                         f"{prefix}_test": rows["test_id"].astype(object),
                         f"{prefix}_error": rows["is_error"].astype("boolean")},
                        index=rows.index)


def changes_frame(diff: TreeDiff) -> pd.DataFrame:
    """One row per change of the diff (a moved pair is one row, at its head path), with its
    class in `status`, its base path in `source` (moves) and what changed in one line."""
    records = [{"path": c.path, "status": c.kind, "source": c.source or c.path,
                "summary": c.summary, "test_id": c.test_id, "test_file": c.test_file,
                "noise": c.kind in BOOKKEEPING or (c.kind == "moved" and not c.response_changed),
                "rank": ORDER.index("unchanged move" if c.kind == "moved" and not
                                    c.response_changed else c.kind)} for c in diff.changes]
    frame = pd.DataFrame(records, columns=["path", "status", "source", "summary", "test_id",
                                           "test_file", "noise", "rank"])
    base = _side(diff.base_rows, "base")
    head = _side(diff.head_rows, "head")
    frame = frame.join(base, on="source").join(head, on="path")
    frame["test_id"] = frame["test_id"].astype(object)
    frame["model"] = frame["head_model"].where(frame["head_model"].notna(), frame["base_model"])
    frame["token_delta"] = frame["head_tokens"] - frame["base_tokens"]
    frame["noise"] = frame["noise"].astype(bool)
    return frame[list(CHANGE_COLUMNS)].reset_index(drop=True)


def keep(frame: pd.DataFrame, status: str | None, hide_noise: bool, search: str) -> np.ndarray:
    """Rows passing the view's filters: one status (None: all), noise hidden, a search text."""
    rows = np.ones(len(frame), dtype=bool)
    if status is not None:
        rows &= (frame["status"] == status).to_numpy()
    if hide_noise:
        rows &= ~frame["noise"].to_numpy(dtype=bool)
    if search:
        needle = search.lower()
        text = (frame["path"] + " " + frame["test_id"].fillna("") + " "
                + frame["summary"] + " " + frame["model"].fillna("")).str.lower()
        rows &= text.str.contains(needle, regex=False).to_numpy(dtype=bool)
    return rows


def sorted_positions(frame: pd.DataFrame, rows: np.ndarray, column: str,
                     descending: bool) -> np.ndarray:
    """Positions of the kept rows sorted by `column` (then path), unknown values last."""
    values = frame[column]
    if column == "status":
        values = frame["rank"]  # what matters first, grouped by test file within a class
    elif column == "token_delta":
        values = values.abs()  # the largest change first when descending, either sign
    order = pd.DataFrame({"value": values, "file": frame["test_file"],
                          "path": frame["path"]}).sort_values(
        ["value", "file", "path"], ascending=[not descending, True, True], na_position="last",
        kind="stable")
    positions = order.index.to_numpy()
    return positions[rows[positions]]
