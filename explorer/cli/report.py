"""`explorer report ROOT [--against BASE] --out report.html`."""

from __future__ import annotations

from pathlib import Path

import click

from explorer.cli.loading import load_with_progress
from explorer.cli.options import no_cache_option, report_problems, strict_option
from explorer.present.report import write_report
from explorer.safety.text import echo


@click.command("report")
@click.argument("root", type=click.Path(file_okay=False, path_type=str))
@click.option("--against", "base", type=click.Path(file_okay=False, path_type=str),
              help="A base recordings tree (e.g. the main branch's) to report changes against.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write, e.g. report.html.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@click.option("--history", "with_history", is_flag=True,
              help="Add the timeline from git: changes, tokens and cost by month, the most "
              "re-recorded tests, the age of the recordings (ROOT must be in a git work tree).")
@no_cache_option
@strict_option
def report(root: str, base: str | None, out: Path, force: bool, with_history: bool,
           no_cache: bool, strict: bool) -> None:
    """Write one self-contained HTML report of the recordings under ROOT.

    Summary, charts, costs and the files that could not be read; with --against, what changed
    since BASE (as `explorer diff BASE ROOT`). plotly.js is embedded: the file opens offline
    and can be attached to a review.
    """
    if out.suffix.lower() not in (".html", ".htm"):
        raise click.UsageError(f"--out {out}: name the report file .html")
    if (out.exists() or out.is_symlink()) and not force:
        raise click.ClickException(f"--out {out} already exists; choose another name or pass "
                                   f"--force to replace it")
    frame = load_with_progress(root, no_cache)
    report_problems(frame, strict)
    try:
        history = _history(root, no_cache) if with_history else None
        written = write_report(root, out, against=base, frame=frame, history=history)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}; check that its "
                                   f"folder is writable") from None
    recordings = f"{len(frame):,} recording{'' if len(frame) == 1 else 's'}"
    echo(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB): {recordings}"
         + (f", compared with {base}" if base else ""))


def _history(root: str, no_cache: bool):
    from explorer.present.history_section import history_of_tree

    return history_of_tree(Path(root).expanduser(), cache=not no_cache)
