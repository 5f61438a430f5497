"""Counts as every view writes them: thousands separators, the noun agreeing with the number."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """count(1, "commit") → "1 commit"; count(3162, "recording") → "3,162 recordings"."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


USAGE_COLUMNS = ("prompt_tokens", "completion_tokens", "total_tokens")


def without_usage(frame) -> int:
    """Recordings that carry no token count at all: what every view calls "without usage"
    (an embedding with only a prompt count has usage; its completion is simply absent)."""
    columns = [c for c in USAGE_COLUMNS if c in frame.columns]
    return int(frame[columns].isna().all(axis=1).sum()) if columns else len(frame)
