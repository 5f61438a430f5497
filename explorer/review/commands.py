"""The commands a review comment suggests, written for the trees it compared so that each
works as printed: two folders by their paths, two revisions by their commits with `--repo`."""

from __future__ import annotations

import shlex

from explorer.review.md_escape import code
from explorer.review.snapshot import Snapshot


def _side(snapshot: Snapshot) -> str:
    commit = getattr(snapshot, "commit", None)
    if commit:
        return commit
    return str(getattr(snapshot, "root", snapshot.label))


def _is_git(snapshot: Snapshot) -> bool:
    return bool(getattr(snapshot, "commit", None))


def diff_command(base: Snapshot, head: Snapshot, output: str = "json") -> str:
    """`explorer diff BASE HEAD [--repo .] [--path P] --format json`: with `--repo .` for
    revisions (run from a checkout of the repository: the commits are named in full)."""
    words = ["explorer", "diff", _side(base), _side(head)]
    if _is_git(head):
        words += ["--repo", "."]
    prefix = getattr(head, "prefix", None)
    if prefix:
        words += ["--path", prefix]
    words += ["--format", output]
    return shlex.join(words)


def report_command(base: Snapshot, head: Snapshot) -> str | None:
    """`explorer report HEAD --against BASE --out report.html`, for two folders only (the
    report reads folders, not revisions)."""
    if _is_git(head) or _is_git(base) or getattr(head, "prefix", None):
        return None
    return shlex.join(["explorer", "report", _side(head), "--against", _side(base), "--out",
                       "report.html"])


def more_text(base: Snapshot, head: Snapshot) -> str:
    """Where the reader finds what a comment leaves out."""
    text = f"{code(diff_command(base, head))} lists every change"
    report = report_command(base, head)
    return text + (f"; {code(report)} shows them in a browser" if report else "")
