"""Superseded recordings: when a pull request changes what a test sends, the recorder writes a
new file and the old one stays (nothing deletes it). An added recording whose test id,
endpoint and model match a recording the change leaves untouched, with a different request,
is that edit: paired with the kept file, which is then likely dead.

A test that makes several calls under one test id must not be paired by accident, so a pair
is made only on the clearly nearest request; where the test's own calls already differ from
each other (a new question, another prompt), only when that change is less than half of
both the smallest difference between two of the test's calls and the difference to the next
nearest; and never for a conversation that merely continues the kept one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.review.excerpt import as_text, outer_span
from explorer.review.normalize import MISSING, differences, normalize

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
    own, closest = _own_variation(kept)
    options = []
    for new in added:
        distances = [(_distance(old, new), old.path) for old in kept]
        if any(distance is None for distance, _ in distances):
            continue  # the same request is kept: a copy, not an edit
        scored = sorted(distances)
        best, path = scored[0]
        second = scored[1][0] if len(scored) > 1 else None
        if second is not None and second[:2] == best[:2]:
            continue  # no single nearest request: another call of the test, not an edit
        if best[1] * 2 > best[2]:
            continue  # half the request or more changed: another request, not an edit
        old = next(c for c in kept if c.path == path)
        if _continues(old, new):
            continue
        fields = [f for f, _, _ in differences(old.request, new.request, limit=MAX_FIELDS)]
        if any(_overlaps(f, v) for f in fields for v in own) and not (
                best[1] * 2 < closest and (second is None or best[1] * 2 < second[1])):
            continue  # where the test's calls differ anyway, only a much smaller edit pairs
        options.append((best, path, new.path))
    pairs, used_old, used_new = [], set(), set()
    for _, old_path, new_path in sorted(options):
        if old_path not in used_old and new_path not in used_new:
            pairs.append((old_path, new_path))
            used_old.add(old_path)
            used_new.add(new_path)
    return pairs


def _distance(old: Candidate, new: Candidate) -> tuple[int, int, int] | None:
    """(differing fields, changed characters, characters of the new request) of two
    requests; None when equal."""
    found = list(differences(old.request, new.request, limit=MAX_FIELDS))
    if not found:
        return None
    changed = 0
    for _, before, after in found:
        left = as_text(before) if before is not MISSING else ""
        right = as_text(after) if after is not MISSING else ""
        start, old_end, _, new_end = outer_span(left, right)
        changed += max(old_end - start, new_end - start, 1)
    return len(found), changed, len(as_text(new.request))


def _own_variation(kept: list[Candidate]) -> tuple[set[str], float]:
    """Fields in which the test's kept calls differ from each other, and the fewest changed
    characters between two of them (infinite for a single call)."""
    sample = kept[:MAX_GROUP]
    fields: set[str] = set()
    closest = float("inf")
    for index, first in enumerate(sample):
        for other in sample[index + 1:]:
            fields.update(f for f, _, _ in differences(first.request, other.request,
                                                        limit=MAX_FIELDS))
            distance = _distance(first, other)
            if distance is not None:
                closest = min(closest, distance[1])
    return fields, closest


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
