"""Moves: a removed recording whose request reappears among the added ones (the test moved to
another folder, or the file was renamed), paired so the diff reports one change, not two."""

from __future__ import annotations

import json
import posixpath
from typing import Any

from explorer.review.normalize import normalize


def request_key(document: Any) -> str | None:
    """The request as the pairing sees it: normalized (ids, timestamps, test_id ignored)."""
    if not isinstance(document, dict) or not isinstance(document.get("request"), dict):
        return None
    return json.dumps(normalize(document["request"]), sort_keys=True, ensure_ascii=False,
                      default=str)


def pair_moves(removed: dict[str, Any], added: dict[str, Any]) -> list[tuple[str, str]]:
    """(base path, head path) pairs; `removed` and `added` map path → decoded document (None
    when unreadable). Each file is used once; a candidate with the same file name wins, then
    the first by path."""
    by_key: dict[str, list[str]] = {}
    for path in sorted(added):
        key = request_key(added[path])
        if key is not None:
            by_key.setdefault(key, []).append(path)
    pairs = []
    for path in sorted(removed):
        candidates = by_key.get(request_key(removed[path]) or "", [])
        if not candidates:
            continue
        name = posixpath.basename(path)
        chosen = next((c for c in candidates if posixpath.basename(c) == name), candidates[0])
        candidates.remove(chosen)
        pairs.append((path, chosen))
    return pairs
