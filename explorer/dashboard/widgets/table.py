"""The recordings table widget: one page of rows drawn in the browser (`static/table.js`).

Clicking a row or a header sends a message back; with the table focused, ↑ and ↓ send a move.
The view that fills it and reads its messages is `explorer.dashboard.views.table`.
"""

from __future__ import annotations

import anywidget
import traitlets

from explorer.dashboard.widgets.assets import static_text


class RecordingsTable(anywidget.AnyWidget):
    _esm = static_text("table.js")
    _css = static_text("table.css")
    columns = traitlets.List().tag(sync=True)
    rows = traitlets.List().tag(sync=True)
    selected = traitlets.Unicode("").tag(sync=True)
    sort_by = traitlets.Unicode("").tag(sync=True)
    descending = traitlets.Bool(False).tag(sync=True)
    compact = traitlets.Bool(False).tag(sync=True)  # shortened, scrolling, while a row is open
