"""The count tables of a review comment: every added and removed recording by test file, the
bookkeeping classes by folder, and the folded file lists that use the room left.

A table that would not fit its share of the comment is regrouped coarser (test file → folder)
and finally ends in one "other" row, so the counts always add up to every file."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from explorer.review.diff import Change, TreeDiff
from explorer.review.md_escape import code

OTHER = "(other folders)"


def folder(path: str) -> str:
    """`tests/integration/inference/recordings/x.json` → `tests/integration/inference`."""
    if "/recordings/" in path:
        return path.rsplit("/recordings/", 1)[0]
    return posixpath.dirname(path) or "."


def _count(groups: dict[str, list[int]], key: str, column: int, width: int) -> None:
    groups.setdefault(key, [0] * width)[column] += 1


def _table(title: str, note: str, columns: tuple[str, ...], groups: dict[str, list[int]],
           budget: int) -> str:
    """Rows largest first; the rows past `budget` summed in one OTHER row."""
    lines = [title, "", note, "", "| " + " | ".join(columns) + " |",
             "|---|" + "--:|" * (len(columns) - 1)]
    rows = sorted(groups.items(), key=lambda item: (-sum(item[1]), item[0]))
    rendered = [f"| {code(key, table=True)} | " + " | ".join(f"{n:,}" for n in counts) + " |"
                for key, counts in rows]

    def other(left: int) -> str:
        rest = [sum(others) for others in zip(*(counts for _, counts in rows[-left:]))]
        return f"| {OTHER} ({left:,}) | " + " | ".join(f"{n:,}" for n in rest) + " |"

    return "\n".join(listed(lines, rendered, budget, 80, other))


def fitting(lines: list[str], room: int) -> int:
    """How many of `lines`, from the first, fit in `room` characters (each with its newline)."""
    for shown, line in enumerate(lines):
        room -= len(line) + 1
        if room < 0:
            return shown
    return len(lines)


def listed(head: list[str], items: list[str], budget: int, reserve: int,
           more: Callable[[int], str]) -> list[str]:
    """`head`, then as many of `items` as fit in `budget` characters less `reserve` (the room
    kept for what follows), then `more(n)` when n items are left out."""
    shown = fitting(items, budget - sum(len(line) + 1 for line in head) - reserve)
    lines = head + items[:shown]
    if shown < len(items):
        lines.append(more(len(items) - shown))
    return lines


def accounting_section(diff: TreeDiff, budget: int) -> str:
    """Every added and removed recording (moves and superseded ones are in the behaviour
    section), counted by test file, or by folder when the test files would not fit."""
    added, removed = diff.of("added"), diff.of("removed")
    title = f"### Added and removed recordings ({len(added):,} added, {len(removed):,} removed)"
    if not added and not removed:
        return f"{title}\n\nNone besides the moves and request changes above."
    by_test: dict[str, list[int]] = {}
    by_folder: dict[str, list[int]] = {}
    for column, changes in enumerate((added, removed)):
        for change in changes:
            _count(by_test, change.test_file, column, 2)
            _count(by_folder, folder(change.path), column, 2)
    note = "By test file (the recordings folder where a file names no test)."
    table = _table(title, note, ("test file", "added", "removed"), by_test, budget)
    if OTHER in table and len(by_folder) < len(by_test):
        table = _table(title, "By folder (too many test files to list).",
                       ("folder", "added", "removed"), by_folder, budget)
    return table


def bookkeeping_section(diff: TreeDiff, budget: int) -> str:
    """Noise, environment and unchanged moves: counts per folder, no file lists."""
    groups: dict[str, list[int]] = {}
    kinds = {"noise": 0, "environment": 1}
    for change in diff.changes:
        if change.kind in kinds:
            _count(groups, folder(change.path), kinds[change.kind], 3)
        elif change.kind == "moved" and not change.response_changed:
            _count(groups, folder(change.path), 2, 3)
    total = sum(sum(counts) for counts in groups.values())
    title = f"### Bookkeeping ({total:,} recordings, no behaviour change)"
    if not groups:
        return f"{title}\n\nNo noise, environment or unchanged-move changes."
    note = ("noise: only ids, times or the recorder's own fields changed; environment: the "
            "same request to an endpoint that reports the machine; unchanged moves: renamed "
            "or moved, same request and response.")
    return _table(title, note, ("folder", "noise", "environment", "unchanged moves"), groups,
                  budget)


def folded(title: str, changes: list[Change], budget: int, line: Callable[[Change], str],
           more: str) -> tuple[str, int]:
    """A <details> list of `changes`, as many as `budget` allows, and how many are not."""
    if not changes:
        return "", budget
    rest = f"- … {len(changes):,} more not shown: {more}."
    budget -= len(title) + len(rest) + 80
    rendered = [line(change) for change in changes]
    shown = fitting(rendered, budget)
    lines = rendered[:shown]
    budget -= sum(len(text) + 1 for text in lines)
    if shown < len(changes):
        lines.append(f"- … {len(changes) - shown:,} more not shown: {more}.")
    summary = f"{title} ({shown:,} of {len(changes):,} listed)"
    return "\n".join([f"<details><summary>{summary}</summary>", "", *lines, "",
                      "</details>"]), budget


def likely_dead_section(diff: TreeDiff, budget: int) -> str:
    """The kept files an added recording supersedes, so a reviewer can ask for their removal."""
    dead = diff.likely_dead
    if not dead:
        return ""
    lines = [f"### Likely dead after this change ({len(dead):,})", "",
             ("Kept files whose request the test no longer sends (an added recording "
             "supersedes each):"), ""]
    rendered = [f"- {code(entry['path'])} (superseded by {code(entry['superseded_by'])})"
                for entry in dead]
    return "\n".join(listed(lines, rendered, budget, 80, lambda left: (
        f"- … {left:,} more: the json's `likely_dead` lists them")))
