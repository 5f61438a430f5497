"""Paths printed for shell pipelines (`--paths`): NUL-terminated with `-z`, like git's, else one
a line with the names that need it quoted as git quotes them (C-style, in double quotes), also
names holding a space or a quote, so that neither a newline nor a blank splits one name in two.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
          "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def needs_quotes(path: str) -> bool:
    return any(ord(c) < 0x20 or ord(c) >= 0x7f or c in " '\"\\" for c in path)


def quoted(path: str) -> str:
    """`path` as `git ls-files` prints it (core.quotePath), quoted also for a space or `'`."""
    if not needs_quotes(path):
        return path
    out = []
    for char in path:
        if char in _NAMED:
            out.append(_NAMED[char])
        elif ord(char) < 0x20 or ord(char) >= 0x7f:
            out.extend(f"\\{byte:03o}" for byte in char.encode("utf-8", "surrogateescape"))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def print_paths(paths: Iterable[str], nul: bool) -> None:
    """Each path on stdout: NUL-terminated bytes (`nul`), else one quoted line each."""
    if nul:
        stream = click.get_binary_stream("stdout")
        for path in paths:
            stream.write(path.encode("utf-8", "surrogateescape") + b"\0")
        stream.flush()
        return
    for path in paths:
        click.echo(quoted(path))


def nul_option(function):
    return click.option("-z", "nul", is_flag=True,
                        help="With --paths: end each path with NUL instead of a newline and "
                             "never quote (for `xargs -0`).")(function)
