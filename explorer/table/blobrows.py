"""Index rows from version rows kept by blob id, for work-tree files that git has unchanged.

A file git tracks as a regular file whose bytes hash to the blob `git ls-files -s` names holds
exactly that blob (the hash is taken here: git's own change check could run the repository's
filters). When the version store (`cache.version_store`, or a history just
read) has that blob's row, the file's index row is made from it instead of parsing the file:
everything but the columns that depend on where the file sits. Those are set here as the
parser would set them: `path`, `area` (from the file's location), and `health`/`health_rule`
(from the row's naming key, which answers for any file name). Nothing else is trusted blindly:
a version that could not be described, a size that differs from the file's (a git filter or
line-ending conversion changed the bytes) or a file outside a `recordings` folder is parsed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pandas as pd

from explorer.git import GitError, run_git
from explorer.health.status import name_health, placed
from explorer.record.classify import area_of
from explorer.safety.size import too_large_reason
from explorer.table.cache import version_store
from explorer.table.schema import NAMES

REGULAR_MODES = (b"100644", b"100755")
PER_FILE = ("path", "area", "status", "health", "health_rule", "recorded_at")
COPIED = tuple(name for name in NAMES if name not in PER_FILE)
# Fewer files than this are parsed rather than looked up in the store: asking git and reading
# the store cost about 20-30 ms, parsing a file about 1 ms (a re-open after a few edits).
STORE_MIN_FILES = 32


def clean_blobs(root: Path, wanted: list[str] | None = None) -> dict[str, str]:
    """rel path (below `root`) -> blob id, for the regular files git tracks below `root` (of
    `wanted`, when given) whose bytes are the blob's; empty when `root` is in no work tree (or
    git is missing). Only `git ls-files` runs (it reads the index); whether a file changed is
    decided by hashing its bytes here, so no filter or hook of the repository can run."""
    try:
        listed = run_git(root, "ls-files", "-s", "-z")
    except GitError:
        return {}
    keep = None if wanted is None else set(wanted)
    blobs = {}
    for entry in listed.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        parts = meta.split(b" ")
        if len(parts) != 3 or parts[0] not in REGULAR_MODES or parts[2] != b"0":
            continue  # links, submodules, and the sides of an unresolved merge
        rel = os.fsdecode(name)
        blob = parts[1].decode("ascii")
        if (keep is None or rel in keep) and _holds_blob(root / rel, blob):
            blobs[rel] = blob
    return blobs


def _holds_blob(path: Path, blob: str) -> bool:
    """Whether the regular file at `path` holds exactly the blob `blob` (SHA-1 or SHA-256)."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or too_large_reason(info.st_size):
            return False
        data = path.read_bytes()
    except OSError:
        return False
    digest = hashlib.sha256 if len(blob) == 64 else hashlib.sha1
    return digest(b"blob %d\0" % len(data) + data).hexdigest() == blob


def reusable_rows(root: Path, anchor: str, todo: list[tuple[str, bool]],
                  sizes: dict[str, tuple[int, int]], versions: pd.DataFrame | None
                  ) -> dict[str, dict[str, Any]]:
    """Index rows (rel -> row dict, as `index_file` makes them) for the files of `todo` whose
    versions are known: from `versions` (indexed by blob id) when given, else the blob store.
    `anchor`: the resolved root, `sizes`: the walk's (size, mtime) per file."""
    expected = [rel for rel, is_expected in todo if is_expected]
    from_store = versions is None
    if not expected or (from_store and (len(expected) < STORE_MIN_FILES
                                        or not version_store().has_rows())):
        return {}  # nothing (worth it) to reuse: spare the git calls
    tracked = clean_blobs(root, expected)
    wanted = {rel: tracked[rel] for rel in expected if rel in tracked}
    if not wanted:
        return {}
    if from_store:
        versions = version_store().load_rows(set(wanted.values()))
    known = versions[versions.index.isin(list(wanted.values()))]
    known = known[known["problem"].isna()]  # parse it: the parser words the problem
    if known.empty:
        return {}
    records = dict(zip(known.index, known.to_dict("records")))
    rows = {}
    for rel, blob in wanted.items():
        version = records.get(blob)
        if version is None or _value(version["size_bytes"]) != sizes[rel][0]:
            continue
        rows[rel] = index_row(version, rel, f"{anchor}/{rel}")
    return rows


def index_row(version: dict[str, Any], rel: str, location: str) -> dict[str, Any]:
    """The index row of the file at `rel` (real place `location`) holding this version."""
    row = {name: _value(version[name]) for name in COPIED}
    row["path"] = rel
    row["status"] = _value(version["http_status"])
    row["area"] = area_of(location, row["test_file"])
    naming = _value(version["naming"])
    if naming is None:  # no file name changes its health (not hashed, or not hashable)
        row["health"], row["health_rule"] = _value(version["health"]), _value(
            version["health_rule"])
    else:
        row.update(name_health(rel, naming, row["expected_name"]))
    row["health"] = placed(row["health"], location, row["test_id"])
    issues = _value(version["issues"])
    if issues:
        row["_issues"] = issues
    return row


def _value(value: Any) -> Any:
    """A stored value as the parser gives it: None for NA, lists as lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, list):
        return value
    return None if pd.isna(value) else value
