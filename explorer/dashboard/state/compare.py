"""The compare view's state: one frozen value, changed only by the pure functions below.

Like `DashboardState`, it is composed of a `Pager` and a `Playback`, changed by the transitions
of `state.pager` and `state.playback`. One step index drives both streams; each side shows that
step clamped to its own number of chunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from explorer.api import CLASSES
from explorer.dashboard.state.pager import Pager, first_page
from explorer.dashboard.state.playback import PagedPlayback, Playback, at_end

SORTABLE = ("status", "path", "test_file", "test_id", "model", "summary", "token_delta", "head_tokens")

STATUSES = CLASSES  # the view's buttons, what matters first


@dataclass(frozen=True)
class CompareState(PagedPlayback):
    status: str | None = None  # one of STATUSES (the diff's classes), or None for all
    hide_noise: bool = False  # hide noise, environment and unchanged moves
    search: str = ""
    sort_by: str = "status"
    descending: bool = False
    pager: Pager = field(default_factory=Pager)
    selected: str | None = None  # path of the open pair
    n_base: int = 0  # chunks of the base side (0: the file is not in base)
    n_head: int = 0
    playback: Playback = field(default_factory=Playback)  # n_steps: the longer of the two


def set_view(state: CompareState, **changes) -> CompareState:
    """Change `status`, `hide_noise` or `search`; the table goes back to its first page."""
    unknown = set(changes) - {"status", "hide_noise", "search"}
    if unknown:
        raise ValueError(f"not a compare filter: {', '.join(sorted(unknown))}")
    if changes.get("status") not in (None, *STATUSES):
        raise ValueError(f"status must be one of {', '.join(STATUSES)} or None")
    new = replace(state, **changes)
    return state if new == state else first_page(new)


def sort(state: CompareState, column: str) -> CompareState:
    """Sort by `column`; choosing the current column again flips the direction."""
    if column not in SORTABLE:
        raise ValueError(f"cannot sort by {column!r}; sortable columns: {', '.join(SORTABLE)}")
    descending = not state.descending if column == state.sort_by else column == "token_delta"
    return first_page(replace(state, sort_by=column, descending=descending))


def select(state: CompareState, path: str | None, n_base: int = 0,
           n_head: int = 0) -> CompareState:
    """Open a pair at its final step (both whole responses); None closes it."""
    if path is None:
        return replace(state, selected=None, n_base=0, n_head=0,
                       playback=at_end(state.playback, 0))
    return replace(state, selected=path, n_base=n_base, n_head=n_head,
                   playback=at_end(state.playback, max(n_base, n_head)))


def side_steps(state: CompareState) -> tuple[int, int]:
    """The step each side shows: the shared step, clamped to that side's chunks."""
    return min(state.step, state.n_base), min(state.step, state.n_head)
