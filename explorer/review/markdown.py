"""A tree diff as one pull-request comment (GitHub-flavoured Markdown, ≤ 65,536 characters).

What the characters are spent on, in order: the headline (counts per class, token and cost
delta); every behaviour change (request, superseded, response, re-recorded move) grouped by
test file, naming the test and what changed, superseded ones with the kept file that is likely
dead (and those kept files listed once more); every added and removed recording accounted for by test file, with counts; bookkeeping
(noise, environment, unchanged moves) as counts per folder; tokens and cost by model; what is
new; then, as room allows, the added and removed files themselves. What does not fit is
counted, with a command that lists it and works as printed. Every value taken from a
recording (or a file name) goes through `md_escape.code`.
"""

from __future__ import annotations

import posixpath

import pandas as pd

from explorer.review.commands import more_text
from explorer.review.diff import CLASSES, LIKELY_DEAD, SUPERSEDED, Change, TreeDiff
from explorer.review.markdown_tables import (
    accounting_section,
    bookkeeping_section,
    folded,
    likely_dead_section,
)
from explorer.review.md_escape import code, url_path
from explorer.review.summary import (
    model_deltas,
    new_values,
    pricing_available,
    signed_cost,
    signed_count,
)

LIMIT = 65_536
RESERVE = 1_500  # room for the notes on what was left out
ORDER = ("request", "superseded", "response", "moved")


def markdown(diff: TreeDiff, link_base: str = "", binder_url: str | None = None,
             limit: int = LIMIT) -> str:
    """The comment; file names link to `link_base + path` when `link_base` is given (e.g.
    `https://github.com/OWNER/REPO/blob/SHA/`); `binder_url` adds the "open" link."""
    more = more_text(diff.base, diff.head)
    head = [f"## Recordings review: {code(diff.base.label)} → {code(diff.head.label)}",
            headline(diff)]
    if binder_url:
        head.append(f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder_url}) "
                    f"[Open this comparison in the explorer]({binder_url})")
    # the notes on what is left out (behaviour, added, removed) each name `more`, however long
    budget = limit - RESERVE - 3 * len(more) - sum(len(s) + 2 for s in head)
    accounting = accounting_section(diff, budget // 4)
    tail = [likely_dead_section(diff, budget // 8), accounting,
            bookkeeping_section(diff, budget // 8), _models_section(diff),
            _new_section(new_values(diff)), _problems_section(diff)]
    budget -= sum(len(s) + 2 for s in tail) + len(more) + 20
    behaviour, budget = _behaviour_section(diff, link_base, budget, more)
    lists = []
    for title, changes in (("added recordings", diff.of("added")),
                           ("removed recordings", diff.of("removed"))):
        section, budget = folded(title, changes, budget, lambda c: change_line(c, link_base),
                                 more)
        lists.append(section)
    text = "\n\n".join(s for s in [*head, behaviour, *tail, *lists, f"All of it: {more}."]
                       if s) + "\n"
    if len(text) <= limit:
        return text
    note = f"\n\n… cut to fit one comment; {more}.\n"
    return text[: limit - len(note)] + note


def headline(diff: TreeDiff) -> str:
    counts = diff.counts()
    rerecorded = sum(1 for c in diff.of("moved") if c.response_changed)
    superseded = sum(1 for c in diff.changes if c.supersedes)
    parts = []
    for kind in CLASSES:
        label = f"**{counts[kind]:,} {kind}**" if kind in ("request", "response") else \
            f"{counts[kind]:,} {kind}"
        if kind == "moved" and counts[kind]:
            label += f" ({rerecorded:,} re-recorded)"
        if kind == "request" and superseded:
            label += f" ({superseded:,} {SUPERSEDED})"
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


def _rank(change: Change) -> int:
    return ORDER.index("superseded" if change.supersedes else change.kind) \
        if change.kind in ORDER else len(ORDER)


def change_line(change: Change, link_base: str) -> str:
    where = _file(change.path, link_base)
    what = change.summary
    label = f"**{change.kind}**"
    if change.kind == "moved":
        where = f"{code(_short(change.source or ''))} → {where}"
        what = change.summary.split("; ", 1)[-1]
    elif change.supersedes:
        label = f"**request ({SUPERSEDED})**"
        what = what.removeprefix(f"{SUPERSEDED}: ")
        return (f"- {label} {_name(change)} ({where}): {code(what)}; kept "
                f"{_file(change.supersedes, link_base)} is **{LIKELY_DEAD}**")
    return f"- {label} {_name(change)} ({where}): {code(what)}"


def _behaviour_section(diff: TreeDiff, link_base: str, budget: int,
                       more: str) -> tuple[str, int]:
    changes = [c for c in diff.changes if c.matters]
    if not changes:
        return "### Behaviour changes\n\nNo request or response changed.", budget
    first = {}
    for change in changes:
        first[change.test_file] = min(first.get(change.test_file, 9), _rank(change))
    changes.sort(key=lambda c: (first[c.test_file], c.test_file, _rank(c), c.path))
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
                f"(the comment would exceed one GitHub comment): {more}.")
        lines += ["", note]
    return "\n".join(lines), budget


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
