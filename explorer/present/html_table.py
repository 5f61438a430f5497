"""Report tables that fit their page: fixed layout, column widths from their content, long
ids shortened in the middle (the full text on hover), numbers right-aligned, every cell
escaped."""

from __future__ import annotations

import re
from html import escape

import pandas as pd

NUMBER = re.compile(r"[+-]?\$?[\d,.]+(?: USD)?|unknown|unpriced")
LONG_CELL = 90  # characters shown of a longer cell: its start and end, the rest on hover
MIN_WEIGHT, MAX_WEIGHT = 5, 48  # a column's width share, in characters of its content

TABLE_CSS = """
table.data { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .85rem;
  table-layout: fixed; width: 100%; }
table.data th, table.data td { padding: .2rem .5rem; border-bottom: 1px solid #eee;
  text-align: left; vertical-align: top; overflow-wrap: anywhere; }
table.data td.num, table.data th.num { text-align: right;
  font-variant-numeric: tabular-nums; }
table.data td.num { white-space: nowrap; }
table.data td[title] { cursor: help; }
"""


def thousands(value: object) -> object:
    """1342 → "1,342" (also 1342.0); anything else unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return f"{int(value):,}"
    if hasattr(value, "item") and not isinstance(value, str):
        return thousands(value.item())
    return value


def middle(text: str, limit: int = LONG_CELL) -> str:
    """`text` shortened in the middle to `limit` characters: both ends stay readable, which
    is where test ids differ (file at the start, parameters at the end)."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


def table(frame: pd.DataFrame, index: bool = False) -> str:
    """An escaped HTML table; whole numbers with thousands separators, NA shown as "unknown"."""
    if index:
        frame = frame.reset_index()
    shown = frame.astype(object).where(frame.notna(), "unknown").map(thousands).map(str)
    numeric = [_is_numeric(shown[column]) for column in shown.columns]
    cols = _colgroup(shown, numeric)
    head = "".join(_header(column, num) for column, num in zip(shown.columns, numeric))
    body = "\n".join("<tr>" + "".join(_cell(value, num) for value, num in zip(row, numeric))
                     + "</tr>" for row in shown.itertuples(index=False))
    return (f'<table class="data">{cols}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody></table>")


def _is_numeric(column: pd.Series) -> bool:
    return len(column) > 0 and all(NUMBER.fullmatch(value) for value in column)


def _header(column: object, numeric: bool) -> str:
    label = escape(str(column).replace("_", " "))
    return f'<th class="num">{label}</th>' if numeric else f"<th>{label}</th>"


def _cell(value: str, numeric: bool) -> str:
    if numeric:
        return f'<td class="num">{escape(value)}</td>'
    shown = middle(value)
    if shown == value:
        return f"<td>{escape(value)}</td>"
    return f'<td title="{escape(value, quote=True)}">{escape(shown)}</td>'


def _colgroup(shown: pd.DataFrame, numeric: list[bool]) -> str:
    """Columns of numbers as wide as their longest value (or header word), never wrapped;
    the text columns share the rest, in proportion to their content."""
    cols, weights = [], {}
    for i, (column, num) in enumerate(zip(shown.columns, numeric)):
        lengths = shown[column].str.len()
        header = max(len(word) for word in str(column).replace("_", " ").split() or [""])
        if num:
            chars = max(header, 0 if lengths.empty else int(lengths.max()))
            cols.append(f'<col style="width:calc({chars * 1.15:.1f}ch + 1.2rem)">')
        else:
            content = 0 if lengths.empty else int(lengths.quantile(.9))
            weights[i] = max(MIN_WEIGHT, min(MAX_WEIGHT, max(content, header) + 2))
            cols.append(None)
    total = sum(weights.values()) or 1
    share = {i: 100 * w / total for i, w in weights.items()}
    cols = [col or f'<col style="width:{share[i]:.1f}%">' for i, col in enumerate(cols)]
    return "<colgroup>" + "".join(cols) + "</colgroup>"
