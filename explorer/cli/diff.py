"""`explorer diff BASE HEAD [--repo PATH] [--format table|json|markdown]`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from explorer.api import GitError, SourceError, binder_url, flags_text, health_flags, run_git
from explorer.api import diff as compare_trees
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
@click.option("--binder", metavar="OWNER/REPO[@REF]",
              help="Markdown: add a link that opens this comparison in the explorer's Voila "
                   "app on mybinder.org (OWNER/REPO: where explorer is published). Needs "
                   "--repo; the link carries the reviewed repository's URL and both commits.")
@click.option("--repo-url", metavar="URL",
              help="With --binder: the reviewed repository's URL (default: the `origin` "
                   "remote of --repo).")
def diff(base: str, head: str, repo: str | None, prefix: str | None, output_format: str,
         link_base: str, binder: str | None, repo_url: str | None) -> None:
    """Compare two recordings trees, matched by relative path.

    BASE and HEAD are two folders, or with --repo two git revisions. Lists added, removed and
    changed recordings; for a changed one, what changed once the recorder's noise (ids,
    `created`, durations, dates) is set aside. Every change is in one class: moved (same
    request under another name), noise, environment (/api/ps, /api/tags, model lists),
    request (each field before → after), response (one line: text, tool calls, finish reason,
    usage, error, chunks, embedding length), added, removed. --format json adds `changes`;
    --format markdown writes a pull-request comment.
    """
    if binder and repo is None:
        raise click.UsageError("--binder needs --repo: the link names two commits of a "
                               "repository, not two folders")
    try:
        result = compare_trees(base, head, repo=repo, prefix=prefix).diff
        link = _binder_link(binder, repo_url, repo, result) if binder else None
    except OSError as exc:
        raise click.ClickException(f"cannot read {exc.filename}: {exc.strerror}; check that it "
                                   f"exists and is readable") from None
    flags = health_flags(result)
    if output_format == "json":
        echo(json.dumps({**result.as_json(), "health": flags}, indent=2,
                              ensure_ascii=False))
    elif output_format == "markdown":
        from explorer.api import markdown

        echo(markdown(result, link_base=link_base, binder_url=link)
             + flags_text(flags, markdown=True), nl=False)
    else:
        from explorer.api import text_listing

        echo(text_listing(result) + flags_text(flags))


def _binder_link(spec: str, repo_url: str | None, repo: str, result) -> str:
    url = repo_url or _origin(repo)
    return binder_url(spec, url, result.base.commit, result.head.commit)


def _origin(repo: str) -> str:
    try:
        url = run_git(Path(repo), "remote", "get-url", "origin").decode(errors="replace").strip()
    except GitError:
        url = ""
    if not url:
        raise SourceError(f"{repo} has no `origin` remote: give --repo-url with the reviewed "
                          f"repository's https:// URL")
    if url.startswith("git@") and ":" in url:  # git@github.com:OWNER/REPO.git
        host, _, path = url[4:].partition(":")
        url = f"https://{host}/{path}"
    return url
