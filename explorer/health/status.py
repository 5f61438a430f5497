"""A recording's health status, computed with the index row and finished per tree.

- reachable: today's rule gives its name, and it sits where the recorder looks;
- misplaced: today's rule gives its name, but the recorder never looks in its folder;
- stale: only an older rule gives its name (`health_rule` says which);
- unexplained: no known rule gives its name, so it cannot be verified;
- not-hashed: a request shape the recorder does not name by hash (file processors, ...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from explorer.health import rules
from explorer.health.placement import is_looked_up

STATUSES = ("reachable", "stale", "misplaced", "unexplained", "not-hashed")


def row_health(path: str, request: dict, response: dict, test_id: str | None
               ) -> dict[str, Any]:
    """health (reachable until placement says otherwise), health_rule and expected_name."""
    if rules.request_shape(request) == "none":
        return {"health": "not-hashed", "health_rule": None, "expected_name": None}
    name = path.rsplit("/", 1)[-1]
    try:
        hashes = rules.Hashes(request, test_id)
        current = hashes.digest()
        rule = rules.matching_rule(name, request, test_id, hashes)
        expected = rules.expected_name(request, test_id, response, current)
    except (TypeError, ValueError, RecursionError):  # not JSON-able the way the recorder saw it
        return {"health": "unexplained", "health_rule": None, "expected_name": None}
    if rule is None:
        health = "unexplained"
    else:
        health = "reachable" if rule == rules.CURRENT.name else "stale"
    return {"health": health, "health_rule": rule, "expected_name": expected}


def place(frame: pd.DataFrame, root: Path) -> pd.DataFrame:
    """Turn `reachable` into `misplaced` where the recorder never looks (one pass per tree;
    idempotent, so cached rows can go through it again)."""
    if "health" not in frame.columns or frame.empty:
        return frame
    current = frame["health"].isin(("reachable", "misplaced")).to_numpy()
    if not current.any():
        return frame
    root_parts = tuple(root.resolve().parts)
    paths = frame["path"].to_numpy()[current]
    tests = frame["test_id"].to_numpy()[current]
    placed = [is_looked_up(root_parts, rel, None if pd.isna(test) else test)
              for rel, test in zip(paths, tests)]
    values = frame["health"].to_numpy(dtype=object, na_value=None).copy()
    values[current] = ["reachable" if ok else "misplaced" for ok in placed]
    frame["health"] = pd.array(values, dtype="string")
    return frame
