"""Which two trees a compare view shows: two folders, or two refs of one git repository (the
head read from its working tree when no ref is given, so uncommitted re-recordings show)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.sources import SourceError, is_git_source, recordings_root, resolve_source


@dataclass(frozen=True)
class TreePair:
    base: Path
    head: Path
    base_label: str
    head_label: str


def resolve_pair(base: str, head: str | None, ref: str | None = None) -> TreePair:
    """The two trees to compare.

    Args:
        base: a folder, or a ref of the head's repository.
        head: a folder or a git repository (URL or path).
        ref: the head's ref; a local repository without one is read from its working tree.

    Returns:
        The two folders and their labels.

    Raises:
        SourceError: no head, a base that is neither a folder nor a ref of a repository, or a
            source git cannot read.
    """
    if not head:
        raise SourceError("a base is given but no head: set EXPLORER_RECORDINGS (or the ROOT "
                          "of `explorer open`) to the recordings to compare with the base")
    folder = Path(base).expanduser()
    if folder.is_dir():
        head_root, head_label = resolve_source(head, ref)
        return TreePair(folder, head_root, str(folder), head_label)
    if not is_git_source(head):
        raise SourceError(f"{base}: no such folder; give the base recordings folder, or a git "
                          f"ref when the head is a git repository")
    base_root, base_label = resolve_source(head, base)
    local = Path(head).expanduser()
    if ref is None and local.is_dir():
        return TreePair(base_root, recordings_root(local), base_label, f"{head} (working tree)")
    head_root, head_label = resolve_source(head, ref or "HEAD")
    return TreePair(base_root, head_root, base_label, head_label)
