function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "explorer-table";
  root.tabIndex = 0;  // focusable: arrow keys move between rows
  root.addEventListener("keydown", event => {
    const by = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (!by) return;
    event.preventDefault();
    model.send({ type: "move", by });
  });
  el.appendChild(root);
  function draw() {
    const columns = model.get("columns"), rows = model.get("rows");
    const sortBy = model.get("sort_by"), descending = model.get("descending");
    const selected = model.get("selected");
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const [key, label, sortKey, right] of columns) {
      const th = document.createElement("th");
      th.textContent = label + (sortKey && sortKey === sortBy ? (descending ? " ▼" : " ▲") : "");
      if (right) th.classList.add("num");
      if (sortKey) {
        th.classList.add("sortable");
        th.title = "sort by " + sortKey;
        th.onclick = () => model.send({ type: "sort", column: sortKey });
      }
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.path = row.path;
      tr.title = row.path;
      if (row.path === selected) tr.classList.add("selected");
      if (row.failed) tr.classList.add("failed");
      if (row.tag) tr.dataset.tag = row.tag;
      for (const [key, , , right] of columns) {
        const td = tr.insertCell();
        td.textContent = row[key] ?? "";
        td.dataset.key = key;
        if (right) td.classList.add("num");
        if (row[key] === "?") td.classList.add("unknown");
      }
      tr.onclick = () => { root.focus({ preventScroll: true });
                           model.send({ type: "select", path: row.path }); };
    }
    if (!rows.length) {
      const td = body.insertRow().insertCell();
      td.colSpan = columns.length;
      td.className = "empty";
      td.textContent = "No recording matches these filters.";
    }
    root.replaceChildren(table);
    root.classList.toggle("compact", model.get("compact"));
    const chosen = root.querySelector("tr.selected");
    if (chosen && model.get("compact")) {
      // keep the open row in sight inside the shortened table, without scrolling the page
      const top = chosen.offsetTop - table.tHead.offsetHeight;
      if (top < root.scrollTop || top + chosen.offsetHeight > root.scrollTop + root.clientHeight)
        root.scrollTop = Math.max(0, top - root.clientHeight / 3);
    }
  }
  model.on("change:rows", draw);
  model.on("change:selected", draw);
  model.on("change:sort_by", draw);
  model.on("change:descending", draw);
  model.on("change:compact", draw);
  draw();
}
export default { render };
