"""JSON in and out for recording data: orjson for speed, the standard library for integers
orjson cannot hold (beyond 64 bits), so a huge number is a value to show, never a crash."""

from __future__ import annotations

import json
from typing import Any

import orjson

TOO_DEEP = "(value nested too deeply to show)"


def dumps(value: Any, indent: bool = False, default: Any = None) -> str:
    """`value` as JSON text (compact, or indented by 2); integers of any size stay exact.

    orjson refuses integers beyond 64 bits and nesting deeper than 255 levels (with the same
    TypeError it raises for unknown types): the standard library writes those; nesting too deep
    even for it is replaced by a note, never an exception."""
    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        return orjson.dumps(value, option=option, default=default).decode()
    except TypeError:
        pass
    try:
        return json.dumps(value, ensure_ascii=False, indent=2 if indent else None,
                          separators=None if indent else (",", ":"), default=default)
    except (RecursionError, ValueError):
        return TOO_DEEP


def loads(data: bytes | str) -> Any:
    """Parse JSON text; a number too large for orjson is read by the standard library."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "number" not in str(exc):
            raise
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise exc from None
