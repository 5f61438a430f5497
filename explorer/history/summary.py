"""A one-screen text summary of a history frame (the `explorer history` output)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from explorer.history.load import shallow_message


def churn(frame: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The most re-recorded recordings: changes per path, with first and last change dates."""
    grouped = frame.groupby("path", sort=False)
    table = pd.DataFrame({
        "changes": grouped.size(),
        "first": grouped["committed_at"].min(),
        "last": grouped["committed_at"].max(),
        "test_id": grouped["test_id"].last(),
    })
    return table.sort_values(["changes", "last"], ascending=False).head(top)


def count(n: int, noun: str) -> str:
    """count(1, "commit") → "1 commit"; count(1194, "commit") → "1,194 commits"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def history_text(frame: pd.DataFrame, repo: str, note: str = "",
                 churn_table: Callable[[pd.DataFrame], str] | None = None) -> str:
    """Counts, date range, statuses, the most changed recordings (drawn by `churn_table`,
    else as pandas prints them), and what git could not say."""
    lines = [f"{count(len(frame), 'recording change')} in "
             f"{count(frame['commit'].nunique(), 'commit')}, "
             f"{count(frame['blob'].nunique(), 'distinct version')} of "
             f"{count(frame['path'].nunique(), 'file')} in {repo}"
             + (f" ({note})" if note else "")]
    shallow = shallow_message(frame)
    if shallow:
        lines.append(shallow)
    if frame.attrs.get("empty_reason"):
        lines.append(frame.attrs["empty_reason"])
    if len(frame):
        counts = frame["status"].value_counts()
        first, last = frame["committed_at"].min(), frame["committed_at"].max()
        lines.append(f"added {counts.get('A', 0):,}  modified {counts.get('M', 0):,}  deleted "
                     f"{counts.get('D', 0):,}  from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
        table = churn(frame)
        lines += ["", "most changed recordings:",
                  churn_table(table) if churn_table else table.to_string()]
    problems = frame.attrs.get("problems", [])
    if problems:
        lines += ["", f"{len(problems):,} version(s) could not be described:"]
        lines += [f"  {p}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  ... and {len(problems) - 20:,} more (see --out)")
    return "\n".join(lines)


def age_text(frame: pd.DataFrame) -> str:
    """Age and churn of an index frame with the git columns (`explorer index --git`)."""
    known = frame[frame["first_recorded_at"].notna()]
    lines = [f"git: {len(known):,} of {count(len(frame), 'recording')} have a history"]
    if len(known):
        changed = int((known["times_changed"] > 1).sum())
        lines.append(f"oldest {known['first_recorded_at'].min():%Y-%m-%d}, last change "
                     f"{known['last_changed_at'].max():%Y-%m-%d}, {changed:,} changed since "
                     f"added, clients recorded on {int(known['client'].notna().sum()):,}")
    if frame.attrs.get("git_note"):
        lines.append(frame.attrs["git_note"])
    return "\n".join(lines)
