"""`explorer index` and `explorer show`."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
import orjson
import pandas as pd

from explorer.cli_options import (
    filter_options,
    no_cache_option,
    pop_filters,
    report_problems,
    select,
    strict_option,
)
from explorer.summary import summary_text

OUTPUT_FORMATS = (".parquet", ".csv", ".jsonl")


class InputError(click.ClickException):
    """A one-line error about the command's input, exit code 2."""

    exit_code = 2


def load_with_progress(root: str, no_cache: bool) -> pd.DataFrame:
    """load_index with a progress bar on stderr when it is a terminal; one-line errors."""
    from explorer.index import load_index

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        return load_index(root, cache=not no_cache,
                          progress=progress if sys.stderr.isatty() else None)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def check_output(out: Path) -> None:
    """Fail before any work when --out cannot be written."""
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise click.UsageError(f"--out {out}: unknown format; use a name ending in "
                               f"{', '.join(OUTPUT_FORMATS)}")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise click.ClickException(f"cannot write {out}: the folder {folder} does not exist "
                                   f"or is not writable; create it or choose another --out")


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
            flat = frame.copy()
            for column in ("tools_declared", "tools_called"):
                flat[column] = [orjson.dumps(list(v)).decode() for v in flat[column]]
            flat.to_csv(out, index=False)
        else:
            frame.to_json(out, orient="records", lines=True, date_format="iso")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; check that "
                                   f"the folder exists and is writable") from None


@click.command("index")
@click.argument("root", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the frame to FILE (.parquet, .csv or .jsonl).")
@click.option("--paths", "list_paths", is_flag=True,
              help="Print the matching recordings' paths, one per line, instead of the "
                   "summary (pass one to `explorer show`).")
@strict_option
@no_cache_option
@filter_options
def index(root: str, out: Path | None, list_paths: bool, strict: bool, no_cache: bool,
          **options) -> None:
    """Index every recording below ROOT and print a summary.

    ROOT is a recordings tree, e.g. ~/src/ogx/tests/integration. Every *.json below a
    folder named `recordings` is read as a recording; files that cannot be read are listed
    as problems (with the reason) and never stop the run. Re-running on an unchanged tree
    reads the cache instead of parsing.
    """
    filters = pop_filters(options)
    if out is not None:
        check_output(out)
    started = time.perf_counter()
    frame = select(load_with_progress(root, no_cache), filters)
    note = f"{time.perf_counter() - started:.2f} s"
    if not filters.is_empty():
        note += f", filtered: {filters.describe()}"
    if list_paths:
        report_problems(frame, strict=False)  # on stderr: stdout is only paths
        for rel in frame["path"]:
            click.echo(os.path.join(root, rel))
        if frame.empty:
            click.echo(f"no recording matches ({filters.describe()})", err=True)
    else:
        click.echo(summary_text(frame, root, note))
    if out is not None:
        write_frame(frame, out)
        click.echo(f"wrote {len(frame)} rows to {out}")
    if strict and frame.attrs.get("problems"):
        sys.exit(1)


@click.command("show")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--step", type=int, default=None, help="Show the response after N chunks "
              "(default: the final state).")
@click.option("--json", "as_json", is_flag=True, help="Print the state as one JSON object.")
def show(path: Path, step: int | None, as_json: bool) -> None:
    """Show one recording: its conversation, then the response at a step of its stream."""
    from explorer.recording import RecordingError, load_recording
    from explorer.render_text import render_recording

    if not path.is_file():
        raise InputError(f"{path}: no such file (give the path of one recording .json)")
    try:
        recording = load_recording(path)
    except RecordingError as exc:
        raise InputError(str(exc)) from None
    step = recording.n_chunks if step is None else step
    if not 0 <= step <= recording.n_chunks:
        raise InputError(f"--step {step} is out of range: {path} has {recording.n_chunks} "
                         f"chunks (use 0..{recording.n_chunks})")
    state = recording.state_at(step)
    if as_json:
        click.echo(orjson.dumps(state.as_dict()).decode())
    else:
        click.echo(render_recording(recording, state))
