"""What differs between two versions of one recording, in words a reviewer reads: each
differing request field before → after, and a one-line account of the response (text length
and first difference, tool calls, finish reason, usage, error, chunk count, embeddings).

Values are clipped to `CLIP` characters; every function takes normalized or replayed data and
returns plain strings (escaping is the job of whoever renders them).
"""

from __future__ import annotations

import base64
import json
import struct
from typing import Any

from explorer.review.excerpt import excerpts
from explorer.review.normalize import MISSING, differences

CLIP = 60
MAX_EXCERPTED = 20  # fields shown as excerpts around their differences; the rest clipped
MAX_FIELDS_IN_SUMMARY = 3


def clip(value: Any, limit: int = CLIP) -> str:
    """A value as one short line: strings quoted, JSON for the rest, `none` for absent."""
    if value is MISSING or value is None:
        return "none"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def request_fields(base: Any, head: Any) -> list[dict[str, str]]:
    """Each differing field of two requests, noise set aside: {"field", "before", "after"}."""
    return [changed_field(field, before, after) if number < MAX_EXCERPTED else
            {"field": field, "before": clip(before), "after": clip(after)}
            for number, (field, before, after) in enumerate(differences(base or {}, head or {}))]


def changed_field(name: str, before: Any, after: Any) -> dict[str, str]:
    """Before and after as excerpts centred on what differs (a side that is absent is
    `none`), so two sides never read the same when they differ."""
    if before is MISSING or before is None or after is MISSING or after is None:
        return {"field": name, "before": clip(before), "after": clip(after)}
    old, new = excerpts(before, after)
    if old == new:  # the same text, another type (1 and "1", 1 and 1.0): show the values
        old, new = clip(before), clip(after)
    return {"field": name, "before": old, "after": new}


def fields_line(fields: list[dict[str, str]]) -> str:
    shown = [f"{f['field']} {f['before']} → {f['after']}" for f in fields[:MAX_FIELDS_IN_SUMMARY]]
    more = len(fields) - MAX_FIELDS_IN_SUMMARY
    return "request " + "; ".join(shown) + (f"; +{more} more fields" if more > 0 else "")


def text_change(name: str, before: str, after: str) -> str:
    """"text 38 → 29 chars, first difference at 9: "takes 3…" → "lasts 3…"."""
    at = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b),
              min(len(before), len(after)))
    start = max(0, at - 10)
    return (f"{name} {len(before):,} → {len(after):,} chars, first difference at {at:,}: "
            f"{clip(before[start:at + 30], 40)} → {clip(after[start:at + 30], 40)}")


def calls_change(before: list[dict], after: list[dict]) -> str | None:
    names = ([c["name"] for c in before], [c["name"] for c in after])
    if names[0] != names[1]:
        return f"tool calls {_names(names[0])} → {_names(names[1])}"
    for old, new in zip(before, after):
        if old["arguments"] != new["arguments"]:
            return (f"tool call {old['name']} arguments {_raw(old['arguments'])} → "
                    f"{_raw(new['arguments'])}")
    return None


def _raw(text: str, limit: int = 50) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "(none)"


def tokens_change(changes: dict[str, dict]) -> str:
    keys = [key for key in changes if key != "total_tokens"] or list(changes)
    shown = []
    for key in keys:
        change = changes[key]
        delta = "" if change["delta"] is None else f" ({change['delta']:+,})"
        shown.append(f"{key.removesuffix('_tokens')} {_count(change['base'])} → "
                     f"{_count(change['head'])}{delta}")
    return "tokens " + ", ".join(shown)


def _count(value: Any) -> str:
    return "unknown" if value is None else f"{value:,}"


def error_change(before: dict, after: dict) -> str:
    def side(row: dict) -> str:
        if not row.get("error"):
            return "none"
        status = row.get("status")
        return (f"{status} " if status else "") + _raw(row["error"], 50)
    return f"error {side(before)} → {side(after)}"


def embeddings(body: Any) -> list[list[float]] | None:
    """The vectors of an embedding response (OpenAI `data[].embedding`, Ollama `embeddings`
    or `embedding`, base64 floats included), or None when the body holds none."""
    found: list[list[float]] = []
    _collect(body, found)
    return found or None


def _collect(value: Any, found: list) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "embedding":
                vector = _vector(item)
                if vector is not None:
                    found.append(vector)
            elif key == "embeddings" and isinstance(item, list) and all(
                    isinstance(v, list) for v in item):
                found.extend(v for v in (_vector(v) for v in item) if v is not None)
            else:
                _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)


def _vector(value: Any) -> list[float] | None:
    if isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value):
        return value
    if isinstance(value, str) and value:
        try:
            raw = base64.b64decode(value, validate=True)
        except ValueError:
            return None
        if len(raw) % 4 == 0:
            return list(struct.unpack(f"<{len(raw) // 4}f", raw))
    return None


def embedding_change(before: list[list[float]] | None,
                     after: list[list[float]] | None) -> str | None:
    """"embedding length 384 → 16", "embeddings 2 → 3" or the first value that changed."""
    if before is None and after is None:
        return None
    before, after = before or [], after or []
    if len(before) != len(after):
        return f"embeddings {len(before)} → {len(after)}"
    for number, (old, new) in enumerate(zip(before, after)):
        label = "embedding" if len(before) == 1 else f"embedding {number}"
        if len(old) != len(new):
            return f"{label} length {len(old):,} → {len(new):,}"
        for index, (a, b) in enumerate(zip(old, new)):
            if a != b:
                return f"{label} values changed, first at [{index}]: {a:.6g} → {b:.6g}"
    return None
