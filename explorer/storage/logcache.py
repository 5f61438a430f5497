"""The git log's rows cached as Parquet by key (a commit id, and the shallow boundary when
there is one): a commit id fixes its whole history. Also the last head read per repository,
from which a later ref's log is extended (`history/gitlog.cached_log` says how). A cache that
cannot be read or written is skipped, never fatal.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from explorer.ground.files import write_atomically
from explorer.ground.folders import cache_dir

LOG_VERSION = "1"
FIELDS = ("commit", "timestamp", "committed_at", "subject", "path", "status", "blob")
LogRow = tuple[str, int, str, str, str, str, str]  # one change, with its commit (FIELDS)


def _folder() -> Path:
    return cache_dir() / "history" / f"logs-{LOG_VERSION}"


def log_key(commit: str, boundary: list[str]) -> str:
    """The cache key of `commit`'s log, read down to the shallow `boundary` (empty: none)."""
    if not boundary:
        return commit
    return commit + "-" + hashlib.sha256(" ".join(sorted(boundary)).encode()).hexdigest()[:12]


def _last_head_file(repo: Path) -> Path:
    digest = hashlib.sha256(str(repo.resolve()).encode()).hexdigest()[:24]
    return _folder() / f"last-{digest}.txt"


def last_head(repo: Path) -> str | None:
    """The commit whose log was last cached for `repo`, if any."""
    try:
        return _last_head_file(repo).read_text().strip() or None
    except OSError:
        return None


def remember(repo: Path, commit: str) -> None:
    """Note `commit` as the last head cached for `repo`."""
    try:
        path = _last_head_file(repo)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, commit.encode(), prefix=".tmp-", private=True)
    except OSError:
        pass  # no cache this time; never fatal


def load_rows(key: str) -> list[LogRow] | None:
    """The rows saved under `key`, in order; None when missing, damaged or of other fields."""
    try:
        table = pq.read_table(_folder() / f"{key}.parquet")
    except Exception:  # noqa: BLE001 - missing or damaged: read git again
        return None
    columns = table.to_pydict()
    if tuple(columns) != FIELDS:
        return None
    return list(zip(*columns.values()))


def save_rows(key: str, rows: list[LogRow]) -> None:
    """Save `rows` under `key`."""
    table = pa.table({
        name: pa.array([row[n] for row in rows], pa.int64()) if name == "timestamp"
        else [row[n] for row in rows]
        for n, name in enumerate(FIELDS)})
    try:
        _folder().mkdir(parents=True, exist_ok=True)
        write_atomically(_folder() / f"{key}.parquet", lambda path: pq.write_table(table, path),
                         prefix=".tmp-", suffix=".parquet", private=True)
    except OSError:
        return  # no cache this time; never fatal
