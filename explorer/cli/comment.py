"""`explorer comment BASE HEAD --repo DIR --pr N --github-repo OWNER/NAME`: the review as one
comment on the pull request, kept current."""

from __future__ import annotations

import urllib.parse

import click

from explorer.api import (
    DEFAULT_API,
    DEFAULT_MAX_WAIT_S,
    GitHub,
    Outcome,
    Settings,
    append_summary,
    binder_url,
    checked_repo,
    has_changes,
    keep_one,
    planned_requests,
    review_body,
    warning_line,
)
from explorer.api import (
    diff as compare_revisions,
)
from explorer.errors import ExplorerError
from explorer.safety.text import echo

DEFAULT_SERVER = "https://github.com"


@click.command("comment")
@click.argument("base")
@click.argument("head")
@click.option("--repo", required=True, type=click.Path(file_okay=False),
              help="The git repository that holds BASE and HEAD (read from git objects: no "
                   "checkout, nothing of the pull request is run).")
@click.option("--pr", "number", required=True, type=click.IntRange(min=1), metavar="N",
              help="The pull request's number.")
@click.option("--github-repo", envvar="GITHUB_REPOSITORY", required=True, metavar="OWNER/NAME",
              help="The repository the pull request belongs to (default: $GITHUB_REPOSITORY).")
@click.option("--path", "prefix", metavar="PREFIX",
              help="Compare every *.json under this folder of the repository instead of the "
                   "*.json below folders named `recordings`.")
@click.option("--link-base", metavar="URL",
              help="Prefix for file links (default: the pull request repository's "
                   "blob/HEAD-COMMIT/ address on GitHub).")
@click.option("--binder", metavar="OWNER/REPO[@REF]",
              help="Add a link that opens this comparison in the explorer's Voila app on "
                   "mybinder.org (OWNER/REPO: where explorer is published).")
@click.option("--repo-url", metavar="URL",
              help="With --binder: the reviewed repository's URL (default: "
                   "$GITHUB_SERVER_URL/OWNER/NAME of --github-repo).")
@click.option("--dry-run", is_flag=True,
              help="Print the requests it would send (and the comment) instead of sending "
                   "them; needs no token.")
@click.option("--max-wait", type=click.FloatRange(min=0), default=DEFAULT_MAX_WAIT_S,
              envvar="EXPLORER_GITHUB_MAX_WAIT", show_default=True, metavar="SECONDS",
              help="Longest wait for a rate limit (waited out once), whatever GitHub asks "
                   "(also $EXPLORER_GITHUB_MAX_WAIT).")
def comment(base: str, head: str, repo: str, number: int, github_repo: str, prefix: str | None,
            link_base: str | None, binder: str | None, repo_url: str | None, dry_run: bool,
            max_wait: float) -> None:
    """Put the recordings review on pull request N, as one comment kept current.

    Compares BASE and HEAD (two revisions of --repo, as `explorer diff --repo` does) and
    writes the review comment, marked `<!-- recordings-explorer -->`: the marked comment is
    edited in place (every page of comments is searched) or created. When no recording
    changed, an existing comment says so and nothing new is posted. The token comes from
    GITHUB_TOKEN, the API from GITHUB_API_URL (default https://api.github.com). A token that
    may not write (403/404, as on a fork's pull request) exits 0 with a warning; the comment
    always goes to $GITHUB_STEP_SUMMARY when that is set.
    """
    settings = Settings.from_environment()
    token = settings.github_token
    client = GitHub(checked_repo(github_repo), token, settings.github_api_url or DEFAULT_API,
                    max_wait, notice=lambda text: echo(text, err=True))
    if not dry_run and not token:
        raise ExplorerError("GITHUB_TOKEN is not set", "give a token that may write pull "
                            "request comments (in a workflow: ${{ github.token }}), or use "
                            "--dry-run")
    diff = compare_revisions(base, head, repo=repo, prefix=prefix).diff
    server = _server(settings)
    link = (binder_url(binder, repo_url or f"{server}/{github_repo}", diff.base.commit,
                       diff.head.commit) if binder else None)
    files = link_base if link_base is not None else (f"{server}/{github_repo}/blob/"
                                                     f"{diff.head.commit}/")
    body = review_body(diff, link_base=files, binder_url=link)
    summary = append_summary(body, settings.github_step_summary)
    if dry_run:
        echo(planned_requests(client, number, body, post_new=has_changes(diff)), nl=False)
        return
    outcome = keep_one(client, number, body, post_new=has_changes(diff))
    _report(outcome, number, body, summary is not None)


def _server(settings: Settings) -> str:
    """GITHUB_SERVER_URL (GitHub Enterprise; file:// for a local copy), else github.com."""
    server = (settings.github_server_url or DEFAULT_SERVER).rstrip("/")
    if urllib.parse.urlsplit(server).scheme not in ("https", "http", "file"):
        raise ExplorerError(f"GITHUB_SERVER_URL {server[:80]!r} is not an http(s) address",
                            "unset it for https://github.com")
    return server


def _report(outcome: Outcome, number: int, body: str, in_summary: bool) -> None:
    where = outcome.url or f"pull request #{number}"
    if outcome.action == "refused":
        kept = ("the review is in the job summary" if in_summary
                else "the review follows on standard output")
        echo(warning_line(f"cannot write the review comment on pull request #{number} "
                          f"({outcome.reason}): the token may not write here (a fork's "
                          f"pull_request run gets a read-only token: run on "
                          f"pull_request_target, see the README); {kept}"))
        if not in_summary:
            echo(body, nl=False)
        return
    echo({"created": f"created the review comment: {where}",
          "updated": f"updated the review comment in place: {where}",
          "unchanged": f"the review comment already says this: {where}",
          "nothing": "no recording changed and there is no review comment: nothing posted",
          }[outcome.action])
