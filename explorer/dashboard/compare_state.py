"""The compare view's state: one frozen value, changed only by the pure functions below.

The pager and stepper transitions of `explorer.dashboard.state` (`go_to_page`, `turn_page`,
`set_page_size`, `step_to`, `set_playing`, `set_speed`) apply unchanged: they only touch the
fields this state shares with `DashboardState`. One step index drives both streams; each side
shows that step clamped to its own number of chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from explorer.dashboard.compare_data import STATUSES
from explorer.dashboard.state import PAGE_SIZES, SPEEDS_MS

SORTABLE = ("status", "path", "test_file", "test_id", "model", "summary", "token_delta", "head_tokens")


@dataclass(frozen=True)
class CompareState:
    status: str | None = None  # one of STATUSES (the diff's classes), or None for all
    hide_noise: bool = False  # hide noise, environment and unchanged moves
    search: str = ""
    sort_by: str = "status"
    descending: bool = False
    page: int = 0
    page_size: int = PAGE_SIZES[0]
    selected: str | None = None  # path of the open pair
    n_base: int = 0  # chunks of the base side (0: the file is not in base)
    n_head: int = 0
    n_steps: int = 0  # the longer of the two
    step: int = 0
    playing: bool = False
    interval_ms: int = SPEEDS_MS["normal (5/s)"]


def set_view(state: CompareState, **changes) -> CompareState:
    """Change `status`, `hide_noise` or `search`; the table goes back to its first page."""
    unknown = set(changes) - {"status", "hide_noise", "search"}
    if unknown:
        raise ValueError(f"not a compare filter: {', '.join(sorted(unknown))}")
    if changes.get("status") not in (None, *STATUSES):
        raise ValueError(f"status must be one of {', '.join(STATUSES)} or None")
    new = replace(state, **changes)
    return state if new == state else replace(new, page=0)


def sort(state: CompareState, column: str) -> CompareState:
    """Sort by `column`; choosing the current column again flips the direction."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; sortable columns: {', '.join(SORTABLE)}")
    descending = not state.descending if column == state.sort_by else column == "token_delta"
    return replace(state, sort_by=column, descending=descending, page=0)


def select(state: CompareState, path: str | None, n_base: int = 0,
           n_head: int = 0) -> CompareState:
    """Open a pair at its final step (both whole responses); None closes it."""
    if path is None:
        return replace(state, selected=None, n_base=0, n_head=0, n_steps=0, step=0,
                       playing=False)
    n_steps = max(n_base, n_head)
    return replace(state, selected=path, n_base=n_base, n_head=n_head, n_steps=n_steps,
                   step=n_steps, playing=False)


def side_steps(state: CompareState) -> tuple[int, int]:
    """The step each side shows: the shared step, clamped to that side's chunks."""
    return min(state.step, state.n_base), min(state.step, state.n_head)
