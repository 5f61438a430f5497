"""The recordings table: one page of rows in a small anywidget (`widgets/table.py`), with a
pager under it.

Only the rows on the current page cross to the browser. While a recording is open the table
is shortened (it scrolls inside), so the detail under it is on screen with the table. Clicking a row or a header sends a
message back; `click_row` / `click_header` are the same actions for code and tests. With the
table focused (click it, or Tab to it), ↑ and ↓ open the previous and next row (`move`).
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w
import pandas as pd

from explorer.dashboard.state.browse import PAGE_SIZES, DashboardState, page_count
from explorer.dashboard.widgets.table import RecordingsTable

# (column key, header, sort column or None, right-aligned)
COLUMNS = (
    ("test", "test / recording", "test_id", False),
    ("model", "model", "model", False),
    ("provider", "provider", "provider", False),
    ("kind", "kind", "kind", False),
    ("stream", "chunks", "n_chunks", True),
    ("prompt", "prompt", "prompt_tokens", True),
    ("completion", "completion", "completion_tokens", True),
    ("tools", "tools called", None, False),
    ("finish", "finish / error", "finish_reason", False),
)


def _number(value) -> str:
    return "?" if pd.isna(value) else f"{int(value):,}"


def _test_label(test_id, path: str) -> str:
    if pd.isna(test_id) or not test_id:
        return path.rsplit("/", 1)[-1]
    return str(test_id).split("::", 1)[-1]


def _finish(rec: dict) -> str:
    if rec["is_error"] is True:
        return "error: " + ("" if pd.isna(rec["error"]) else str(rec["error"]))
    return "" if pd.isna(rec["finish_reason"]) else str(rec["finish_reason"])


def format_rows(page: pd.DataFrame) -> list[dict]:
    """Table rows as display strings; unknown token counts are "?", never 0."""
    rows = []
    for rec in page.to_dict("records"):
        rows.append({
            "path": rec["path"],
            "test": _test_label(rec["test_id"], rec["path"]),
            "model": "" if pd.isna(rec["model"]) else rec["model"],
            "provider": "" if pd.isna(rec["provider"]) else rec["provider"],
            "kind": "" if pd.isna(rec["kind"]) else rec["kind"],
            "stream": _number(rec["n_chunks"]) if rec["streaming"] is True else "—",
            "prompt": _number(rec["prompt_tokens"]),
            "completion": _number(rec["completion_tokens"]),
            "tools": ", ".join(rec["tools_called"]),
            "finish": _finish(rec),
            "failed": rec["is_error"] is True,
        })
    return rows


class TableView:
    """The table, a pager (previous / next / page size) and a "rows a–b of n" label."""

    def __init__(self, on_select: Callable[[str], None], on_sort: Callable[[str], None],
                 on_turn: Callable[[int], None], on_page_size: Callable[[int], None], *,
                 columns: tuple = COLUMNS,
                 formatter: Callable[[pd.DataFrame], list[dict]] | None = None) -> None:
        self.table = RecordingsTable(columns=[list(c) for c in columns])
        self._format = formatter or format_rows
        self._on_select, self._on_sort = on_select, on_sort
        self.table.on_msg(self._message)
        self.previous = w.Button(description="◀ previous", layout=w.Layout(width="110px"))
        self.next = w.Button(description="next ▶", layout=w.Layout(width="110px"))
        self.previous.on_click(lambda _: on_turn(-1))
        self.next.on_click(lambda _: on_turn(+1))
        self.page_size = w.Dropdown(options=[(f"{n} per page", n) for n in PAGE_SIZES],
                                    layout=w.Layout(width="130px"))
        self.page_size.observe(lambda change: on_page_size(change["new"]), "value")
        self.position = w.HTML()
        pager = w.HBox([self.previous, self.position, self.next, self.page_size],
                       layout=w.Layout(align_items="center", grid_gap="8px"))
        self.applied = w.HTML()  # which filters (and where expression) the rows follow
        self.widget = w.VBox([self.applied, self.table, pager])

    def _message(self, _widget, content: dict, _buffers) -> None:
        """A click from the page: only a row shown on this page, or a sortable column, is
        acted on (a message can carry anything)."""
        if not isinstance(content, dict):
            return
        if content.get("type") == "select":
            path = content.get("path")
            if isinstance(path, str) and any(row["path"] == path for row in self.table.rows):
                self.click_row(path)
        elif content.get("type") == "sort":
            column = content.get("column")
            if any(column == c[2] for c in self.table.columns if c[2]):
                self.click_header(column)
        elif content.get("type") == "move":
            self.move(int(content.get("by", 0)))

    def move(self, by: int) -> None:
        """Open the row `by` rows below (negative: above) the open one, on this page; with none
        open, ↓ opens the first row and ↑ the last."""
        paths = [row["path"] for row in self.table.rows]
        if not paths or not by:
            return
        if self.table.selected in paths:
            target = paths.index(self.table.selected) + by
        else:
            target = 0 if by > 0 else len(paths) - 1
        if 0 <= target < len(paths) and paths[target] != self.table.selected:
            self.click_row(paths[target])

    def click_row(self, path: str) -> None:
        self._on_select(path)

    def click_header(self, column: str) -> None:
        self._on_sort(column)

    def show(self, page: pd.DataFrame, state: DashboardState, n_rows: int) -> None:
        pages = page_count(n_rows, state.page_size)
        first = state.page * state.page_size
        with self.table.hold_sync():
            self.table.rows = self._format(page)
            self.table.sort_by = state.sort_by
            self.table.descending = state.descending
            self.table.selected = state.selected.key if state.selected else ""
            self.table.compact = bool(state.selected)
        shown = f"rows {first + 1:,}–{first + len(page):,} of {n_rows:,}" if n_rows else "no rows"
        self.position.value = f"page {state.page + 1:,} of {pages:,} · {shown}"
        self.previous.disabled = state.page == 0
        self.next.disabled = state.page >= pages - 1

    def show_filters(self, described: str, left_out: str = "") -> None:
        """Above the rows: the filters they follow; a where expression left out, named."""
        note = (f" <span class='x-warn'>· where <code>{escape(left_out)}</code> not applied "
                f"(see its box)</span>" if left_out else "")
        self.applied.value = (f"<div class='x-small x-grey' data-field='filters'>Showing: "
                              f"{escape(described)}{note}</div>")

    def show_selection(self, path: str | None) -> None:
        with self.table.hold_sync():
            self.table.selected = path or ""
            self.table.compact = bool(path)
