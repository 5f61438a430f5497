"""Synthetic benchmark trees: copies of ../shared/recordings under new names (never committed)."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

SHARED = Path(os.environ.get("EXPLORER_SHARED_RECORDINGS")  # a checkout elsewhere (worktree)
              or Path(__file__).resolve().parents[2] / "shared" / "recordings")


def source_files() -> list[Path]:
    if not SHARED.is_dir():
        sys.exit(f"{SHARED} is absent: the benchmarks copy those recordings into a temporary tree")
    return sorted(SHARED.rglob("*.json"))


def build_tree(target: Path, n_files: int) -> tuple[int, int]:
    """Copy source recordings round-robin under fresh hash names until `n_files` exist.
    Returns (files, bytes). A copy sits in its source's folder under a new name, so the tree
    keeps the real layout (a few dozen `recordings` folders holding many files)."""
    sources = source_files()
    total = 0
    for number in range(n_files):
        source = sources[number % len(sources)]
        rel = source.relative_to(SHARED)
        name = hashlib.sha256(f"{rel}:{number}".encode()).hexdigest() + ".json"
        out = target / rel.parent / name
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)
        total += source.stat().st_size
    return n_files, total


def build_copies(target: Path, n_files: int, source: Path | None = None) -> tuple[int, int]:
    """Copy the recordings below `source` (default ../shared/recordings) whole, each copy in
    its own folder `copyN/` and under its own file name, until `n_files` exist: names, test
    ids and folders stay real, so every copy is as reachable as its original (the health
    column does today's work, not the work of a renamed file). Returns (files, bytes)."""
    source = source or SHARED
    sources = sorted(source.rglob("*.json")) if source != SHARED else source_files()
    if not sources:
        sys.exit(f"{source} holds no *.json recordings")
    total = 0
    for number in range(n_files):
        original = sources[number % len(sources)]
        out = target / f"copy{number // len(sources)}" / original.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, out)
        total += original.stat().st_size
    return n_files, total
