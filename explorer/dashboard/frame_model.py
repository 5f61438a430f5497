"""The frame behind the dashboard: which rows pass, how many per filter value, one page of rows.

Built for large frames: each filter field's mask comes from `explorer.table.filters.mask` once per
value and is cached, masks combine as numpy arrays, facet counts are bincounts over codes
factorized once, and a sort order is computed once per column; a page is a slice of positions,
so only the rows on screen are ever materialized.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from explorer.api import Filters, mask

FACETS = ("model", "provider", "endpoint", "kind", "health")
FIELDS = tuple(f.name for f in fields(Filters))
TOOL_FIELDS = ("tool", "declares", "calls")
CACHED_MASKS = 64  # single-field masks kept (each is one byte per row)


@dataclass(frozen=True)
class Counts:
    """How many recordings each filter choice would give, the other filters held fixed."""

    total: int  # rows in the frame
    matching: int  # rows passing every filter
    facets: dict[str, dict[str, int]]  # facet -> value -> rows
    tools: dict[str, dict[str, int]]  # "tool"/"declares"/"calls" -> tool name -> rows
    streaming: dict[str, int]  # "streamed" / "not streamed" -> rows
    errors: int  # error rows
    text: dict[str, int]  # search / test / where -> rows passing it and the rest
    without: dict[str, int]  # when nothing matches: active field -> rows matching without it


class FrameModel:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self.n = len(self.frame)
        self._field_masks: dict[tuple[str, object], np.ndarray] = {}
        self._orders: dict[tuple[str, bool], np.ndarray] = {}
        self._codes = {name: self._factorize(name) for name in FACETS}
        self._tool_rows = self._index_tools()
        self._streaming = self.frame["streaming"].fillna(False).to_numpy(dtype=bool)
        self._streaming_known = self.frame["streaming"].notna().to_numpy(dtype=bool)
        self._errors = self.frame["is_error"].fillna(False).to_numpy(dtype=bool)
        self._all = np.ones(self.n, dtype=bool)
        self._paths: set[str] | None = None

    def _factorize(self, column: str) -> tuple[np.ndarray, list[str]]:
        values = self.frame[column] if column in self.frame.columns else pd.Series(
            pd.NA, index=self.frame.index, dtype="string")
        codes, uniques = pd.factorize(values)
        return codes, [str(u) for u in uniques]

    def _index_tools(self) -> dict[str, dict[str, np.ndarray]]:
        """For each tool filter field, tool name -> the rows it selects."""
        rows: dict[str, dict[str, list[int]]] = {field: {} for field in TOOL_FIELDS}
        for position, (declared, called) in enumerate(zip(self.frame["tools_declared"].tolist(),
                                                          self.frame["tools_called"].tolist())):
            for field, names in (("tool", {*declared, *called}), ("declares", set(declared)),
                                 ("calls", set(called))):
                for name in names:
                    rows[field].setdefault(name, []).append(position)
        return {field: {name: np.asarray(found) for name, found in sorted(by_name.items())}
                for field, by_name in rows.items()}

    def has_path(self, path: object) -> bool:
        """Whether `path` is a row of the frame (a page may send any text)."""
        if not isinstance(path, str):
            return False
        if self._paths is None:
            self._paths = set(self.frame["path"].dropna().tolist())
        return path in self._paths

    @property
    def tools(self) -> list[str]:
        return list(self._tool_rows["tool"])

    def values(self, facet: str) -> list[str]:
        return self._codes[facet][1]

    def field_mask(self, filters: Filters, name: str) -> np.ndarray:
        """Rows passing filter field `name` alone (cached per value; default = all rows)."""
        value = getattr(filters, name)
        if value == getattr(Filters(), name):
            return self._all
        key = (name, value)
        if key not in self._field_masks:
            single = Filters().replace(**{name: value})
            if len(self._field_masks) >= CACHED_MASKS:
                self._field_masks.pop(next(iter(self._field_masks)))
            self._field_masks[key] = mask(self.frame, single).to_numpy(dtype=bool)
        return self._field_masks[key]

    def keep(self, filters: Filters, *, without: str | None = None) -> np.ndarray:
        """Rows passing every filter (except the field `without`)."""
        result = self._all
        for name in FIELDS:
            if name != without:
                part = self.field_mask(filters, name)
                if part is not self._all:
                    result = result & part
        return result

    def counts(self, filters: Filters) -> Counts:
        keep = self.keep(filters)
        facets = {name: self._facet_counts(self.keep(filters, without=name), name)
                  for name in FACETS}
        tools = {}
        for field, by_name in self._tool_rows.items():
            other = self.keep(filters, without=field)
            tools[field] = {name: int(other[rows].sum()) for name, rows in by_name.items()}
        other = self.keep(filters, without="streaming")
        streaming = {"streamed": int((other & self._streaming).sum()),
                     "not streamed": int((other & ~self._streaming & self._streaming_known).sum())}
        errors = int((self.keep(filters, without="errors_only") & self._errors).sum())
        text = {name: int((self.keep(filters, without=name)
                           & self.field_mask(filters, name)).sum())
                for name in ("search", "test", "where")}
        matching = int(keep.sum())
        without = {} if matching else self.without_each(filters)
        return Counts(self.n, matching, facets, tools, streaming, errors, text, without)

    def _facet_counts(self, rows: np.ndarray, facet: str) -> dict[str, int]:
        codes, uniques = self._codes[facet]
        selected = codes[rows]
        tally = np.bincount(selected[selected >= 0], minlength=len(uniques))
        return {value: int(n) for value, n in zip(uniques, tally)}

    def order(self, column: str, descending: bool) -> np.ndarray:
        """Row positions sorted by `column`, unknown values last (computed once per column)."""
        key = (column, descending)
        if key not in self._orders:
            values = self.frame[column]
            ranked = values.reset_index(drop=True).sort_values(
                ascending=not descending, na_position="last", kind="stable")
            self._orders[key] = ranked.index.to_numpy()
        return self._orders[key]

    def sorted_positions(self, keep: np.ndarray, column: str, descending: bool) -> np.ndarray:
        order = self.order(column, descending)
        return order[keep[order]]

    def page(self, positions: np.ndarray, page: int, page_size: int) -> pd.DataFrame:
        """The rows on one page (only these are materialized)."""
        return self.frame.iloc[positions[page * page_size:(page + 1) * page_size]]

    def selected_frame(self, keep: np.ndarray, columns: list[str] | None = None) -> pd.DataFrame:
        """The filtered rows (all columns, or only `columns`), for charts and export."""
        frame = self.frame if columns is None else self.frame[columns]
        if keep is self._all:
            return frame
        return frame[keep]

    def without_each(self, filters: Filters) -> dict[str, int]:
        """For each active filter field, the rows that would match without it."""
        return {name: int(self.keep(filters, without=name).sum()) for name in FIELDS
                if getattr(filters, name) != getattr(Filters(), name)}

    def position_of(self, path: str) -> int | None:
        found = np.flatnonzero(self.frame["path"].to_numpy() == path)
        return int(found[0]) if len(found) else None
