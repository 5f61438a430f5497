"""The history frame: one row per change, the version's row joined by blob id."""

from __future__ import annotations

import pandas as pd

from explorer.health.status import name_health
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
    _health_by_name(frame)
    return _typed(frame[list(HISTORY_NAMES)])


def _health_by_name(frame: pd.DataFrame) -> None:
    """health and health_rule for each change's own file name (a version's row was made
    without one), from the version's naming key; once per distinct (version key, name)."""
    keys = frame["naming"].tolist()
    health, rules = frame["health"].tolist(), frame["health_rule"].tolist()
    expected = frame["expected_name"].tolist()
    names = [path.rsplit("/", 1)[-1] for path in frame["path"].tolist()]
    seen: dict[tuple[str, str], dict] = {}
    for at, key in enumerate(keys):
        if not isinstance(key, str):
            continue  # a deletion, or a version whose health no name changes
        answer = seen.get((key, names[at]))
        if answer is None:
            answer = seen[key, names[at]] = name_health(names[at], key, "")
        health[at], rules[at] = answer["health"], answer["health_rule"]
        if answer["expected_name"] is None:  # the request cannot be hashed after all
            expected[at] = None
    frame["health"] = pd.array(health, dtype="string")
    frame["health_rule"] = pd.array(rules, dtype="string")
    frame["expected_name"] = pd.array(expected, dtype="string")


def _dates(stamps: list[int]) -> pd.Series:
    """Commit dates (whatever the committer's offset) as one tz-aware UTC column."""
    return pd.to_datetime(pd.Series(stamps, dtype="int64"), unit="s",
                          utc=True).astype("datetime64[us, UTC]")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in HISTORY_COLUMNS:
        if column.dtype != "object" and str(frame[column.name].dtype) != column.dtype:
            frame[column.name] = frame[column.name].astype(column.dtype)
    return frame
