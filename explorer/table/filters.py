"""Selecting rows of the index frame: one `Filters` value used by the CLI and the dashboard."""

from __future__ import annotations

import fnmatch
import weakref
from dataclasses import dataclass, fields, replace

import pandas as pd

from explorer.errors import ExplorerError
from explorer.table import where


class FilterError(ExplorerError, ValueError):
    """A filter that cannot be applied (e.g. a where expression outside the where language,
    see `explorer.table.where`); says how to fix it."""


@dataclass(frozen=True)
class Filters:
    """Every field left at its default selects everything. Values are matched exactly, except
    `test` (substring, or glob when it has * ? [) and `search` (substring of test id, path,
    model, tool names declared or called, first user message; any case)."""

    search: str = ""
    test: str = ""
    model: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()
    endpoint: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    tool: str = ""  # declared or called
    declares: str = ""  # the request declares this tool
    calls: str = ""  # the response calls this tool
    streaming: bool | None = None
    errors_only: bool = False
    where: str = ""
    health: tuple[str, ...] = ()  # reachable, stale, misplaced, unexplained, not-hashed

    def replace(self, **changes) -> Filters:
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> str:
        """A short human summary of the active filters."""
        active = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self)
                  if getattr(self, f.name) != f.default]
        return ", ".join(active) or "no filters"


def mask(frame: pd.DataFrame, filters: Filters) -> pd.Series:
    """A boolean Series selecting the rows that pass every filter."""
    keep = pd.Series(True, index=frame.index)
    for column in ("model", "provider", "endpoint", "kind", "health"):
        values = getattr(filters, column)
        if values and column not in frame.columns:  # a frame from before the column existed
            keep &= False
        elif values:
            keep &= frame[column].isin(list(values)).fillna(False).astype(bool)
    if filters.test:
        keep &= _text_match(frame["test_id"], filters.test)
    if filters.search:
        needle = filters.search.lower()
        keep &= _search_text(frame).str.contains(needle, regex=False).astype(bool)
    if filters.tool:
        keep &= _has_tool(frame, filters.tool)
    if filters.declares:
        keep &= _has_tool(frame, filters.declares, ("tools_declared",))
    if filters.calls:
        keep &= _has_tool(frame, filters.calls, ("tools_called",))
    if filters.streaming is not None:
        keep &= (frame["streaming"] == filters.streaming).fillna(False).astype(bool)
    if filters.errors_only:
        keep &= frame["is_error"].fillna(False).astype(bool)
    if filters.where:
        keep &= _where(frame, filters.where)
    return keep


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The selected rows (problems and other attrs carried over)."""
    if filters.is_empty():
        return frame
    selected = frame[mask(frame, filters)]
    selected.attrs = dict(frame.attrs)
    return selected


_SEARCH_TEXT: dict[int, tuple[weakref.ref, pd.Series]] = {}


def _search_text(frame: pd.DataFrame) -> pd.Series:
    """Lower-cased "test id, path, model, tools, first user message" per row, built once per
    frame (searching is typed letter by letter in the dashboard, on up to 100,000 rows)."""
    key = id(frame)
    hit = _SEARCH_TEXT.get(key)
    if hit and hit[0]() is frame and hit[1].index.equals(frame.index):
        return hit[1]
    tools = pd.Series([" ".join([*declared, *called]) for declared, called in
                       zip(frame["tools_declared"], frame["tools_called"])],
                      index=frame.index, dtype="string")
    first_user = frame["first_user"].fillna("") if "first_user" in frame else ""
    text = (frame["test_id"].fillna("") + "\n" + frame["path"] + "\n"
            + frame["model"].fillna("") + "\n" + tools + "\n" + first_user).str.lower()
    _SEARCH_TEXT[key] = (weakref.ref(frame, lambda _, key=key: _SEARCH_TEXT.pop(key, None)),
                         text)
    return text


def _text_match(column: pd.Series, pattern: str) -> pd.Series:
    values = column.fillna("")
    if any(ch in pattern for ch in "*?["):
        return values.map(lambda v: fnmatch.fnmatchcase(v, pattern)).astype(bool)
    return values.str.contains(pattern, regex=False).astype(bool)


def _has_tool(frame: pd.DataFrame, tool: str,
              columns: tuple[str, ...] = ("tools_declared", "tools_called")) -> pd.Series:
    lists = zip(*(frame[column] for column in columns))
    return pd.Series([any(tool in names for names in row) for row in lists],
                     index=frame.index, dtype=bool)


def _where(frame: pd.DataFrame, expression: str) -> pd.Series:
    try:
        return where.evaluate(frame, expression)
    except where.WhereError as exc:
        raise FilterError(str(exc)) from None
