"""A tree diff as one pull-request comment (GitHub-flavoured Markdown, ≤ 65,536 characters).

A headline with counts per class and the token/cost delta; every request, response and
re-recorded moved change grouped by test file, named by its test id with its summary; then
tokens and cost by model, what is new, and the bookkeeping classes folded in <details>. What
does not fit is counted and the comment says where to get it. Every value taken from a
recording (or a file name) goes through `md_escape.code`.
"""

from __future__ import annotations

import posixpath

import pandas as pd

from explorer.review.diff import CLASSES, Change, TreeDiff
from explorer.review.md_escape import code, url_path
from explorer.review.summary import (
    model_deltas,
    new_values,
    pricing_available,
    signed_cost,
    signed_count,
)

LIMIT = 65_536
RESERVE = 2_500  # room for the folded sections' headers and the notes on what was left out
MORE = ("`explorer diff BASE HEAD --format json` lists every change; `explorer report HEAD "
        "--against BASE --out report.html` shows them in a browser")


def markdown(diff: TreeDiff, link_base: str = "", binder_url: str | None = None,
             limit: int = LIMIT) -> str:
    """The comment; file names link to `link_base + path` when `link_base` is given (e.g.
    `https://github.com/OWNER/REPO/blob/SHA/`); `binder_url` adds the "open" link."""
    head = [f"## Recordings review: {code(diff.base.label)} → {code(diff.head.label)}",
            headline(diff)]
    if binder_url:
        head.append(f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url}) "
                    f"[Open this comparison in the explorer]({binder_url})")
    tail = [_models_section(diff), _new_section(new_values(diff)), _problems_section(diff)]
    budget = limit - RESERVE - sum(len(s) + 2 for s in head + tail)
    behaviour, budget = _behaviour_section(diff, link_base, budget)
    folded = []
    for title, changes in _folded_groups(diff):
        section, budget = _folded(title, changes, link_base, budget)
        folded.append(section)
    text = "\n\n".join(s for s in [*head, behaviour, *tail, *folded] if s) + "\n"
    if len(text) <= limit:
        return text
    note = f"\n\n… cut to fit one comment; {MORE}.\n"
    return text[: limit - len(note)] + note


def headline(diff: TreeDiff) -> str:
    counts = diff.counts()
    rerecorded = sum(1 for c in diff.of("moved") if c.response_changed)
    parts = []
    for kind in CLASSES:
        label = f"**{counts[kind]:,} {kind}**" if kind in ("request", "response") else \
            f"{counts[kind]:,} {kind}"
        if kind == "moved" and counts[kind]:
            label += f" ({rerecorded:,} re-recorded)"
        parts.append(label)
    table = model_deltas(diff)
    tokens = table["total_tokens"].sum(min_count=1) if len(table) else 0
    cost = table["cost_usd"].sum(min_count=1) if len(table) else pd.NA
    money = signed_cost(cost) if pricing_available() else "cost unavailable"
    return " · ".join(parts) + f"  \ntokens {signed_count(tokens)} · cost {money} (noise left out)"


def _short(path: str) -> str:
    name = posixpath.basename(path)
    stem, dot, ext = name.rpartition(".")
    hashed = len(stem) > 16 and all(c in "0123456789abcdef" for c in stem.lower())
    return f"{stem[:10]}….{ext}" if dot and hashed else name


def _file(path: str, link_base: str) -> str:
    label = code(_short(path))
    return f"[{label}]({link_base}{url_path(path)})" if link_base else label


def _name(change: Change) -> str:
    if change.test_id:
        return code(change.test_id.split("::", 1)[-1])
    return code(posixpath.basename(change.path))


def change_line(change: Change, link_base: str) -> str:
    where = _file(change.path, link_base)
    if change.kind == "moved":
        where = f"{code(_short(change.source or ''))} → {where}"
        what = change.summary.split("; ", 1)[-1]
    else:
        what = change.summary
    return f"- **{change.kind}** {_name(change)} ({where}): {code(what)}"


def _behaviour_section(diff: TreeDiff, link_base: str, budget: int) -> tuple[str, int]:
    changes = sorted((c for c in diff.changes if c.matters),
                     key=lambda c: (c.test_file, CLASSES.index(c.kind), c.path))
    if not changes:
        return "### Behaviour changes\n\nNo request or response changed.", budget
    lines, group, shown = ["### Behaviour changes"], None, 0
    for change in changes:
        entry = ([""] + [f"#### {code(change.test_file)}"] if change.test_file != group else [])
        entry.append(change_line(change, link_base))
        cost = sum(len(e) + 1 for e in entry)
        if cost > budget:
            break
        lines += entry
        budget -= cost
        group, shown = change.test_file, shown + 1
    if shown < len(changes):
        note = (f"**{len(changes) - shown:,} of {len(changes):,} behaviour changes not shown** "
                f"(the comment would exceed one GitHub comment): {MORE}.")
        lines += ["", note]
    return "\n".join(lines), budget


def _folded_groups(diff: TreeDiff) -> list[tuple[str, list[Change]]]:
    unchanged_moves = [c for c in diff.of("moved") if not c.response_changed]
    return [("noise", diff.of("noise")), ("environment", diff.of("environment")),
            ("unchanged moves", unchanged_moves), ("added", diff.of("added")),
            ("removed", diff.of("removed"))]


def _folded(title: str, changes: list[Change], link_base: str, budget: int) -> tuple[str, int]:
    if not changes:
        return "", budget
    opening = [f"<details><summary>{title} ({len(changes):,})</summary>", ""]
    more = f"- … {len(changes):,} more not shown: {MORE}."
    budget -= sum(len(line) + 1 for line in opening) + len(more) + 20
    lines, shown = [], 0
    for change in changes:
        line = change_line(change, link_base)
        if len(line) + 1 > budget:
            break
        lines.append(line)
        budget -= len(line) + 1
        shown += 1
    if shown < len(changes):
        lines.append(f"- … {len(changes) - shown:,} more not shown: {MORE}.")
    return "\n".join([*opening, *lines, "", "</details>"]), budget


def _models_section(diff: TreeDiff) -> str:
    table = model_deltas(diff)
    if table.empty:
        return "### Tokens and cost by model\n\nNo token or cost change."
    priced = pricing_available()
    lines = ["### Tokens and cost by model", "",
             "| model | recordings | prompt Δ | completion Δ | total Δ | cost Δ |",
             "|---|--:|--:|--:|--:|--:|"]
    for row in table.itertuples(index=False):
        cost = signed_cost(row.cost_usd) if priced else "cost unavailable"
        lines.append(f"| {code(row.model, table=True)} | {signed_count(row.recordings)} | "
                     f"{signed_count(row.prompt_tokens)} | {signed_count(row.completion_tokens)} | "
                     f"{signed_count(row.total_tokens)} | {cost} |")
    lines.append("")
    if priced:
        from explorer.pricing.cost import PACKAGE

        lines.append(f"Costs at today's list prices ({PACKAGE}); self-hosted and unknown "
                     f"models are unpriced, not free. Unknown: no usage recorded on a side.")
    else:
        lines.append("cost unavailable: the pricing module could not be imported.")
    return "\n".join(lines)


def _new_section(new: dict[str, list[str]]) -> str:
    if not any(new.values()):
        return "### New in head\n\nNo new models, endpoints or tools."
    lines = ["### New in head", ""]
    for label, values in new.items():
        if values:
            lines.append(f"- {label}: " + ", ".join(code(v) for v in values))
    return "\n".join(lines)


def _problems_section(diff: TreeDiff) -> str:
    if not diff.problems:
        return ""
    lines = [f"### Files not read ({len(diff.problems)})", ""]
    lines += [f"- {p['side']}: {code(p['path'])}: {code(p['reason'])}" for p in diff.problems]
    return "\n".join(lines)
