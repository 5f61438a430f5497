"""The versions of one recording, and any version opened as a `Recording` (from git, no checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from explorer.git import read_blobs
from explorer.history.gitlog import HistoryError
from explorer.record.recording import Recording, RecordingError, parse_bytes

VERSION_COLUMNS = ("commit", "committed_at", "subject", "status", "blob", "model",
                   "total_tokens", "finish_reason", "is_error", "client")


def versions_of(history: pd.DataFrame, path: str) -> pd.DataFrame:
    """Every change of `path` (relative to the repository), oldest first."""
    return history.loc[history["path"] == path, list(VERSION_COLUMNS)].reset_index(drop=True)


def load_version(repo: str | os.PathLike, blob: str, path: str = "") -> Recording:
    """The version stored as `blob` in `repo`, ready to replay; RecordingError if unreadable."""
    if not blob or len(blob) != 40 or any(c not in "0123456789abcdef" for c in blob):
        raise RecordingError(f"{blob!r} is not a blob id (40 hex digits); take one from the "
                             f"history's `blob` column")
    try:
        ((_, data),) = read_blobs(Path(repo).expanduser(), [blob], HistoryError)
    except HistoryError as exc:
        raise RecordingError(str(exc)) from None
    label = f"{path}@{blob[:12]}" if path else blob
    if data is None:
        raise RecordingError(f"{label}: git object is missing from {repo}; run `git fetch`")
    try:
        return Recording(Path(label), parse_bytes(data))
    except RecordingError as exc:
        raise RecordingError(f"{label}: {exc}") from None


def version_trees(repo: str | os.PathLike, path: str, base_blob: str, head_blob: str,
                  folder: Path) -> tuple[Path, Path]:
    """Two one-file trees under `folder` (`base/` and `head/`), each holding one version of
    `path` (relative to the repository) at that path, for the compare view."""
    roots = folder / "base", folder / "head"
    for root, blob in zip(roots, (base_blob, head_blob)):
        if not blob or len(blob) != 40 or any(c not in "0123456789abcdef" for c in blob):
            raise RecordingError(f"{blob!r} is not a blob id (40 hex digits)")
        ((_, data),) = read_blobs(Path(repo).expanduser(), [blob], HistoryError)
        if data is None:
            raise RecordingError(f"{path}@{blob[:12]}: git object is missing from {repo}")
        target = (root / path).resolve()
        if not target.is_relative_to(root.resolve()):  # a path from git, kept in its tree
            raise RecordingError(f"{path}: not a relative path inside the repository")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return roots

