function render({ model, el }) {
  const input = document.createElement("input");
  input.type = "text";
  input.className = "explorer-text-box";
  input.placeholder = model.get("placeholder");
  input.value = model.get("value");
  input.spellcheck = false;
  let timer = null;
  const commit = () => {
    clearTimeout(timer);
    timer = null;
    if (model.get("value") !== input.value) {
      model.set("value", input.value);
      model.save_changes();
    }
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(commit, model.get("debounce_ms"));
  });
  input.addEventListener("keydown", event => { if (event.key === "Enter") commit(); });
  input.addEventListener("change", commit);
  model.on("change:value", () => {
    // the kernel's copy (e.g. stripped): keep the user's text while they are still typing
    const value = model.get("value");
    if (timer === null && input.value.trim() !== value.trim()) input.value = value;
  });
  model.on("change:placeholder", () => { input.placeholder = model.get("placeholder"); });
  el.appendChild(input);
}
export default { render };
