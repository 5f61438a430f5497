"""`explorer index ROOT`: the index frame's summary, its paths, or the frame written to a file."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
import pandas as pd

from explorer.cli.loading import load_with_progress
from explorer.cli.options import (
    filter_options,
    no_cache_option,
    pop_filters,
    report_problems,
    select,
    strict_option,
)
from explorer.cli.output import check_output, write_output
from explorer.cli.pathlist import nul_option, print_paths
from explorer.present.summary import summary_text
from explorer.safety.text import echo


@click.command("index")
@click.argument("root", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the frame to FILE (.parquet, .csv or .jsonl), outside ROOT.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--paths", "list_paths", is_flag=True,
              help="Print the matching recordings' paths, one per line (quoted as git "
                   "quotes names when needed; -z: NUL-terminated), instead of the summary "
                   "(pass one to `explorer show`).")
@nul_option
@click.option("--git", "with_git", is_flag=True,
              help="Add age and churn columns (first_recorded_at, last_changed_at, "
              "times_changed, client) from the git history of ROOT's work tree.")
@strict_option
@no_cache_option
@filter_options
def index(root: str, out: Path | None, force: bool, list_paths: bool, nul: bool,
          with_git: bool, strict: bool, no_cache: bool,
          **options) -> None:
    """Index every recording below ROOT and print a summary.

    ROOT is a recordings tree, e.g. ~/src/ogx/tests/integration. Every *.json below a
    folder named `recordings` is read as a recording; files that cannot be read are listed
    as problems (with the reason) and never stop the run. Re-running on an unchanged tree
    reads the cache instead of parsing.
    """
    filters = pop_filters(options)
    if out is not None:
        check_output(out, root, force)
    started = time.perf_counter()
    frame = select(load_with_progress(root, no_cache, with_git), filters)
    note = f"{time.perf_counter() - started:.2f} s"
    if not filters.is_empty():
        note += f", filtered: {filters.describe()}"
    if list_paths:
        report_problems(frame, strict=False)  # on stderr: stdout is only paths
        print_paths((os.path.join(root, rel) for rel in frame["path"]), nul)
        if frame.empty:
            echo(f"no recording matches ({filters.describe()})", err=True)
    else:
        echo(summary_text(frame, root, note))
        if with_git:
            echo(git_summary(frame))
    if out is not None:
        write_output(frame, out)
    if strict and frame.attrs.get("problems"):
        sys.exit(1)


def git_summary(frame: pd.DataFrame) -> str:
    """Age and churn in two lines, plus where a shallow clone's history stops."""
    from explorer.api import age_text

    return age_text(frame)
