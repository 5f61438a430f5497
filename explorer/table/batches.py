"""Index rows in columns: a batch of described files travels from a worker as one Arrow table.

A worker turns its rows into typed Arrow columns (the cache's layout, `cache_arrow`), so the
parent neither unpickles a dict per row nor converts values one by one: it joins the tables
and converts each column once. A batch whose values Arrow refuses (a type the schema does not
expect) keeps its rows as dicts, and the parent builds those the way it always did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

import pandas as pd
import pyarrow as pa

from explorer.table.cache_arrow import (
    ARROW_TYPES,
    FRAME_SCHEMA,
    frame_from_table,
    table_from_bytes,
    table_to_bytes,
)
from explorer.table.schema import COLUMNS, NAMES, frame_from_records

ISSUES = "_issues"  # a row's parser notes, listed as problems, never a column


@dataclass
class Batch:
    """What indexing some files gave: their rows (an Arrow table, or dicts when Arrow refused
    a value), the files that are problems or skipped, and the parser's notes per file."""

    table: pa.Table | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    others: list[tuple[str, str, Any]] = field(default_factory=list)  # (rel, status, reason)
    issues: list[tuple[str, str]] = field(default_factory=list)  # (rel, notes)

    def __getstate__(self) -> dict[str, Any]:
        """From a worker, the table travels as one Arrow IPC buffer: pickling a table goes
        column by column, and costs two to ten times as much at each end."""
        state = dict(self.__dict__)
        if self.table is not None:
            state["table"] = table_to_bytes(self.table)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if isinstance(state.get("table"), bytes):
            state["table"] = table_from_bytes(state["table"])
        self.__dict__.update(state)

    @property
    def paths(self) -> list[str]:
        """The files this batch has rows for."""
        if self.table is not None:
            return self.table.column("path").to_pylist()
        return [row["path"] for row in self.rows]


def batch_of(results: list[tuple[str, str, Any]]) -> Batch:
    """A batch from `index_file` results: (rel, "row", row) or (rel, status, reason)."""
    batch, rows = Batch(), []
    for rel, status, value in results:
        if status != "row":
            batch.others.append((rel, status, value))
            continue
        issues = value.pop(ISSUES, None)
        if issues:
            batch.issues.append((rel, issues))
        rows.append(value)
    try:
        batch.table = rows_table(rows)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        batch.rows = rows
    return batch


def rows_table(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as typed columns (missing keys are nulls); raises when a value does not fit
    its column's type."""
    arrays = []
    for column, values in zip(COLUMNS, _columns(rows)):
        if column.dtype == "object" and not set(map(type, values)) <= {list}:
            values = [list(v) if isinstance(v, (list, tuple)) else [] for v in values]
        arrays.append(pa.array(values, type=ARROW_TYPES[column.dtype]))
    return pa.Table.from_arrays(arrays, schema=FRAME_SCHEMA)


def _columns(rows: list[dict[str, Any]]) -> list[list | tuple]:
    """Each column's values, in schema order (nulls for a key no row has): one C-level pass
    when every row has the first row's keys and no other (`describe`'s rows all have every
    column but `recorded_at`, which is filled per tree), else a look-up per row and column."""
    present = tuple(name for name in NAMES if rows and name in rows[0])
    if len(present) > 1 and len(set(map(len, rows))) == 1:  # then no row has a key more
        try:
            found = dict(zip(present, zip(*map(_getter(present), rows))))
        except KeyError:  # a row without one of them
            pass
        else:
            nulls = (None,) * len(rows)
            return [found.get(name, nulls) for name in NAMES]
    return [[row.get(name) for row in rows] for name in NAMES]


@lru_cache(maxsize=8)
def _getter(names: tuple[str, ...]) -> itemgetter:
    return itemgetter(*names)


def frame_of(batches: list[Batch]) -> pd.DataFrame:
    """One frame from the batches' rows, sorted by path (as Arrow columns, before the one
    conversion, when every row came that way)."""
    tables = [b.table for b in batches if b.table is not None and b.table.num_rows]
    rows = [row for b in batches for row in b.rows]
    parts = []
    if tables:
        table = pa.concat_tables(tables).sort_by("path")
        frame = frame_from_table(table)
        if frame is None:  # a dtype this pandas names otherwise: build it the general way
            rows = table.to_pylist() + rows
        else:
            parts.append(frame)
    if rows or not parts:
        parts.append(frame_from_records(rows))
    if len(parts) == 1 and not rows:
        return parts[0]
    return pd.concat(parts, ignore_index=True).sort_values("path", ignore_index=True)
