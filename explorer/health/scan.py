"""Scans of recorded text in linear time, where a regular expression would backtrack."""

from __future__ import annotations

import re

_ATTRIBUTES_TAIL = re.compile(r"\s*\{[^}]*\}")  # what follows "attributes:"


def drop_attributes(text: str) -> str:
    """`re.sub(r",?\\s*attributes:\\s*\\{[^}]*\\}", "", text)` in linear time: that pattern
    tries every whitespace position and scans the run after it (quadratic on a long run of
    spaces); here each "attributes:" is found once and the run before it read once."""
    last_close = text.rfind("}")
    parts, done, start = [], 0, 0
    while (at := text.find("attributes:", start)) >= 0 and at < last_close:
        tail = _ATTRIBUTES_TAIL.match(text, at + len("attributes:"))
        if tail is None:
            start = at + 1
            continue
        begin = at
        while begin > done and text[begin - 1].isspace():
            begin -= 1
        if begin > done and text[begin - 1] == ",":
            begin -= 1
        parts.append(text[done:begin])
        done = start = tail.end()
    parts.append(text[done:])
    return "".join(parts)


_RUN_BEFORE_COLONS = re.compile(r"(?<![\w./-])[\w./-]+(?=::)")
_NOT_SPACE = re.compile(r"\S+")


def node_ids(line: str) -> list[str]:
    """`re.findall(r"tests/[\\w./-]+\\.py::[^\\s]+", line)` in linear time: the pattern tries
    every "tests/" and scans the rest of its run each time (quadratic on "tests/tests/…");
    here each run of path characters before a "::" is read once."""
    ids, consumed = [], 0
    for run in _RUN_BEFORE_COLONS.finditer(line):
        if run.start() < consumed:
            continue
        path = run.group()
        at = path.find("tests/")
        if at < 0 or not path.endswith(".py") or len(path) - at < len("tests/x.py"):
            continue
        rest = _NOT_SPACE.match(line, run.end() + 2)
        if rest is not None:
            ids.append(path[at:] + "::" + rest.group())
            consumed = rest.end()
    return ids


def first_match(pattern: re.Pattern, line: str, anchor: str) -> re.Match | None:
    """`pattern.search(line)` for a pattern that starts with the literal `anchor` and can
    reach the end of the line: only the first `anchor` is tried (a later one cannot match
    where the first did not), so a line of repeated anchors costs one scan."""
    at = line.find(anchor)
    return None if at < 0 else pattern.match(line, at)
