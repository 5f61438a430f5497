"""Aggregates of a tree diff for a reviewer: token and cost deltas by model, what is new, the
tests that changed most; and the plain-text listing `explorer diff` prints by default."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explorer.review.diff import CLASSES, TreeDiff, summary_line
from explorer.table.tokens import total_tokens

NO_MODEL = "(no model)"
NEW_COLUMNS = {"models": ("model",), "endpoints": ("endpoint",),
               "tools": ("tools_declared", "tools_called")}


@dataclass(frozen=True)
class TestChange:
    test: str  # test id, or the file's path where the recording carries none
    paths: tuple[tuple[str, str], ...]  # (status A/R/M, path) of files with meaningful change
    token_delta: int | None  # NA when no touched file carries usage
    what: str  # the changed aspects, e.g. "text, tokens"


def counts_line(diff: TreeDiff) -> str:
    noise = len(diff.normalized_only())
    line = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    return line + (f" ({noise} of them only normalized fields)" if noise else "")


def model_deltas(diff: TreeDiff) -> pd.DataFrame:
    """Per model: recordings, prompt/completion/total token deltas (head − base) and, where
    pricing is available, base/head/delta cost. A side with no usage for the model gives NA."""
    noise = set(diff.normalized_only())
    base = _priced(diff.base_rows[~diff.base_rows["path"].isin(noise)])
    head = _priced(diff.head_rows[~diff.head_rows["path"].isin(noise)])
    models = sorted(set(_models(base)) | set(_models(head)))
    rows = []
    for model in models:
        left, right = base[_models(base) == model], head[_models(head) == model]
        row = {"model": model, "recordings": _count_delta(diff, left, right)}
        for name in ("prompt_tokens", "completion_tokens"):
            row[name] = _delta(_sum(left[name]), _sum(right[name]))
        row["total_tokens"] = _delta(_sum(total_tokens(left)), _sum(total_tokens(right)))
        if "cost_usd" in head.columns:
            row["cost_usd"] = _delta(_sum(left["cost_usd"]), _sum(right["cost_usd"]))
        rows.append(row)
    table = pd.DataFrame(rows, columns=["model", "recordings", "prompt_tokens",
                                        "completion_tokens", "total_tokens", "cost_usd"])
    table = table.astype({"recordings": "Int64", "prompt_tokens": "Int64",
                          "completion_tokens": "Int64", "total_tokens": "Int64",
                          "cost_usd": "Float64"})
    return table.sort_values("total_tokens", key=lambda s: s.abs(), ascending=False,
                             na_position="last", kind="stable").reset_index(drop=True)


def pricing_available() -> bool:
    try:
        import explorer.pricing.cost  # noqa: F401
    except ImportError:
        return False
    return True


def _priced(rows: pd.DataFrame) -> pd.DataFrame:
    if not pricing_available():
        return rows
    from explorer.pricing.cost import price_frame

    return price_frame(rows)


def _models(rows: pd.DataFrame) -> pd.Series:
    return rows["model"].astype(object).where(rows["model"].notna(), NO_MODEL)


def _count_delta(diff: TreeDiff, base: pd.DataFrame, head: pd.DataFrame) -> int:
    return int(head["path"].isin(diff.added).sum()) - int(base["path"].isin(diff.removed).sum())


def _sum(values: pd.Series) -> object:
    """Sum of known values; 0 for a side without rows; NA for rows that carry no value."""
    if values.empty:
        return 0
    total = values.sum(min_count=1)
    return pd.NA if pd.isna(total) else total


def _delta(base: object, head: object) -> object:
    return pd.NA if pd.isna(base) or pd.isna(head) else head - base


def new_values(diff: TreeDiff) -> dict[str, list[str]]:
    """Models, endpoints and tools present in head and nowhere in base."""
    found = {}
    for label, columns in NEW_COLUMNS.items():
        found[label] = _values(diff.head_rows, columns) - _values(diff.base_rows, columns)
    if any(found.values()):
        unchanged = _unchanged_rows(diff)
        for label, columns in NEW_COLUMNS.items():
            found[label] -= _values(unchanged, columns)
    return {label: sorted(values) for label, values in found.items()}


def _values(rows: pd.DataFrame, columns: tuple[str, ...]) -> set[str]:
    values: set[str] = set()
    for column in columns:
        for value in rows[column]:
            if isinstance(value, list):
                values.update(str(v) for v in value)
            elif not pd.isna(value):
                values.add(str(value))
    return values


def _unchanged_rows(diff: TreeDiff) -> pd.DataFrame:
    """Index rows of the files both sides share unchanged (from base's index, not re-parsed)."""
    return diff.base.rows(diff.unchanged)


def largest_changes(diff: TreeDiff, top: int = 10) -> list[TestChange]:
    """Tests with added, removed or meaningfully changed recordings, largest token change first."""
    base = diff.base_rows.set_index("path", drop=False)
    head = diff.head_rows.set_index("path", drop=False)
    entries = [("A", p) for p in diff.added] + [("R", p) for p in diff.removed] + [
        ("M", p) for p in diff.changed if not isinstance(diff.details[p], str)]
    by_test: dict[str, list[tuple[str, str]]] = {}
    for status, path in entries:
        by_test.setdefault(_test_of(path, base, head), []).append((status, path))
    changes = [_test_change(test, paths, diff, base, head) for test, paths in by_test.items()]
    changes.sort(key=lambda c: (abs(c.token_delta or 0), len(c.paths)), reverse=True)
    return changes[:top]


def _test_of(path: str, base: pd.DataFrame, head: pd.DataFrame) -> str:
    for rows in (head, base):
        if path in rows.index and not pd.isna(rows.at[path, "test_id"]):
            return str(rows.at[path, "test_id"])
    return path


def _test_change(test: str, paths: list, diff: TreeDiff, base: pd.DataFrame,
                 head: pd.DataFrame) -> TestChange:
    touched = [p for _, p in paths]
    old = _sum(total_tokens(base[base.index.isin(touched)]))
    new = _sum(total_tokens(head[head.index.isin(touched)]))
    delta = _delta(old, new)
    aspects = []
    for status, path in paths:
        aspects.append({"A": "added", "R": "removed"}.get(status) or summary_line(
            diff.details[path]))
    what = "; ".join(dict.fromkeys(aspects))
    return TestChange(test, tuple(paths), None if pd.isna(delta) else int(delta), what)


def classes_line(diff: TreeDiff) -> str:
    """Counts per class, what matters first: "2 request, 1 response, 0 moved, ..."."""
    counts = diff.counts()
    moved = diff.of("moved")
    rerecorded = sum(1 for c in moved if c.response_changed)
    parts = [f"{counts[kind]} {kind}" + (f" ({rerecorded} re-recorded)" if kind == "moved"
                                          and moved else "") for kind in CLASSES]
    return ", ".join(parts)


def text_listing(diff: TreeDiff) -> str:
    """The default `explorer diff` output: counts, then one line per change, by class."""
    lines = [f"base: {terminal_safe(diff.base.label)}", f"head: {terminal_safe(diff.head.label)}",
             counts_line(diff), classes_line(diff)]
    for change in diff.changes:
        lines.append(f"{change.kind:<11}  {terminal_safe(change.path)}  "
                     f"{terminal_safe(change.summary)}")
    lines += [f"likely dead  {terminal_safe(entry['path'])}  kept, superseded by "
              f"{terminal_safe(entry['superseded_by'])}" for entry in diff.likely_dead]
    lines += [f"!  {terminal_safe(p['path'])}  not read in {p['side']}: "
              f"{terminal_safe(p['reason'])}" for p in diff.problems]
    return "\n".join(lines)


def terminal_safe(text: str) -> str:
    """Recorded text for a terminal: control characters (escape sequences) shown, not run."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def signed_count(value: object) -> str:
    """A token or recording delta: +12, -3, or unknown."""
    return "unknown" if pd.isna(value) else f"{int(value):+,}"


def signed_cost(value: object) -> str:
    """A cost delta in USD; small amounts keep six decimals, NA is unpriced (never $0)."""
    if pd.isna(value):
        return "unpriced"
    amount = float(value)
    digits = 2 if abs(amount) >= 1 else 6
    return f"{'+' if amount >= 0 else '-'}${abs(amount):,.{digits}f}"
