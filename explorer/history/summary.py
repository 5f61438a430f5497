"""A one-screen text summary of a history frame (the `explorer history` output)."""

from __future__ import annotations

import pandas as pd

from explorer.history.load import shallow_message
from explorer.present.numbers import count
from explorer.present.text_table import WIDTH, text_table


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


def history_text(frame: pd.DataFrame, repo: str, note: str = "") -> str:
    """Counts, date range, statuses, the most changed recordings, and what git could not say."""
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
        lines += ["", "most changed recordings:", churn_text(churn(frame))]
    problems = frame.attrs.get("problems", [])
    if problems:
        lines += ["", f"{len(problems):,} version(s) could not be described:"]
        lines += [f"  {p}" for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"  ... and {len(problems) - 20:,} more (see --out)")
    return "\n".join(lines)


def churn_text(table: pd.DataFrame, width: int = WIDTH) -> str:
    """The churn table in `width` columns: the test id (without the tests/integration/ every
    id shares; without one, the file name) loses its middle, counts and dates keep their
    place."""
    rows = [[int(row.changes), f"{row.first:%Y-%m-%d}", f"{row.last:%Y-%m-%d}",
             row.test_id.removeprefix("tests/integration/") if isinstance(row.test_id, str)
             else path.rsplit("/", 1)[-1]]
            for path, row in zip(table.index, table.itertuples(index=False))]
    return text_table(rows, ["changes", "first", "last", "test (or file)"], flexible=3,
                      right={0}, width=width)


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
