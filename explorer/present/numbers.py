"""Counts as every view writes them: thousands separators, the noun agreeing with the number."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """count(1, "commit") → "1 commit"; count(3162, "recording") → "3,162 recordings"."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
