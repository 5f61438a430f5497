"""A visible error area: an exception in any callback is shown in the dashboard, not lost."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from html import escape

import ipywidgets as w

from explorer.api import FilterError


class ErrorArea:
    """Shows the last error (a message; for unexpected errors also the traceback)."""

    def __init__(self) -> None:
        self.message = w.HTML()
        self.dismiss = w.Button(description="dismiss", layout=w.Layout(width="90px"))
        self.dismiss.on_click(lambda _: self.clear())
        self.widget = w.HBox([self.message, self.dismiss],
                             layout=w.Layout(display="none", align_items="flex-start"))
        self.last: BaseException | None = None

    def show(self, error: BaseException) -> None:
        self.last = error
        if isinstance(error, FilterError):
            body = f"<b>Filter not applied:</b> {escape(str(error))}"
        else:
            trace = "".join(traceback.format_exception(error))
            body = (f"<b>Error: {escape(type(error).__name__)}: {escape(str(error))}</b>"
                    f"<details><summary>traceback</summary><pre class='x-tiny'>"
                    f"{escape(trace)}</pre></details>")
        self.message.value = f"<div class='x-failed'>{body}</div>"
        self.widget.layout.display = "flex"

    def clear(self) -> None:
        self.last = None
        self.message.value = ""
        self.widget.layout.display = "none"

    def guard(self, callback: Callable) -> Callable:
        """`callback`, with any exception it raises shown here instead of propagated."""
        @functools.wraps(callback)
        def guarded(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - shown to the user; nowhere else to go
                self.show(error)
                return None
        return guarded
