"""One recording: the stepper over its response, its conversation and its declared tools.

Opening a recording scrolls the page to the detail's top (`ScrollAnchor`), so it is seen
without scrolling down past the table.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import ipywidgets as w

from explorer.api import Recording
from explorer.dashboard.state.browse import DashboardState
from explorer.dashboard.views import html as render
from explorer.dashboard.widgets.stepper import ScrollAnchor, Stepper

PANEL = {"border": "1px solid #d0d7de", "padding": "6px", "overflow": "auto",
         "max_height": "520px"}
EMPTY = ("<p class='x-muted'>Select a row to open its recording: the conversation, the "
         "declared tools and the response chunk by chunk.</p>")


class DetailView:
    def __init__(self, on_step: Callable[[int], None], on_play: Callable[[bool], None],
                 on_speed: Callable[[int], None], on_close: Callable[[], None],
                 on_whole_text: Callable[[bool], None] = lambda whole: None) -> None:
        self.title = w.HTML()
        self.close = w.Button(description="✕ close", layout=w.Layout(width="90px"))
        self.close.on_click(lambda _: on_close())
        self.stepper = Stepper(on_step, on_play, on_speed)
        self.play = self.stepper.play
        self.previous, self.next = self.stepper.previous, self.stepper.next
        self.speed = self.stepper.speed
        self.whole_text = w.Checkbox(description="whole text", indent=False,
                                     tooltip="send the whole response text, not only its end "
                                             "up to this step", layout=w.Layout(width="110px"))
        self.whole_text.observe(lambda change: on_whole_text(change["new"]), "value")
        self.stepper.widget.children = (*self.stepper.widget.children, self.whole_text)
        self.anchor = ScrollAnchor()
        self.chunk = w.HTML(layout=w.Layout(width="45%", **PANEL))
        self.response = w.HTML(layout=w.Layout(width="55%", **PANEL))
        self.checks = w.HTML()
        self.conversation = w.HTML(layout=w.Layout(**PANEL))
        self.tools = w.HTML(layout=w.Layout(**PANEL))
        stepper = w.VBox([self.stepper.widget, self.checks, w.HBox([self.chunk, self.response])])
        self.tabs = w.Tab(children=[stepper, self.conversation, self.tools],
                          titles=("stepper", "conversation", "tools"))
        self.body = w.VBox([self.anchor,
                            w.HBox([self.title, self.close],
                                   layout=w.Layout(justify_content="space-between")),
                            self.tabs])
        self.empty = w.HTML(EMPTY)
        self.widget = w.VBox([self.empty])

    @property
    def slider(self) -> w.IntSlider:
        return self.stepper.slider

    def show_nothing(self, message: str | None = None) -> None:
        """The placeholder, or `message` (HTML) saying why no recording is shown."""
        self.empty.value = message or EMPTY
        self.widget.children = [self.empty]

    def show_recording(self, recording: Recording, relative: str, state: DashboardState) -> None:
        self.title.value = _title(recording, relative)
        self.conversation.value = render.conversation_html(recording.messages)
        tools = recording.tools
        self.tools.value = render.tools_html(tools)
        self.tabs.set_title(1, f"conversation ({len(recording.messages):,})")
        self.tabs.set_title(2, f"tools ({len(tools):,})")
        self.checks.value = render.checks_html(recording.checks, recording.error)
        self.stepper.reset(recording.n_chunks, state.interval_ms)
        self.tabs.selected_index = 0  # another recording opens on its stepper
        self.show_step(recording, state)
        self.widget.children = [self.body]
        self.anchor.reveal()

    def show_step(self, recording: Recording, state: DashboardState) -> None:
        replay_state = recording.state_at(state.step)
        self.response.value = render.state_html(replay_state, whole=state.whole_text)
        if self.whole_text.value != state.whole_text:
            self.whole_text.value = state.whole_text
        self.chunk.value = render.chunk_html(recording.chunks, state.step)
        self.stepper.show(state.step, state.n_steps, state.playing, state.interval_ms)


def _title(recording: Recording, relative: str) -> str:
    facts = [recording.model, recording.endpoint, recording.kind]
    facts.append(f"streamed, {recording.n_chunks:,} chunks" if recording.streaming else
                 "not streamed (one body)")
    test = f"<div><b>{escape(recording.test_id)}</b></div>" if recording.test_id else ""
    return (f"{test}<div class='x-small x-grey'>{escape(relative)}<br>"
            f"{escape(' · '.join(str(f) for f in facts if f))}</div>")
