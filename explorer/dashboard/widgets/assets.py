"""The widgets' JavaScript and CSS, kept as files under `static/` (shipped as package data)."""

from __future__ import annotations

import functools
from pathlib import Path

STATIC = Path(__file__).parent / "static"


@functools.cache
def static_text(name: str) -> str:
    """The text of `static/<name>` (read once per process)."""
    return (STATIC / name).read_text(encoding="utf-8")
