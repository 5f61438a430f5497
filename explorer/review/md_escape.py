"""Recorded text in GitHub Markdown: every value becomes a code span, so no @mention, link,
image, raw HTML, emphasis or table cell survives, whatever the value holds."""

from __future__ import annotations

from urllib.parse import quote

from explorer.safety.markdown import code  # noqa: F401 - the one code span, re-exported


def url_path(path: str) -> str:
    """A relative file path for the target of a Markdown link (percent-encoded)."""
    return quote(path, safe="/")
