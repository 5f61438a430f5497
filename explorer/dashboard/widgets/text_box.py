"""A text box that reports what is typed while typing, debounced in the browser.

`ipywidgets.Text(continuous_update=True)` sends every keystroke to the kernel, which filters the
whole frame each time; this box sends its value once the typing pauses (`debounce_ms`), or at
once on Enter. Setting `value` from the kernel does not overwrite what is being typed.
"""

from __future__ import annotations

import anywidget
import traitlets

from explorer.dashboard.widgets.assets import static_text


class TypingBox(anywidget.AnyWidget):
    """`value` follows the typing (after a `debounce_ms` pause, or on Enter)."""

    _esm = static_text("text_box.js")
    _css = static_text("text_box.css")
    value = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    debounce_ms = traitlets.Int(250).tag(sync=True)
