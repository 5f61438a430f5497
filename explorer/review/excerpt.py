"""Where two texts differ, shown as excerpts centred on each differing span with some context
on either side, so a one-character change deep in a long prompt is visible.

The common start and end are set aside (linear); a short differing middle is matched word by
word (difflib, quadratic, so bounded), a long one is one span from the first to the last
differing character."""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

CONTEXT = 30  # characters of unchanged text kept on each side of a change
CHANGE = 80  # a longer changed part keeps its first and last CHANGE // 2 characters
MAX_SPANS = 3
MAX_TOKENS = 120  # differing middle parts longer than this are one span (difflib is quadratic)
GAP = 2 * CONTEXT  # changes closer than this share one excerpt
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Span = tuple[int, int, int, int]  # start, end in `before`; start, end in `after`


def as_text(value: Any) -> str:
    """A string as itself; anything else as compact JSON with sorted keys."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def spans(before: str, after: str) -> list[Span]:
    """Character spans where `before` and `after` differ, nearby ones merged, in order. The
    common start and end are set aside first (linear); what is left is matched word by word
    when it is short, else it is one span."""
    if before == after:
        return []
    outer = outer_span(before, after)
    start = outer[0]
    left = _TOKEN.findall(before[start:outer[1]])
    right = _TOKEN.findall(after[start:outer[3]])
    if len(left) > MAX_TOKENS or len(right) > MAX_TOKENS:
        return [outer]
    found: list[list[int]] = []
    left_at, right_at = _offsets(left, start), _offsets(right, start)
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        span = [left_at[i1], left_at[i2], right_at[j1], right_at[j2]]
        if found and span[0] - found[-1][1] < GAP and span[2] - found[-1][3] < GAP:
            found[-1][1], found[-1][3] = span[1], span[3]
        else:
            found.append(span)
    return [tuple(s) for s in found] or [outer]  # type: ignore[misc]


def _offsets(tokens: list[str], start: int) -> list[int]:
    offsets = [start]
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    return offsets


def outer_span(before: str, after: str) -> Span:
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return start, len(before) - end, start, len(after) - end


def excerpt(text: str, start: int, end: int) -> str:
    """`text[start:end]` with CONTEXT characters either side, long changes shortened."""
    changed = text[start:end]
    if len(changed) > CHANGE:
        changed = changed[: CHANGE // 2] + "…" + changed[-(CHANGE // 2):]
    lead = ("…" if start > CONTEXT else "") + text[max(0, start - CONTEXT):start]
    tail = text[end:end + CONTEXT] + ("…" if end + CONTEXT < len(text) else "")
    return lead + changed + tail


def excerpts(before: Any, after: Any) -> tuple[str, str]:
    """Both sides as excerpts around each difference (at most MAX_SPANS, then a count),
    strings JSON-quoted so line breaks and quotes show."""
    old, new = as_text(before), as_text(after)
    found = spans(old, new)
    parts = [(excerpt(old, a, b), excerpt(new, c, d)) for a, b, c, d in found[:MAX_SPANS]]
    more = f" (+{len(found) - MAX_SPANS} more changes)" if len(found) > MAX_SPANS else ""
    left = " ".join(p[0] for p in parts) + more
    right = " ".join(p[1] for p in parts) + more
    if isinstance(before, str) and isinstance(after, str):
        return _quoted(left), _quoted(right)
    return left, right


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)

