"""The parsed log of a commit, cached as Parquet: a commit id fixes its whole history.

A warm run on the same ref therefore skips `git log` entirely; a run on a later ref whose
history contains a cached one asks git only for the commits in between (`OLD..NEW`). The key
also holds the shallow boundary, which changes what a commit's history looks like.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from explorer.ground.files import write_atomically
from explorer.ground.folders import cache_dir
from explorer.history.gitlog import Commit, HistoryError, Log, git, read_log

LOG_VERSION = "1"
FIELDS = ("commit", "timestamp", "committed_at", "subject", "path", "status", "blob")


def _folder() -> Path:
    return cache_dir() / "history" / f"logs-{LOG_VERSION}"


def _key(commit: str, boundary: list[str]) -> str:
    if not boundary:
        return commit
    return commit + "-" + hashlib.sha256(" ".join(sorted(boundary)).encode()).hexdigest()[:12]


def _last_head_file(repo: Path) -> Path:
    digest = hashlib.sha256(str(repo.resolve()).encode()).hexdigest()[:24]
    return _folder() / f"last-{digest}.txt"


def cached_log(repo: Path, commit: str, boundary: list[str]) -> Log:
    """The log of `commit`: from the cache, from a cached ancestor plus the commits since,
    or from git; whatever was read is cached for the next run."""
    log = load_log(_key(commit, boundary))
    if log is not None:
        return log
    log = _extend_previous(repo, commit, boundary) or read_log(repo, commit)
    save_log(_key(commit, boundary), log)
    _remember(repo, commit)
    return log


def _extend_previous(repo: Path, commit: str, boundary: list[str]) -> Log | None:
    try:
        previous = _last_head_file(repo).read_text().strip()
    except OSError:
        return None
    older = load_log(_key(previous, boundary)) if previous else None
    if older is None or not _is_ancestor(repo, previous, commit):
        return None
    newer = read_log(repo, commit, since=previous)
    return Log(older.commits + newer.commits,
               older.changes + [(number + len(older.commits), path, status, blob)
                                for number, path, status, blob in newer.changes])


def _is_ancestor(repo: Path, older: str, newer: str) -> bool:
    try:
        git(repo, "merge-base", "--is-ancestor", older, newer)
    except HistoryError:
        return False
    return True


def _remember(repo: Path, commit: str) -> None:
    try:
        path = _last_head_file(repo)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, commit.encode(), prefix=".tmp-", private=True)
    except OSError:
        pass  # no cache this time; never fatal


def load_log(key: str) -> Log | None:
    try:
        table = pq.read_table(_folder() / f"{key}.parquet")
    except Exception:  # noqa: BLE001 - missing or damaged: read git again
        return None
    columns = table.to_pydict()
    if tuple(columns) != FIELDS:
        return None
    numbers: dict[str, int] = {}
    commits: list[Commit] = []
    changes = []
    for sha, stamp, date, subject, path, status, blob in zip(*columns.values()):
        number = numbers.get(sha)
        if number is None:
            number = numbers[sha] = len(commits)
            commits.append(Commit(sha, stamp, date, subject))
        changes.append((number, path, status, blob))
    return Log(commits, changes)


def save_log(key: str, log: Log) -> None:
    commits = log.commits
    numbers = [change[0] for change in log.changes]
    table = pa.table({
        "commit": [commits[n].commit for n in numbers],
        "timestamp": pa.array([commits[n].timestamp for n in numbers], pa.int64()),
        "committed_at": [commits[n].committed_at for n in numbers],
        "subject": [commits[n].subject for n in numbers],
        "path": [change[1] for change in log.changes],
        "status": [change[2] for change in log.changes],
        "blob": [change[3] for change in log.changes],
    })
    try:
        _folder().mkdir(parents=True, exist_ok=True)
        write_atomically(_folder() / f"{key}.parquet", lambda path: pq.write_table(table, path),
                         prefix=".tmp-", suffix=".parquet", private=True)
    except OSError:
        return  # no cache this time; never fatal
