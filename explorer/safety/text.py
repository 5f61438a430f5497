"""Text from a recording, made harmless for where it is shown or stored.

`for_terminal`: control and format characters (ANSI/OSC escapes, carriage returns, bells, bidi
overrides, zero-width characters, U+2028/U+2029)
shown as escapes, so a recording cannot clear the screen, retitle the window or hide text.
`for_csv_cell`: a cell a spreadsheet would run as a formula (= + - @, tab, CR) kept as text.
"""

from __future__ import annotations

import re
import unicodedata

import click

# Format characters (Unicode Cf: zero-width, bidi, soft hyphen, tags...), line and paragraph
# separators (U+2028, U+2029) and lone surrogates: invisible, or moving text, on a terminal
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
           "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd"
           "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
           "\U000e0001\U000e0020-\U000e007f\ud800-\udfff")
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}]")
_CONTROL_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_FORMAT}]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _escape(match: re.Match) -> str:
    code = ord(match.group())  # \x1b for C0; \u009b from DEL up, which JSON text reads too
    if code < 0x20:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


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
