"""How deeply a decoded JSON value nests, measured without recursion.

orjson reads documents up to 1024 levels deep but writes only 255; Python's own comparisons
and printing stop near 1000. Anything that walks a whole document first checks it here.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 255  # the deepest nesting orjson can write back


def deeper_than(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when `value` nests containers more than `limit` levels deep."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))
    return False


def too_deep_reason(limit: int = MAX_DEPTH) -> str:
    return (f"JSON nested more than {limit} levels deep; not compared (re-record the test, or "
            f"check where the nesting comes from)")
