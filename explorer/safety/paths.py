"""Paths named by a recordings tree or a page are followed only inside that tree."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from explorer.errors import ExplorerError


class OutsideTree(ExplorerError, ValueError):
    """A relative path that is absolute, climbs with `..`, or resolves (through a symlink)
    to a file outside its tree."""


def inside(root: str | os.PathLike, rel: str) -> Path:
    """`root / rel` when it is a relative path whose real location is inside `root`."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or ".." in pure.parts or "\x00" in rel:
        raise OutsideTree(f"{rel!r} is not a path relative to the recordings tree")
    base = Path(root).resolve()
    target = Path(base, rel)
    if not leads_inside(base, target):
        raise OutsideTree(f"{rel}: a symlink to a file outside the recordings tree; not "
                          f"followed")
    return target


def leads_inside(real_root: Path, path: str | os.PathLike) -> bool:
    """Whether `path`, with every symlink resolved, is `real_root` or below it."""
    real = Path(os.path.realpath(path))
    return real == real_root or real.is_relative_to(real_root)
