"""The history frame: one row per change, the version's row joined by blob id."""

from __future__ import annotations

import pandas as pd

from explorer.history.gitlog import NULL_BLOB, Log
from explorer.record.classify import area_of
from explorer.table.schema import HISTORY_COLUMNS, HISTORY_NAMES

LIST_COLUMNS = ("tools_declared", "tools_called")


def build_table(log: Log, versions: pd.DataFrame) -> pd.DataFrame:
    """Join each change of `log` to its version's row in `versions` (indexed by blob id).

    A deletion has no version: its index columns are NA (its tool lists empty), its blob NA.
    """
    numbers = [change[0] for change in log.changes]
    paths = [change[1] for change in log.changes]
    blobs = [None if change[3] == NULL_BLOB else change[3] for change in log.changes]
    frame = versions.reindex(pd.Index(blobs, dtype=object)).reset_index(drop=True)
    commits = log.commits
    frame["commit"] = pd.array([commits[n].commit for n in numbers], dtype="string")
    frame["committed_at"] = _dates([commits[n].timestamp for n in numbers])
    frame["subject"] = pd.array([commits[n].subject for n in numbers], dtype="string")
    frame["path"] = pd.array(paths, dtype="string")
    frame["status"] = pd.array([change[2] for change in log.changes], dtype="string")
    frame["blob"] = pd.array(blobs, dtype="string")
    test_files = frame["test_file"].tolist()
    frame["area"] = pd.array([area_of(path, None if test_file is pd.NA else test_file)
                              for path, test_file in zip(paths, test_files)], dtype="string")
    for column in LIST_COLUMNS:
        frame[column] = [value.tolist() if hasattr(value, "tolist") else
                         (value if isinstance(value, list) else [])
                         for value in frame[column]]
    return _typed(frame[list(HISTORY_NAMES)])


def _dates(stamps: list[int]) -> pd.Series:
    """Commit dates (whatever the committer's offset) as one tz-aware UTC column."""
    return pd.to_datetime(pd.Series(stamps, dtype="int64"), unit="s",
                          utc=True).astype("datetime64[us, UTC]")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in HISTORY_COLUMNS:
        if column.dtype != "object" and str(frame[column.name].dtype) != column.dtype:
            frame[column.name] = frame[column.name].astype(column.dtype)
    return frame
