"""Compare two recordings trees (folders or git revisions), matched by relative path.

A changed file is explained by what a reviewer cares about: response text, reasoning, tool
calls, model, token counts (with deltas), finish reason, error state, the request — after the
recorder's noise (ids, `created`, durations, dates) is set aside. When nothing else differs the
explanation is exactly "only normalized fields changed".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from explorer.record.recording import Recording, RecordingError, parse_bytes
from explorer.review.normalize import differing_paths, normalize, normalize_text
from explorer.review.snapshot import FolderSnapshot, GitSnapshot, Snapshot
from explorer.safety.depth import deeper_than, too_deep_reason
from explorer.table.rows import describe
from explorer.table.schema import TOKEN_COLUMNS, frame_from_records

NORMALIZED_ONLY = "only normalized fields changed"
FORMATTING_ONLY = "only formatting changed (same JSON)"
MAX_PATHS = 20
BATCH = 256


@dataclass
class Side:
    """What one side of a changed file says, for comparison."""

    document: Any = None
    row: dict | None = None
    text: str = ""
    reasoning: str = ""
    tool_calls: list[dict] = field(default_factory=list)
    unreadable: str | None = None


@dataclass
class TreeDiff:
    base: Snapshot
    head: Snapshot
    added: list[str]
    removed: list[str]
    changed: list[str]
    details: dict[str, dict | str]
    base_rows: pd.DataFrame  # index rows of removed and changed files, as in base
    head_rows: pd.DataFrame  # index rows of added and changed files, as in head
    unchanged: list[str]

    @property
    def problems(self) -> list[dict]:
        """Files neither side could list (names that are not UTF-8), with the side."""
        return [{**problem, "side": side} for side, snapshot in (("base", self.base),
                                                                 ("head", self.head))
                for problem in snapshot.problems]

    def as_json(self) -> dict:
        found = {"added": self.added, "removed": self.removed, "changed": self.changed,
                 "details": self.details}
        return {**found, "problems": self.problems} if self.problems else found

    def normalized_only(self) -> list[str]:
        return [p for p in self.changed if isinstance(self.details[p], str)]


def diff_trees(base: str, head: str, repo: str | os.PathLike | None = None,
               prefix: str | None = None) -> TreeDiff:
    """`base` and `head` are folders, or with `repo` two revisions of that git repository."""
    if repo is not None:
        return diff_snapshots(GitSnapshot(repo, base, prefix), GitSnapshot(repo, head, prefix))
    return diff_snapshots(FolderSnapshot(base, prefix), FolderSnapshot(head, prefix))


def diff_snapshots(base: Snapshot, head: Snapshot) -> TreeDiff:
    added = sorted(set(head.files) - set(base.files))
    removed = sorted(set(base.files) - set(head.files))
    common = sorted(set(base.files) & set(head.files))
    changed, details, unchanged = [], {}, []
    base_rows = [_row(rel, data) for rel, data in _read(base, removed)]
    head_rows = [_row(rel, data) for rel, data in _read(head, added)]
    maybe = [rel for rel in common if _maybe_changed(base, head, rel)]
    unchanged = sorted(set(common) - set(maybe))
    for start in range(0, len(maybe), BATCH):
        batch = maybe[start:start + BATCH]
        old, new = base.read(batch), head.read(batch)
        for rel in batch:
            if old[rel] == new[rel]:
                unchanged.append(rel)
                continue
            changed.append(rel)
            left, right = _side(rel, old[rel]), _side(rel, new[rel])
            details[rel] = compare(old[rel], new[rel], left, right)
            base_rows.append(left.row or {"path": rel})
            head_rows.append(right.row or {"path": rel})
    return TreeDiff(base, head, added, removed, changed, details, _frame(base_rows),
                    _frame(head_rows), sorted(unchanged))


def _maybe_changed(base: Snapshot, head: Snapshot, rel: str) -> bool:
    """Equal git blob ids settle equality without reading; anything else compares bytes."""
    left, right = base.files[rel], head.files[rel]
    return left is None or right is None or left != right


def _read(snapshot: Snapshot, paths: list[str]):
    for start in range(0, len(paths), BATCH):
        yield from snapshot.read(paths[start:start + BATCH]).items()


def _frame(rows: list[dict | None]) -> pd.DataFrame:
    return frame_from_records([row for row in rows if row])


def _row(rel: str, data: bytes) -> dict:
    side = _side(rel, data)
    return side.row or {"path": rel}


def _side(rel: str, data: bytes) -> Side:
    try:
        document = parse_bytes(data)
        if deeper_than(document):
            return Side(unreadable=too_deep_reason())
        recording = Recording(Path(rel), document)
        row = describe(recording.parsed, rel, len(data))
        final = recording.final
    except RecordingError as exc:
        return Side(unreadable=str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the rest of the diff
        return Side(unreadable=f"could not be parsed ({type(exc).__name__}: {exc})")
    calls = [{"name": c.name, "arguments": c.arguments} for c in final.tool_calls]
    return Side(document, row, final.text, final.reasoning, calls)


def compare(old: bytes, new: bytes, base: Side, head: Side) -> dict | str:
    """What changed between two versions of one recording, noise set aside."""
    if base.unreadable or head.unreadable:
        return _with_summary({"changed": ["readable"], "readable": {
            "base": base.unreadable or "ok", "head": head.unreadable or "ok"}})
    if base.document == head.document:
        return FORMATTING_ONLY
    left, right = normalize(base.document), normalize(head.document)
    if left == right:
        return NORMALIZED_ONLY
    details = _semantic(base, head)
    request = list(differing_paths(left.get("request"), right.get("request"), "$.request"))
    if request:
        details["request"] = request[:MAX_PATHS]
    if not details:
        details["other"] = list(differing_paths(left, right))[:MAX_PATHS]
    details = {"changed": list(details), **details}
    return _with_summary(details)


def _semantic(base: Side, head: Side) -> dict:
    details: dict[str, Any] = {}
    for name in ("text", "reasoning"):
        old, new = getattr(base, name), getattr(head, name)
        if normalize_text(old) != normalize_text(new):
            details[name] = {"base": old, "head": new}
    if normalize(base.tool_calls) != normalize(head.tool_calls):
        details["tool_calls"] = {"base": base.tool_calls, "head": head.tool_calls}
    for name in ("model", "response_model", "finish_reason", "n_chunks"):
        old, new = _plain(base.row.get(name)), _plain(head.row.get(name))
        if old != new:
            details[name] = {"base": old, "head": new}
    tokens = _token_changes(base.row, head.row)
    if tokens:
        details["tokens"] = tokens
    old_error, new_error = base.row.get("error"), head.row.get("error")
    if old_error != new_error:
        details["error"] = {"base": old_error, "head": new_error}
    return details


def _token_changes(base: dict, head: dict) -> dict:
    changes = {}
    for name in TOKEN_COLUMNS:
        old, new = _plain(base.get(name)), _plain(head.get(name))
        if old != new:
            delta = new - old if old is not None and new is not None else None
            changes[name] = {"base": old, "head": new, "delta": delta}
    return changes


def _plain(value: Any) -> Any:
    return None if value is None or value is pd.NA else value


def _with_summary(details: dict) -> dict:
    return {"summary": summary_line(details), **details}


def summary_line(details: dict | str) -> str:
    """One line for a person: "text, tokens (prompt +12, completion -3), error"."""
    if isinstance(details, str):
        return details
    parts = []
    for name in details.get("changed", []):
        if name == "tokens":
            changes = details["tokens"]
            keys = [key for key in changes if key != "total_tokens"] or list(changes)
            shown = [f"{key.removesuffix('_tokens')} {_signed(changes[key]['delta'])}"
                     for key in keys]
            parts.append(f"tokens ({', '.join(shown)})")
        elif name == "error":
            parts.append("now failing" if details["error"]["head"] else "no longer failing")
        elif name == "readable":
            side = "head" if details["readable"]["head"] != "ok" else "base"
            parts.append(f"unreadable in {side}: {details['readable'][side]}")
        else:
            parts.append(name.replace("_", " "))
    return ", ".join(parts)


def _signed(delta: int | None) -> str:
    return "unknown" if delta is None else f"{delta:+,}"
