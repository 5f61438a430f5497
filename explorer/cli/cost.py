"""`explorer cost ROOT`: what the recorded token usage costs, grouped, with the prices used."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import click
import pandas as pd

from explorer.api import cost_table, empty_frame, load_prices, price_frame, unpriced_summary
from explorer.cli.loading import load_with_progress
from explorer.cli.options import (
    filter_options,
    no_cache_option,
    pop_filters,
    report_problems,
    select,
    strict_option,
)
from explorer.present.export import csv_text
from explorer.safety.text import echo, for_terminal

GROUPS = ("model", "provider", "area", "test_file", "test_id")
JSON_KEYS = ("recordings", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
             "priced_recordings", "unpriced_recordings", "unpriced_tokens", "price_source")
SOURCE_WIDTH = 70
WIDTH = 100  # the table without --wide fits a terminal this wide


@click.command("cost")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--by", "by", type=click.Choice(GROUPS), default="model", show_default=True,
              help="Group the cost by this column.")
@click.option("--prices", "prices_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Your own prices (TOML or CSV: model, provider, input, output, cached_input "
                   "in USD per million tokens); they override the database for those models.")
@click.option("--as", "as_model", metavar="MODEL",
              help="Price all usage as if it had been sent to MODEL (e.g. gpt-4o-mini or "
                   "openai/gpt-4o-mini).")
@click.option("--format", "output_format", type=click.Choice(("table", "csv", "json")),
              default="table", show_default=True, help="Output format.")
@click.option("--wide", is_flag=True, help="Show each row's price source in the table (wider "
              "than 100 columns) instead of as numbered notes under it.")
@no_cache_option
@strict_option
@filter_options
def cost(root: Path, by: str, prices_file: Path | None, as_model: str | None,
         output_format: str, wide: bool, no_cache: bool, strict: bool, **options) -> None:
    """Price the token usage of the recordings under ROOT, grouped by model (or --by).

    Prices come from the genai-prices database shipped with the package (no network) or from
    --prices. Self-hosted models, models without a price, and recordings without usage are
    reported as unpriced, never as free; the table ends with how many were left unpriced.
    """
    filters = pop_filters(options)
    prices = _load_prices(prices_file)
    _price(empty_frame(), prices, as_model)  # a bad --as fails before the tree is read
    frame = load_with_progress(str(root), no_cache)
    report_problems(frame, strict)
    priced = _price(select(frame, filters), prices, as_model)
    table = cost_table(priced, by=by)
    if output_format == "json":
        echo(json.dumps(_json_rows(table, by), indent=2))
    elif output_format == "csv":
        echo(csv_text(table), nl=False)
    else:
        echo(_text_table(table, by) if wide else narrow_table(table, by))
        summary = unpriced_summary(priced)
        echo(summary if wide else textwrap.fill(summary, WIDTH, subsequent_indent="  "))


def _price(frame: pd.DataFrame, prices, as_model: str | None) -> pd.DataFrame:
    try:
        return price_frame(frame, prices, as_model)
    except LookupError as error:
        raise click.ClickException(f"--as {as_model}: {error.args[0]}") from None


def _load_prices(path: Path | None):
    if path is None:
        return None
    return load_prices(path)


def _plain(value: object) -> object:
    """A JSON-ready value: NA becomes null, numpy scalars become Python numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _json_rows(table: pd.DataFrame, by: str) -> list[dict]:
    return [{by: _plain(row[by]), **{key: _plain(row[key]) for key in JSON_KEYS}}
            for row in table.to_dict("records")]


def _money(value: object) -> str:
    return "unpriced" if _plain(value) is None else f"${value:,.6f}"


def _count(value: object) -> str:
    return "?" if _plain(value) is None else f"{int(value):,}"


def _text(value: object) -> str:
    text = "(none)" if _plain(value) is None else for_terminal(value, one_line=True)
    return text if len(text) <= SOURCE_WIDTH else text[: SOURCE_WIDTH - 1] + "…"


def _text_table(table: pd.DataFrame, by: str) -> str:
    """Aligned plain text: names left, numbers right."""
    if table.empty:
        return "no recordings"
    columns = [  # (header, values, right-aligned)
        (by, table[by].map(_text), False),
        *((header, table[name].map(_count), True) for header, name in (
            ("recordings", "recordings"), ("prompt", "prompt_tokens"),
            ("completion", "completion_tokens"), ("cached", "cached_tokens"))),
        ("cost_usd", table["cost_usd"].map(_money), True),
        ("unpriced", table["unpriced_recordings"].map(_count), True),
        ("price_source", table["price_source"].map(_text), False),
    ]
    return "\n".join(_aligned(columns))


def _aligned(columns: list) -> list[str]:
    """One line per row (the header first) of `(header, values, right_aligned)` columns."""
    cells = [[header, *values] for header, values, _ in columns]
    widths = [max(len(cell) for cell in column) for column in cells]
    return ["  ".join(cell.rjust(width) if right else cell.ljust(width)
                      for cell, width, (_, _, right) in zip(row, widths, columns)).rstrip()
            for row in zip(*cells)]


def _fit(text: str, width: int) -> str:
    """`text` in `width` characters, keeping its end (a model's or test's own name)."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def narrow_table(table: pd.DataFrame, by: str, width: int = WIDTH) -> str:
    """The table in `width` columns: long names cut (keeping their end), each price source a
    numbered note under the table."""
    if table.empty:
        return "no recordings"
    notes: dict[str, int] = {}
    for source in table["price_source"]:
        text = "(none)" if _plain(source) is None else str(source)
        notes.setdefault(text, len(notes) + 1)
    numbers = [f"[{notes['(none)' if _plain(s) is None else str(s)]}]"
               for s in table["price_source"]]
    columns = [  # (header, values, right-aligned)
        *((header, table[name].map(_count), True) for header, name in (
            ("recordings", "recordings"), ("prompt", "prompt_tokens"),
            ("completion", "completion_tokens"), ("cached", "cached_tokens"))),
        ("cost_usd", table["cost_usd"].map(_money), True),
        ("unpriced", table["unpriced_recordings"].map(_count), True),
        ("price", pd.Series(numbers, index=table.index), False),
    ]
    fixed = sum(max(len(h), *(len(v) for v in values)) + 2 for h, values, _ in columns)
    names = ["(none)" if _plain(v) is None else for_terminal(v, one_line=True)
             for v in table[by]]
    room = max(12, min(max(len(by), *map(len, names)), width - fixed))
    columns.insert(0, (by, pd.Series([_fit(n, room) for n in names],
                                     index=table.index), False))
    lines = _aligned(columns)
    lines.append("price sources (--wide shows them in the table):")
    for text, number in notes.items():
        lines.append(textwrap.fill(text, width, initial_indent=f"[{number}] ",
                                   subsequent_indent="    "))
    return "\n".join(lines)
