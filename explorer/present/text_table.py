"""Plain-text tables that fit a terminal: one flexible column (a test id, a path) is shortened
in the middle to what the others leave of `width`; numbers are right-aligned with thousands
separators."""

from __future__ import annotations

import math

import pandas as pd

from explorer.present.html_table import middle

WIDTH = 100  # columns, as `explorer cost` prints
GAP = "  "


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def text_table(rows: list[list[object]], headers: list[str], flexible: int,
               right: set[int] = frozenset(), width: int = WIDTH) -> str:
    """Rows under `headers` in at most `width` characters; column `flexible` takes the room
    the others leave and its long values lose their middle."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in cells])
              for i, header in enumerate(headers)]
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + len(GAP) * (len(headers) - 1)
    widths[flexible] = max(len(headers[flexible]), min(widths[flexible], width - fixed))
    lines = []
    for row in [headers, *cells]:
        shown = [middle(cell, widths[i]) if i == flexible else cell for i, cell in enumerate(row)]
        lines.append(GAP.join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                              for i, cell in enumerate(shown)).rstrip())
    return "\n".join(lines)


def churn_text(table: pd.DataFrame, width: int = WIDTH) -> str:
    """The churn table in `width` columns: the test id (without the tests/integration/ every
    id shares; without one, the file name) loses its middle, counts and dates keep their
    place."""
    rows = [[int(row.changes), f"{row.first:%Y-%m-%d}", f"{row.last:%Y-%m-%d}",
             row.test_id.removeprefix("tests/integration/") if isinstance(row.test_id, str)
             else path.rsplit("/", 1)[-1]]
            for path, row in zip(table.index, table.itertuples(index=False))]
    return text_table(rows, ["changes", "first", "last", "test (or file)"], flexible=3,
                      right={0}, width=width)
