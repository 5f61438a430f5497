"""One changed recording in the compare view: base and head replayed side by side by one
stepper (each side clamped to its own chunks), and what changed between them."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from explorer.api import Recording
from explorer.dashboard.state.compare import CompareState, side_steps
from explorer.dashboard.views import compare_html as compare_render
from explorer.dashboard.views.compare_request import request_html
from explorer.dashboard.widgets.stepper import ScrollAnchor, Stepper

PANEL = {"border": "1px solid #d0d7de", "padding": "6px", "overflow": "auto",
         "max_height": "480px", "width": "50%"}
EMPTY = ("<p class='x-muted'>Select a row to see its base and head recordings side by "
         "side, stepped together, with what changed between them.</p>")
TABS = ("response and what changed", "request")
MISSING = {"base": "Not in base: this recording was added in head.",
           "head": "Not in head: this recording was removed."}


class PairView:
    def __init__(self, labels: tuple[str, str], on_step: Callable[[int], None],
                 on_play: Callable[[bool], None], on_speed: Callable[[int], None],
                 on_close: Callable[[], None]) -> None:
        self.labels = labels
        self.recordings: dict[str, Recording | None] = {"base": None, "head": None}
        self.title = w.HTML()
        self.close = w.Button(description="✕ close", layout=w.Layout(width="90px"))
        self.close.on_click(lambda _: on_close())
        self.stepper = Stepper(on_step, on_play, on_speed)
        self.anchor = ScrollAnchor()
        self.base = w.HTML(layout=w.Layout(**PANEL))
        self.head = w.HTML(layout=w.Layout(**PANEL))
        self.details = w.HTML()
        self.request = w.HTML()
        response = w.VBox([
            self.stepper.widget, w.HBox([self.base, self.head]),
            w.HTML("<b class='x-medium'>What changed (noise set aside)</b>"),
            self.details,
        ])
        self.tabs = w.Tab(children=[response, self.request])
        for index, name in enumerate(TABS):
            self.tabs.set_title(index, name)
        self.body = w.VBox([
            self.anchor,
            w.HBox([self.title, self.close], layout=w.Layout(justify_content="space-between")),
            self.tabs,
        ], layout=w.Layout(border="1px solid #d0d7de", padding="6px", margin="6px 0 0 0"))
        self.empty = w.HTML(EMPTY)
        self.widget = w.VBox([self.empty])

    def show_nothing(self, message: str | None = None) -> None:
        self.recordings = {"base": None, "head": None}
        self.empty.value = message or EMPTY
        self.widget.children = [self.empty]

    def show_pair(self, row: dict, details: dict | str | None, base: Recording | None,
                  head: Recording | None, state: CompareState) -> None:
        """Open a pair: `row` is its row of the changes frame."""
        self.recordings = {"base": base, "head": head}
        test_id = row["test_id"] if isinstance(row["test_id"], str) else None
        self.title.value = compare_render.title_html(row["path"], row["status"], row["summary"],
                                                     test_id, row.get("source"))
        self.details.value = compare_render.details_html(row["status"], details)
        self.request.value = request_html(base, head)
        self.tabs.selected_index = 1 if row["status"] == "request" else 0
        self.stepper.reset(state.n_steps, state.interval_ms)
        self.show_step(state)
        self.widget.children = [self.body]
        self.anchor.reveal()

    def show_step(self, state: CompareState) -> None:
        for (side, widget, label), step in zip(
                (("base", self.base, self.labels[0]), ("head", self.head, self.labels[1])),
                side_steps(state)):
            widget.value = compare_render.side_html(side, label, self.recordings[side], step,
                                                    MISSING[side])
        self.stepper.show(state.step, state.n_steps, state.playing, state.interval_ms)
