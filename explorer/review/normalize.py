"""Blank out what changes on every re-recording without meaning anything.

The recorder rewrites ids (`chatcmpl-…` → `rec-…`), zeroes `created` and keeps an
`id_normalization_mapping`; older trees kept real times and Ollama durations; a re-recording
under another test keeps the request but changes `test_id`. Provider ids (`call_…`, `toolu_…`,
`fc_…`) are ids with or without digits where a key says so (`id`, `tool_call_id`, ...), and
inside free text when they carry a digit or mixed case (so `call_output` stays a word). Two
recordings whose normalized documents are equal differ only in that noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

NOISE_KEYS = frozenset({
    "created", "updated", "timestamp", "id_normalization_mapping", "system_fingerprint",
    "response_id", "duration", "test_id",
})
ID_KEYS = frozenset({"id", "call_id", "tool_call_id", "item_id", "tool_use_id",
                     "previous_response_id", "response_id"})
PROVIDER_ID = re.compile(r"(?:call|toolu|fc|chatcmpl|rec|resp|msg)[_-][A-Za-z0-9_-]+")
NOISE_SUFFIXES = ("_at", "_duration", "_time", "_timestamp")
# with a digit (within 64 characters: a bounded look-ahead keeps the scan linear on runs like
# "rec-rec-rec-…"), so words like file-upload stay
_ID_BODY = r"(?=[A-Za-z_-]{0,64}\d)[A-Za-z0-9_-]{6,}"
ID_PATTERN = re.compile(
    rf"\b(?:chatcmpl|cmpl|rec|resp|msg|run|batch|file|vs)-{_ID_BODY}"
    rf"|\b(?:call|toolu|fc|resp|msg|ws|run)_{_ID_BODY}"
    r"|\b(?:call|toolu|fc)_(?=[a-z0-9]*[A-Z])(?=[A-Z0-9]*[a-z])[A-Za-z0-9]{8,}\b")
DATE_PATTERN = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def is_noise_key(key: str) -> bool:
    return key in NOISE_KEYS or key.endswith(NOISE_SUFFIXES)


def normalize_text(text: str) -> str:
    """Ids and ISO times inside a string (also inside recorded SSE lines) become placeholders."""
    if "-" not in text and "_" not in text:
        return text
    return DATE_PATTERN.sub("<date>", ID_PATTERN.sub("<id>", text))


def normalize(value: Any) -> Any:
    """A copy of a decoded document without the recorder's noise: noise keys are left out (so
    one side having `id_normalization_mapping` and the other not is noise too), ids and dates
    inside strings become placeholders. Iterative: any depth orjson reads is fine."""
    if not isinstance(value, (dict, list)):
        return _leaf(value)
    root: Any = {} if isinstance(value, dict) else []
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        if isinstance(source, dict):
            for key, item in source.items():
                if is_noise_key(key):
                    continue
                if key in ID_KEYS and isinstance(item, str) and PROVIDER_ID.fullmatch(item):
                    target[key] = "<id>"
                else:
                    target[key] = _node(item, stack)
        elif source and _numbers(source):
            target.extend(source)  # an embedding vector or token ids: nothing to normalize
        else:
            target.extend(_node(item, stack) for item in source)
    return root


def _numbers(values: list) -> bool:
    kind = type(values[0])
    return (kind is float or kind is int) and all(type(v) is kind for v in values)


def _node(item: Any, stack: list) -> Any:
    """`item` normalized if it is a leaf; an empty container queued for filling otherwise."""
    if isinstance(item, (dict, list)):
        child: Any = {} if isinstance(item, dict) else []
        stack.append((item, child))
        return child
    return _leaf(item)


def _leaf(value: Any) -> Any:
    return normalize_text(value) if isinstance(value, str) else value


def differing_paths(base: Any, head: Any, path: str = "$") -> Iterator[str]:
    """JSON paths (`$.response.body[3].choices`) where two documents differ, depth first.
    Iterative; equality of subtrees is Python's, so callers keep documents within
    `explorer.safety.depth.MAX_DEPTH`."""
    stack: list = [(base, head, path)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # a finished path line
            yield item
            continue
        left, right, where = item
        todo: list = []
        if isinstance(left, dict) and isinstance(right, dict):
            for key in dict.fromkeys([*left, *right]):
                if key not in left or key not in right:
                    todo.append(f"{where}.{key}")
                elif left[key] != right[key]:
                    todo.append((left[key], right[key], f"{where}.{key}"))
        elif isinstance(left, list) and isinstance(right, list):
            todo = [(a, b, f"{where}[{index}]")
                    for index, (a, b) in enumerate(zip(left, right)) if a != b]
            if len(left) != len(right):
                todo.append(f"{where}[{min(len(left), len(right))}:] "
                            f"(length {len(left)} → {len(right)})")
        elif left != right:
            yield where
        stack.extend(reversed(todo))


MISSING = object()


def differences(base: Any, head: Any, path: str = "", limit: int | None = None
                ) -> Iterator[tuple[str, Any, Any]]:
    """(path, before, after) of each leaf where two documents differ once noise is set aside,
    as `normalize(base) != normalize(head)` would find, without copying either: equal
    subtrees are skipped by one comparison, and the walk stops after `limit` differences.
    A side without the key gives MISSING; lists of another length are one difference."""
    for found, item in enumerate(_differences(base, head, path), 1):
        yield item
        if limit is not None and found >= limit:
            return


def same_modulo_noise(base: Any, head: Any) -> bool:
    return next(_differences(base, head, ""), None) is None


def _differences(base: Any, head: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    if base == head:
        return
    if isinstance(base, dict) and isinstance(head, dict):
        for key in dict.fromkeys([*base, *head]):
            if is_noise_key(key):
                continue
            left, right = base.get(key, MISSING), head.get(key, MISSING)
            sub = f"{path}.{key}" if path else str(key)
            if left is MISSING or right is MISSING:
                yield sub, left, right
            elif left != right and not (key in ID_KEYS and _both_ids(left, right)):
                yield from _differences(left, right, sub)
    elif isinstance(base, list) and isinstance(head, list):
        if len(base) != len(head):
            yield path, base, head
            return
        for index, (left, right) in enumerate(zip(base, head)):
            if left != right:
                yield from _differences(left, right, f"{path}[{index}]")
    elif isinstance(base, str) and isinstance(head, str):
        if normalize_text(base) != normalize_text(head):
            yield path, base, head
    else:
        yield path, base, head


def _both_ids(left: Any, right: Any) -> bool:
    return (isinstance(left, str) and isinstance(right, str) and bool(PROVIDER_ID.fullmatch(left))
            and bool(PROVIDER_ID.fullmatch(right)))
