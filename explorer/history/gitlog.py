"""The changes to recordings that `git log` reports, read in one `git log --raw -z` call.

A change is one (commit, path) pair, as `git log --no-renames --full-history --no-merges REF --
'*/recordings/*.json'` lists it: a move is a deletion plus an addition, and merge commits
contribute no rows (the commits they bring in do). Nothing is checked out.

The pattern is matched here, not given to git: a wildcard pathspec makes git match every
entry of every tree it compares (six times slower on a long history of large folders); without
one it compares entries by id, and the few other changes it lists cost less to drop.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.git import run_git
from explorer.storage import logcache

PATHSPEC = "*/recordings/*.json"
# git's pathspec without magic: fnmatch where `*` also matches '/' (a path as git prints it)
is_recording = re.compile(fnmatch.translate(PATHSPEC).encode(), re.DOTALL).match
NULL_BLOB = "0" * 40
# %x1e starts a commit; the subject comes last, so a stray separator in it cannot shift fields
LOG_FORMAT = "%x1e%H%x1f%ct%x1f%cI%x1f%s"


class HistoryError(ExplorerError):
    """The history cannot be read; the message names the repository or ref and the fix."""


@dataclass
class Commit:
    commit: str
    timestamp: int  # commit date, seconds since the epoch
    committed_at: str  # strict ISO 8601 with the committer's offset
    subject: str


@dataclass
class Log:
    """Commits oldest first, and changes as (commit number, path, status, blob)."""

    commits: list[Commit] = field(default_factory=list)
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `repo`; a failure raises HistoryError with git's last line of complaint."""
    return run_git(repo, *args, stdin=stdin, error=HistoryError)


def check_ref(ref: str) -> None:
    """A ref from the user is never read by git as an option."""
    if not ref or ref.startswith("-"):
        raise HistoryError(f"ref {ref!r} is not a branch, tag or commit; refs never start "
                           f"with '-'")


def resolve_ref(repo: Path, ref: str) -> tuple[str, list[str]]:
    """(the commit `ref` names, the shallow boundary) in one git call; HistoryError saying how
    to find a good ref, or what to give instead of a folder that is no repository."""
    check_ref(ref)
    if not repo.is_dir():
        raise HistoryError(f"{repo}: no such directory; give the folder of a git clone or "
                           f"bare mirror")
    try:
        out = git(repo, "rev-parse", "--is-shallow-repository", "--git-path", "shallow",
                  "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except HistoryError as exc:
        if "not a git repository" in str(exc):
            raise
        raise HistoryError(f"unknown ref {ref!r} in {repo}; give a branch, tag or commit that "
                           f"`git -C {repo} log` shows") from None
    shallow, shallow_file, commit = out.decode().splitlines()[:3]
    return commit.strip(), _boundary(repo, shallow_file) if shallow == "true" else []


def _boundary(repo: Path, shallow_file: str) -> list[str]:
    """Commits where a shallow clone's history stops."""
    path = Path(shallow_file)
    try:
        return (path if path.is_absolute() else repo / path).read_text().split()
    except OSError:
        return ["(unknown)"]


def read_log(repo: Path, commit: str, since: str | None = None) -> Log:
    """Every change to a recording reachable from `commit` (and not from `since`), oldest
    commit first."""
    revisions = [commit] if since is None else [commit, f"^{since}"]
    # (no pathspec, so no history simplification: every non-merge commit, as --full-history)
    out = git(repo, "log", "--no-renames", "--no-merges", "--raw", "-z",
              "--no-abbrev", f"--format={LOG_FORMAT}", "--end-of-options", *revisions)
    return parse_log(out)


def parse_log(out: bytes) -> Log:
    """Parse `git log --raw -z` output: headers, then ':meta\\0path\\0' pairs per change.
    Only changes to recordings (PATHSPEC) are kept, and only commits that have one."""
    commits: list[Commit] = []
    changes: list[tuple[int, str, str, str]] = []
    header: bytes | None = None  # the current commit's, until it shows a recording change
    tokens = out.split(b"\0")
    position, count = 0, len(tokens)
    while position < count:
        token = tokens[position].lstrip(b"\n")
        position += 1
        if token.startswith(b":"):
            raw_path = tokens[position]
            position += 1
            if not is_recording(raw_path):
                continue
            if header is not None:
                commits.append(_commit(header))
                header = None
            meta = token.split(b" ")
            path = raw_path.decode("utf-8", "replace")  # text for the table, never a path to open
            status = meta[4][:1].decode()
            changes.append((len(commits) - 1, path, "M" if status == "T" else status,
                            meta[3].decode()))
        elif token.startswith(b"\x1e"):
            header = token
    return _oldest_first(commits, changes)


def _commit(header: bytes) -> Commit:
    sha, stamp, date, subject = header[1:].decode("utf-8", "replace").split("\x1f", 3)
    return Commit(sha, int(stamp), date, subject)


def _oldest_first(commits: list[Commit], changes: list) -> Log:
    last = len(commits) - 1
    ordered = [(last - number, path, status, blob) for number, path, status, blob in changes]
    ordered.sort(key=lambda change: change[0])  # stable: a commit's paths stay in order
    return Log(commits[::-1], ordered)


def cached_log(repo: Path, commit: str, boundary: list[str]) -> Log:
    """The log of `commit`: from the cache (`storage/logcache`; a commit id fixes its whole
    history, so a warm run on the same ref skips `git log`), from a cached ancestor plus the
    commits since (`OLD..NEW`), or from git; whatever was read is cached for the next run. The
    key also holds the shallow `boundary`, which changes what a commit's history looks like."""
    key = logcache.log_key(commit, boundary)
    log = _from_rows(logcache.load_rows(key))
    if log is not None:
        return log
    log = _extend_previous(repo, commit, boundary) or read_log(repo, commit)
    logcache.save_rows(key, _rows(log))
    logcache.remember(repo, commit)
    return log


def _extend_previous(repo: Path, commit: str, boundary: list[str]) -> Log | None:
    previous = logcache.last_head(repo)
    older = _from_rows(logcache.load_rows(logcache.log_key(previous, boundary))) if previous \
        else None
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


def _rows(log: Log) -> list[logcache.LogRow]:
    commits = log.commits
    return [(commits[n].commit, commits[n].timestamp, commits[n].committed_at,
             commits[n].subject, path, status, blob) for n, path, status, blob in log.changes]


def _from_rows(rows: list[logcache.LogRow] | None) -> Log | None:
    if rows is None:
        return None
    numbers: dict[str, int] = {}
    commits: list[Commit] = []
    changes = []
    for sha, stamp, date, subject, path, status, blob in rows:
        number = numbers.get(sha)
        if number is None:
            number = numbers[sha] = len(commits)
            commits.append(Commit(sha, stamp, date, subject))
        changes.append((number, path, status, blob))
    return Log(commits, changes)
