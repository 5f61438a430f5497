"""Age and churn for the index: per-recording columns from the history of the work tree's HEAD."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from explorer.history.gitlog import HistoryError, git
from explorer.history.load import history_and_versions, shallow_message
from explorer.table.schema import GIT_COLUMNS

Progress = Callable[[int, int], None]


def work_tree_of(root: Path) -> tuple[Path, str]:
    """(top of the work tree, root's path inside it with a trailing '/' or '')."""
    try:
        inside = git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except HistoryError:
        inside = False
    if not inside:
        raise HistoryError(f"{root} is not inside a git work tree, so it has no history; "
                           f"index it without --git (git=False)")
    top = Path(os.fsdecode(git(root, "rev-parse", "--show-toplevel").strip()))
    prefix = os.fsdecode(git(root, "rev-parse", "--show-prefix").strip())
    return top, prefix


def per_path(history: pd.DataFrame) -> pd.DataFrame:
    """first_recorded_at, last_changed_at, times_changed and client, indexed by path."""
    grouped = history.groupby("path", sort=False)
    table = pd.DataFrame({
        "first_recorded_at": grouped["committed_at"].min(),
        "last_changed_at": grouped["committed_at"].max(),
        "times_changed": grouped.size().astype("Int64"),
    })
    present = history[history["status"] != "D"]  # rows are oldest first: last = latest version
    latest = present.drop_duplicates("path", keep="last").set_index("path")
    table["client"] = latest["client"]  # NA when the latest version records none
    return table


def work_tree_history(root: Path, *, cache: bool = True, progress: Progress | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history of HEAD of the work tree `root` lies in (`attrs["prefix"]`: root's place
    in it), and its versions' rows (which the index reuses for the files git has unchanged)."""
    top, prefix = work_tree_of(root)
    history, versions = history_and_versions(top, ref="HEAD", cache=cache, progress=progress)
    history.attrs["prefix"] = prefix
    return history, versions


def add_git_columns(frame: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The index frame with GIT_COLUMNS filled from `history`, the history of HEAD of the work
    tree the indexed root lies in (`work_tree_history`); NA for untracked files."""
    prefix = history.attrs["prefix"]
    table = per_path(history).reindex(pd.Index(prefix + frame["path"].astype(object),
                                               dtype=object))
    for column in GIT_COLUMNS:
        frame[column.name] = table[column.name].to_numpy()
        frame[column.name] = frame[column.name].astype(column.dtype)
    note = shallow_message(history)
    if note:
        frame.attrs["git_note"] = note
    frame.attrs["history_problems"] = history.attrs.get("problems", [])
    return frame
