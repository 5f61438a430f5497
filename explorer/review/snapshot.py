"""The recordings of one side of a diff: a folder, or a revision of a git repository.

A git revision is read straight from the object store (`git ls-tree`, `git cat-file --batch`):
nothing is checked out and the work tree is never touched. A folder is read through the index
(`index_tree`: the same walker rule and the same cache as everywhere else).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from explorer.errors import ExplorerError
from explorer.git import read_blobs, run_git
from explorer.record.recording import RecordingError, parse_bytes, parse_document
from explorer.safety.names import NOT_UTF8, NOT_UTF8_FOLDER, is_utf8, shown
from explorer.safety.paths import leads_inside
from explorer.safety.size import digest_of, stand_in, too_large_reason
from explorer.table.index import index_tree, looks_like_recording
from explorer.table.rows import describe
from explorer.table.schema import frame_from_records
from explorer.table.walk import candidate


class SnapshotError(ExplorerError):
    """A side of the diff that cannot be read; the message names it and the fix."""


def under(rel: str, prefix: str | None) -> bool:
    """Within `prefix` (a folder relative to the tree's root), or anywhere without one."""
    if not prefix:
        return True
    folder = prefix.strip("/")
    return rel.startswith(folder + "/") or rel == folder


@dataclass
class Snapshot:
    """One side of a diff. `files` maps each recording's relative POSIX path → a key (equal
    keys mean equal bytes: git blob ids; None means "compare the bytes"); `problems` the
    reason a recording could not be read, by path."""

    label: str
    files: dict[str, str | None] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # path -> reason: not read

    def read(self, paths: list[str]) -> dict[str, bytes]:
        raise NotImplementedError

    def rows(self, paths: list[str]) -> pd.DataFrame:
        """Index rows (explorer.table.schema) of `paths`; a path without a row has none."""
        raise NotImplementedError

    def all_rows(self) -> pd.DataFrame:
        return self.rows(sorted(self.files))


class FolderSnapshot(Snapshot):
    """A folder, through `index_tree`: the walker's rule says which files are recordings and
    the index cache gives every row without parsing an unchanged tree again."""

    def __init__(self, root: str | os.PathLike, prefix: str | None = None,
                 cache: bool = True) -> None:
        self.root = Path(root).expanduser()
        self.prefix = prefix
        if not self.root.is_dir():
            raise SnapshotError(f"{root}: no such directory; give the folder of a recordings "
                                f"tree (for git revisions: explorer diff BASE HEAD --repo PATH)")
        frame = index_tree(self.root, cache=cache)
        keep = pd.Series([under(p, prefix) for p in frame["path"]], index=frame.index,
                         dtype=bool)  # a list would select columns when empty
        self.frame = frame[keep].reset_index(drop=True)
        problems = {p.path: p.reason for p in frame.attrs.get("problems", [])
                    if (p.path.endswith(".json") or p.reason == NOT_UTF8_FOLDER)
                    and under(p.path, prefix)}
        files = dict.fromkeys(self.frame["path"].tolist())
        files.update(dict.fromkeys(problems))
        super().__init__(str(root), files, problems)

    def read(self, paths: list[str]) -> dict[str, bytes]:
        real_root = self.root.resolve()
        return {rel: _read_bytes(self.root / rel) if leads_inside(real_root, self.root / rel)
                else b"unreadable: a symlink to a file outside the tree, not followed"
                for rel in paths}

    def rows(self, paths: list[str]) -> pd.DataFrame:
        return self.frame[self.frame["path"].isin(paths)]

    def all_rows(self) -> pd.DataFrame:
        return self.frame


def _read_bytes(path: str) -> bytes:
    """The file's bytes; an unreadable file (symlink loop, permissions, vanished) becomes text
    that does not parse, so the diff reports that side as unreadable instead of stopping."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if too_large_reason(size):  # not read into memory: its size and digest stand in
                return stand_in(size, digest_of(handle, size))
            return handle.read()
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}".encode()



class GitSnapshot(Snapshot):
    """A revision, read from the object store with the index's rule for which files are
    recordings; rows are described from the blobs on demand (each blob parsed once)."""

    def __init__(self, repo: str | os.PathLike, revision: str, prefix: str | None = None) -> None:
        self.repo = Path(repo).expanduser()
        self.prefix = prefix
        if not self.repo.is_dir():
            raise SnapshotError(f"--repo {repo}: no such directory; give a git repository")
        commit = resolve_revision(self.repo, revision)
        self.commit = commit
        listing = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", commit)
        files, maybe, problems = {}, {}, {}
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, blob = meta.split()
            rel = path.decode("utf-8", "surrogateescape")
            if not is_utf8(rel):
                if kind == b"blob" and rel.endswith(".json") and under(shown(rel), prefix):
                    problems[shown(rel)] = NOT_UTF8
                continue
            wanted, expected = candidate(rel)
            if kind != b"blob" or mode == b"120000" or not wanted or not under(rel, prefix):
                continue
            (files if expected else maybe)[rel] = blob.decode()
        self._described: dict[str, dict | None] = {}
        self._problems: dict[str, str] = problems
        super().__init__(f"{revision} ({commit[:12]})", files)
        self.files.update(self._recordings_among(maybe))
        self.problems = self._problems

    def _recordings_among(self, maybe: dict[str, str]) -> dict[str, str]:
        """Files outside `recordings` folders that hold a request and a response."""
        found = {}
        contents = cat_blobs(self.repo, list(maybe.values()))
        for rel, blob in maybe.items():
            try:
                if looks_like_recording(parse_bytes(contents[blob])):
                    found[rel] = blob
            except RecordingError:
                continue
        return found

    def read(self, paths: list[str]) -> dict[str, bytes]:
        blobs = [self.files[rel] for rel in paths]
        contents = cat_blobs(self.repo, blobs)
        return {rel: contents[blob] for rel, blob in zip(paths, blobs)}

    def rows(self, paths: list[str]) -> pd.DataFrame:
        todo = [p for p in paths if p not in self._described and p in self.files]
        for rel, data in self.read(todo).items():
            self._described[rel] = self._describe(rel, data)
        return frame_from_records([self._described[p] for p in paths
                                   if self._described.get(p) is not None])

    def _describe(self, rel: str, data: bytes) -> dict | None:
        try:
            return describe(parse_document(parse_bytes(data)), rel, len(data))
        except RecordingError as exc:
            self._problems[rel] = str(exc)
        except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the diff
            self._problems[rel] = f"could not be indexed ({type(exc).__name__}: {exc})"
        return None


def resolve_revision(repo: Path, revision: str) -> str:
    if not revision or revision.startswith("-") or any(ord(c) < 32 for c in revision):
        raise SnapshotError(f"{revision!r}: not a revision; give a branch, tag or commit (it "
                            f"may not start with '-')")
    try:
        out = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except SnapshotError as exc:
        if "not a git repository" in str(exc):
            raise
        raise SnapshotError(f"{revision}: not a revision of {repo}; give a branch, tag or "
                            f"commit that `git -C {repo} log` shows") from None
    return out.decode().strip()


def cat_blobs(repo: Path, blobs: list[str]) -> dict[str, bytes]:
    """Read blobs by id in one `git cat-file --batch` process."""
    contents = {}
    for blob, data in read_blobs(repo, dict.fromkeys(blobs), SnapshotError):
        if data is None:
            raise SnapshotError(f"{repo}: git object {blob} is missing",
                                f"run `git -C {repo} fsck`")
        contents[blob] = data
    return contents


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return run_git(repo, *args, stdin=stdin, error=SnapshotError,
                   not_a_repo="give the repository's folder")
