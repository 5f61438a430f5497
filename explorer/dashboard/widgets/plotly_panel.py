"""Several plotly figures in one widget, with plotly.js sent to the browser once.

A `go.FigureWidget` carries the whole plotly.js bundle (about 5 MB) in every instance; with a
figure per chart that is tens of megabytes per dashboard, and the browser gives up initializing
some of them. This widget ships the bundle from the plotly package once per panel (as a trait,
imported once per page) and draws every figure of a panel with `Plotly.react`; a click on a point comes back to the kernel as a message.

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
import pandas as pd
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import traitlets

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

_RENDER = """
let Plotly = globalThis.Plotly;
let loading = null;
const CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };

function pointOf(point) {
  const n = point.pointNumber ?? point.pointIndex;
  return Array.isArray(n) ? (n.length ? n[0] : null) : (n ?? null);
}

function isDark() {
  return document.body.dataset.jpThemeLight === "false";
}

function drawTable(cell, table) {
  let box = cell.querySelector(".explorer-plot-table");
  cell.classList.toggle("with-table", !!table);
  if (!table) { if (box) box.remove(); return; }
  if (!box) {
    box = document.createElement("div");
    box.className = "explorer-plot-table";
    cell.appendChild(box);
  }
  const t = document.createElement("table");
  const head = t.createTHead().insertRow();
  for (const name of table.columns) {
    const th = document.createElement("th");
    th.textContent = name;
    head.appendChild(th);
  }
  const body = t.createTBody();
  for (const row of table.rows) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const td = tr.insertCell();
      td.textContent = value;
      if (i > 0) td.className = "num";
    });
  }
  box.replaceChildren(t);
}

// plotly.js comes as a trait and is imported when the first panel is drawn: in the module
// itself it made the widget's start (which the page allows 2 s) too slow on a busy machine
function loadPlotly(model) {
  if (globalThis.Plotly) return Promise.resolve(globalThis.Plotly);
  if (loading === null) {
    const url = URL.createObjectURL(new Blob([model.get("library")],
                                             { type: "text/javascript" }));
    loading = import(url).then(() => globalThis.Plotly)
                         .finally(() => URL.revokeObjectURL(url));
  }
  return loading;
}

async function render({ model, el }) {
  Plotly = await loadPlotly(model);
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
  // JupyterLab switches theme by changing the body's data attributes: redraw in its colors
  const themes = new MutationObserver(schedule);
  themes.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  function chart(name) {
    if (divs.has(name)) return divs.get(name);
    const cell = document.createElement("div");
    cell.className = "explorer-cell";
    const div = document.createElement("div");
    div.className = "explorer-plot";
    div.dataset.chart = name;
    cell.appendChild(div);
    el.appendChild(cell);
    divs.set(name, div);
    return div;
  }
  function draw() {
    if (!visible()) return;  // hidden (another tab is open): drawn when shown
    const items = JSON.parse(model.get("figures"));
    const names = new Set(items.map(item => item.name));
    for (const [name, div] of divs) {
      if (!names.has(name)) { Plotly.purge(div); div.parentElement.remove(); divs.delete(name); }
    }
    const targets = items.map(item => chart(item.name));  // all cells first: final widths
    items.forEach((item, i) => drawTable(targets[i].parentElement, item.table));
    const dark = isDark() ? JSON.parse(model.get("dark_template")) : null;
    el.classList.toggle("dark", !!dark);
    for (const [i, { name, figure }] of items.entries()) {
      const div = targets[i];
      const fresh = !div.classList.contains("js-plotly-plot");
      const layout = dark ? { ...(figure.layout || {}), template: dark } : (figure.layout || {});
      Plotly.react(div, figure.data || [], layout, CONFIG).then(() => {
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
  return () => {
    observer.disconnect();
    themes.disconnect();
    for (const div of divs.values()) Plotly.purge(div);
  };
}
export default { render };
"""

_CSS = """
.explorer-plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr));
                  gap: 8px; width: 100%; }
.explorer-cell { min-width: 0; }
.explorer-cell.with-table { grid-column: 1 / -1; display: flex; flex-wrap: wrap; gap: 8px;
                            align-items: flex-start; }
.explorer-cell.with-table .explorer-plot { flex: 2 1 440px; }
.explorer-plot { min-height: 200px; min-width: 0; overflow: hidden; }
.explorer-plot-table { flex: 1 1 260px; max-height: 480px; overflow: auto; font-size: 12px; }
.explorer-plot-table table { border-collapse: collapse; width: 100%; }
.explorer-plot-table th, .explorer-plot-table td { padding: 2px 6px; text-align: left;
  border-bottom: 1px solid var(--jp-border-color2, #ddd); overflow-wrap: anywhere; }
.explorer-plot-table th { background: var(--jp-layout-color2, #f3f3f3); position: sticky; top: 0;
                         white-space: nowrap; }
.explorer-plot-table td.num { text-align: right; white-space: nowrap; }
"""


@functools.cache
def _library() -> str:
    return PLOTLY_JS.read_text(encoding="utf-8")


ClickHandler = Callable[[str, object, int], None]


class PlotlyPanel(anywidget.AnyWidget):
    """`show({name: figure})` draws the figures in a grid; `on_click(name, trace, point)`."""

    _esm = _RENDER
    _css = _CSS
    library = traitlets.Unicode("").tag(sync=True)  # plotly.js, imported once per page
    figures = traitlets.Unicode("[]").tag(sync=True)
    dark_template = traitlets.Unicode("{}").tag(sync=True)  # used when the page is dark

    def __init__(self, on_click: ClickHandler | None = None, **kwargs) -> None:
        super().__init__(library=_library(), dark_template=_dark_template(), **kwargs)
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
