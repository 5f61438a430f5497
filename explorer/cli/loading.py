"""Long reads with a progress bar on stderr (when it is a terminal): the index and the history."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
import pandas as pd

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A `progress(done, total)` callback drawing a bar on stderr, or None off a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def load_with_progress(root: str, no_cache: bool, git: bool = False) -> pd.DataFrame:
    """`load_index` (with the git columns when `git`), showing its progress; one-line errors."""
    from explorer.api import load_index

    with progress_bar("indexing") as progress:
        try:
            return load_index(root, cache=not no_cache, progress=progress, git=git).frame
        except FileNotFoundError as exc:
            raise click.ClickException(str(exc)) from None


def load_history_with_progress(repo: str, ref: str, no_cache: bool) -> pd.DataFrame:
    """`load_history`, showing its progress."""
    from explorer.api import load_history

    with progress_bar("reading versions") as progress:
        return load_history(repo, ref=ref, cache=not no_cache, progress=progress).frame
