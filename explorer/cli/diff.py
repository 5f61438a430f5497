"""`explorer diff BASE HEAD [--repo PATH] [--format table|json|markdown]`."""

from __future__ import annotations

import json

import click

from explorer.health.pr import flags_text, health_flags
from explorer.review.diff import diff_trees
from explorer.review.snapshot import SnapshotError
from explorer.safety.text import echo


@click.command("diff")
@click.argument("base")
@click.argument("head")
@click.option("--repo", type=click.Path(file_okay=False),
              help="BASE and HEAD are revisions (branch, tag, commit) of this git repository, "
                   "read from git objects without a checkout.")
@click.option("--path", "prefix", metavar="PREFIX",
              help="Compare every *.json under this folder (relative to BASE/HEAD or the "
                   "repository) instead of the *.json below folders named `recordings`.")
@click.option("--format", "output_format", type=click.Choice(("table", "json", "markdown")),
              default="table", show_default=True, help="Output format.")
@click.option("--link-base", default="", metavar="URL",
              help="Markdown: prefix for file links, e.g. "
                   "https://github.com/OWNER/REPO/blob/SHA/ (default: bare relative paths).")
def diff(base: str, head: str, repo: str | None, prefix: str | None, output_format: str,
         link_base: str) -> None:
    """Compare two recordings trees, matched by relative path.

    BASE and HEAD are two folders, or with --repo two git revisions. Lists added, removed and
    changed recordings; for a changed one, what changed once the recorder's noise (ids,
    `created`, durations, dates) is set aside: response text, tool calls, model, token counts,
    error state — or "only normalized fields changed". --format markdown writes a
    pull-request comment with token and cost deltas by model.
    """
    try:
        result = diff_trees(base, head, repo=repo, prefix=prefix)
    except SnapshotError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot read {exc.filename}: {exc.strerror}; check that it "
                                   f"exists and is readable") from None
    flags = health_flags(result)
    if output_format == "json":
        echo(json.dumps({**result.as_json(), "health": flags}, indent=2,
                              ensure_ascii=False))
    elif output_format == "markdown":
        from explorer.review.markdown import markdown

        echo(markdown(result, link_base=link_base) + flags_text(flags, markdown=True),
                   nl=False)
    else:
        from explorer.review.summary import text_listing

        echo(text_listing(result) + flags_text(flags))
