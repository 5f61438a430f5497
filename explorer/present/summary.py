"""A one-screen text summary of an index frame (the `explorer index` output)."""

from __future__ import annotations

import pandas as pd

from explorer.present.html_table import thousands
from explorer.present.numbers import without_usage
from explorer.safety.text import for_terminal


def counts_line(series: pd.Series) -> str:
    counts = series.fillna("unknown").value_counts()
    return "  ".join(f"{name} {count:,}" for name, count in counts.items()) or "none"


def tokens_by_model(frame: pd.DataFrame, top: int = 12) -> pd.DataFrame:
    """Per model: recordings, token sums, and how many rows carry no usage (unknown)."""
    usage = frame[["prompt_tokens", "completion_tokens", "total_tokens"]]
    # an embedding's total is its prompt where the provider wrote no total (it has no
    # completion), so no model shows more prompt than total tokens
    embedding = frame["kind"].eq("embedding").fillna(False).astype(bool)
    total = usage["total_tokens"].where(~(embedding & usage["total_tokens"].isna()),
                                        usage["prompt_tokens"])
    grouped = frame.assign(model=frame["model"].fillna("(no model)"), total_tokens=total,
                           no_usage=usage.isna().all(axis=1)).groupby("model")
    table = pd.DataFrame({
        "recordings": grouped.size(),
        "prompt": grouped["prompt_tokens"].sum(min_count=1),
        "completion": grouped["completion_tokens"].sum(min_count=1),
        "total": grouped["total_tokens"].sum(min_count=1),
        "no usage": grouped["no_usage"].sum(),
    })
    return table.sort_values(["total", "recordings"], ascending=False, na_position="last").head(top)


def _format_table(table: pd.DataFrame) -> str:
    shown = table.astype("object").where(table.notna(), "unknown").map(thousands)
    return shown.to_string()


def summary_text(frame: pd.DataFrame, root: str = "", note: str = "") -> str:
    problems = frame.attrs.get("problems", [])
    lines = [f"{len(frame):,} recordings" + (f" in {root}" if root else "") + (
        f" ({note})" if note else "")]
    if len(frame):
        streamed = int(frame["streaming"].sum())
        errors = int(frame["is_error"].sum())
        lines += [
            (f"streamed {streamed:,}  errors {errors:,}  without usage "
            f"{without_usage(frame):,}"),
            "", "by kind:     " + counts_line(frame["kind"]),
            "by provider: " + counts_line(frame["provider"]),
            "", "tokens by model (unknown = no recording of that model carries usage):",
            _format_table(tokens_by_model(frame)),
        ]
    lines += ["", f"problems: {len(problems):,}"]
    lines += [f"  {for_terminal(problem, one_line=True)}" for problem in problems]
    return "\n".join(lines)
