"""File names that are not UTF-8: shown with escapes, reported as problems, never indexed.

`os.listdir` and `git ls-tree` names are decoded with surrogate escapes (`b"\\xff"` becomes
`"\\udcff"`); such a string cannot be written to Parquet, JSON or most terminals.
"""

from __future__ import annotations

NOT_UTF8 = ("file name is not valid UTF-8 (shown with \\x escapes); rename the file to a UTF-8 "
            "name")
NOT_UTF8_FOLDER = ("folder name is not valid UTF-8 (shown with \\x escapes); its files were not "
                   "read: rename the folder to a UTF-8 name")


def is_utf8(name: str) -> bool:
    """True when `name` encodes to UTF-8 (no surrogate escapes from undecodable bytes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(name: str) -> str:
    """`name` printable anywhere: undecodable bytes as `\\xff`, other lone surrogates as
    `\\udcxx`."""
    if is_utf8(name):
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")
