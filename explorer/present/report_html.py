"""HTML pieces of the report: escaped tables, lists, figures and the diff section."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from explorer.present.html_table import table
from explorer.review.diff import TreeDiff
from explorer.review.summary import (
    classes_line,
    counts_line,
    largest_changes,
    model_deltas,
    new_values,
    pricing_available,
    signed_cost,
    signed_count,
)

MAX_FILES_LISTED = 500


def figure(fig: go.Figure, first: bool) -> str:
    """A figure as a <div>; the first one carries plotly.js itself (no CDN)."""
    return fig.to_html(full_html=False, include_plotlyjs=bool(first),
                       config={"displaylogo": False, "responsive": True})


def section(title: str, *parts: str) -> str:
    return f"<section><h2>{escape(title)}</h2>\n" + "\n".join(parts) + "\n</section>"


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def bullet_list(items: list[str]) -> str:
    """Items are already HTML."""
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def code(text: object) -> str:
    return f"<code>{escape(str(text))}</code>"


def diff_section(diff: TreeDiff) -> str:
    """Counts, token and cost deltas by model, what is new, the largest changes, every file."""
    parts = [paragraph(f"base {diff.base.label} → head {diff.head.label}: {counts_line(diff)}"),
             paragraph(f"by class: {classes_line(diff)}")]
    deltas = model_deltas(diff)
    if not deltas.empty:
        shown = pd.DataFrame({"model": deltas["model"],
                              "recordings": deltas["recordings"].map(signed_count),
                              **{f"{n} Δ": deltas[f"{n}_tokens"].map(signed_count)
                                 for n in ("prompt", "completion", "total")}})
        shown["cost Δ"] = (deltas["cost_usd"].map(signed_cost) if pricing_available()
                           else "cost unavailable")
        parts += ["<h3>Tokens and cost by model</h3>", table(shown)]
    parts += ["<h3>New in head</h3>", _new_list(new_values(diff))]
    parts += _largest(diff)
    parts += [f"<h3>Changes ({len(diff.changes):,})</h3>",
              _file_list(diff)]
    return section("Changes against the base", *parts)


def _new_list(new: dict[str, list[str]]) -> str:
    items = [f"{escape(label)}: " + ", ".join(code(v) for v in values)
             for label, values in new.items() if values]
    return bullet_list(items) if items else paragraph("No new models, endpoints or tools.")


def _largest(diff: TreeDiff) -> list[str]:
    changes = largest_changes(diff)
    if not changes:
        return []
    rows = pd.DataFrame({
        "test": [c.test for c in changes],
        "tokens Δ": ["unknown" if c.token_delta is None else f"{c.token_delta:+,}"
                     for c in changes],
        "what changed": [c.what for c in changes],
        "files": [len(c.paths) for c in changes],
    })
    return ["<h3>Tests with the largest changes</h3>", table(rows)]


def _file_list(diff: TreeDiff) -> str:
    """Every change by class, what matters first: behaviour changes are all listed; the
    bookkeeping classes up to MAX_FILES_LISTED."""
    items, rest = [], []
    for change in diff.changes:
        test = f" {code(change.test_id)}" if change.test_id else ""
        moved = f" from {code(change.source)}" if change.source else ""
        item = (f"<b>{escape(change.kind)}</b>{test} {code(change.path)}{moved}: "
                f"{escape(change.summary)}")
        (items if change.matters else rest).append(item)
    if not items and not rest:
        return paragraph("No recording was added, removed or changed.")
    more = len(rest) - MAX_FILES_LISTED
    shown = bullet_list(items + rest[:MAX_FILES_LISTED])
    return shown + (paragraph(f"… and {more:,} more (explorer diff --format json lists them all)")
                    if more > 0 else "")
