"""The dashboard's state: one frozen value, changed only by the pure functions below.

The widgets read a state and call a transition when the user acts; nothing else holds state,
so every behaviour here is testable without a widget or a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from explorer.filters import Filters

PAGE_SIZES = (25, 50, 100)
SPEEDS_MS = {"slow (2/s)": 500, "normal (5/s)": 200, "fast (12/s)": 80, "fastest (30/s)": 33}
SORTABLE = ("path", "test_id", "model", "provider", "kind", "endpoint", "n_chunks",
            "prompt_tokens", "completion_tokens", "total_tokens", "finish_reason", "is_error",
            "size_bytes")
NUMERIC = ("n_chunks", "prompt_tokens", "completion_tokens", "total_tokens", "size_bytes")
TABS = ("recordings", "charts", "cost", "export")


@dataclass(frozen=True)
class DashboardState:
    filters: Filters = field(default_factory=Filters)
    sort_by: str = "path"
    descending: bool = False
    page: int = 0
    page_size: int = PAGE_SIZES[0]
    selected: str | None = None  # path of the open recording
    n_steps: int = 0  # chunks of the open recording
    step: int = 0
    playing: bool = False
    interval_ms: int = SPEEDS_MS["normal (5/s)"]
    whole_text: bool = False  # send the whole response text, not its window at the step
    tab: str = "recordings"


def set_filters(state: DashboardState, **changes) -> DashboardState:
    """Change filter fields (names of `Filters`); the table goes back to its first page."""
    filters = state.filters.replace(**changes)
    if filters == state.filters:
        return state
    return replace(state, filters=filters, page=0)


def clear_filters(state: DashboardState) -> DashboardState:
    return replace(state, filters=Filters(), page=0)


def sort(state: DashboardState, column: str, descending: bool | None = None) -> DashboardState:
    """Sort by `column`; choosing the current column again flips the direction. A number
    column starts largest first, a text column A to Z."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; sortable columns: {', '.join(SORTABLE)}")
    if descending is None:
        descending = not state.descending if column == state.sort_by else column in NUMERIC
    return replace(state, sort_by=column, descending=descending, page=0)


def page_count(n_rows: int, page_size: int) -> int:
    """Pages needed for `n_rows` (at least 1, so an empty table still has page 1 of 1)."""
    return max(1, -(-n_rows // page_size))


def go_to_page(state: DashboardState, page: int, n_rows: int) -> DashboardState:
    last = page_count(n_rows, state.page_size) - 1
    return replace(state, page=min(max(page, 0), last))


def turn_page(state: DashboardState, pages: int, n_rows: int) -> DashboardState:
    return go_to_page(state, state.page + pages, n_rows)


def set_page_size(state: DashboardState, page_size: int) -> DashboardState:
    """Keep the first row of the current page on screen."""
    first = state.page * state.page_size
    return replace(state, page_size=page_size, page=first // page_size)


def select(state: DashboardState, path: str | None, n_steps: int = 0) -> DashboardState:
    """Open a recording at its final step (the whole response); None closes the detail."""
    if path is None:
        return replace(state, selected=None, n_steps=0, step=0, playing=False, whole_text=False)
    return replace(state, selected=path, n_steps=n_steps, step=n_steps, playing=False,
                   whole_text=False)


def step_to(state: DashboardState, step: int) -> DashboardState:
    """Go to a step, clamped to 0..n_steps; playing stops at the last step."""
    step = min(max(step, 0), state.n_steps)
    playing = state.playing and step < state.n_steps
    return replace(state, step=step, playing=playing)


def step_by(state: DashboardState, steps: int) -> DashboardState:
    return step_to(state, state.step + steps)


def set_playing(state: DashboardState, playing: bool) -> DashboardState:
    """Start or pause; starting at the last step replays from the first."""
    if playing and state.step >= state.n_steps:
        return replace(state, playing=state.n_steps > 0, step=0)
    return replace(state, playing=playing)


def set_whole_text(state: DashboardState, whole: bool) -> DashboardState:
    """Show the response's whole text, or (default) its last characters up to the step."""
    return replace(state, whole_text=bool(whole))


def set_speed(state: DashboardState, interval_ms: int) -> DashboardState:
    if interval_ms <= 0:
        raise ValueError(f"interval must be positive milliseconds, got {interval_ms}")
    return replace(state, interval_ms=interval_ms)


def set_tab(state: DashboardState, tab: str) -> DashboardState:
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}; tabs: {', '.join(TABS)}")
    return replace(state, tab=tab)
