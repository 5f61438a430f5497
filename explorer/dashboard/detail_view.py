"""One recording: the stepper over its response, its conversation and its declared tools.

The stepper's Play control is linked to the slider in the browser (jslink), so playing runs
without a round trip per step; the kernel follows the slider and redraws the state.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from explorer.dashboard import render
from explorer.dashboard.state import SPEEDS_MS, DashboardState
from explorer.recording import Recording

PANEL = {"border": "1px solid #d0d7de", "padding": "6px", "overflow": "auto",
         "max_height": "520px"}
EMPTY = ("<p style='color:#6e7781'>Select a row to open its recording: the conversation, the "
         "declared tools and the response chunk by chunk.</p>")


class DetailView:
    def __init__(self, on_step: Callable[[int], None], on_play: Callable[[bool], None],
                 on_speed: Callable[[int], None], on_close: Callable[[], None]) -> None:
        self._quiet = False
        self.title = w.HTML()
        self.close = w.Button(description="✕ close", layout=w.Layout(width="90px"))
        self.close.on_click(lambda _: on_close())
        self.play = w.Play(min=0, max=0, interval=SPEEDS_MS["normal (5/s)"], show_repeat=False,
                           description="play", layout=w.Layout(width="100px"))
        self.slider = w.IntSlider(min=0, max=0, description="step", continuous_update=True,
                                  layout=w.Layout(flex="1 1 240px", min_width="200px"))
        w.jslink((self.play, "value"), (self.slider, "value"))
        self.previous = w.Button(description="◀", tooltip="previous chunk",
                                 layout=w.Layout(width="40px"))
        self.next = w.Button(description="▶", tooltip="next chunk", layout=w.Layout(width="40px"))
        self.speed = w.Dropdown(options=list(SPEEDS_MS.items()), value=SPEEDS_MS["normal (5/s)"],
                                description="speed", layout=w.Layout(width="190px"))
        self._wire(on_step, on_play, on_speed)
        self.chunk = w.HTML(layout=w.Layout(width="45%", **PANEL))
        self.response = w.HTML(layout=w.Layout(width="55%", **PANEL))
        self.checks = w.HTML()
        self.conversation = w.HTML(layout=w.Layout(**PANEL))
        self.tools = w.HTML(layout=w.Layout(**PANEL))
        controls = w.HBox([self.play, self.previous, self.slider, self.next, self.speed],
                          layout=w.Layout(align_items="center", flex_flow="row wrap"))
        stepper = w.VBox([controls, self.checks, w.HBox([self.chunk, self.response])])
        self.tabs = w.Tab(children=[stepper, self.conversation, self.tools],
                          titles=("stepper", "conversation", "tools"))
        self.body = w.VBox([w.HBox([self.title, self.close],
                                   layout=w.Layout(justify_content="space-between")),
                            self.tabs])
        self.empty = w.HTML(EMPTY)
        self.widget = w.VBox([self.empty])

    def _wire(self, on_step, on_play, on_speed) -> None:
        def follow(handler, convert=lambda v: v):
            def changed(change) -> None:
                if not self._quiet:
                    handler(convert(change["new"]))
            return changed
        self.slider.observe(follow(on_step), "value")
        self.play.observe(follow(on_play, bool), "playing")
        self.speed.observe(follow(on_speed), "value")
        self.previous.on_click(lambda _: on_step(self.slider.value - 1))
        self.next.on_click(lambda _: on_step(self.slider.value + 1))

    def show_nothing(self, message: str | None = None) -> None:
        """The placeholder, or `message` (HTML) saying why no recording is shown."""
        self.empty.value = message or EMPTY
        self.widget.children = [self.empty]

    def show_recording(self, recording: Recording, relative: str, state: DashboardState) -> None:
        self.title.value = _title(recording, relative)
        self.conversation.value = render.conversation_html(recording.messages)
        tools = recording.tools
        self.tools.value = render.tools_html(tools)
        self.tabs.set_title(1, f"conversation ({len(recording.messages)})")
        self.tabs.set_title(2, f"tools ({len(tools)})")
        self.checks.value = render.checks_html(recording.checks, recording.error)
        self._quiet = True
        try:
            self.play.playing = False
            self.slider.max = self.play.max = recording.n_chunks
            self.play.interval = state.interval_ms
        finally:
            self._quiet = False
        self.show_step(recording, state)
        self.widget.children = [self.body]

    def show_step(self, recording: Recording, state: DashboardState) -> None:
        replay_state = recording.state_at(state.step)
        self.response.value = render.state_html(replay_state)
        self.chunk.value = render.chunk_html(recording.chunks, state.step)
        self._quiet = True
        try:
            self.slider.value = state.step
            if not state.playing:  # while playing, the browser drives; echoing would lag it
                self.play.value = state.step
            self.play.playing = state.playing
            self.play.interval = state.interval_ms
            self.speed.value = state.interval_ms if state.interval_ms in SPEEDS_MS.values() \
                else self.speed.value
        finally:
            self._quiet = False
        self.previous.disabled = state.step <= 0
        self.next.disabled = state.step >= state.n_steps


def _title(recording: Recording, relative: str) -> str:
    facts = [recording.model, recording.endpoint, recording.kind]
    facts.append(f"streamed, {recording.n_chunks:,} chunks" if recording.streaming else
                 "not streamed (one body)")
    test = f"<div><b>{escape(recording.test_id)}</b></div>" if recording.test_id else ""
    return (f"{test}<div style='font-size:12px;color:#57606a'>{escape(relative)}<br>"
            f"{escape(' · '.join(str(f) for f in facts if f))}</div>")
