"""The widgets' JavaScript and CSS, kept as files under `static/` (shipped as package data)."""

from __future__ import annotations

import functools
from pathlib import Path

import ipywidgets as w

STATIC = Path(__file__).parent / "static"


@functools.cache
def static_text(name: str) -> str:
    """The text of `static/<name>` (read once per process)."""
    return (STATIC / name).read_text(encoding="utf-8")


ROOT_CLASS = "x-dashboard"  # the dashboards' root: explorer.css styles what is inside it


def stylesheet() -> w.HTML:
    """`static/explorer.css` (and `page.css`, for the page around it) as a <style> on the
    page, in JupyterLab and Voila alike: put it once in a dashboard whose root has the class
    `ROOT_CLASS`."""
    return w.HTML(f"<style>{static_text('explorer.css')}\n{static_text('page.css')}</style>",
                  layout=w.Layout(display="none"))
