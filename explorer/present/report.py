"""One self-contained HTML report of a recordings tree: summary, charts, costs and, given a
base tree, what changed. plotly.js is embedded in the file; nothing is fetched when it opens."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from explorer.errors import ExplorerError
from explorer.ground.files import write_atomically
from explorer.ground.version import __version__
from explorer.present.cost_figures import spend_bar, unpriced_share
from explorer.present.figures import all_figures
from explorer.present.html_table import TABLE_CSS
from explorer.present.numbers import count, without_usage
from explorer.present.report_html import (
    bullet_list,
    code,
    diff_section,
    figure,
    paragraph,
    section,
    table,
)
from explorer.present.summary import tokens_by_model
from explorer.pricing.cost import PACKAGE, cost_table, price_frame, unpriced_summary
from explorer.review.diff import TreeDiff

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; padding: 0 1rem; max-width: 1100px;
  color: #222; }
h1 { font-size: 1.6rem; overflow-wrap: anywhere; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
li, p { overflow-wrap: anywhere; }
code { font-size: .85rem; word-break: break-all; }
""" + TABLE_CSS


TOP = 10  # rows in the "longest streams" and "most expensive tests" tables
LISTED = 200  # failed calls listed


class ReportError(ExplorerError):
    """The report cannot be written; the message names the thing and the fix."""


def build_report(frame: pd.DataFrame, title: str, diff: TreeDiff | None = None,
                 history: pd.DataFrame | None = None) -> str:
    """The whole HTML document for an index frame (and a diff against a base, and the
    timeline of a history frame, if given)."""
    figures = list(summary_figures(frame).items()) + list(cost_figures(frame).items())
    parts = [_summary(frame), _failed(frame), _longest_streams(frame), _costs(frame),
             _expensive_tests(frame)]
    if figures:
        parts.append(section("Charts", *(figure(fig, first=(i == 0))
                                          for i, (_, fig) in enumerate(figures))))
    if history is not None:
        from explorer.present.history_section import history_section

        parts.append(history_section(history, plotly_included=bool(figures)))
    if diff is not None:
        parts.append(diff_section(diff))
    parts.append(_problems(frame))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            f"<h1>Recordings report: {escape(title)}</h1>\n"
            f"{paragraph(f'Generated {stamp} by explorer {__version__}.')}\n"
            + "\n".join(p for p in parts if p) + "\n</body></html>\n")


def summary_figures(frame: pd.DataFrame) -> dict[str, go.Figure]:
    """The dashboard's charts of the frame."""
    return {} if frame.empty else all_figures(frame)


def _priced(frame: pd.DataFrame) -> pd.DataFrame:
    return frame if "cost_usd" in frame.columns else price_frame(frame)


def cost_figures(frame: pd.DataFrame) -> dict[str, go.Figure]:
    if frame.empty:
        return {}
    priced = _priced(frame)
    return {"spend": spend_bar(priced, "model", "Spend by model"),
            "unpriced": unpriced_share(priced)}


def _summary(frame: pd.DataFrame) -> str:
    if frame.empty:
        return section("Summary", paragraph("No recordings."))
    counts = (f"{count(len(frame), 'recording')}; {int(frame['streaming'].sum()):,} streamed; "
              f"{count(int(frame['is_error'].sum()), 'failed call')}; "
              f"{without_usage(frame):,} without usage (unknown, not 0).")
    by_kind = frame["kind"].fillna("(none)").value_counts().rename_axis("kind").reset_index()
    by_provider = (frame["provider"].fillna("(none)").value_counts().rename_axis("provider")
                   .reset_index())
    return section("Summary", paragraph(counts), "<h3>By kind</h3>", table(by_kind),
                   "<h3>By provider</h3>", table(by_provider), "<h3>Tokens by model</h3>",
                   table(tokens_by_model(frame, top=30), index=True))


def _costs(frame: pd.DataFrame) -> str:
    priced = _priced(frame)
    if priced is None:
        return section("Costs", paragraph("cost unavailable: the pricing module could not be "
                                          "imported."))
    if priced.empty:
        return ""

    costs = cost_table(priced, by="model")
    shown = costs[["model", "recordings", "prompt_tokens", "completion_tokens", "cost_usd",
                   "unpriced_recordings", "price_source"]].astype(object)
    shown["model"] = shown["model"].where(costs["model"].notna(), "(no model)")
    shown["cost_usd"] = [None if pd.isna(v) else f"${v:,.6f}" for v in costs["cost_usd"]]
    shown["price_source"] = [_short(v) for v in costs["price_source"]]
    return section("Costs", paragraph(f"Today's list prices ({PACKAGE}). "
                                      + unpriced_summary(priced)), table(shown))


def _test_or_path(frame: pd.DataFrame) -> pd.Series:
    return frame["test_id"].astype(object).where(frame["test_id"].notna(), frame["path"])


def _failed(frame: pd.DataFrame, limit: int = LISTED) -> str:
    """Every failed call (up to `limit`): its test, model and error."""
    failed = frame[frame["is_error"].fillna(False).astype(bool)]
    if failed.empty:
        return ""
    shown = pd.DataFrame({"test / recording": _test_or_path(failed), "model": failed["model"],
                          "status": failed["status"], "error": failed["error"]}).head(limit)
    more = len(failed) - len(shown)
    note = paragraph(f"… and {more:,} more (explorer index ROOT --errors --paths lists "
                     f"them all).") if more > 0 else ""
    return section(f"Failed calls ({len(failed):,})", table(shown), note)


def _longest_streams(frame: pd.DataFrame, top: int = TOP) -> str:
    streams = frame[frame["streaming"].fillna(False).astype(bool)]
    if streams.empty:
        return ""
    streams = streams.sort_values("n_chunks", ascending=False, kind="stable").head(top)
    shown = pd.DataFrame({"test / recording": _test_or_path(streams), "model": streams["model"],
                          "chunks": streams["n_chunks"],
                          "completion tokens": streams["completion_tokens"]})
    return section(f"Longest streams (top {top})", table(shown))


def _expensive_tests(frame: pd.DataFrame, top: int = TOP) -> str:
    priced = _priced(frame)
    if priced is None or priced.empty or priced["cost_usd"].notna().sum() == 0:
        return ""
    from explorer.pricing.cost import cost_table

    costs = cost_table(priced, by="test_id")
    costs = costs[costs["cost_usd"].notna()].head(top)
    shown = pd.DataFrame({"test": costs["test_id"].astype(object).where(
                              costs["test_id"].notna(), "(no test id)"),
                          "recordings": costs["recordings"],
                          "prompt tokens": costs["prompt_tokens"],
                          "completion tokens": costs["completion_tokens"],
                          "cost": [f"${v:,.6f}" for v in costs["cost_usd"]]})
    return section(f"Most expensive tests (top {top})", table(shown))


def _short(text: object, limit: int = 80) -> str:
    text = "" if pd.isna(text) else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problems(frame: pd.DataFrame) -> str:
    problems = frame.attrs.get("problems", [])
    if not problems:
        return ""
    items = [f"{code(p.path)}: {escape(p.reason)}" for p in problems]
    return section(f"Files that could not be read ({len(problems):,})", bullet_list(items))


def write_report(root: str | os.PathLike, out: str | os.PathLike,
                 against: str | os.PathLike | None = None, cache: bool = True,
                 frame: pd.DataFrame | None = None,
                 history: pd.DataFrame | None = None) -> Path:
    """Index `root` (or use `frame`), diff it against `against` if given, write `out`
    (with the timeline of `history` when given)."""
    from explorer.review.diff import diff_trees
    from explorer.table.index import index_tree

    root, out = Path(root).expanduser(), Path(out).expanduser().absolute()
    _check_out(out, [root] + ([Path(against).expanduser()] if against else []))
    frame = index_tree(root, cache=cache) if frame is None else frame
    diff = diff_trees(str(against), str(root)) if against is not None else None
    html = build_report(frame, str(root), diff, history)
    write_atomically(out, html.encode("utf-8"))
    return out


def _check_out(out: Path, trees: list[Path]) -> None:
    for tree in trees:
        if tree.is_dir() and out.resolve().is_relative_to(tree.resolve()):
            raise ReportError(f"{out} is inside the recordings tree {tree}; write the report "
                              f"outside it")
    if not out.parent.is_dir():
        raise ReportError(f"{out.parent}: no such directory; create it first")
