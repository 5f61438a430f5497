"""`explorer export ROOT [filters] --to DIR|FILE.zip`."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli.loading import load_with_progress
from explorer.cli.options import (
    filter_options,
    no_cache_option,
    pop_filters,
    report_problems,
    select,
    strict_option,
)
from explorer.present.export import TargetExists, export_selection
from explorer.safety.text import echo


@click.command("export")
@click.argument("root", type=click.Path(file_okay=False, path_type=str))
@click.option("--to", "target", required=True, type=click.Path(path_type=Path),
              help="A folder to create, or a FILE.zip.")
@click.option("--force", is_flag=True, help="Replace a target that exists and is not empty.")
@no_cache_option
@strict_option
@filter_options
def export(root: str, target: Path, force: bool, no_cache: bool, strict: bool,
           **options) -> None:
    """Copy the recordings under ROOT selected by the filters to a folder or a zip.

    Files are copied byte for byte at the same paths relative to ROOT, with manifest.csv (the
    selection's index rows) beside them. ROOT is never written to; the target is written under
    a temporary name and renamed into place when complete.
    """
    filters = pop_filters(options)
    frame = load_with_progress(root, no_cache)
    report_problems(frame, strict)
    selected = select(frame, filters)
    if selected.empty:
        raise click.ClickException(f"no recordings under {root} match {filters.describe()}; "
                                   f"loosen the filters")
    try:
        result = export_selection(root, selected, target, force=force)
    except TargetExists as exc:
        raise click.ClickException(f"{exc.message}; choose another target, or pass --force to "
                                   f"replace it") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}; check that "
                                   f"its folder is writable and has space") from None
    echo(f"exported {result.files} recordings ({result.bytes / 1e6:.1f} MB) to "
               f"{result.target}, with {result.manifest}")
    if frame.attrs.get("problems"):
        echo(f"the {len(frame.attrs['problems'])} file(s) listed as problems were not "
                   f"exported", err=True)
