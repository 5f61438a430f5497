"""read_history: every version of every recording reachable from a ref, as one frame (the engine
of `explorer.api.load_history`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from explorer.errors import Problem
from explorer.health.status import place
from explorer.history.gitlog import (
    NULL_BLOB,
    HistoryError,
    Log,
    cached_log,
    git,
    read_log,
    resolve_ref,
)
from explorer.history.table import build_table
from explorer.history.versions import describe_blobs
from explorer.table.cache import version_store

Progress = Callable[[int, int], None]


def read_history(repo: str | os.PathLike, *, ref: str = "HEAD", cache: bool = True,
                 progress: Progress | None = None) -> pd.DataFrame:
    """One row per change to a `*/recordings/*.json` file reachable from `ref`.

    Reads git objects directly (a clone or a bare mirror; nothing is checked out). Each
    distinct version (blob) is described once; with `cache`, versions described by an earlier
    run are read from the user cache instead. `progress(done, total)` is called while new
    versions are described. `df.attrs` carries `problems` (`Problem`s), `described`
    (how many versions were parsed in this run), `versions` (distinct versions), and
    `shallow` (where a shallow clone's history stops, else empty).
    """
    return history_and_versions(repo, ref=ref, cache=cache, progress=progress)[0]


def history_and_versions(repo: str | os.PathLike, *, ref: str = "HEAD", cache: bool = True,
                         progress: Progress | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`read_history`, and the rows of its versions (the store's columns, indexed by blob id),
    which the index can reuse for the work-tree files git has as those blobs."""
    repo = Path(repo).expanduser()
    commit, boundary = resolve_ref(repo, ref)
    log = cached_log(repo, commit, boundary) if cache else read_log(repo, commit)
    blobs = list(dict.fromkeys(change[3] for change in log.changes if change[3] != NULL_BLOB))
    store = version_store()
    known = store.load_rows(set(blobs)) if cache else store.rows_frame([])
    todo = [blob for blob in blobs if blob not in known.index]
    new = store.rows_frame(describe_blobs(repo, todo, progress))
    if cache:
        store.save_rows(new)
    versions = pd.concat([known, new]) if len(known) and len(new) else (new if len(new)
                                                                        else known)
    frame = place(build_table(log, versions), repo)  # health as the index has it
    frame.attrs.update(problems=_problems(frame), described=len(todo), versions=len(blobs),
                       shallow=_shallow(repo, log, boundary), repo=str(repo), ref=ref, head=commit)
    if not log.changes:
        frame.attrs["empty_reason"] = (f"no recordings in {repo} at {ref}: no commit changes a "
                                       f"file matching '*/recordings/*.json'")
    return frame, versions


def _problems(frame: pd.DataFrame) -> list[Problem]:
    bad = frame[frame["problem"].notna()]
    return [Problem(f"{path}@{commit[:12]}", reason)
            for path, commit, reason in zip(bad["path"], bad["commit"], bad["problem"])]


def _shallow(repo: Path, log: Log, boundary: list[str]) -> list[dict]:
    """The shallow clone's boundary commits, with their dates."""
    if not boundary:
        return []
    seen = {c.commit: c for c in log.commits}
    stops = []
    for sha in boundary:
        commit = seen.get(sha)
        date = commit.committed_at if commit else _commit_date(repo, sha)
        stops.append({"commit": sha, "committed_at": date})
    return stops


def _commit_date(repo: Path, sha: str) -> str | None:
    try:
        return git(repo, "show", "-s", "--format=%cI", "--end-of-options", sha).decode().strip()
    except HistoryError:
        return None


def shallow_message(frame: pd.DataFrame) -> str | None:
    """One line saying where a shallow clone's history stops, or None for a full clone."""
    stops = frame.attrs.get("shallow") or []
    if not stops:
        return None
    where = ", ".join(f"{s['commit'][:12]} ({s['committed_at'] or 'date unknown'})"
                      for s in stops)
    return (f"shallow clone: history stops at {where}; files there show as added. Run "
            f"`git fetch --unshallow` for the full history")
