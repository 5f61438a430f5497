"""Blank out what changes on every re-recording without meaning anything.

The recorder rewrites ids (`chatcmpl-…` → `rec-…`), zeroes `created` and keeps an
`id_normalization_mapping`; older trees kept real times and Ollama durations. Two recordings
whose normalized documents are equal differ only in that noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

NOISE_KEYS = frozenset({
    "created", "updated", "timestamp", "id_normalization_mapping", "system_fingerprint",
    "response_id", "duration",
})
NOISE_SUFFIXES = ("_at", "_duration", "_time", "_timestamp")
_ID_BODY = r"(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{6,}"  # with a digit, so words like file-upload stay
ID_PATTERN = re.compile(
    rf"\b(?:chatcmpl|cmpl|rec|resp|msg|run|batch|file|vs)-{_ID_BODY}"
    rf"|\b(?:call|toolu|fc|resp|msg|ws|run)_{_ID_BODY}")
DATE_PATTERN = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def is_noise_key(key: str) -> bool:
    return key in NOISE_KEYS or key.endswith(NOISE_SUFFIXES)


def normalize_text(text: str) -> str:
    """Ids and ISO times inside a string (also inside recorded SSE lines) become placeholders."""
    if not any(c in text for c in "-_"):
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
                if not is_noise_key(key):
                    target[key] = _node(item, stack)
        else:
            target.extend(_node(item, stack) for item in source)
    return root


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
