"""`explorer history`: every version of every recording, from git."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import click
import pandas as pd

from explorer.cli.index import check_output, write_frame
from explorer.cli.options import filter_options, no_cache_option, pop_filters, select

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def load_history_with_progress(repo: str, ref: str, no_cache: bool) -> pd.DataFrame:
    """load_history with a progress bar on stderr when it is a terminal; one-line errors."""
    from explorer.history import load_history

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="reading versions", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        return load_history(repo, ref=ref, cache=not no_cache,
                            progress=progress if sys.stderr.isatty() else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@click.command("history")
@click.argument("repo", type=click.Path(file_okay=False, path_type=str))
@click.option("--ref", default="HEAD", show_default=True,
              help="Branch, tag or commit whose history to read.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to FILE (.parquet, .csv or .jsonl).")
@no_cache_option
@filter_options
def history(repo: str, ref: str, out: Path | None, no_cache: bool, **options) -> None:
    """Every change to every recording in the git repository REPO, one row per change.

    Reads the commits reachable from --ref (a clone or a bare mirror; nothing is checked
    out), as `git log --no-renames` lists changes to '*/recordings/*.json' (merge commits add
    no rows). Each distinct version is parsed once and cached by its blob id, so a second
    run, or a run on a later ref, reads only new versions. Filters select changes by the
    version they left behind (deletions have no version and match only when unfiltered).
    """
    filters = pop_filters(options)
    if out is not None:
        check_output(out)
    from explorer.history.summary import history_text

    started = time.perf_counter()
    frame = load_history_with_progress(repo, ref, no_cache)
    attrs = dict(frame.attrs)
    frame = select(frame, filters)
    frame.attrs.update(attrs)
    note = (f"{time.perf_counter() - started:.2f} s, {attrs.get('described', 0)} versions "
            f"parsed")
    if not filters.is_empty():
        note += f", filtered: {filters.describe()}"
    click.echo(CONTROL.sub("?", history_text(frame, repo, note)))
    if out is not None:
        write_frame(frame, out)
        click.echo(f"wrote {len(frame)} rows to {out}")
