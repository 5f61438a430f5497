"""The data behind the compare view: one row per added, removed or changed recording, built
from a `TreeDiff`; which rows pass the view's filters, in which order; and where the two trees
come from (folders, or two refs of one git repository)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from explorer.api import (
    CLASSES,
    SourceError,
    TreeDiff,
    is_git_source,
    recordings_root,
    resolve_source,
    total_tokens,
)

STATUSES = CLASSES  # the view's buttons, what matters first
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


@dataclass(frozen=True)
class TreePair:
    base: Path
    head: Path
    base_label: str
    head_label: str


def resolve_pair(base: str, head: str | None, ref: str | None = None) -> TreePair:
    """The two trees to compare. `head` is a folder or a git repository (URL or path, read at
    `ref`; a local repository without `ref` is read from its working tree, so uncommitted
    re-recordings show). `base` is a folder, or a ref of that repository."""
    if not head:
        raise SourceError("a base is given but no head: set EXPLORER_RECORDINGS (or the ROOT "
                          "of `explorer open`) to the recordings to compare with the base")
    folder = Path(base).expanduser()
    if folder.is_dir():
        head_root, head_label = resolve_source(head, ref)
        return TreePair(folder, head_root, str(folder), head_label)
    if not is_git_source(head):
        raise SourceError(f"{base}: no such folder; give the base recordings folder, or a git "
                          f"ref when the head is a git repository")
    base_root, base_label = resolve_source(head, base)
    local = Path(head).expanduser()
    if ref is None and local.is_dir():
        return TreePair(base_root, recordings_root(local), base_label, f"{head} (working tree)")
    head_root, head_label = resolve_source(head, ref or "HEAD")
    return TreePair(base_root, head_root, base_label, head_label)
