"""Text from a recording, made harmless for where it is shown or stored.

`for_terminal`: control characters (ANSI/OSC escapes, carriage returns, bells, bidi overrides)
shown as escapes, so a recording cannot clear the screen, retitle the window or hide text.
`for_csv_cell`: a cell a spreadsheet would run as a formula (= + - @, tab, CR) kept as text.
"""

from __future__ import annotations

import re
import unicodedata

import click

# C0 (but tab and newline), DEL, C1, and the Unicode bidi controls
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _escape(match: re.Match) -> str:
    code = ord(match.group())  # \x1b for C0; \u009b from DEL up, which JSON text reads too
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def for_terminal(text: object, one_line: bool = False) -> str:
    """`text` with control characters written as `\\x1b`-style escapes (newlines and tabs
    kept, unless `one_line`, when they are escaped too)."""
    value = str(text)
    pattern = _CONTROL_LINE if one_line else _CONTROL
    return pattern.sub(_escape, value)


def for_csv_cell(value: object) -> object:
    """A text cell that starts like a formula, also after leading whitespace or control or
    format characters (which a spreadsheet may skip), gets a leading `'`; other values
    unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_START)
                                   or _skip_blank(value).startswith(FORMULA_START)):
        return "'" + value
    return value


def _skip_blank(value: str) -> str:
    """`value` without its leading whitespace, control and format characters."""
    for at, char in enumerate(value):
        if not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs")):
            return value[at:]
    return ""


def echo(message: object = "", **kwargs) -> None:
    """`click.echo` of `message` made safe for a terminal (the CLI's only way to print)."""
    click.echo(for_terminal("" if message is None else message), **kwargs)
