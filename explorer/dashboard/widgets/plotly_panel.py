"""Several plotly figures in one widget, with plotly.js sent to the browser once.

A `go.FigureWidget` carries the whole plotly.js bundle (about 5 MB) in every instance; with a
figure per chart that is tens of megabytes per dashboard, and the browser gives up initializing
some of them. This widget ships the bundle from the plotly package once and draws every figure
of a panel with `Plotly.react`; a click on a point comes back to the kernel as a message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import anywidget
import plotly
import plotly.graph_objects as go
import traitlets

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

_RENDER = """
const Plotly = globalThis.Plotly;
const CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };

function pointOf(point) {
  const n = point.pointNumber ?? point.pointIndex;
  return Array.isArray(n) ? (n.length ? n[0] : null) : (n ?? null);
}

function render({ model, el }) {
  el.classList.add("explorer-plots");
  const divs = new Map();
  let frame = null;
  const visible = () => el.getBoundingClientRect().width > 0;
  // redraw (not just resize) when the panel gets its width, e.g. when its tab is opened:
  // a figure laid out while hidden keeps wrong sizes and ranges
  const schedule = () => {
    if (frame === null) frame = requestAnimationFrame(() => { frame = null; draw(); });
  };
  const observer = new ResizeObserver(() => { if (visible()) schedule(); });
  observer.observe(el);
  function chart(name) {
    if (divs.has(name)) return divs.get(name);
    const div = document.createElement("div");
    div.className = "explorer-plot";
    div.dataset.chart = name;
    el.appendChild(div);
    divs.set(name, div);
    return div;
  }
  function draw() {
    if (!visible()) return;  // hidden (another tab is open): drawn when shown
    const items = JSON.parse(model.get("figures"));
    const names = new Set(items.map(item => item.name));
    for (const [name, div] of divs) {
      if (!names.has(name)) { Plotly.purge(div); div.remove(); divs.delete(name); }
    }
    const targets = items.map(item => chart(item.name));  // all cells first: final widths
    for (const [i, { name, figure }] of items.entries()) {
      const div = targets[i];
      const fresh = !div.classList.contains("js-plotly-plot");
      Plotly.react(div, figure.data || [], figure.layout || {}, CONFIG).then(() => {
        if (!fresh) return;
        div.on("plotly_click", event => {
          const point = event.points[0];
          model.send({ type: "click", chart: name, curve: point.curveNumber,
                       point: pointOf(point), x: point.x ?? null, y: point.y ?? null });
        });
      });
    }
  }
  model.on("change:figures", schedule);
  schedule();
  return () => { observer.disconnect(); for (const div of divs.values()) Plotly.purge(div); };
}
export default { render };
"""

_CSS = """
.explorer-plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr));
                  gap: 8px; width: 100%; }
.explorer-plot { min-height: 200px; min-width: 0; overflow: hidden; }
"""


@functools.cache
def _esm() -> str:
    return PLOTLY_JS.read_text(encoding="utf-8") + "\n" + _RENDER


ClickHandler = Callable[[str, object, int], None]


class PlotlyPanel(anywidget.AnyWidget):
    """`show({name: figure})` draws the figures in a grid; `on_click(name, trace, point)`."""

    _css = _CSS
    figures = traitlets.Unicode("[]").tag(sync=True)

    def __init__(self, on_click: ClickHandler | None = None, **kwargs) -> None:
        super().__init__(_esm=_esm(), **kwargs)
        self.current: dict[str, go.Figure] = {}
        self._on_click = on_click
        self.on_msg(self._message)

    def show(self, figures: dict[str, go.Figure]) -> None:
        self.current = dict(figures)
        parts = [f'{{"name": "{name}", "figure": {figure.to_json(engine="json")}}}'
                 for name, figure in figures.items()]
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


def _index_of(trace, x, y) -> int | None:
    """The point index of a category value, for clicks that carry no index."""
    for values, value in ((trace.x, x), (trace.y, y)):
        if values is not None and value is not None:
            matches = [i for i, v in enumerate(values) if v == value]
            if matches:
                return matches[0]
    return None
