"""A tree diff as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

from explorer.review.diff import TreeDiff, summary_line
from explorer.review.summary import (
    TestChange,
    counts_line,
    largest_changes,
    model_deltas,
    new_values,
    pricing_available,
    signed_cost,
    signed_count,
)

MAX_FILES_LISTED = 200
LINKS_PER_TEST = 3
STATUS_WORDS = {"A": "added", "R": "removed", "M": "changed"}


def markdown(diff: TreeDiff, link_base: str = "", top: int = 10) -> str:
    """The comment: counts, token and cost deltas by model, what is new, the tests that changed
    most and every changed file, each linked by its path (prefixed with `link_base`, e.g.
    `https://github.com/OWNER/REPO/blob/SHA/`)."""
    sections = [
        f"## Recordings diff: `{diff.base.label}` → `{diff.head.label}`",
        f"**{counts_line(diff)}**",
        _models_section(diff),
        _new_section(new_values(diff)),
        _largest_section(largest_changes(diff, top), link_base),
        _files_section(diff, link_base),
        _problems_section(diff),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _link(path: str, link_base: str) -> str:
    return f"[`{_cell(path)}`]({link_base}{path})"


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
        lines.append(f"| `{_cell(row.model)}` | {signed_count(row.recordings)} | "
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
            lines.append(f"- {label}: " + ", ".join(f"`{_cell(v)}`" for v in values))
    return "\n".join(lines)


def _largest_section(changes: list[TestChange], link_base: str) -> str:
    if not changes:
        return ""
    lines = ["### Tests with the largest changes", "",
             "| test | tokens Δ | what changed | files |", "|---|--:|---|---|"]
    for change in changes:
        files = [f"{STATUS_WORDS[status]} {_link(path, link_base)}"
                 for status, path in change.paths[:LINKS_PER_TEST]]
        if len(change.paths) > LINKS_PER_TEST:
            files.append(f"and {len(change.paths) - LINKS_PER_TEST} more")
        tokens = "unknown" if change.token_delta is None else f"{change.token_delta:+,}"
        lines.append(f"| `{_cell(change.test)}` | {tokens} | {_cell(change.what)} | "
                     f"{'<br>'.join(files)} |")
    return "\n".join(lines)


def _files_section(diff: TreeDiff, link_base: str) -> str:
    entries = [f"- added {_link(p, link_base)}" for p in diff.added]
    entries += [f"- removed `{_cell(p)}`" for p in diff.removed]
    entries += [f"- changed {_link(p, link_base)}: {summary_line(diff.details[p])}"
                for p in diff.changed]
    if not entries:
        return ""
    shown = entries[:MAX_FILES_LISTED]
    if len(entries) > MAX_FILES_LISTED:
        shown.append(f"- … and {len(entries) - MAX_FILES_LISTED} more (`explorer diff "
                     f"--format json` lists them all)")
    return "\n".join([f"<details><summary>All {len(entries)} files</summary>", "", *shown, "",
                      "</details>"])


def _problems_section(diff: TreeDiff) -> str:
    if not diff.problems:
        return ""
    lines = [f"### Files not read ({len(diff.problems)})", ""]
    lines += [f"- {p['side']}: `{_cell(p['path'])}`: {_cell(p['reason'])}" for p in diff.problems]
    return "\n".join(lines)
