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
from explorer.health.placement import is_looked_up_at
from explorer.record import classify

STATUSES = ("reachable", "stale", "misplaced", "unexplained", "not-hashed")


def row_health(path: str, request: dict, response: dict, test_id: str | None,
               naming: bool = False) -> dict[str, Any]:
    """health (reachable until placement says otherwise), health_rule and expected_name.
    With `naming`, also `naming`: the request's `rules.naming_key`, from which `name_health`
    gives the same health for any other file name (None when no name changes it)."""
    if classify.hashed_shape(request) == classify.NOT_HASHED:
        return _named(NOT_HASHED, naming)
    name = path.rsplit("/", 1)[-1]
    try:
        hashes = rules.Hashes(request, test_id)
        current = hashes.digest()
        if rules.named_today(name, request, current):
            rule, expected = rules.CURRENT.name, name
        else:
            rule = rules.matching_rule(name, request, test_id, hashes)
            expected = rules.expected_name(request, test_id, response, current)
    except (TypeError, ValueError, RecursionError):  # not JSON-able the way the recorder saw it
        return _named(UNHASHABLE, naming)
    result = {**_health_of(rule), "expected_name": expected}
    if naming:
        result["naming"] = rules.naming_key(request, hashes)
    return result


NOT_HASHED = {"health": "not-hashed", "health_rule": None, "expected_name": None}
UNHASHABLE = {"health": "unexplained", "health_rule": None, "expected_name": None}


def name_health(path: str, naming: str, expected_name: str | None) -> dict[str, Any]:
    """`row_health` for the file at `path` of a request known by its naming key."""
    try:
        rule = rules.rule_from_key(path.rsplit("/", 1)[-1], naming)
    except ValueError:
        return dict(UNHASHABLE)
    return {**_health_of(rule), "expected_name": expected_name}


def _named(result: dict[str, Any], naming: bool) -> dict[str, Any]:
    return {**result, "naming": None} if naming else dict(result)


def _health_of(rule: str | None) -> dict[str, Any]:
    if rule is None:
        return {"health": "unexplained", "health_rule": None}
    return {"health": "reachable" if rule == rules.CURRENT.name else "stale", "health_rule": rule}


def placed(health: str | None, location: str, test_id: str | None) -> str | None:
    """`place` for one row: `health` of the recording at `location` (an absolute POSIX path),
    reachable or misplaced by where it sits; any other status as it is."""
    if health != "reachable" and health != "misplaced":
        return health
    return "reachable" if is_looked_up_at(location, test_id) else "misplaced"


def place(frame: pd.DataFrame, root: Path) -> pd.DataFrame:
    """Turn `reachable` into `misplaced` where the recorder never looks (one pass per tree;
    idempotent, so cached rows can go through it again)."""
    if "health" not in frame.columns or frame.empty:
        return frame
    current = frame["health"].isin(("reachable", "misplaced")).to_numpy()
    if not current.any():
        return frame
    anchor = str(root.resolve())
    paths = frame["path"].to_numpy()[current]
    tests = frame["test_id"].to_numpy(dtype=object, na_value=None)[current]
    values = frame["health"].to_numpy(dtype=object, na_value=None).copy()
    values[current] = [placed(health, f"{anchor}/{rel}", test or None)
                       for health, rel, test in zip(values[current], paths, tests)]
    frame["health"] = pd.array(values, dtype="string")
    return frame
