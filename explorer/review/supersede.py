"""Superseded recordings: when a pull request changes what a test sends, the recorder writes a
new file and the old one stays (nothing deletes it). An added recording whose test id,
endpoint and model match a recording the change leaves untouched, with a different request,
is that edit: paired with the kept file, which is then likely dead.

A test that makes several calls under one test id must not be paired by accident, so a pair
is made only on the nearest request, and only when the difference is not where the test's own
calls already differ from each other (a new question, a longer conversation) and is not a
conversation that merely continues the kept one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.review.normalize import differences, normalize

MAX_KEPT = 60  # kept recordings of one test, endpoint and model beyond which nothing pairs
MAX_GROUP = 12  # kept recordings compared with each other per test, for their own variation
MAX_FIELDS = 50


@dataclass(frozen=True)
class Candidate:
    path: str
    document: Any

    @property
    def request(self) -> Any:
        doc = self.document
        return doc.get("request") if isinstance(doc, dict) else None


def group_key(document: Any) -> tuple[str, str, str] | None:
    """(test id, endpoint, model) of a recording; None without a test id or a request."""
    if not isinstance(document, dict) or not isinstance(document.get("request"), dict):
        return None
    test_id, request = document.get("test_id"), document["request"]
    if not isinstance(test_id, str) or not test_id:
        return None
    return test_id, str(request.get("endpoint") or request.get("url") or ""), str(
        request.get("model") or "")


def pair_superseded(added: list[Candidate], kept: list[Candidate]) -> list[tuple[str, str]]:
    """(kept path, added path) pairs among recordings of one group (same group_key)."""
    if not added or not kept or len(kept) > MAX_KEPT:
        return []  # a test with this many calls: no pairing would be trustworthy
    own = _own_variation(kept)
    options = []
    for new in added:
        distances = [(_distance(old, new), old.path) for old in kept]
        if any(distance is None for distance, _ in distances):
            continue  # the same request is kept: a copy, not an edit
        scored = sorted(distances)
        best, path = scored[0]
        second = scored[1][0] if len(scored) > 1 else None
        if second is not None and second[0] <= best[0]:
            continue  # no single nearest request: another call of the test, not an edit
        old = next(c for c in kept if c.path == path)
        fields = [f for f, _, _ in differences(old.request, new.request, limit=MAX_FIELDS)]
        if any(_overlaps(f, v) for f in fields for v in own) or _continues(old, new):
            continue
        options.append((best, path, new.path))
    pairs, used_old, used_new = [], set(), set()
    for _, old_path, new_path in sorted(options):
        if old_path not in used_old and new_path not in used_new:
            pairs.append((old_path, new_path))
            used_old.add(old_path)
            used_new.add(new_path)
    return pairs


def _distance(old: Candidate, new: Candidate) -> tuple[int, int] | None:
    """(differing fields, differing characters) of two requests; None when equal."""
    found = list(differences(old.request, new.request, limit=MAX_FIELDS))
    if not found:
        return None
    chars = sum(abs(len(str(a)) - len(str(b))) + 1 for _, a, b in found)
    return len(found), chars


def _own_variation(kept: list[Candidate]) -> set[str]:
    """Fields in which the test's kept calls differ from each other."""
    sample = kept[:MAX_GROUP]
    fields: set[str] = set()
    for index, first in enumerate(sample):
        for other in sample[index + 1:]:
            fields.update(f for f, _, _ in differences(first.request, other.request,
                                                        limit=MAX_FIELDS))
    return fields


def _overlaps(field: str, other: str) -> bool:
    if field == other:
        return True
    short, long = sorted((field, other), key=len)
    return long.startswith(short) and long[len(short)] in ".["


def _continues(old: Candidate, new: Candidate) -> bool:
    """The new request's conversation starts with the whole of the old one (a later turn)."""
    before, after = _messages(old.request), _messages(new.request)
    if before is None or after is None or len(after) <= len(before):
        return False
    return normalize(before) == normalize(after[: len(before)])


def _messages(request: Any) -> list | None:
    body = request.get("body") if isinstance(request, dict) else None
    if not isinstance(body, dict):
        return None
    for key in ("messages", "input", "contents"):
        if isinstance(body.get(key), list):
            return body[key]
    return None
