"""Symlinks met by the tree walker: never followed to a folder, never out of the tree.

A link is looked at, not walked: a link to a folder (by any name, a loop included) or to
anything outside the walked root is one problem row; a link to a file inside the tree is read
once, under the target's own path when the walk lists the target, else under the link's name.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass


@dataclass(frozen=True)
class LinkedFile:
    """A link (rel path below the root) to a regular file inside the tree."""

    rel: str
    target: str  # the target's path below the root, every link resolved
    size: int
    mtime_ns: int


OUTSIDE = ("symlink leading outside the recordings tree, not followed; copy the file into the "
           "tree instead")
TO_FOLDER = "symlink to a folder, not followed; index its target directly"
NOT_A_FILE = ("not a regular file (a FIFO, socket or device), not read; replace it with the "
              "recording's file")
HIDDEN = ("symlink to a file the walk does not read (not a *.json, or in a hidden or skipped "
          "folder), not followed; copy the recording into the tree instead")


def look_at_link(folder: str, name: str, rel: str, root: str, reported: bool
                 ) -> LinkedFile | str | None:
    """What a symlink at `folder/name` is: a LinkedFile, a problem reason, or None (nothing
    to report: `reported` is False for links that could not be a recording or its folder)."""
    path = os.path.join(folder, name)
    real = os.path.realpath(path)
    if not (real == root or real.startswith(root.rstrip(os.sep) + os.sep)):
        return OUTSIDE if reported else None
    try:
        info = os.stat(real)
    except OSError as exc:
        if not reported:
            return None
        reason = "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
        return f"{reason}; fix or remove the link"
    if stat.S_ISDIR(info.st_mode):
        return TO_FOLDER if reported else None
    if not stat.S_ISREG(info.st_mode):
        return NOT_A_FILE if reported else None
    if not name.endswith(".json"):
        return None
    target = os.path.relpath(real, root).replace(os.sep, "/")
    if not _walkable(target):
        return HIDDEN if reported else None
    return LinkedFile(rel, target, info.st_size, info.st_mtime_ns)


def _walkable(target: str) -> bool:
    """Whether the walk itself could list `target`: a *.json outside hidden and skipped
    folders (a link may not reach `.git/config` or `.env` through a recording's name)."""
    from explorer.table.walk import SKIPPED_DIRS

    folders = target.split("/")[:-1]
    return target.endswith(".json") and not any(
        folder.startswith(".") or folder in SKIPPED_DIRS for folder in folders)


def worth_reporting(name: str, in_recordings: bool) -> bool:
    """A link is a problem row when it could hold recordings: below `recordings`, named
    `*.json`, or named `recordings`."""
    return in_recordings or name.endswith(".json") or name == "recordings"
