"""The stepper controls (play, ◀, step slider, ▶, speed), shared by the detail and compare views.

The Play control is linked to the slider in the browser (jslink), so playing runs without a
round trip per step; the kernel follows the slider and redraws. `show` puts the controls in
a state without echoing the change back to the callbacks.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import ipywidgets as w
import traitlets

from explorer.dashboard.state.playback import SPEEDS_MS
from explorer.dashboard.widgets.assets import static_text


class ScrollAnchor(anywidget.AnyWidget):
    """An invisible mark: `reveal()` scrolls the page so it is in the upper part of the
    window (when it is not there already)."""

    _esm = static_text("stepper.js")
    _css = static_text("stepper.css")
    request = traitlets.Int(0).tag(sync=True)

    def reveal(self) -> None:
        self.request += 1


PLAY_TIP = ("play: step through the stream at the chosen speed; pause keeps the step, "
            "stop goes back to step 0")


class Stepper:
    def __init__(self, on_step: Callable[[int], None], on_play: Callable[[bool], None],
                 on_speed: Callable[[int], None]) -> None:
        self._quiet = False
        self.play = w.Play(min=0, max=0, interval=SPEEDS_MS["normal (5/s)"], show_repeat=False,
                           description="play", tooltip=PLAY_TIP, layout=w.Layout(width="100px"))
        self._on_step = on_step
        self.slider, self._link = self._new_slider(0)
        self.previous = w.Button(description="◀", tooltip="previous chunk",
                                 layout=w.Layout(width="40px"))
        self.next = w.Button(description="▶", tooltip="next chunk", layout=w.Layout(width="40px"))
        self.speed = w.Dropdown(options=list(SPEEDS_MS.items()), value=SPEEDS_MS["normal (5/s)"],
                                description="speed", layout=w.Layout(width="190px"))
        self._wire(on_step, on_play, on_speed)
        self.widget = w.HBox([self.play, self.previous, self.slider, self.next, self.speed],
                             layout=w.Layout(align_items="center", flex_flow="row wrap"))

    def _wire(self, on_step, on_play, on_speed) -> None:
        def follow(handler, convert=lambda v: v):
            def changed(change) -> None:
                if not self._quiet:
                    handler(convert(change["new"]))
            return changed
        self.play.observe(follow(on_play, bool), "playing")
        self.speed.observe(follow(on_speed), "value")
        self.previous.on_click(lambda _: on_step(self.slider.value - 1))
        self.next.on_click(lambda _: on_step(self.slider.value + 1))

    def _new_slider(self, n_steps: int) -> tuple[w.IntSlider, w.Link]:
        slider = w.IntSlider(value=n_steps, min=0, max=n_steps, description="step",
                             continuous_update=True, readout_format=",d",
                             tooltip="the response after this many chunks",
                             layout=w.Layout(flex="1 1 240px", min_width="200px"))

        def changed(change) -> None:
            if not self._quiet:
                self._on_step(change["new"])
        slider.observe(changed, "value")
        return slider, w.jslink((self.play, "value"), (slider, "value"))

    def reset(self, n_steps: int, interval_ms: int) -> None:
        """A new stream: stop, and steps 0..n_steps (on a new slider when the length differs)."""
        self._quiet = True
        try:
            self.play.playing = False
            if n_steps != self.slider.max:
                old, link = self.slider, self._link
                # the link copies the player's value into the new slider when the page makes
                # it: both start at the last step (where a recording opens), so nothing echoes
                self.play.max = max(self.play.max, n_steps)
                self.play.value = n_steps
                self.slider, self._link = self._new_slider(n_steps)
                self.widget.children = tuple(self.slider if c is old else c
                                             for c in self.widget.children)
                link.unlink()
                old.close()
            self.play.max = n_steps
            self.play.interval = interval_ms
        finally:
            self._quiet = False

    def show(self, step: int, n_steps: int, playing: bool, interval_ms: int) -> None:
        self._quiet = True
        try:
            self.slider.value = step
            if not playing:  # while playing, the browser drives; echoing would lag it
                self.play.value = step
            self.play.playing = playing
            self.play.interval = interval_ms
            if interval_ms in SPEEDS_MS.values():
                self.speed.value = interval_ms
        finally:
            self._quiet = False
        self.previous.disabled = step <= 0
        self.next.disabled = step >= n_steps
