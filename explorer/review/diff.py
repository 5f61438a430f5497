"""Compare two recordings trees (folders or git revisions) and put every change in one class.

Classes, decided in this order for each file:
- `moved`: a removed file whose request (ids, timestamps, test_id ignored) reappears among
  the added ones; one change with `source` (base path) and `path` (head path);
- `noise`: only what re-recording or normalizing changes (ids, timestamps, durations,
  test_id, id_normalization_mapping, formatting);
- `environment`: same request to an endpoint that reports the machine (`/api/ps`, ...);
- `request`: the request differs (each field before → after);
- `response`: same request, another answer (one line saying what changed);
- `added`, `removed`: the rest.

Both trees come from the index (`load_index` and its cache for folders): the same rule for
which files are recordings, and only the files whose bytes differ are parsed again.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from explorer.record.recording import RecordingError, parse_bytes
from explorer.review.classify import (
    ENVIRONMENT_ENDPOINTS,
    FORMATTING_ONLY,
    NORMALIZED_ONLY,
    compare,
    load_side,
    summary_line,
)
from explorer.review.moves import pair_moves
from explorer.review.normalize import same_modulo_noise
from explorer.review.snapshot import FolderSnapshot, GitSnapshot, Snapshot
from explorer.review.supersede import Candidate, group_key, pair_superseded
from explorer.safety.depth import deeper_than
from explorer.table.index import _collector_paused
from explorer.table.schema import TOKEN_COLUMNS
from explorer.table.tokens import row_total

__all__ = [
    "CLASSES",
    "ENVIRONMENT_ENDPOINTS",
    "FORMATTING_ONLY",
    "NORMALIZED_ONLY",
    "Change",
    "TreeDiff",
    "diff_snapshots",
    "diff_trees",
    "summary_line",
]

CLASSES = ("request", "response", "moved", "environment", "noise", "added", "removed")
BEHAVIOUR = ("request", "response")  # with re-recorded moves: what a reviewer must read
BATCH = 512
LIKELY_DEAD = "likely dead after this change"
SUPERSEDED = "old file kept"
BATCH_BYTES = 128 << 20  # a batch of a folder side holds at most this (or one pair of files)


@dataclass
class Change:
    """One change: a file (or a moved pair) in exactly one class."""

    path: str
    kind: str  # one of CLASSES
    summary: str
    test_id: str | None = None
    model: str | None = None
    endpoint: str | None = None
    source: str | None = None  # moved: the base path; superseded: the kept file
    supersedes: str | None = None  # request: the kept file this added one replaces
    response_changed: bool | None = None  # moved: the response differs beyond noise
    fields: list[dict] = field(default_factory=list)  # request: field, before, after
    tokens: tuple[int | None, int | None] = (None, None)  # base, head
    cost: tuple[float | None, float | None] = (None, None)
    flags: list[str] = field(default_factory=list)  # recording-health flags, when known
    details: dict | str | None = None

    @property
    def test_file(self) -> str:
        """The test file (test id before `::`), else the recordings folder of the file."""
        if self.test_id:
            return self.test_id.split("::", 1)[0]
        return self.path.rsplit("/recordings/", 1)[0] if "/recordings/" in self.path else \
            self.path.rsplit("/", 1)[0]

    @property
    def matters(self) -> bool:
        return self.kind in BEHAVIOUR or (self.kind == "moved" and bool(self.response_changed))

    def as_json(self) -> dict:
        out = {"path": self.path, "class": self.kind, "summary": self.summary,
               "test_id": self.test_id, "model": self.model, "endpoint": self.endpoint,
               "base_tokens": self.tokens[0], "head_tokens": self.tokens[1],
               "base_cost_usd": self.cost[0], "head_cost_usd": self.cost[1]}
        if self.kind == "moved":
            out.update({"from": self.source, "response_changed": self.response_changed})
        if self.supersedes:
            out.update({"supersedes": self.supersedes, "old_file": "kept"})
        if self.fields:
            out["fields"] = self.fields
        out["flags"] = list(self.flags)
        return out


@dataclass
class TreeDiff:
    base: Snapshot
    head: Snapshot
    added: list[str]  # files only in head (moves included: see `changes`)
    removed: list[str]
    changed: list[str]  # files in both whose bytes differ
    details: dict[str, dict | str]  # by changed path
    base_rows: pd.DataFrame  # index rows of removed and changed files, as in base
    head_rows: pd.DataFrame  # index rows of added and changed files, as in head
    unchanged: list[str]
    changes: list[Change] = field(default_factory=list)

    @property
    def likely_dead(self) -> list[dict]:
        """Kept files an added recording supersedes: nothing reads them after this change."""
        return [{"path": c.supersedes, "superseded_by": c.path, "test_id": c.test_id,
                 "reason": LIKELY_DEAD} for c in self.changes if c.supersedes]

    @property
    def problems(self) -> list[dict]:
        """Files a side could not read (names that are not UTF-8, unreadable files), with the side."""
        return [{"path": path, "reason": reason, "side": side}
                for side, snapshot in (("base", self.base), ("head", self.head))
                for path, reason in snapshot.problems.items()]

    def as_json(self) -> dict:
        found = {"added": self.added, "removed": self.removed, "changed": self.changed,
                 "details": self.details, "changes": [c.as_json() for c in self.changes],
                 "likely_dead": self.likely_dead}
        return {**found, "problems": self.problems} if self.problems else found

    def normalized_only(self) -> list[str]:
        return [p for p in self.changed if isinstance(self.details[p], str)]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CLASSES, 0)
        for change in self.changes:
            counts[change.kind] += 1
        return counts

    def of(self, *kinds: str) -> list[Change]:
        return [c for c in self.changes if c.kind in kinds]


def diff_trees(base: str | os.PathLike, head: str | os.PathLike,
               repo: str | os.PathLike | None = None, prefix: str | None = None,
               cache: bool = True) -> TreeDiff:
    """`base` and `head` are folders, or with `repo` two revisions of that git repository."""
    if repo is not None:
        return diff_snapshots(GitSnapshot(repo, str(base), prefix),
                              GitSnapshot(repo, str(head), prefix))
    return diff_snapshots(FolderSnapshot(base, prefix, cache), FolderSnapshot(head, prefix, cache))


def diff_snapshots(base: Snapshot, head: Snapshot) -> TreeDiff:
    added = sorted(set(head.files) - set(base.files))
    removed = sorted(set(base.files) - set(head.files))
    common = sorted(set(base.files) & set(head.files))
    maybe = [rel for rel in common if _maybe_changed(base, head, rel)]
    unchanged = set(common) - set(maybe)
    with _collector_paused():
        compared = _compare_all(base, head, maybe)
        changes = [change for batch in compared for change in batch]
        changed = sorted(change.path for change in changes)
        unchanged |= set(maybe) - set(changed)
        base_rows = _priced(base.rows(removed + changed))
        head_rows = _priced(head.rows(added + changed))
        facts = _Facts(base_rows, head_rows)
        for change in changes:
            change.cost = (_cost(facts.base.get(change.path) or {}),
                           _cost(facts.head.get(change.path) or {}))
        details = {change.path: change.details for change in changes}
        kept = unchanged | {c.path for c in changes if c.kind == "noise"}
        changes += _moves_and_the_rest(base, head, added, removed, facts, kept)
    changes.sort(key=lambda c: (CLASSES.index(c.kind), c.test_file, c.path))
    return TreeDiff(base, head, added, removed, changed, details, base_rows, head_rows,
                    sorted(unchanged), changes)


def _compare_all(base: Snapshot, head: Snapshot, paths: list[str]) -> list[list[Change]]:
    """Read both versions of `paths` in batches and classify those whose bytes differ."""
    return [_compare_batch(base, head, batch) for batch in _batches(base, head, paths)]


def _batches(base: Snapshot, head: Snapshot, paths: list[str]):
    """`paths` in batches of at most BATCH files and, where the sizes are known (folders),
    BATCH_BYTES: memory is bounded by a batch, not by the trees."""
    batch, total = [], 0
    for rel in paths:
        size = _size(base, rel) + _size(head, rel)
        if batch and (len(batch) >= BATCH or total + size > BATCH_BYTES):
            yield batch
            batch, total = [], 0
        batch.append(rel)
        total += size
    if batch:
        yield batch


def _size(snapshot: Snapshot, rel: str) -> int:
    root = getattr(snapshot, "root", None)
    if root is None:
        return 0  # a git side: its blobs are counted by BATCH
    try:
        return os.lstat(os.path.join(root, rel)).st_size
    except OSError:
        return 0


def _compare_batch(base: Snapshot, head: Snapshot, batch: list[str]) -> list[Change]:
    old, new = base.read(batch), head.read(batch)
    changed = [rel for rel in batch if old[rel] != new[rel]]
    facts = _Facts(base.rows(changed), head.rows(changed))
    return [_changed(rel, old[rel], new[rel], facts) for rel in changed]


def _moves_and_the_rest(base: Snapshot, head: Snapshot, added: list[str], removed: list[str],
                        facts: _Facts, kept: set[str]) -> list[Change]:
    """Removed files whose request reappears among the added ones are moves; added files that
    supersede a kept one are request changes; the others stay added or removed."""
    gone = dict(_read(base, removed))
    new = dict(_read(head, added))
    gone_docs = {p: _doc(d) for p, d in gone.items()}
    new_docs = {p: _doc(d) for p, d in new.items()}
    moves = pair_moves(gone_docs, new_docs)
    changes = [_moved(source, target, (gone[source], gone_docs[source]),
                      (new[target], new_docs[target]), facts) for source, target in moves]
    moved_from = {s for s, _ in moves}
    moved_to = {t for _, t in moves}
    rest = {p: (new[p], new_docs[p]) for p in added if p not in moved_to}
    superseded = _superseded(head, rest, kept, facts)
    changes += superseded
    moved_to |= {c.path for c in superseded}
    changes += [_one_side(rel, "added", facts.head.get(rel), head.problems.get(rel))
                for rel in added if rel not in moved_to]
    changes += [_one_side(rel, "removed", facts.base.get(rel), base.problems.get(rel))
                for rel in removed if rel not in moved_from]
    return changes


class _Facts:
    """Index rows (priced) of the touched files of both sides, by path, as plain dicts."""

    def __init__(self, base_rows: pd.DataFrame, head_rows: pd.DataFrame) -> None:
        self.base = _by_path(base_rows)
        self.head = _by_path(head_rows)

    def sides(self, base_path: str, head_path: str) -> tuple[dict, dict]:
        return self.base.get(base_path) or {}, self.head.get(head_path) or {}


FACT_COLUMNS = ("path", "test_id", "model", "endpoint", "response_model", "finish_reason",
                "n_chunks", "error", "status", "kind", "cost_usd", *TOKEN_COLUMNS)


def _by_path(rows: pd.DataFrame) -> dict[str, dict]:
    rows = rows[[c for c in FACT_COLUMNS if c in rows.columns]]
    records = rows.astype(object).where(rows.notna(), None).to_dict("records")
    return {row["path"]: row for row in records}


def _priced(rows: pd.DataFrame) -> pd.DataFrame:
    try:
        from explorer.pricing.cost import price_frame
    except ImportError:
        return rows
    used = rows[list(TOKEN_COLUMNS)].notna().any(axis=1)
    priced = rows.assign(cost_usd=pd.array([pd.NA] * len(rows), dtype="Float64"))
    if used.any():  # a row without usage has no cost to look up
        priced.loc[used, "cost_usd"] = price_frame(rows[used])["cost_usd"].to_numpy()
    return priced


def _maybe_changed(base: Snapshot, head: Snapshot, rel: str) -> bool:
    """Equal git blob ids settle equality without reading; anything else compares bytes."""
    left, right = base.files[rel], head.files[rel]
    return left is None or right is None or left != right


def _read(snapshot: Snapshot, paths: list[str]):
    for start in range(0, len(paths), BATCH):
        yield from snapshot.read(paths[start:start + BATCH]).items()


def _doc(data: bytes) -> Any:

    try:
        document = parse_bytes(data)
    except RecordingError:
        return None
    return None if deeper_than(document) else document


def _changed(rel: str, old: bytes, new: bytes, facts: _Facts) -> Change:
    base_row, head_row = facts.sides(rel, rel)
    left, right = load_side(rel, old, base_row), load_side(rel, new, head_row)
    kind, details = compare(left, right)
    change = _change(rel, kind, details, base_row, head_row)
    if kind == "request" and isinstance(details, dict):
        change.fields = details["request"]
    return change


def _moved(source: str, target: str, old: tuple[bytes, Any], new: tuple[bytes, Any],
           facts: _Facts) -> Change:
    """`old` and `new`: (bytes, decoded document) of the base and head file."""
    base_row, head_row = facts.sides(source, target)
    left = load_side(source, old[0], base_row, old[1])
    right = load_side(target, new[0], head_row, new[1])
    same = not (left.unreadable or right.unreadable) and same_modulo_noise(
        left.document, right.document)
    details: dict | str = NORMALIZED_ONLY if same else compare(left, right)[1]
    what = "response unchanged" if same else summary_line(details)
    change = _change(target, "moved", details, base_row, head_row,
                     summary=f"moved from {source}; {what}")
    change.source, change.response_changed = source, not same
    return change


def _one_side(rel: str, kind: str, row: dict | None, problem: str | None) -> Change:
    row = row or {}
    if problem:
        summary = f"unreadable: {problem}"
    else:
        what = " ".join(str(v) for v in (row.get("endpoint"), row.get("model")) if v)
        summary = ("new recording" if kind == "added" else "recording removed") + (
            f": {what}" if what else "")
    base_row, head_row = (row, {}) if kind == "removed" else ({}, row)
    return _change(rel, kind, None, base_row, head_row, summary=summary)


def _change(path: str, kind: str, details: dict | str | None, base_row: dict, head_row: dict,
            summary: str | None = None) -> Change:
    def pick(name: str) -> Any:
        value = head_row.get(name)
        return value if value is not None else base_row.get(name)
    return Change(path=path, kind=kind,
                  summary=summary if summary is not None else summary_line(details),
                  test_id=pick("test_id"), model=pick("model"), endpoint=pick("endpoint"),
                  tokens=(row_total(base_row), row_total(head_row)),
                  cost=(_cost(base_row), _cost(head_row)), details=details)


def _cost(row: dict) -> float | None:
    cost = row.get("cost_usd")
    return None if cost is None else float(cost)



def _superseded(head: Snapshot, added: dict[str, tuple[bytes, Any]], unchanged: set[str],
                facts: _Facts) -> list[Change]:
    """Added recordings that replace a kept one (unchanged, or changed only in noise) of the
    same test, endpoint and model."""
    groups: dict[tuple, list[Candidate]] = {}
    for path, (_, document) in added.items():
        key = group_key(document)
        if key is not None:
            groups.setdefault(key, []).append(Candidate(path, document))
    if not groups or not unchanged:
        return []
    # the recorder writes a test's files to one folder: only kept files beside an added one
    folders = {posixpath.dirname(c.path) for candidates in groups.values() for c in candidates}
    rows = head.rows(sorted(p for p in unchanged if posixpath.dirname(p) in folders))
    tests = {key[0] for key in groups}
    wanted = rows.loc[rows["test_id"].isin(tests), "path"].tolist() if len(rows) else []
    kept_bytes = dict(_read(head, wanted))
    kept: dict[tuple, list[Candidate]] = {}
    for path, data in kept_bytes.items():
        document = _doc(data)
        key = group_key(document)
        if key in groups:
            kept.setdefault(key, []).append(Candidate(path, document))
    kept_rows = _by_path(rows[rows["path"].isin(kept_bytes)]) if len(rows) else {}
    changes = []
    for key, candidates in groups.items():
        for old, new in pair_superseded(candidates, kept.get(key, [])):
            old_doc = next(c.document for c in kept[key] if c.path == old)
            changes.append(_superseding(old, (kept_bytes[old], old_doc), new, added[new],
                                        kept_rows.get(old) or {}, facts.head.get(new) or {}))
    return changes


def _superseding(old: str, kept: tuple[bytes, Any], new: str, added: tuple[bytes, Any],
                 kept_row: dict, new_row: dict) -> Change:
    left = load_side(old, kept[0], kept_row, kept[1])
    right = load_side(new, added[0], new_row, added[1])
    details = compare(left, right)[1]
    change = _change(new, "request", details, kept_row, new_row,
                     summary=f"{SUPERSEDED}: {summary_line(details)}")
    change.source = change.supersedes = old
    if isinstance(details, dict):
        change.fields = details.get("request", [])
    return change
