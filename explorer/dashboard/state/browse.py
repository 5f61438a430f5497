"""The dashboard's state: one frozen value, changed only by the pure functions below.

The widgets read a state and call a transition when the user acts; nothing else holds state,
so every behaviour here is testable without a widget or a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from explorer.api import Filters
from explorer.dashboard.state.pager import (  # noqa: F401 - the dashboard's transitions too
    PAGE_SIZES,
    Pager,
    first_page,
    go_to_page,
    page_count,
    set_page_size,
    turn_page,
)
from explorer.dashboard.state.playback import (  # noqa: F401 - the dashboard's transitions too
    SPEEDS_MS,
    PagedPlayback,
    Playback,
    at_end,
    set_playing,
    set_speed,
    step_by,
    step_to,
)

SORTABLE = ("path", "test_id", "model", "provider", "kind", "endpoint", "n_chunks",
            "prompt_tokens", "completion_tokens", "total_tokens", "finish_reason", "is_error",
            "size_bytes")
NUMERIC = ("n_chunks", "prompt_tokens", "completion_tokens", "total_tokens", "size_bytes")
TABS = ("recordings", "charts", "cost", "export", "health", "history")


@dataclass(frozen=True)
class Selection:
    """The open recording: a file of the tree, or one version of it from the git history."""

    path: str  # relative to the tree (the history's paths drop the tree's prefix)
    blob: str | None = None  # the version's git blob id; None for the file in the tree

    @property
    def key(self) -> str:
        """One name per opened recording: the path, and `@` + 12 blob digits for a version."""
        return self.path if self.blob is None else f"{self.path}@{self.blob[:12]}"


@dataclass(frozen=True)
class DashboardState(PagedPlayback):
    filters: Filters = field(default_factory=Filters)
    sort_by: str = "path"
    descending: bool = False
    pager: Pager = field(default_factory=Pager)
    selected: Selection | None = None  # the open recording
    playback: Playback = field(default_factory=Playback)
    whole_text: bool = False  # send the whole response text, not its window at the step
    tab: str = "recordings"


def set_filters(state: DashboardState, **changes) -> DashboardState:
    """Change filter fields (names of `Filters`); the table goes back to its first page."""
    filters = state.filters.replace(**changes)
    if filters == state.filters:
        return state
    return first_page(replace(state, filters=filters))


def clear_filters(state: DashboardState) -> DashboardState:
    return first_page(replace(state, filters=Filters()))


def sort(state: DashboardState, column: str, descending: bool | None = None) -> DashboardState:
    """Sort by `column`; choosing the current column again flips the direction. A number
    column starts largest first, a text column A to Z."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; sortable columns: {', '.join(SORTABLE)}")
    if descending is None:
        descending = not state.descending if column == state.sort_by else column in NUMERIC
    return first_page(replace(state, sort_by=column, descending=descending))


def select(state: DashboardState, chosen: Selection | str | None,
           n_steps: int = 0) -> DashboardState:
    """Open a recording (a `Selection`, or a path of the tree) at its final step (the whole
    response); None closes the detail."""
    if chosen is None:
        return replace(state, selected=None, playback=at_end(state.playback, 0),
                       whole_text=False)
    chosen = Selection(chosen) if isinstance(chosen, str) else chosen
    return replace(state, selected=chosen, playback=at_end(state.playback, n_steps),
                   whole_text=False)


def set_whole_text(state: DashboardState, whole: bool) -> DashboardState:
    """Show the response's whole text, or (default) its last characters up to the step."""
    return replace(state, whole_text=bool(whole))


def set_tab(state: DashboardState, tab: str) -> DashboardState:
    if tab not in TABS:
        raise ValueError(f"unknown tab {tab!r}; tabs: {', '.join(TABS)}")
    return replace(state, tab=tab)
