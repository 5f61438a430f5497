"""`explorer index` and `explorer show`."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
import pandas as pd

from explorer.cli.errors import InputError
from explorer.cli.options import (
    filter_options,
    no_cache_option,
    pop_filters,
    report_problems,
    select,
    strict_option,
)
from explorer.present.export import frame_csv_bytes
from explorer.present.summary import summary_text
from explorer.safety import jsontext
from explorer.safety.names import shown
from explorer.safety.text import echo

OUTPUT_FORMATS = (".parquet", ".csv", ".jsonl")


def load_with_progress(root: str, no_cache: bool, git: bool = False) -> pd.DataFrame:
    """load_index with a progress bar on stderr when it is a terminal; one-line errors."""
    from explorer.history import HistoryError
    from explorer.table.index import load_index

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        extra = {"git": True} if git else {}
        return load_index(root, cache=not no_cache,
                          progress=progress if sys.stderr.isatty() else None, **extra)
    except (FileNotFoundError, HistoryError) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def check_output(out: Path, root: str | None = None, force: bool = False) -> None:
    """Fail before any work when --out cannot be written: an unknown suffix, a missing folder,
    a file inside the tree being indexed, or an existing file without --force."""
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise click.UsageError(f"--out {out}: unknown format; use a name ending in "
                               f"{', '.join(OUTPUT_FORMATS)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.ClickException(f"cannot write {out}: the folder {folder} does not exist "
                                   f"or is not writable; create it or choose another --out")
    real_root = Path(root).resolve() if root else None
    if real_root is not None and Path(os.path.realpath(out)).is_relative_to(real_root):
        raise click.ClickException(f"--out {out} is inside the recordings tree {root}, which is "
                                   f"never written; choose a file outside it")
    if (out.exists() or out.is_symlink()) and not force:
        raise click.ClickException(f"--out {out} already exists; choose another name or pass "
                                   f"--force to replace it")


def write_frame(frame: pd.DataFrame, out: Path) -> None:
    """Write the frame as Parquet, CSV (lists as JSON) or JSON lines, by suffix."""
    suffix = out.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise click.UsageError(f"--out {out}: unknown format; use a name ending in "
                               f"{', '.join(OUTPUT_FORMATS)}")
    try:
        if suffix == ".parquet":
            frame.to_parquet(out, index=False)
        elif suffix == ".csv":
            out.write_bytes(frame_csv_bytes(frame))  # lists as JSON, formulas kept as text
        else:
            frame.to_json(out, orient="records", lines=True, date_format="iso")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; check that "
                                   f"the folder exists and is writable") from None


@click.command("index")
@click.argument("root", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the frame to FILE (.parquet, .csv or .jsonl), outside ROOT.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--paths", "list_paths", is_flag=True,
              help="Print the matching recordings' paths, one per line, instead of the "
                   "summary (pass one to `explorer show`).")
@click.option("--git", "with_git", is_flag=True,
              help="Add age and churn columns (first_recorded_at, last_changed_at, "
              "times_changed, client) from the git history of ROOT's work tree.")
@strict_option
@no_cache_option
@filter_options
def index(root: str, out: Path | None, force: bool, list_paths: bool, with_git: bool,
          strict: bool, no_cache: bool,
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
        for rel in frame["path"]:
            echo(os.path.join(root, rel))
        if frame.empty:
            echo(f"no recording matches ({filters.describe()})", err=True)
    else:
        echo(summary_text(frame, root, note))
        if with_git:
            echo(git_summary(frame))
    if out is not None:
        write_frame(frame, out)
        echo(f"wrote {len(frame)} rows to {out}")
    if strict and frame.attrs.get("problems"):
        sys.exit(1)


def git_summary(frame: pd.DataFrame) -> str:
    """Age and churn in two lines, plus where a shallow clone's history stops."""
    from explorer.history.summary import age_text

    return age_text(frame)


@click.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--step", type=int, default=None, help="Show the response after N chunks "
              "(default: the final state).")
@click.option("--json", "as_json", is_flag=True, help="Print the state as one JSON object.")
def show(path: Path, step: int | None, as_json: bool) -> None:
    """Show one recording: its conversation, then the response at a step of its stream."""
    from explorer.present.terminal import render_recording
    from explorer.record.recording import RecordingError, load_recording

    if not path.is_file():
        raise InputError(f"{shown(str(path))}: no such file (give the path of one recording "
                         f".json)")
    try:
        recording = load_recording(path)
    except RecordingError as exc:
        raise InputError(str(exc)) from None
    step = recording.n_chunks if step is None else step
    if not 0 <= step <= recording.n_chunks:
        raise InputError(f"--step {step} is out of range: {shown(str(path))} has {recording.n_chunks} "
                         f"chunks (use 0..{recording.n_chunks})")
    state = recording.state_at(step)
    if as_json:
        echo(jsontext.dumps(state.as_dict()))
    else:
        echo(render_recording(recording, state))
