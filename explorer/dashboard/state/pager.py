"""The table's pager: which page of the rows is on screen, and how many rows a page holds.

A `Pager` is one frozen value; both dashboards keep one in their state (`state.pager`) and change
it through the transitions below, which take and return the whole state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

PAGE_SIZES = (25, 50, 100)


@dataclass(frozen=True)
class Pager:
    page: int = 0
    size: int = PAGE_SIZES[0]


def page_count(n_rows: int, page_size: int) -> int:
    """Pages needed for `n_rows` (at least 1, so an empty table still has page 1 of 1)."""
    return max(1, -(-n_rows // page_size))


def first_page(state: Any) -> Any:
    """The same state on the first page (after a change of filters or order)."""
    return replace(state, pager=replace(state.pager, page=0))


def go_to_page(state: Any, page: int, n_rows: int) -> Any:
    last = page_count(n_rows, state.pager.size) - 1
    return replace(state, pager=replace(state.pager, page=min(max(page, 0), last)))


def turn_page(state: Any, pages: int, n_rows: int) -> Any:
    return go_to_page(state, state.pager.page + pages, n_rows)


def set_page_size(state: Any, page_size: int) -> Any:
    """Keep the first row of the current page on screen."""
    first = state.pager.page * state.pager.size
    return replace(state, pager=Pager(page=first // page_size, size=page_size))
