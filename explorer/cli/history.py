"""`explorer history`: every version of every recording, from git."""

from __future__ import annotations

import time
from pathlib import Path

import click

from explorer.cli.loading import load_history_with_progress
from explorer.cli.options import filter_options, no_cache_option, pop_filters, select
from explorer.cli.output import check_output, write_output
from explorer.safety.text import echo


@click.command("history")
@click.argument("repo", type=click.Path(file_okay=False, path_type=str))
@click.option("--ref", default="HEAD", show_default=True,
              help="Branch, tag or commit whose history to read.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the table to FILE (.parquet, .csv or .jsonl).")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@no_cache_option
@filter_options
def history(repo: str, ref: str, out: Path | None, force: bool, no_cache: bool,
            **options) -> None:
    """Every change to every recording in the git repository REPO, one row per change.

    Reads the commits reachable from --ref (a clone or a bare mirror; nothing is checked
    out), as `git log --no-renames` lists changes to '*/recordings/*.json' (merge commits add
    no rows). Each distinct version is parsed once and cached by its blob id, so a second
    run, or a run on a later ref, reads only new versions. Filters select changes by the
    version they left behind (deletions have no version and match only when unfiltered).
    """
    filters = pop_filters(options)
    if out is not None:
        check_output(out, force=force)
    from explorer.api import history_text
    from explorer.present.text_table import churn_text

    started = time.perf_counter()
    frame = load_history_with_progress(repo, ref, no_cache)
    attrs = dict(frame.attrs)
    frame = select(frame, filters)
    frame.attrs.update(attrs)
    note = (f"{time.perf_counter() - started:.2f} s, {attrs.get('described', 0):,} versions "
            f"parsed")
    if not filters.is_empty():
        note += f", filtered: {filters.describe()}"
    echo(history_text(frame, repo, note, churn_table=churn_text))
    if out is not None:
        write_output(frame, out)
