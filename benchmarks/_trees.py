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


def _sources(source: Path) -> list[Path]:
    """The recordings below `source`, sorted; exits when there are none."""
    sources = sorted(source.rglob("*.json")) if source != SHARED else source_files()
    if not sources:
        sys.exit(f"{source} holds no *.json recordings")
    return sources


def build_copies(target: Path, n_files: int, source: Path | None = None) -> tuple[int, int]:
    """Copy the recordings below `source` (default ../shared/recordings) whole, each copy in
    its own folder `copyN/` and under its own file name, until `n_files` exist: names, test
    ids and folders stay real, so every copy is as reachable as its original (the health
    column does today's work, not the work of a renamed file). Returns (files, bytes)."""
    source = source or SHARED
    sources = _sources(source)
    total = 0
    for number in range(n_files):
        original = sources[number % len(sources)]
        out = target / f"copy{number // len(sources)}" / original.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, out)
        total += original.stat().st_size
    return n_files, total


def build_flat(target: Path, n_files: int, source: Path | None = None) -> tuple[int, int]:
    """Like `build_copies`, but laid out as a real checkout is (a few dozen folders of hundreds
    of recordings each): a copy of a recording that today's recorder named `{hash}.json` sits in
    its original's folder, under a test id of its own (` copyN` inside the brackets, or a test
    of that folder's area when it had none) and named by its hash, so it is as reachable as its
    original. Copies of the others (model lists, older names) go to a `copyN` folder beside
    their original. Returns (files, bytes)."""
    import orjson

    from explorer.health.rules import named_today, request_hash

    source = source or SHARED
    sources = _sources(source)
    written, total, number = 0, 0, 0
    while written < n_files:
        original = sources[number % len(sources)]
        copy, number = number // len(sources), number + 1
        rel = original.relative_to(source)
        data = original.read_bytes()
        doc = orjson.loads(data)
        test_id, request = doc.get("test_id"), doc.get("request")
        if copy and isinstance(request, dict) and (test_id is None or isinstance(test_id, str)) \
                and named_today(original.name, request, request_hash(request, test_id)):
            if test_id is None:
                test_id = f"{rel.parent.parent.as_posix()}/test_copies.py::test_copy[copy{copy}]"
            else:
                head, bracket, tail = test_id.rpartition("]")
                test_id = f"{head} copy{copy}]{tail}" if bracket else f"{test_id}[copy{copy}]"
            doc["test_id"] = test_id
            out = target / rel.parent / f"{request_hash(request, test_id)}.json"
            data = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
        else:
            out = target / rel.parent / (f"copy{copy}" if copy else "") / original.name
        if out.exists():  # two originals that differ only in what the copy replaced
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        written, total = written + 1, total + len(data)
    return written, total
