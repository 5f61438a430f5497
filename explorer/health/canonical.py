"""`json.dumps(value, sort_keys=True)`, byte for byte, at orjson's speed.

The recorder names a file by the sha256 of that text, so every byte counts: separators `", "`
and `": "`, `ensure_ascii`, Python's float repr. orjson writes the same JSON with other bytes;
its indented form differs from Python's only where a fix-up can tell without parsing:

- every raw newline in orjson's output is structural (a newline inside a string is escaped),
  so removing each newline with its indentation, and keeping one space after a comma, gives
  Python's separators (orjson writes `": "` when indenting);
- text that is not plain printable ASCII (non-ASCII, DEL, which Python escapes) is written by
  the standard library;
- what orjson refuses (integers beyond 64 bits, nesting beyond 255 levels) is written by the
  standard library.

Floats are the caller's part: orjson and Python write a float alike when it is 0 or between
1e-4 and 1e16 in magnitude (orjson writes `0.00001` and `1.5e-7` where Python writes `1e-05`
and `1.5e-07`, and NaN as `null`). The normalization sees every float of a body it rounds and
says whether one falls outside (`rules.normalize`'s trace): this is used only where none does.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
_COMMA = re.compile(rb",\n *")
_INDENT = re.compile(rb"\n *")
_standard = json.JSONEncoder(sort_keys=True).encode  # built once, not once per call


def dumps_sorted(value: Any) -> str:
    """The text `json.dumps(value, sort_keys=True)` gives (and raises what it raises), for a
    `value` whose floats are all 0 or of a magnitude between 1e-4 and 1e16."""
    return dumps_sorted_bytes(value).decode()


def dumps_sorted_bytes(value: Any) -> bytes:
    """`dumps_sorted` as the bytes a hash reads (ASCII: `json.dumps` escapes the rest), with
    no round trip through a str."""
    try:
        out = orjson.dumps(value, option=_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return _standard(value).encode()
    if not out.isascii() or b"\x7f" in out:
        return _standard(value).encode()
    return _INDENT.sub(b"", _COMMA.sub(b", ", out))
