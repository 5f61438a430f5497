"""A text box that reports what is typed while typing, debounced in the browser.

`ipywidgets.Text(continuous_update=True)` sends every keystroke to the kernel, which filters the
whole frame each time; this box sends its value once the typing pauses (`debounce_ms`), or at
once on Enter. Setting `value` from the kernel does not overwrite what is being typed.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
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
"""

_CSS = """
.explorer-text-box { width: 100%; box-sizing: border-box; height: 28px; padding: 2px 6px;
  font-size: var(--jp-widgets-font-size, 13px); color: var(--jp-widgets-input-color, #000);
  background: var(--jp-widgets-input-background-color, #fff);
  border: 1px solid var(--jp-widgets-input-border-color, #9e9e9e); }
.explorer-text-box:focus { outline: 1px solid var(--jp-widgets-input-focus-border-color, #64b5f6); }
"""


class TypingBox(anywidget.AnyWidget):
    """`value` follows the typing (after a `debounce_ms` pause, or on Enter)."""

    _esm = _ESM
    _css = _CSS
    value = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)
    debounce_ms = traitlets.Int(250).tag(sync=True)
