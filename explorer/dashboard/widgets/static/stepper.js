function render({ model, el }) {
  el.classList.add("explorer-anchor");
  model.on("change:request", () => {
    // after the kernel's redraw has reached the page: the panel's top where it will stay
    setTimeout(() => {
      const top = el.getBoundingClientRect().top;
      const view = window.innerHeight || document.documentElement.clientHeight;
      if (top < 0 || top > view * 0.45) el.scrollIntoView({ block: "start", behavior: "smooth" });
    }, 120);
  });
}
export default { render };
