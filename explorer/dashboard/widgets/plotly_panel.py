"""Several plotly figures in one widget, with plotly.js sent to the browser once.

A `go.FigureWidget` carries the whole plotly.js bundle (about 5 MB) in every instance; with a
figure per chart that is tens of megabytes per dashboard, and the browser gives up initializing
some of them. Here the bundle lives in one `PlotlyLibrary` widget per kernel, which every panel
references. It starts empty: the first panel drawn asks for it, and it crosses to the page once
(as a binary buffer), however many panels and dashboards there are, after the page's first
render instead of before it. Each panel draws its figures with
`Plotly.react`; a click on a point comes back to the kernel as a message.

A figure can come with a table of its numbers, drawn beside it (as text, never HTML). When the
page uses a dark JupyterLab theme (`data-jp-theme-light="false"` on the body), figures are
drawn with plotly's dark template, and redrawn when the theme changes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

import anywidget
import ipywidgets
import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import traitlets

from explorer.dashboard.widgets.assets import static_text

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"




class PlotlyLibrary(ipywidgets.Widget):
    """plotly.js as the state of one plain widget model, shared by every panel of the kernel;
    empty until a page asks for it (a page that shows no chart never receives it)."""

    source = traitlets.Bytes(b"").tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._asked)

    def _asked(self, _widget, content: dict, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "send" and not self.source:
            self.source = PLOTLY_JS.read_bytes()


@functools.cache
def _library() -> PlotlyLibrary:
    return PlotlyLibrary()


ClickHandler = Callable[[str, object, int], None]


class PlotlyPanel(anywidget.AnyWidget):
    """`show({name: figure})` draws the figures in a grid; `on_click(name, trace, point)`."""

    _esm = static_text("plotly_panel.js")
    _css = static_text("plotly_panel.css")
    library = traitlets.Instance(PlotlyLibrary, allow_none=True).tag(
        sync=True, **ipywidgets.widget_serialization)  # plotly.js, shared, imported once
    figures = traitlets.Unicode("[]").tag(sync=True)
    dark_template = traitlets.Unicode("{}").tag(sync=True)  # used when the page is dark

    def __init__(self, on_click: ClickHandler | None = None, **kwargs) -> None:
        super().__init__(library=_library(), **kwargs)
        self.current: dict[str, go.Figure] = {}
        self._on_click = on_click
        self.on_msg(self._message)

    def show(self, figures: dict[str, go.Figure],
             tables: dict[str, pd.DataFrame] | None = None) -> None:
        """Draw `figures`; a figure with an entry in `tables` gets that table beside it."""
        self.current = dict(figures)
        tables = tables or {}
        parts = [f'{{"name": {json.dumps(name)}, "figure": {figure.to_json(engine="json")}, '
                 f'"table": {json.dumps(table_json(tables.get(name)))}}}'
                 for name, figure in figures.items()]
        with self.hold_sync():  # one message: the page draws with both
            if self.dark_template == "{}":  # sent with the first figures, not the empty panel
                self.dark_template = _dark_template()
            self.figures = "[" + ",".join(parts) + "]"

    def _message(self, _widget, content: dict, _buffers) -> None:
        """A click from the page; a message whose fields are not of the click's types (a page
        can send anything) is ignored."""
        if not isinstance(content, dict) or content.get("type") != "click":
            return
        chart, curve, point = content.get("chart"), content.get("curve"), content.get("point")
        if (isinstance(chart, str) and type(curve) is int
                and (point is None or type(point) is int and point >= 0)):
            self.click(chart, curve, point, content.get("x"), content.get("y"))

    def click(self, chart: str, curve: int, point: int | None, x=None, y=None) -> None:
        """A click on point `point` of trace `curve` of figure `chart` (as the browser sends)."""
        figure = self.current.get(chart)
        if figure is None or self._on_click is None or not 0 <= curve < len(figure.data):
            return
        trace = figure.data[curve]
        if point is None:
            point = _index_of(trace, x, y)
        if point is not None:
            self._on_click(chart, trace, point)


def table_json(table: pd.DataFrame | None) -> dict | None:
    """A table as {"columns", "rows"} of strings (the page shows them as text)."""
    if table is None:
        return None
    rows = table.astype(object).where(table.notna(), "unknown").astype(str).values.tolist()
    return {"columns": [str(c) for c in table.columns], "rows": rows}


@functools.cache
def _dark_template() -> str:
    return json.dumps(pio.templates["plotly_dark"].to_plotly_json())


def _index_of(trace, x, y) -> int | None:
    """The point index of a category value, for clicks that carry no index."""
    for values, value in ((trace.x, x), (trace.y, y)):
        if values is not None and value is not None:
            matches = [i for i, v in enumerate(values) if v == value]
            if matches:
                return matches[0]
    return None
