"""Counting the files the indexer parses (imported as `support.parse_counts`)."""

from __future__ import annotations

import explorer.table.index as index_module


def count_parses(monkeypatch) -> list[str]:
    """From now on, each file `index_file` parses is appended to the returned list."""
    seen: list[str] = []
    original = index_module.index_file

    def counting(root, rel, expected):
        seen.append(rel)
        return original(root, rel, expected)

    monkeypatch.setattr(index_module, "index_file", counting)
    return seen
