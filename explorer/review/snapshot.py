"""The recordings of one side of a diff: a folder, or a revision of a git repository.

A git revision is read straight from the object store (`git ls-tree`, `git cat-file --batch`):
nothing is checked out and the work tree is never touched.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from explorer.errors import ExplorerError
from explorer.safety.names import NOT_UTF8, NOT_UTF8_FOLDER, is_utf8, shown
from explorer.safety.paths import leads_inside

SKIPPED_DIRS = {"node_modules", "__pycache__", "site-packages"}


class SnapshotError(ExplorerError):
    """A side of the diff that cannot be read; the message names it and the fix."""


def wanted(rel: str, prefix: str | None) -> bool:
    """A *.json below a folder named `recordings`, or any *.json under `prefix` when given."""
    if not rel.endswith(".json"):
        return False
    if prefix:
        return rel.startswith(prefix.strip("/") + "/") or rel == prefix
    return "recordings" in rel.split("/")[:-1]


@dataclass
class Snapshot:
    """`files` maps relative POSIX path → a key; equal keys mean equal bytes (git blob ids),
    None means "compare the bytes"."""

    label: str
    files: dict[str, str | None] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)  # {"path", "reason"}: files not read

    def read(self, paths: list[str]) -> dict[str, bytes]:
        raise NotImplementedError


class FolderSnapshot(Snapshot):
    def __init__(self, root: str | os.PathLike, prefix: str | None = None) -> None:
        self.root = Path(root).expanduser()
        if not self.root.is_dir():
            raise SnapshotError(f"{root}: no such directory; give the folder of a recordings "
                                f"tree (for git revisions: explorer diff BASE HEAD --repo PATH)")
        found, problems = _walk(self.root, prefix)
        super().__init__(str(root), {rel: None for rel in found if wanted(rel, prefix)},
                         problems)

    def read(self, paths: list[str]) -> dict[str, bytes]:
        real_root = self.root.resolve()
        return {rel: _read_bytes(self.root / rel) if leads_inside(real_root, self.root / rel)
                else b"unreadable: a symlink to a file outside the tree, not followed"
                for rel in paths}

    def size(self, rel: str) -> int:
        return (self.root / rel).stat().st_size


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; an unreadable file (symlink loop, permissions, vanished) becomes text
    that does not parse, so the diff reports that side as unreadable instead of stopping."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}".encode()


def _walk(root: Path, prefix_filter: str | None) -> tuple[list[str], list[dict]]:
    """Relative *.json paths, and a problem per file or folder whose name is not UTF-8."""
    found, problems = [], []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        problems += [{"path": shown(prefix + d), "reason": NOT_UTF8_FOLDER}
                     for d in dirs if not is_utf8(d)]
        dirs[:] = [d for d in dirs if is_utf8(d)]
        for name in files:
            if name.endswith(".json"):
                if is_utf8(name):
                    found.append(prefix + name)
                elif wanted(shown(prefix + name), prefix_filter):
                    problems.append({"path": shown(prefix + name), "reason": NOT_UTF8})
    return found, problems


class GitSnapshot(Snapshot):
    def __init__(self, repo: str | os.PathLike, revision: str, prefix: str | None = None) -> None:
        self.repo = Path(repo).expanduser()
        if not self.repo.is_dir():
            raise SnapshotError(f"--repo {repo}: no such directory; give a git repository")
        commit = resolve_revision(self.repo, revision)
        listing = _git(self.repo, "ls-tree", "-r", "-z", "--full-tree", commit)
        files, problems = {}, []
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            mode, kind, blob = meta.split()
            rel = path.decode("utf-8", "surrogateescape")
            if kind == b"blob" and mode != b"120000" and wanted(rel, prefix):
                if is_utf8(rel):
                    files[rel] = blob.decode()
                else:
                    problems.append({"path": shown(rel), "reason": NOT_UTF8})
        super().__init__(f"{revision} ({commit[:12]})", files, problems)

    def read(self, paths: list[str]) -> dict[str, bytes]:
        blobs = [self.files[rel] for rel in paths]
        contents = cat_blobs(self.repo, blobs)
        return {rel: contents[blob] for rel, blob in zip(paths, blobs)}


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
    unique = list(dict.fromkeys(blobs))
    if not unique:
        return {}
    data = _git(repo, "cat-file", "--batch", stdin="\n".join(unique).encode() + b"\n")
    contents, position = {}, 0
    for blob in unique:
        header_end = data.index(b"\n", position)
        header = data[position:header_end].split()
        if len(header) != 3:
            raise SnapshotError(f"{repo}: git object {blob} is missing; run `git -C {repo} fsck`")
        size = int(header[2])
        contents[blob] = data[header_end + 1: header_end + 1 + size]
        position = header_end + 1 + size + 1
    return contents


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True,
                              check=False)
    except FileNotFoundError:
        raise SnapshotError("git is not installed; install git to diff revisions") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        reason = message[-1] if message else f"git {args[0]} failed"
        if "not a git repository" in reason:
            reason = f"{repo} is not a git repository; give --repo the repository's folder"
        raise SnapshotError(reason)
    return done.stdout
