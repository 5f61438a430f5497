let Plotly = globalThis.Plotly;
let loading = null;
const CONFIG = { displaylogo: false, responsive: true,
                 modeBarButtonsToRemove: ["select2d", "lasso2d"] };

// plotly's toolbar, drawn across the top right, covers the end of a long title: stood on end
// in a right margin of its own, it leaves the title alone
function besideToolbar(layout) {
  const margin = layout.margin || {};
  return { ...layout, modebar: { orientation: "v", ...(layout.modebar || {}) },
           margin: { ...margin, r: Math.max(margin.r ?? 80, 36) } };
}

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

// plotly.js is the state of one shared widget model (the `library` trait refers to it). It starts
// empty so that the page's first render does not wait for 5 MB: the first panel drawn asks the
// kernel for it, and every panel waits for the one answer (a binary buffer), imported once
function sourceOf(library) {
  const source = library.get("source");
  return source && source.byteLength ? source : null;
}

async function librarySource(model) {
  const ref = model.get("library");  // "IPY_MODEL_<id>"
  const library = await model.widget_manager.get_model(ref.slice("IPY_MODEL_".length));
  if (!sourceOf(library)) {
    await new Promise(resolve => {
      const arrived = () => {
        if (sourceOf(library)) { library.off("change:source", arrived); resolve(); }
      };
      library.on("change:source", arrived);
      library.send({ type: "send" });
    });
  }
  return sourceOf(library);
}

function loadPlotly(model) {
  if (globalThis.Plotly) return Promise.resolve(globalThis.Plotly);
  if (loading === null) {
    loading = librarySource(model).then(source => {
      const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
      return import(url).then(() => globalThis.Plotly)
                        .finally(() => URL.revokeObjectURL(url));
    });
  }
  return loading;
}

async function render({ model, el }) {
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
    if (!Plotly) {  // the first panel shown asks for plotly.js; the page is usable meanwhile
      loadPlotly(model).then(library => { Plotly = library; schedule(); });
      return;
    }
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
      const layout = besideToolbar(figure.layout || {});
      if (dark) layout.template = dark;
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
    if (Plotly) for (const div of divs.values()) Plotly.purge(div);
  };
}
export default { render };
