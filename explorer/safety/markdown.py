"""Recorded text in GitHub Markdown: every value becomes a code span, so no @mention, link,
image, raw HTML, emphasis or table cell survives, whatever the value holds. (Here, below every
floor that writes markdown; `explorer.review.md_escape` re-exports it.)"""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")


def code(value: object, table: bool = False) -> str:
    """`value` as one inline code span: on one line, control characters shown as escapes, a
    fence longer than any run of backticks inside it, and `|` escaped inside a table cell."""
    text = " ".join("".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1]
                            for c in str(value)).split())
    if not text:
        return "(empty)"
    if table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
