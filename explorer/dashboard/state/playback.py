"""Stepping through a response: how many steps the open stream has, which one is shown, and
whether (and how fast) it plays.

A `Playback` is one frozen value; both dashboards keep one in their state (`state.playback`) and
change it through the transitions below, which take and return the whole state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

SPEEDS_MS = {"slow (2/s)": 500, "normal (5/s)": 200, "fast (12/s)": 80, "fastest (30/s)": 33}


@dataclass(frozen=True)
class Playback:
    n_steps: int = 0  # chunks of the open stream (the longer side, in the compare view)
    step: int = 0
    playing: bool = False
    interval_ms: int = SPEEDS_MS["normal (5/s)"]


class PagedPlayback:
    """What the views read of a state composed of a `pager` and a `playback`, by the names they
    show (`state.page`, `state.step`, ...); the state's fields stay the two parts."""

    page = property(lambda self: self.pager.page)
    page_size = property(lambda self: self.pager.size)
    n_steps = property(lambda self: self.playback.n_steps)
    step = property(lambda self: self.playback.step)
    playing = property(lambda self: self.playback.playing)
    interval_ms = property(lambda self: self.playback.interval_ms)


def at_end(playback: Playback, n_steps: int) -> Playback:
    """A newly opened stream, shown at its final step (the whole response), not playing."""
    return replace(playback, n_steps=n_steps, step=n_steps, playing=False)


def step_to(state: Any, step: int) -> Any:
    """Go to a step, clamped to 0..n_steps; playing stops at the last step."""
    playback = state.playback
    step = min(max(step, 0), playback.n_steps)
    playing = playback.playing and step < playback.n_steps
    return replace(state, playback=replace(playback, step=step, playing=playing))


def step_by(state: Any, steps: int) -> Any:
    return step_to(state, state.playback.step + steps)


def set_playing(state: Any, playing: bool) -> Any:
    """Start or pause; starting at the last step replays from the first."""
    playback = state.playback
    if playing and playback.step >= playback.n_steps:
        playback = replace(playback, playing=playback.n_steps > 0, step=0)
    else:
        playback = replace(playback, playing=playing)
    return replace(state, playback=playback)


def set_speed(state: Any, interval_ms: int) -> Any:
    if interval_ms <= 0:
        raise ValueError(f"interval must be positive milliseconds, got {interval_ms}")
    return replace(state, playback=replace(state.playback, interval_ms=interval_ms))
