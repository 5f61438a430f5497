"""`explorer diff`: flag a change that adds (or rewrites into) recordings today's recorder
can never read: stale (an older naming rule) or misplaced (a folder it never reads)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from explorer.health.status import place
from explorer.health.storage_place import place_in_storage
from explorer.health.text import plain
from explorer.safety.markdown import code

FLAGGED = ("stale", "misplaced")


def health_flags(diff) -> list[dict]:
    """{"path", "change", "status", "rule", "expected_name"} for each added or changed file of
    the head side that is stale or misplaced. `diff` is an `explorer.review.diff.TreeDiff`."""
    rows: pd.DataFrame = diff.head_rows
    if rows.empty or "health" not in rows.columns:
        return []
    root = _root_of(diff.head)
    rows = place(rows.copy(), root) if root is not None else rows
    added = set(diff.added)
    flags = []
    for row in rows.itertuples(index=False):
        status = None if pd.isna(row.health) else row.health
        if status in FLAGGED:
            flags.append({"path": row.path, "change": "added" if row.path in added else "changed",
                          "status": status, "rule": None if pd.isna(row.health_rule)
                          else row.health_rule,
                          "expected_name": None if pd.isna(row.expected_name)
                          else row.expected_name})
    return sorted(_unconfigured(flags, rows, root), key=lambda flag: flag["path"])


def _unconfigured(flags: list[dict], rows: pd.DataFrame, root: Path | None) -> list[dict]:
    """The flags left once the repository's storage settings are read: a misplaced file in a
    folder a job points the recorder at is reachable, and one the tree cannot judge ("misplaced
    unless a job sets …", see `explorer check`) is not flagged for removal."""
    misplaced = [flag for flag in flags if flag["status"] == "misplaced"]
    if not misplaced or root is None:
        return flags
    tests = dict(zip(rows["path"], rows["test_id"]))
    entries = [{"path": flag["path"], "status": "misplaced", "rule": flag["rule"],
                "test_id": None if pd.isna(tests.get(flag["path"])) else tests[flag["path"]]}
               for flag in misplaced]
    place_in_storage(entries, tuple(root.resolve().parts), [])
    cleared = {e["path"] for e in entries if e["status"] != "misplaced" or e.get("unless")}
    return [flag for flag in flags if flag["path"] not in cleared]


def _root_of(snapshot) -> Path | None:
    """Paths of a folder side are relative to that folder, of a git side to the repository."""
    for attribute in ("root", "repo"):
        value = getattr(snapshot, attribute, None)
        if value is not None:
            return Path(value)
    return None


def flags_text(flags: list[dict], markdown: bool = False) -> str:
    """A short section for the diff output; empty when nothing is flagged. In markdown every
    recorded value (path, rule, name) is a code span; on a terminal, escaped text."""
    if not flags:
        return ""
    head = (f"{len(flags)} added or changed recording(s) that today's recorder will never "
            f"read:")
    lines = [f"### ⚠ Recording health\n\n{head}\n" if markdown else f"\nhealth: {head}"]
    shown = code if markdown else plain  # recorded text: a code span, or terminal-safe
    for flag in flags:
        why = (f"stale, named by the {shown(flag['rule'])} rule; today's name is "
               f"{shown(flag['expected_name'])}" if flag["status"] == "stale"
               else "misplaced, in a folder the recorder never reads")
        lines.append(f"{'-' if markdown else ' '} {shown(flag['path'])} "
                     f"({shown(flag['change'])}): {why}")
    return "\n".join(lines) + "\n"
